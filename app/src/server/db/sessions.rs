use crate::domain::account;
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
    must_change_password: i64,
    second_factor: i64,
    last_seen_at: i64,
}

pub struct LiveSession {
    pub user: CurrentUser,
    pub last_seen_at: i64,
}

/// Where a session was started: shown to its owner on the sessions page.
pub struct Origin<'a> {
    pub user_agent: &'a str,
    pub ip: &'a str,
}

pub async fn insert(
    conn: &mut AnyConnection,
    token_hash: &str,
    user_id: &UserId,
    origin: &Origin<'_>,
    now: i64,
    expires_at: i64,
) -> Result<()> {
    const SQL: &str = "INSERT INTO sessions \
         (token_hash, id, user_id, user_agent, ip, created_at, last_seen_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7)";
    let id = super::new_id();
    let args = args![
        token_hash,
        &id,
        user_id,
        origin.user_agent,
        origin.ip,
        now,
        expires_at
    ];
    run::execute(conn, SQL, args).await?;
    Ok(())
}

/// A live session as its owner sees it; `token_hash` only to tell which one is the caller's.
#[derive(FromRow)]
pub struct SessionRow {
    pub id: String,
    pub token_hash: String,
    pub user_agent: String,
    pub ip: String,
    pub created_at: i64,
    pub last_seen_at: i64,
}

/// The live sessions of `user_id`, most recently used first.
pub async fn list_live<'e>(
    ex: impl Executes<'e>,
    user_id: &UserId,
    now: i64,
    idle_ms: i64,
) -> Result<Vec<SessionRow>> {
    const SQL: &str = "SELECT id, token_hash, user_agent, ip, created_at, last_seen_at FROM sessions \
         WHERE user_id = $1 AND expires_at > $2 AND last_seen_at > $3 \
         ORDER BY last_seen_at DESC, created_at DESC";
    run::fetch_all(ex, SQL, args![user_id, now, now - idle_ms]).await
}

/// Ends the session `id` if it is one of `user_id`'s; the number ended (0 or 1).
pub async fn delete_own(conn: &mut AnyConnection, user_id: &UserId, id: &str) -> Result<u64> {
    const SQL: &str = "DELETE FROM sessions WHERE user_id = $1 AND id = $2";
    let done = run::execute(conn, SQL, args![user_id, id]).await?;
    Ok(done.rows_affected())
}

/// Ends every session of `user_id` but the one whose token hashes to `keep`.
pub async fn delete_others(conn: &mut AnyConnection, user_id: &UserId, keep: &str) -> Result<u64> {
    const SQL: &str = "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2";
    let done = run::execute(conn, SQL, args![user_id, keep]).await?;
    Ok(done.rows_affected())
}

/// The session's user, if the session exists, is within both timeouts and its account is active.
pub async fn find_live<'e>(
    ex: impl Executes<'e>,
    token_hash: &str,
    now: i64,
    idle_ms: i64,
) -> Result<Option<LiveSession>> {
    const SQL: &str = "SELECT u.id, u.name, u.email, u.role, u.must_change_password, \
         CASE WHEN u.totp_secret IS NULL THEN 0 ELSE 1 END AS second_factor, s.last_seen_at \
         FROM sessions s \
         JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND u.active = 1";
    let row: Option<SessionUserRow> =
        run::fetch_optional(ex, SQL, args![token_hash, now, now - idle_ms]).await?;
    Ok(row.and_then(|r| {
        let role = r.role.parse().ok()?;
        Some(LiveSession {
            user: CurrentUser {
                role,
                next_step: account::next_step(role, r.must_change_password == 1, r.second_factor == 1),
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
