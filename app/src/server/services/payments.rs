//! Payment events: verified webhooks move a case from AwaitingPayment to PaymentSuccessful (with
//! an invoice) or PaymentFailed; the patient may retry on the same case. Each event is recorded
//! by the provider's id in the same transaction as its effect, so a redelivery changes nothing,
//! and an event the case has moved past (a late "failed" after "succeeded") is recorded and
//! ignored.

use super::case_action::{self, Audience};
use super::{Caller, Person};
use crate::domain::audit::UseCase;
use crate::domain::payment::PaymentStatus;
use crate::domain::CaseAction;
use crate::error::AppError;
use crate::model::{CaseId, Detail, PaymentId};
use crate::server::db::{self, cases, payments, Db};
use crate::server::payments::events::{Event, Meaning};
use crate::server::payments::signature::{self, SignatureError};
use crate::server::payments::Provider;

#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Applied,
    /// Money arrived for a case closed meanwhile and was given back.
    RefundedLate,
    Duplicate,
    Ignored(&'static str),
}

#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("signature: {0}")]
    Signature(#[from] SignatureError),
    #[error("the payload is not an event we can read")]
    Payload,
    #[error(transparent)]
    App(#[from] AppError),
}

/// Handles one webhook delivery: `raw` is the exact request body, `header` the signature header.
pub async fn handle_webhook(
    db: &Db,
    provider: &Provider,
    raw: &[u8],
    header: Option<&str>,
) -> Result<Outcome, WebhookError> {
    let now_s = db::now_ms() / 1000;
    signature::verify(provider.webhook_secret(), header.unwrap_or_default(), raw, now_s)?;
    let event: Event = serde_json::from_slice(raw).map_err(|_| WebhookError::Payload)?;
    Ok(apply(db, provider, &event).await?)
}

async fn apply(db: &Db, provider_impl: &Provider, event: &Event) -> Result<Outcome, AppError> {
    let provider = provider_impl.name();
    let payment_id = event.data.object.client_reference_id.clone();
    let now = db::now_ms();
    let mut tx = db.begin().await?;
    if !payments::record_event(
        &mut tx,
        provider,
        &event.id,
        &event.kind,
        payment_id.as_deref(),
        now,
    )
    .await?
    {
        tx.commit().await?;
        return Ok(Outcome::Duplicate);
    }
    let action = match event.meaning() {
        Meaning::Succeeded => CaseAction::ConfirmPayment,
        Meaning::Failed => CaseAction::FailPayment,
        Meaning::Other => return finish_ignored(tx, provider, event, "not_relevant").await,
    };
    let Some(payment) =
        payments::find(&mut *tx, &PaymentId::from(payment_id.clone().unwrap_or_default())).await?
    else {
        return finish_ignored(tx, provider, event, "unknown_payment").await;
    };
    if action == CaseAction::ConfirmPayment && !amount_matches(event, &payment) {
        tracing::warn!(
            payment = %payment.id,
            "payment event amount differs from the amount asked"
        );
        return finish_ignored(tx, provider, event, "amount_mismatch").await;
    }
    let Some(case) = cases::find(&mut *tx, &payment.case_id).await? else {
        return finish_ignored(tx, provider, event, "unknown_case").await;
    };
    let mut acting = match case_action::begin_for_provider(db, tx, &event.id, case, action).await? {
        Ok(acting) => acting,
        Err((tx, case)) => return out_of_order(db, tx, provider_impl, event, case, &payment, action).await,
    };
    let status = match action {
        CaseAction::ConfirmPayment => PaymentStatus::Succeeded,
        _ => PaymentStatus::Failed,
    };
    payments::set_status(&mut acting.tx, &payment.id, status, now).await?;
    if let Some(intent) = event.data.object.payment_intent.as_deref() {
        payments::set_provider_payment_ref(&mut acting.tx, &payment.id, intent).await?;
    }
    let detail = match action {
        CaseAction::ConfirmPayment => {
            let number = payments::insert_invoice(&mut acting.tx, &payment, now).await?;
            acting.recorded_invoice();
            Some(Detail::Invoice { number })
        }
        _ => None,
    };
    payments::set_event_outcome(&mut acting.tx, provider, &event.id, "applied").await?;
    case_action::finish(acting, detail, &Audience::default()).await?;
    Ok(Outcome::Applied)
}

/// An event the case has moved past: money that arrives for a case closed meanwhile goes back;
/// anything else (a late "failed" after "succeeded") is recorded and ignored.
async fn out_of_order(
    db: &Db,
    tx: db::Tx,
    provider: &Provider,
    event: &Event,
    case: cases::CaseRow,
    payment: &payments::PaymentRow,
    action: CaseAction,
) -> Result<Outcome, AppError> {
    if action == CaseAction::ConfirmPayment && payment.status != PaymentStatus::Refunded {
        if let Some(change) = crate::domain::case::late_payment_refunded(case.status) {
            let caller = Caller::Provider {
                event_id: event.id.clone(),
            };
            let acting = case_action::bookkeeping(db, tx, caller, case, change, UseCase::RefundLatePayment);
            return refund_late(db, acting, provider, event, payment).await;
        }
    }
    finish_ignored(tx, provider.name(), event, "out_of_order").await
}

/// Gives back money that arrived for a closed case: decided in the transaction that records
/// the event, so a redelivered event is a duplicate and refunds nothing twice; sent after the
/// commit (and by the worker, if the provider does not take it now) under the provider's
/// idempotency key.
async fn refund_late(
    db: &Db,
    mut acting: case_action::Acting,
    provider: &Provider,
    event: &Event,
    payment: &payments::PaymentRow,
) -> Result<Outcome, AppError> {
    if let Some(intent) = event.data.object.payment_intent.as_deref() {
        payments::set_provider_payment_ref(&mut acting.tx, &payment.id, intent).await?;
    }
    let refund = super::refunds::request(&mut acting.tx, payment).await?;
    let amount = crate::domain::money::Money {
        minor: payment.amount_minor,
        currency: payment.currency.clone(),
    };
    let detail = Detail::LatePaymentRefunded { amount };
    // The whole change is about the money: its detail says so, with no separate payment line.
    acting.refunded(None);
    payments::set_event_outcome(&mut acting.tx, provider.name(), &event.id, "refunded_late").await?;
    case_action::finish(acting, Some(detail), &Audience::default()).await?;
    super::refunds::send(db, provider, &refund).await?;
    Ok(Outcome::RefundedLate)
}

fn amount_matches(event: &Event, payment: &payments::PaymentRow) -> bool {
    let object = &event.data.object;
    object.amount_total == Some(payment.amount_minor)
        && object.currency.as_deref().map(str::to_uppercase) == Some(payment.currency.clone())
}

async fn finish_ignored(
    mut tx: db::Tx,
    provider: &str,
    event: &Event,
    reason: &'static str,
) -> Result<Outcome, AppError> {
    payments::set_event_outcome(&mut tx, provider, &event.id, reason).await?;
    tx.commit().await?;
    Ok(Outcome::Ignored(reason))
}

/// After a failed attempt the patient tries again on the same case and the same payment.
pub async fn retry(db: &Db, caller: &Person, case_id: &CaseId, version: i64) -> Result<(), AppError> {
    let mut acting = case_action::begin(db, caller, case_id, version, CaseAction::RetryPayment).await?;
    let payment = payments::for_case(&mut *acting.tx, case_id)
        .await?
        .ok_or(AppError::NotFound)?;
    payments::set_status(&mut acting.tx, &payment.id, PaymentStatus::Open, db::now_ms()).await?;
    case_action::finish(acting, None, &Audience::default()).await
}

/// The test provider's checkout page of one payment: for the case's patient only, and only
/// while payments are simulated; anyone else gets "not found".
pub async fn test_checkout(
    db: &Db,
    caller: &Person,
    payment_id: &PaymentId,
) -> Result<crate::model::TestCheckout, AppError> {
    let (payment, case) = patients_payment(db, caller, payment_id).await?;
    if payment.provider != "test" {
        return Err(AppError::NotFound);
    }
    Ok(crate::model::TestCheckout {
        status: payment.status,
        payment_id: payment.id,
        case_id: case.id,
        reference: case.reference,
        amount: crate::domain::money::Money {
            minor: payment.amount_minor,
            currency: payment.currency,
        },
    })
}

/// A payment with its case, if the caller is the case's patient.
async fn patients_payment(
    db: &Db,
    caller: &Person,
    payment_id: &PaymentId,
) -> Result<(payments::PaymentRow, cases::CaseRow), AppError> {
    let payment = payments::find(db.pool(), payment_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let case = cases::find(db.pool(), &payment.case_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if case.patient_id != caller.user.id {
        return Err(AppError::NotFound);
    }
    Ok((payment, case))
}

/// The built-in test provider's checkout: the patient pressed "Pay" or "Fail". We build the
/// event a real provider would send, sign it with the provider secret, and deliver it to the
/// same webhook handler as any other event. Only the case's patient may complete its checkout.
pub async fn complete_test_checkout(
    db: &Db,
    provider: &Provider,
    caller: &Person,
    payment_id: &PaymentId,
    succeed: bool,
) -> Result<CaseId, AppError> {
    let Provider::Test { .. } = provider else {
        return Err(AppError::NotFound);
    };
    let (payment, case) = patients_payment(db, caller, payment_id).await?;
    let body = serde_json::json!({
        "id": format!("evt_test_{}", uuid::Uuid::new_v4().simple()),
        "type": if succeed { "checkout.session.completed" } else { "checkout.session.async_payment_failed" },
        "data": { "object": {
            "id": format!("cs_test_{}", payment.id),
            "client_reference_id": payment.id,
            "amount_total": payment.amount_minor,
            "currency": payment.currency.to_lowercase(),
            "payment_status": if succeed { "paid" } else { "unpaid" },
        }},
    })
    .to_string();
    let header = signature::sign(provider.webhook_secret(), db::now_ms() / 1000, body.as_bytes());
    match handle_webhook(db, provider, body.as_bytes(), Some(&header)).await {
        Ok(_) => Ok(case.id),
        Err(WebhookError::App(e)) => Err(e),
        Err(e) => Err(crate::server::failure::internal("test checkout", e)),
    }
}
