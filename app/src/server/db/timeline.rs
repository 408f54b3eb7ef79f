use crate::domain::TimelineLabel;
use crate::model::{CaseId, UserId};

use sqlx::AnyConnection;

/// Who did something on a case: a person, or the system (payment provider, scheduled job).
pub struct Actor<'a> {
    pub user_id: Option<&'a UserId>,
    pub role: &'a str,
}

pub async fn append(
    conn: &mut AnyConnection,
    case_id: &CaseId,
    actor: &Actor<'_>,
    label: TimelineLabel,
    detail: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO case_timeline (case_id, at, actor_id, actor_role, label, detail) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(case_id)
    .bind(at)
    .bind(actor.user_id)
    .bind(actor.role)
    .bind(label)
    .bind(detail)
    .execute(conn)
    .await?;
    Ok(())
}
