use sqlx::{Any, AnyConnection, Executor, FromRow};

pub async fn enqueue(
    conn: &mut AnyConnection,
    to: &str,
    subject: &str,
    body: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO email_outbox (id, to_address, subject, body, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(super::new_id())
    .bind(to)
    .bind(subject)
    .bind(body)
    .bind(now)
    .execute(conn)
    .await?;
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
) -> Result<Vec<Message>, sqlx::Error> {
    let candidates: Vec<Message> = sqlx::query_as(
        "SELECT id, to_address, subject, body, attempts FROM email_outbox \
         WHERE sent_at IS NULL AND next_attempt_at <= $1 AND leased_until <= $1 ORDER BY created_at LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let mut leased = Vec::new();
    for message in candidates {
        let done = sqlx::query("UPDATE email_outbox SET leased_until = $1 WHERE id = $2 AND leased_until <= $3 AND sent_at IS NULL")
            .bind(now + lease_ms)
            .bind(&message.id)
            .bind(now)
            .execute(&mut *conn)
            .await?;
        if done.rows_affected() == 1 {
            leased.push(message);
        }
    }
    Ok(leased)
}

pub async fn mark_sent<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE email_outbox SET sent_at = $1, attempts = attempts + 1, last_error = NULL WHERE id = $2",
    )
    .bind(now)
    .bind(id)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn mark_failed<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    error: &str,
    retry_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE email_outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2, leased_until = 0 WHERE id = $3")
        .bind(error)
        .bind(retry_at)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(())
}
