//! Two-factor sign-in records: the secret of an account (pending until confirmed, then set), the
//! last time step accepted, its recovery codes (hashed) and sign-ins waiting for their code.

use crate::model::UserId;
use crate::server::db::run::{self, args};
use crate::server::db::{Executes, Result};
use sqlx::AnyConnection;

/// Keeps `secret` as the account's pending one (replacing any earlier pending one).
pub async fn set_pending(conn: &mut AnyConnection, user_id: &UserId, secret: &str) -> Result<()> {
    const SQL: &str = "UPDATE users SET totp_pending_secret = $1 WHERE id = $2";
    run::execute(conn, SQL, args![secret, user_id]).await?;
    Ok(())
}

pub async fn pending<'e>(ex: impl Executes<'e>, user_id: &UserId) -> Result<Option<String>> {
    const SQL: &str = "SELECT totp_pending_secret FROM users WHERE id = $1";
    Ok(run::scalar_optional::<Option<String>>(ex, SQL, args![user_id])
        .await?
        .flatten())
}

/// Makes the pending secret the account's, with `step` (the code that confirmed it) used.
/// False if the pending secret changed meanwhile (enrolment started again elsewhere).
pub async fn confirm(conn: &mut AnyConnection, user_id: &UserId, secret: &str, step: i64) -> Result<bool> {
    const SQL: &str = "UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, \
         totp_last_step = $1 WHERE id = $2 AND totp_pending_secret = $3";
    let done = run::execute(conn, SQL, args![step, user_id, secret]).await?;
    Ok(done.rows_affected() == 1)
}

/// Records `step` as used, if it is later than the last one: one statement, so two sign-ins
/// racing with the same code cannot both pass.
pub async fn claim_step(conn: &mut AnyConnection, user_id: &UserId, step: i64) -> Result<bool> {
    const SQL: &str =
        "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1 AND totp_secret IS NOT NULL";
    let done = run::execute(conn, SQL, args![step, user_id]).await?;
    Ok(done.rows_affected() == 1)
}

/// Replaces the account's recovery codes with `hashes`.
pub async fn replace_recovery_codes(
    conn: &mut AnyConnection,
    user_id: &UserId,
    hashes: &[String],
) -> Result<()> {
    run::execute(
        &mut *conn,
        "DELETE FROM recovery_codes WHERE user_id = $1",
        args![user_id],
    )
    .await?;
    for hash in hashes {
        const SQL: &str = "INSERT INTO recovery_codes (code_hash, user_id) VALUES ($1, $2)";
        run::execute(&mut *conn, SQL, args![hash, user_id]).await?;
    }
    Ok(())
}

/// Uses a recovery code of `user_id`: true once, in one statement.
pub async fn use_recovery_code(
    conn: &mut AnyConnection,
    user_id: &UserId,
    hash: &str,
    now: i64,
) -> Result<bool> {
    const SQL: &str =
        "UPDATE recovery_codes SET used_at = $1 WHERE code_hash = $2 AND user_id = $3 AND used_at IS NULL";
    let done = run::execute(conn, SQL, args![now, hash, user_id]).await?;
    Ok(done.rows_affected() == 1)
}

pub async fn recovery_codes_left<'e>(ex: impl Executes<'e>, user_id: &UserId) -> Result<i64> {
    const SQL: &str = "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL";
    run::scalar_one(ex, SQL, args![user_id]).await
}

/// Removes the second factor: secret, pending secret and recovery codes.
pub async fn clear(conn: &mut AnyConnection, user_id: &UserId) -> Result<()> {
    const SQL: &str = "UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL, totp_last_step = 0 \
         WHERE id = $1";
    run::execute(&mut *conn, SQL, args![user_id]).await?;
    run::execute(
        &mut *conn,
        "DELETE FROM recovery_codes WHERE user_id = $1",
        args![user_id],
    )
    .await?;
    run::execute(
        &mut *conn,
        "DELETE FROM sign_in_challenges WHERE user_id = $1",
        args![user_id],
    )
    .await?;
    Ok(())
}

pub async fn insert_challenge(
    conn: &mut AnyConnection,
    token_hash: &str,
    user_id: &UserId,
    expires_at: i64,
) -> Result<()> {
    const SQL: &str = "INSERT INTO sign_in_challenges (token_hash, user_id, expires_at) VALUES ($1, $2, $3)";
    run::execute(conn, SQL, args![token_hash, user_id, expires_at]).await?;
    Ok(())
}

/// Whose unexpired sign-in waits for a code under `token_hash`.
pub async fn challenge_owner<'e>(
    ex: impl Executes<'e>,
    token_hash: &str,
    now: i64,
) -> Result<Option<UserId>> {
    const SQL: &str = "SELECT user_id FROM sign_in_challenges WHERE token_hash = $1 AND expires_at > $2";
    run::scalar_optional(ex, SQL, args![token_hash, now]).await
}

/// Ends a sign-in's wait: true if it was still there (only one answer to it can win).
pub async fn delete_challenge(conn: &mut AnyConnection, token_hash: &str) -> Result<bool> {
    let done = run::execute(
        conn,
        "DELETE FROM sign_in_challenges WHERE token_hash = $1",
        args![token_hash],
    )
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes waits past their expiry; run periodically.
pub async fn delete_expired_challenges<'e>(ex: impl Executes<'e>, now: i64) -> Result<u64> {
    let done = run::execute(
        ex,
        "DELETE FROM sign_in_challenges WHERE expires_at <= $1",
        args![now],
    )
    .await?;
    Ok(done.rows_affected())
}

/// Sets up every staff account's second factor with `secret` (demo data only).
pub async fn enrol_all_staff(conn: &mut AnyConnection, secret: &str) -> Result<()> {
    const SQL: &str = "UPDATE users SET totp_secret = $1 WHERE role IN ('admin', 'clinician')";
    run::execute(conn, SQL, args![secret]).await?;
    Ok(())
}
