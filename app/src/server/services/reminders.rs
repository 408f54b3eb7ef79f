//! Reminders nobody clicks for: a case under review past its expected review date tells its
//! coordinator and the specialists still writing; a draft untouched for a day reminds its
//! patient. Each once per case. Run by every app server's worker; the conditional update makes
//! sure only one of them sends each reminder.

use super::case_action::{notify, Audience, Notice};
use crate::domain::case::{draft_waiting, review_overdue, DRAFT_REMINDER_AFTER_MS};
use crate::error::AppError;
use crate::server::db::{cases, review, timeline, Db};

/// Cases looked at per round; the rest wait for the next round.
const BATCH: i64 = 50;

/// Sends the reminders due at `now`. Returns how many cases were reminded.
pub async fn send_overdue(db: &Db, now: i64) -> Result<usize, AppError> {
    let due: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM review_cases WHERE status = 'doctors_assigned' AND expected_review_at < $1 \
         AND overdue_notified_at IS NULL ORDER BY expected_review_at LIMIT $2",
    )
    .bind(now)
    .bind(BATCH)
    .fetch_all(db.pool())
    .await?;
    let mut sent = 0;
    for case_id in due {
        if remind(db, &case_id, now).await? {
            sent += 1;
        }
    }
    Ok(sent)
}

/// One case, in one transaction: mark it reminded (unless another server just did, or the case
/// moved on), record "Review overdue", notify.
async fn remind(db: &Db, case_id: &str, now: i64) -> Result<bool, AppError> {
    let mut tx = db.begin().await?;
    let claimed = sqlx::query(
        "UPDATE review_cases SET overdue_notified_at = $1 WHERE id = $2 AND overdue_notified_at IS NULL \
         AND status = 'doctors_assigned'",
    )
    .bind(now)
    .bind(case_id)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    let Some(case) = cases::find(&mut *tx, case_id).await?.filter(|_| claimed) else {
        return Ok(false);
    };
    let transition = review_overdue();
    let waiting = review::specialists_without_opinion(&mut *tx, case_id).await?;
    let system = timeline::Actor {
        user_id: None,
        role: "system",
    };
    let detail = "The expected review date has passed.";
    for label in transition.timeline() {
        timeline::append(&mut tx, case_id, &system, label, detail, now).await?;
    }
    let audience = Audience {
        specialists: waiting,
        ..Audience::default()
    };
    let notice = Notice {
        case: &case,
        transition: &transition,
        actor_id: None,
        detail,
        payment_detail: None,
        audience: &audience,
    };
    notify(&mut tx, db.backend(), &notice, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// Reminds the patients of drafts untouched for a day. Returns how many were reminded.
pub async fn send_draft_waiting(db: &Db, now: i64) -> Result<usize, AppError> {
    let due: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM review_cases WHERE status = 'draft' AND updated_at < $1 AND draft_reminded_at IS NULL \
         ORDER BY updated_at LIMIT $2",
    )
    .bind(now - DRAFT_REMINDER_AFTER_MS)
    .bind(BATCH)
    .fetch_all(db.pool())
    .await?;
    let mut sent = 0;
    for case_id in due {
        let mut tx = db.begin().await?;
        let claimed = sqlx::query(
            "UPDATE review_cases SET draft_reminded_at = $1 WHERE id = $2 AND draft_reminded_at IS NULL \
             AND status = 'draft'",
        )
        .bind(now)
        .bind(&case_id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        let Some(case) = cases::find(&mut *tx, &case_id).await?.filter(|_| claimed) else {
            continue;
        };
        let notice = Notice {
            case: &case,
            transition: &draft_waiting(),
            actor_id: None,
            detail: "Finish your case and submit it when you are ready.",
            payment_detail: None,
            audience: &Audience::default(),
        };
        notify(&mut tx, db.backend(), &notice, now).await?;
        tx.commit().await?;
        sent += 1;
    }
    Ok(sent)
}
