use crate::domain::TimelineLabel;
use crate::model::{CaseId, UserId};
use crate::server::db::run::{self, args};
use crate::server::db::Result;

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
) -> Result<()> {
    const SQL: &str = "INSERT INTO case_timeline (case_id, at, actor_id, actor_role, label, detail) \
         VALUES ($1, $2, $3, $4, $5, $6)";
    run::execute(
        conn,
        SQL,
        args![case_id, at, actor.user_id, actor.role, label, detail],
    )
    .await?;
    Ok(())
}
