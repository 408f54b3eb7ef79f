//! Payment events: verified webhooks move a case from AwaitingPayment to PaymentSuccessful (with
//! an invoice) or PaymentFailed; the patient may retry on the same case. Each event is recorded
//! by the provider's id in the same transaction as its effect, so a redelivery changes nothing,
//! and an event the case has moved past (a late "failed" after "succeeded") is recorded and
//! ignored.

use super::case_action::{self, Audience};
use super::Caller;
use crate::domain::case::transition;
use crate::domain::{Actor, CaseAction};
use crate::error::AppError;
use crate::server::db::{self, audit, cases, payments, timeline, Db};
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
    let Some(payment) = payments::find(&mut *tx, payment_id.as_deref().unwrap_or_default()).await? else {
        return finish_ignored(tx, provider, event, "unknown_payment").await;
    };
    if action == CaseAction::ConfirmPayment && !amount_matches(event, &payment) {
        tracing::warn!(
            payment = payment.id,
            "payment event amount differs from the amount asked"
        );
        return finish_ignored(tx, provider, event, "amount_mismatch").await;
    }
    let Some(case) = cases::find(&mut *tx, &payment.case_id).await? else {
        return finish_ignored(tx, provider, event, "unknown_case").await;
    };
    let Ok(change) = transition(case.status()?, action, Actor::PaymentProvider) else {
        if action == CaseAction::ConfirmPayment && payment.status != "refunded" {
            if let Some(refund) = crate::domain::case::late_payment_refunded(case.status()?) {
                let late = LatePayment {
                    case: &case,
                    payment: &payment,
                    event,
                    change: &refund,
                };
                return refund_late(db, tx, provider_impl, &late).await;
            }
        }
        return finish_ignored(tx, provider, event, "out_of_order").await;
    };
    if !cases::advance(&mut tx, &case, change.to, now).await? {
        return Err(AppError::conflict(
            "The case changed at the same moment; the provider will redeliver.",
        ));
    }
    let status = if action == CaseAction::ConfirmPayment {
        "succeeded"
    } else {
        "failed"
    };
    payments::set_status(&mut tx, &payment.id, status, now).await?;
    if let Some(intent) = event.data.object.payment_intent.as_deref() {
        payments::set_provider_payment_ref(&mut tx, &payment.id, intent).await?;
    }
    let detail = match action {
        CaseAction::ConfirmPayment => {
            let number = payments::insert_invoice(&mut tx, &payment, now).await?;
            format!("Invoice {number}")
        }
        _ => String::new(),
    };
    let record = ProviderRecord {
        case: &case,
        change: &change,
        detail: &detail,
        event,
        audit_action: action.as_str(),
        event_outcome: "applied",
    };
    record_and_commit(db, tx, provider, &record, now).await?;
    Ok(Outcome::Applied)
}

/// What the payment provider's event did to a case, for the timeline, the people told, the
/// audit log and the event's own record.
struct ProviderRecord<'a> {
    case: &'a cases::CaseRow,
    change: &'a crate::domain::Transition,
    detail: &'a str,
    event: &'a Event,
    audit_action: &'a str,
    event_outcome: &'a str,
}

async fn record_and_commit(
    db: &Db,
    mut tx: db::Tx,
    provider: &str,
    r: &ProviderRecord<'_>,
    now: i64,
) -> Result<(), AppError> {
    let actor = timeline::Actor {
        user_id: None,
        role: "payment_provider",
    };
    let labels: Vec<_> = r.change.timeline().collect();
    for (label, text) in case_action::entry_details(&labels, r.detail, None) {
        timeline::append(&mut tx, &r.case.id, &actor, label, text, now).await?;
    }
    let notice = case_action::Notice {
        case: r.case,
        transition: r.change,
        actor_id: None,
        detail: r.detail,
        payment_detail: None,
        audience: &Audience::default(),
    };
    case_action::notify(&mut tx, db.backend(), &notice, now).await?;
    let entry = audit::Entry {
        user_id: None,
        role: "payment_provider",
        action: r.audit_action,
        case_id: Some(&r.case.id),
        target: &r.event.id,
        outcome: "ok",
        ip: "",
    };
    audit::record(&mut *tx, &entry).await?;
    payments::set_event_outcome(&mut tx, provider, &r.event.id, r.event_outcome).await?;
    tx.commit().await?;
    Ok(())
}

struct LatePayment<'a> {
    case: &'a cases::CaseRow,
    payment: &'a payments::PaymentRow,
    event: &'a Event,
    change: &'a crate::domain::Transition,
}

/// Gives back money that arrived for a closed case, in the transaction that records the event:
/// a redelivered event is a duplicate and refunds nothing twice (the provider's idempotency key
/// covers a retry after a failure on our side).
async fn refund_late(
    db: &Db,
    mut tx: db::Tx,
    provider: &Provider,
    late: &LatePayment<'_>,
) -> Result<Outcome, AppError> {
    let now = db::now_ms();
    let intent = late.event.data.object.payment_intent.as_deref();
    if let Some(intent) = intent {
        payments::set_provider_payment_ref(&mut tx, &late.payment.id, intent).await?;
    }
    let request = crate::server::payments::RefundRequest {
        payment_id: &late.payment.id,
        provider_payment_ref: intent,
        amount_minor: late.payment.amount_minor,
    };
    let issued = provider.refund(&request).await?;
    payments::insert_refund(
        &mut tx,
        late.payment,
        &issued.status,
        issued.provider_ref.as_deref(),
        now,
    )
    .await?;
    let amount = crate::domain::money::Money {
        minor: late.payment.amount_minor,
        currency: late.payment.currency.clone(),
    };
    let detail = format!(
        "A payment arrived after the case was closed; {} refunded.",
        amount.display()
    );
    let record = ProviderRecord {
        case: late.case,
        change: late.change,
        detail: &detail,
        event: late.event,
        audit_action: "refund_late_payment",
        event_outcome: "refunded_late",
    };
    record_and_commit(db, tx, provider.name(), &record, now).await?;
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
pub async fn retry(db: &Db, caller: &Caller<'_>, case_id: &str, version: i64) -> Result<(), AppError> {
    let mut acting = case_action::begin(db, caller, case_id, version, CaseAction::RetryPayment).await?;
    let payment = payments::for_case(&mut *acting.tx, case_id)
        .await?
        .ok_or(AppError::NotFound)?;
    payments::set_status(&mut acting.tx, &payment.id, "open", db::now_ms()).await?;
    case_action::finish(acting, caller, "", &Audience::default()).await?;
    Ok(())
}

/// The built-in test provider's checkout: the patient pressed "Pay" or "Fail". We build the
/// event a real provider would send, sign it with the provider secret, and deliver it to the
/// same webhook handler as any other event. Only the case's patient may complete its checkout.
pub async fn complete_test_checkout(
    db: &Db,
    provider: &Provider,
    caller: &Caller<'_>,
    payment_id: &str,
    succeed: bool,
) -> Result<String, AppError> {
    let Provider::Test { .. } = provider else {
        return Err(AppError::NotFound);
    };
    let payment = payments::find(db.pool(), payment_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let case = cases::find(db.pool(), &payment.case_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if case.patient_id != caller.user.id {
        return Err(AppError::NotFound);
    }
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
