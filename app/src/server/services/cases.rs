//! The patient's case from draft to submission (open, save, submit, delete), and closing a
//! case (cancel, reject). What the pages read is in [`super::case_view`].

use super::audit::{self, On};
use super::case_action::{self, Audience};
use super::Person;
use crate::domain::audit::UseCase;
use crate::domain::intake::{self, DraftFields, DraftInput};
use crate::domain::money::Money;
use crate::domain::payment::PaymentStatus;
use crate::domain::{CaseAction, Role};
use crate::error::AppError;
use crate::i18n::td_string;
use crate::lang;
use crate::model::FormIntent;
use crate::model::{CaseId, Detail};
use crate::server::db::catalog::{self, CatalogKind};
use crate::server::db::{self, cases, documents, payments, Db};
use crate::server::failure::is_unique_violation;
use crate::server::storage::Storage;
use rand::Rng;
use sqlx::AnyConnection;

/// Opens an empty draft for the patient. Retries on the rare clash of random references.
pub async fn create_draft(db: &Db, caller: &Person) -> Result<CaseId, AppError> {
    if caller.user.role != Role::Patient {
        return Err(AppError::forbidden(td_string!(
            lang::current(),
            errors.only_patients_open_cases
        )));
    }
    let id = CaseId::from(db::new_id());
    let mut tx = db.begin().await?;
    // Counted inside the write transaction, so two tabs cannot both slip past the limit.
    if cases::open_drafts(&mut tx, &caller.user.id).await? >= intake::MAX_OPEN_DRAFTS {
        return Err(AppError::conflict(td_string!(
            lang::current(),
            errors.open_drafts_limit,
            count = intake::MAX_OPEN_DRAFTS
        )));
    }
    let mut attempt = 0;
    loop {
        let reference = new_reference();
        match cases::insert_draft(&mut tx, &id, &reference, &caller.user.id, db::now_ms()).await {
            Ok(()) => break,
            Err(e) if is_unique_violation(&e) && attempt < 5 => attempt += 1,
            Err(e) => return Err(e.into()),
        }
    }
    audit::succeeded(&mut *tx, &caller.into(), UseCase::CreateCase, On::case(&id)).await?;
    tx.commit().await?;
    Ok(id)
}

/// `C-` and six characters of Crockford base32 (no I, L, O, U): easy to read out on the phone.
fn new_reference() -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut rng = rand::thread_rng();
    let code: String = (0..6)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect();
    format!("C-{code}")
}

/// Cancels (patient or admin) or rejects (admin) a case. The reason is required and is shown to
/// the patient. A paid case's refund is decided in the closing transaction and sent to the
/// provider after it commits, so a slow provider holds no lock; one the provider does not take
/// now is sent again by the worker (`refunds`).
pub async fn close(
    db: &Db,
    provider: &crate::server::payments::Provider,
    caller: &Person,
    case_id: &CaseId,
    expected_version: i64,
    action: CaseAction,
    reason: &str,
) -> Result<(), AppError> {
    if !matches!(action, CaseAction::Cancel | CaseAction::Reject) {
        return Err(AppError::validation(
            "action",
            td_string!(lang::current(), errors.only_cancel_or_reject),
        ));
    }
    let give_reason = td_string!(lang::current(), errors.give_reason);
    let reason = crate::domain::validate::required_text("reason", reason, 1000, give_reason)
        .map_err(|e| AppError::Validation(vec![e]))?;
    let mut acting = case_action::begin(db, caller, case_id, expected_version, action).await?;
    let mut refund = None;
    if acting.transition.has(crate::domain::Effect::RefundPayment) {
        let (id, line) = request_refund(&mut acting.tx, case_id).await?;
        refund = Some(id);
        acting.refunded(Some(line));
    }
    cases::record_closure(&mut acting.tx, case_id, &caller.user.id, &reason, db::now_ms()).await?;
    case_action::finish(acting, Detail::written(reason), &Audience::default()).await?;
    if let Some(id) = refund {
        super::refunds::send(db, provider, &id).await?;
    }
    Ok(())
}

/// Decides to give the patient's money back; returns the refund's id and the timeline's line.
async fn request_refund(tx: &mut db::Tx, case_id: &CaseId) -> Result<(String, Detail), AppError> {
    let payment = payments::for_case(&mut **tx, case_id)
        .await?
        .filter(|p| p.status == PaymentStatus::Succeeded)
        .ok_or_else(|| {
            crate::server::failure::internal("refund", "a paid case without a succeeded payment")
        })?;
    let id = super::refunds::request(tx, &payment).await?;
    let amount = Money {
        minor: payment.amount_minor,
        currency: payment.currency.clone(),
    };
    Ok((id, Detail::RefundIssued { amount }))
}

/// Parses the form and checks that a chosen review type and category are still offered.
async fn parse_form(conn: &mut AnyConnection, input: &DraftInput) -> Result<DraftFields, AppError> {
    let fields = intake::parse_draft(input).map_err(AppError::Validation)?;
    if let Some(id) = &fields.review_type_id {
        if !catalog::is_active(conn, CatalogKind::ReviewType, id).await? {
            return Err(AppError::validation(
                "review_type_id",
                td_string!(lang::current(), errors.review_type_withdrawn),
            ));
        }
    }
    if let Some(id) = &fields.category_id {
        if !catalog::is_active(conn, CatalogKind::Category, id).await? {
            return Err(AppError::validation(
                "category_id",
                td_string!(lang::current(), errors.medical_area_withdrawn),
            ));
        }
    }
    Ok(fields)
}

/// The intake form's two buttons. Save keeps the draft: incomplete is fine, wrong is not.
/// Submit saves the form and submits the case in one transaction: either it is complete and
/// becomes Submitted with its timeline entry, or nothing changes and every missing part is named.
pub async fn save(
    db: &Db,
    caller: &Person,
    case_id: &CaseId,
    version: i64,
    intent: FormIntent,
    input: &DraftInput,
) -> Result<(), AppError> {
    let action = match intent {
        FormIntent::Save => CaseAction::EditDraft,
        FormIntent::Submit => CaseAction::Submit,
    };
    let mut acting = case_action::begin(db, caller, case_id, version, action).await?;
    let fields = parse_form(&mut acting.tx, input).await?;
    let now = db::now_ms();
    if intent == FormIntent::Submit {
        let (files, _) = documents::usage(&mut *acting.tx, case_id).await?;
        let problems = intake::submission_problems(&fields, u32::try_from(files).unwrap_or(u32::MAX));
        if !problems.is_empty() {
            return Err(AppError::Validation(problems));
        }
    }
    cases::update_draft(&mut acting.tx, case_id, &fields, now).await?;
    if intent == FormIntent::Submit {
        cases::mark_submitted(&mut acting.tx, case_id, now).await?;
    }
    case_action::finish(acting, None, &Audience::default()).await
}

/// Deletes a draft and its documents. Only the owner, only while it is a draft.
pub async fn delete_draft(
    db: &Db,
    storage: &Storage,
    caller: &Person,
    case_id: &CaseId,
    version: i64,
) -> Result<(), AppError> {
    let mut acting = case_action::begin(db, caller, case_id, version, CaseAction::EditDraft).await?;
    let keys = documents::keys_for_case(&mut acting.tx, case_id).await?;
    documents::delete_for_case(&mut acting.tx, case_id).await?;
    if !cases::delete_draft(&mut acting.tx, case_id).await? {
        return Err(AppError::conflict(td_string!(
            lang::current(),
            errors.only_drafts_deleted
        )));
    }
    audit::succeeded(
        &mut *acting.tx,
        &caller.into(),
        UseCase::DeleteDraft,
        On::case(case_id),
    )
    .await?;
    acting.tx.commit().await?;
    for key in keys {
        if let Err(e) = storage.delete(&key).await {
            tracing::warn!(key, error = %e, "could not delete a stored file of a deleted draft");
        }
    }
    Ok(())
}
