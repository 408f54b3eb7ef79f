use crate::domain::TimelineLabel;
use crate::lang::Locale;
use crate::model::{CaseId, Detail, UserId};
use crate::server::db::run::{self, args};
use crate::server::db::Result;

use sqlx::AnyConnection;

/// Who did something on a case: a person, or the system (payment provider, scheduled job).
pub struct Actor<'a> {
    pub user_id: Option<&'a UserId>,
    pub role: &'a str,
}

/// Writes an entry; its detail is stored as its key (read in each reader's language) and as
/// English text.
pub async fn append(
    conn: &mut AnyConnection,
    case_id: &CaseId,
    actor: &Actor<'_>,
    label: TimelineLabel,
    detail: Option<&Detail>,
    at: i64,
) -> Result<()> {
    const SQL: &str =
        "INSERT INTO case_timeline (case_id, at, actor_id, actor_role, label, detail, detail_key) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)";
    let text = detail.map(|d| d.text(Locale::en)).unwrap_or_default();
    let key = detail.map(super::details_json).transpose()?;
    run::execute(
        conn,
        SQL,
        args![case_id, at, actor.user_id, actor.role, label, text, key],
    )
    .await?;
    Ok(())
}
