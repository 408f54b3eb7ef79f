//! Sign-in throttling per email (quality A4): after `MAX_FAILURES` failed attempts within the
//! window, further attempts are refused until the window has passed, whether or not the account
//! exists, so the answer reveals nothing.

use crate::server::db::now_ms;
use sqlx::{Any, Executor};

pub const MAX_FAILURES: i64 = 5;
pub const WINDOW_MS: i64 = 15 * 60 * 1000;

pub async fn is_locked<'e>(ex: impl Executor<'e, Database = Any>, email: &str) -> Result<bool, sqlx::Error> {
    let failures: Option<i64> =
        sqlx::query_scalar("SELECT failures FROM login_failures WHERE email = $1 AND window_start > $2")
            .bind(email)
            .bind(now_ms() - WINDOW_MS)
            .fetch_optional(ex)
            .await?;
    Ok(failures.unwrap_or(0) >= MAX_FAILURES)
}

/// Counts a failure, starting a new window when the last one has passed.
pub async fn record_failure<'e>(
    ex: impl Executor<'e, Database = Any>,
    email: &str,
) -> Result<(), sqlx::Error> {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO login_failures (email, failures, window_start) VALUES ($1, 1, $2) \
         ON CONFLICT (email) DO UPDATE SET \
           failures = CASE WHEN login_failures.window_start > $3 THEN login_failures.failures + 1 ELSE 1 END, \
           window_start = CASE WHEN login_failures.window_start > $3 THEN login_failures.window_start ELSE $2 END",
    )
    .bind(email)
    .bind(now)
    .bind(now - WINDOW_MS)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn clear<'e>(ex: impl Executor<'e, Database = Any>, email: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_failures WHERE email = $1")
        .bind(email)
        .execute(ex)
        .await?;
    Ok(())
}
