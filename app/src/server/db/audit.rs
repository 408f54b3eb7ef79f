use sqlx::{Any, Executor};

/// One audit record: who, in which role, did what to which record, from where, and how it ended.
/// Holds identifiers and outcomes only, never health data.
pub struct Entry<'a> {
    pub user_id: Option<&'a str>,
    pub role: &'a str,
    pub action: &'a str,
    pub case_id: Option<&'a str>,
    pub target: &'a str,
    pub outcome: &'a str,
    pub ip: &'a str,
}

pub async fn record<'e>(ex: impl Executor<'e, Database = Any>, entry: &Entry<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (at, user_id, role, action, case_id, target, outcome, ip) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(super::now_ms())
    .bind(entry.user_id)
    .bind(entry.role)
    .bind(entry.action)
    .bind(entry.case_id)
    .bind(entry.target)
    .bind(entry.outcome)
    .bind(entry.ip)
    .execute(ex)
    .await?;
    Ok(())
}

/// Counts entries for an action and outcome; used by tests and the admin overview.
pub async fn count<'e>(
    ex: impl Executor<'e, Database = Any>,
    action: &str,
    outcome: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND outcome = $2")
        .bind(action)
        .bind(outcome)
        .fetch_one(ex)
        .await
}
