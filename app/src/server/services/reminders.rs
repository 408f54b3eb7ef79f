//! Reminders nobody clicks for: a case under review past its expected review date tells its
//! coordinator and the specialists still writing; a draft untouched for a day reminds its
//! patient. Each once per case. Run by every app server's worker; the conditional update makes
//! sure only one of them sends each reminder.

use super::case_action::{bookkeeping, finish, Audience};
use super::Caller;
use crate::domain::audit::UseCase;
use crate::domain::case::{draft_waiting, review_overdue, DRAFT_REMINDER_AFTER_MS};
use crate::domain::{CaseStatus, Transition};
use crate::error::AppError;
use crate::model::{CaseId, Detail};
use crate::server::db::run::{self, args};
use crate::server::db::{cases, review, Db};

/// Cases looked at per round; the rest wait for the next round.
const BATCH: i64 = 50;

/// One kind of reminder, sent once per case.
struct Reminder {
    /// The column that records when it was sent (NULL until then).
    sent_column: &'static str,
    /// The case must still be in this status.
    status: CaseStatus,
    transition: fn() -> Transition,
    audit_action: UseCase,
    detail: Detail,
    /// Whether it goes to the specialists who have not submitted their opinion yet.
    to_specialists_waiting: bool,
}

const REVIEW_OVERDUE: Reminder = Reminder {
    sent_column: "overdue_notified_at",
    status: CaseStatus::DoctorsAssigned,
    transition: review_overdue,
    audit_action: UseCase::RemindReviewOverdue,
    detail: Detail::ReviewOverdue,
    to_specialists_waiting: true,
};

const DRAFT_WAITING: Reminder = Reminder {
    sent_column: "draft_reminded_at",
    status: CaseStatus::Draft,
    transition: draft_waiting,
    audit_action: UseCase::RemindDraftWaiting,
    detail: Detail::DraftWaiting,
    to_specialists_waiting: false,
};

/// Sends the "review overdue" reminders due at `now`. Returns how many cases were reminded.
pub async fn send_overdue(db: &Db, now: i64) -> Result<usize, AppError> {
    const SQL: &str = "SELECT id FROM review_cases WHERE status = $1 AND expected_review_at < $2 \
         AND overdue_notified_at IS NULL ORDER BY expected_review_at LIMIT $3";
    let due: Vec<CaseId> =
        run::scalar_all(db.pool(), SQL, args![CaseStatus::DoctorsAssigned, now, BATCH]).await?;
    send_each(db, due, now, &REVIEW_OVERDUE).await
}

/// Reminds the patients of drafts untouched for a day. Returns how many were reminded.
pub async fn send_draft_waiting(db: &Db, now: i64) -> Result<usize, AppError> {
    const SQL: &str =
        "SELECT id FROM review_cases WHERE status = $1 AND updated_at < $2 AND draft_reminded_at IS NULL \
         ORDER BY updated_at LIMIT $3";
    let due: Vec<CaseId> = run::scalar_all(
        db.pool(),
        SQL,
        args![CaseStatus::Draft, now - DRAFT_REMINDER_AFTER_MS, BATCH],
    )
    .await?;
    send_each(db, due, now, &DRAFT_WAITING).await
}

async fn send_each(db: &Db, due: Vec<CaseId>, now: i64, reminder: &Reminder) -> Result<usize, AppError> {
    let mut sent = 0;
    for case_id in due {
        if remind_once(db, &case_id, now, reminder).await? {
            sent += 1;
        }
    }
    Ok(sent)
}

/// One case, in one transaction: mark it reminded (unless another server just did, or the case
/// moved on), then record and notify through the case-action frame.
async fn remind_once(db: &Db, case_id: &CaseId, now: i64, reminder: &Reminder) -> Result<bool, AppError> {
    let mut tx = db.begin().await?;
    let column = reminder.sent_column;
    // The column is one of the two constants above, never input.
    let statement = sqlx::AssertSqlSafe(format!(
        "UPDATE review_cases SET {column} = $1 WHERE id = $2 AND {column} IS NULL AND status = $3"
    ));
    let claimed = run::execute(&mut *tx, statement, args![now, case_id, reminder.status.as_str()])
        .await?
        .rows_affected()
        == 1;
    let Some(case) = cases::find(&mut *tx, case_id).await?.filter(|_| claimed) else {
        return Ok(false);
    };
    let mut audience = Audience::default();
    if reminder.to_specialists_waiting {
        audience.specialists = review::specialists_without_opinion(&mut *tx, case_id).await?;
    }
    let transition = (reminder.transition)();
    let acting = bookkeeping(db, tx, Caller::Scheduler, case, transition, reminder.audit_action);
    finish(acting, Some(reminder.detail.clone()), &audience).await?;
    Ok(true)
}
