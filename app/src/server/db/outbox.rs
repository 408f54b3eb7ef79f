use crate::server::db::run::{self, args};
use crate::server::db::{Executes, Result};
use sqlx::{AnyConnection, FromRow};

pub async fn enqueue(conn: &mut AnyConnection, to: &str, subject: &str, body: &str, now: i64) -> Result<()> {
    const SQL: &str = "INSERT INTO email_outbox (id, to_address, subject, body, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $5)";
    run::execute(conn, SQL, args![super::new_id(), to, subject, body, now]).await?;
    Ok(())
}

#[derive(FromRow, Clone, Debug)]
pub struct Message {
    pub id: String,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
}

/// Takes up to `limit` due messages and leases them for `lease_ms`. Two workers (on two app
/// servers) never get the same message: the lease is taken with a conditional update.
pub async fn lease_due(
    conn: &mut AnyConnection,
    now: i64,
    lease_ms: i64,
    limit: i64,
) -> Result<Vec<Message>> {
    const SQL: &str = "SELECT id, to_address, subject, body, attempts FROM email_outbox \
         WHERE sent_at IS NULL AND next_attempt_at <= $1 AND leased_until <= $1 ORDER BY created_at LIMIT $2";
    let candidates: Vec<Message> = run::fetch_all(&mut *conn, SQL, args![now, limit]).await?;
    let mut leased = Vec::new();
    for message in candidates {
        const SQL_2: &str = "UPDATE email_outbox SET leased_until = $1 WHERE id = $2 AND leased_until <= $3 AND sent_at IS NULL";
        let done = run::execute(&mut *conn, SQL_2, args![now + lease_ms, &message.id, now]).await?;
        if done.rows_affected() == 1 {
            leased.push(message);
        }
    }
    Ok(leased)
}

pub async fn mark_sent<'e>(ex: impl Executes<'e>, id: &str, now: i64) -> Result<()> {
    const SQL: &str =
        "UPDATE email_outbox SET sent_at = $1, attempts = attempts + 1, last_error = NULL WHERE id = $2";
    run::execute(ex, SQL, args![now, id]).await?;
    Ok(())
}

pub async fn mark_failed<'e>(ex: impl Executes<'e>, id: &str, error: &str, retry_at: i64) -> Result<()> {
    const SQL: &str = "UPDATE email_outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2, leased_until = 0 WHERE id = $3";
    run::execute(ex, SQL, args![error, retry_at, id]).await?;
    Ok(())
}
