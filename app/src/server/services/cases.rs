//! Case use cases available so far: open a draft, look at cases, cancel and reject.

use super::case_action::{self, Audience};
use super::Caller;
use crate::domain::case::available_actions;
use crate::domain::{CaseAction, Role};
use crate::error::AppError;
use crate::model::{CaseSummary, CaseView, ClinicianCases, Page};
use crate::server::db::{self, audit, cases, timeline, Db};
use crate::server::failure::is_unique_violation;
use rand::Rng;

/// Opens an empty draft for the patient. Retries on the rare clash of random references.
pub async fn create_draft(db: &Db, caller: &Caller<'_>) -> Result<String, AppError> {
    if caller.user.role != Role::Patient {
        return Err(AppError::forbidden("Only patients open cases."));
    }
    let id = db::new_id();
    let mut tx = db.begin().await?;
    let mut attempt = 0;
    loop {
        let reference = new_reference();
        match cases::insert_draft(&mut tx, &id, &reference, &caller.user.id, db::now_ms()).await {
            Ok(()) => break,
            Err(e) if is_unique_violation(&e) && attempt < 5 => attempt += 1,
            Err(e) => return Err(e.into()),
        }
    }
    let entry = audit::Entry {
        user_id: Some(&caller.user.id),
        role: caller.user.role.as_str(),
        action: "create_case",
        case_id: Some(&id),
        target: &id,
        outcome: "ok",
        ip: caller.ip,
    };
    audit::record(&mut *tx, &entry).await?;
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

pub async fn view(db: &Db, caller: &Caller<'_>, case_id: &str) -> Result<CaseView, AppError> {
    let mut conn = db.pool().acquire().await?;
    let case = cases::find(&mut *conn, case_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let relation = case_action::relation_of(&mut conn, &case, caller.user).await?;
    if !relation.may_view_case() {
        return Err(AppError::NotFound);
    }
    let summary = cases::summary(&mut *conn, case_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let timeline = timeline::list(&mut *conn, case_id).await?;
    let actions = available_actions(summary.status, relation.into());
    Ok(CaseView {
        summary,
        relation,
        timeline,
        actions,
    })
}

pub async fn my_cases(db: &Db, caller: &Caller<'_>) -> Result<Vec<CaseSummary>, AppError> {
    Ok(cases::list_for_patient(db.pool(), &caller.user.id).await?)
}

pub async fn clinician_cases(db: &Db, caller: &Caller<'_>) -> Result<ClinicianCases, AppError> {
    Ok(ClinicianCases {
        coordinating: cases::list_for_clinician(db.pool(), &caller.user.id, true).await?,
        reviewing: cases::list_for_clinician(db.pool(), &caller.user.id, false).await?,
    })
}

pub const QUEUE_PAGE_SIZE: u32 = 20;

pub async fn queue(db: &Db, filter: &cases::QueueFilter, page: u32) -> Result<Page<CaseSummary>, AppError> {
    let page = page.max(1);
    let per_page = QUEUE_PAGE_SIZE;
    let mut conn = db.pool().acquire().await?;
    let offset = i64::from(page - 1) * i64::from(per_page);
    let (items, total) = cases::queue(&mut conn, filter, i64::from(per_page), offset).await?;
    Ok(Page {
        items,
        page,
        per_page,
        total: u64::try_from(total).unwrap_or(0),
    })
}

/// Cancels (patient or admin) or rejects (admin) a case. The reason is required and is shown to
/// the patient. A paid case needs a refund first, which arrives with the payment provider.
pub async fn close(
    db: &Db,
    caller: &Caller<'_>,
    case_id: &str,
    expected_version: i64,
    action: CaseAction,
    reason: &str,
) -> Result<(), AppError> {
    if !matches!(action, CaseAction::Cancel | CaseAction::Reject) {
        return Err(AppError::validation(
            "action",
            "Only cancel or reject close a case.",
        ));
    }
    let reason = crate::domain::validate::required_text("reason", reason, 1000, "Please give a reason.")
        .map_err(|e| AppError::Validation(vec![e]))?;
    let mut acting = case_action::begin(db, caller, case_id, expected_version, action).await?;
    if acting.transition.has(crate::domain::Effect::RefundPayment) {
        return Err(AppError::conflict(
            "This case has been paid; it can be closed once refunds are available.",
        ));
    }
    cases::record_closure(&mut acting.tx, case_id, &caller.user.id, &reason, db::now_ms()).await?;
    case_action::finish(acting, caller, &reason, &Audience::default()).await?;
    Ok(())
}
