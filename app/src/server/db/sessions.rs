use crate::model::CurrentUser;
use crate::model::UserId;
use crate::server::db::run::{self, args};
use crate::server::db::{Executes, Result};
use sqlx::{AnyConnection, FromRow};

#[derive(FromRow)]
struct SessionUserRow {
    id: UserId,
    name: String,
    email: String,
    role: String,
    last_seen_at: i64,
}

pub struct LiveSession {
    pub user: CurrentUser,
    pub last_seen_at: i64,
}

pub async fn insert(
    conn: &mut AnyConnection,
    token_hash: &str,
    user_id: &UserId,
    now: i64,
    expires_at: i64,
) -> Result<()> {
    const SQL: &str = "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) \
         VALUES ($1, $2, $3, $3, $4)";
    run::execute(conn, SQL, args![token_hash, user_id, now, expires_at]).await?;
    Ok(())
}

/// The session's user, if the session exists, is within both timeouts and its account is active.
pub async fn find_live<'e>(
    ex: impl Executes<'e>,
    token_hash: &str,
    now: i64,
    idle_ms: i64,
) -> Result<Option<LiveSession>> {
    const SQL: &str = "SELECT u.id, u.name, u.email, u.role, s.last_seen_at FROM sessions s \
         JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND u.active = 1";
    let row: Option<SessionUserRow> =
        run::fetch_optional(ex, SQL, args![token_hash, now, now - idle_ms]).await?;
    Ok(row.and_then(|r| {
        Some(LiveSession {
            user: CurrentUser {
                role: r.role.parse().ok()?,
                id: r.id,
                name: r.name,
                email: r.email,
            },
            last_seen_at: r.last_seen_at,
        })
    }))
}

pub async fn touch<'e>(ex: impl Executes<'e>, token_hash: &str, now: i64) -> Result<()> {
    const SQL: &str = "UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2";
    run::execute(ex, SQL, args![now, token_hash]).await?;
    Ok(())
}

pub async fn delete<'e>(ex: impl Executes<'e>, token_hash: &str) -> Result<()> {
    run::execute(
        ex,
        "DELETE FROM sessions WHERE token_hash = $1",
        args![token_hash],
    )
    .await?;
    Ok(())
}

pub async fn delete_for_user(conn: &mut AnyConnection, user_id: &UserId) -> Result<u64> {
    let done = run::execute(conn, "DELETE FROM sessions WHERE user_id = $1", args![user_id]).await?;
    Ok(done.rows_affected())
}

/// Removes sessions past either timeout; run periodically so the table does not grow forever.
pub async fn delete_expired<'e>(ex: impl Executes<'e>, now: i64, idle_ms: i64) -> Result<u64> {
    const SQL: &str = "DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2";
    let done = run::execute(ex, SQL, args![now, now - idle_ms]).await?;
    Ok(done.rows_affected())
}
