//! Single-use links sent by email: only each token's SHA-256 is stored, with its purpose, its
//! owner and when it stops working.

use crate::model::UserId;
use crate::server::db::run::{self, args};
use crate::server::db::Result;
use sqlx::AnyConnection;

pub const VERIFY_EMAIL: &str = "verify_email";
pub const RESET_PASSWORD: &str = "reset_password";
pub const CHANGE_EMAIL: &str = "change_email";

pub async fn insert(
    conn: &mut AnyConnection,
    token_hash: &str,
    user_id: &UserId,
    purpose: &str,
    expires_at: i64,
) -> Result<()> {
    const SQL: &str =
        "INSERT INTO email_tokens (token_hash, user_id, purpose, expires_at) VALUES ($1, $2, $3, $4)";
    run::execute(conn, SQL, args![token_hash, user_id, purpose, expires_at]).await?;
    Ok(())
}

/// A new single-use token for `user_id`: stored as its hash, returned raw for the link.
pub async fn issue(
    conn: &mut AnyConnection,
    user_id: &UserId,
    purpose: &str,
    expires_at: i64,
) -> Result<String> {
    let raw = crate::server::auth::token::new_token();
    insert(
        conn,
        &crate::server::auth::token::hash(&raw),
        user_id,
        purpose,
        expires_at,
    )
    .await?;
    Ok(raw)
}

/// Uses a token: returns its owner if it exists for `purpose`, is unexpired and unused, and
/// marks it used in the same statement, so two clicks at once cannot both use it.
pub async fn take(
    conn: &mut AnyConnection,
    token_hash: &str,
    purpose: &str,
    now: i64,
) -> Result<Option<UserId>> {
    const SQL: &str = "UPDATE email_tokens SET used_at = $1 \
         WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1 \
         RETURNING user_id";
    run::scalar_optional(conn, SQL, args![now, token_hash, purpose]).await
}

/// Ends every unused token of `user_id` for `purpose` (after one of them was used).
pub async fn use_all(conn: &mut AnyConnection, user_id: &UserId, purpose: &str, now: i64) -> Result<()> {
    const SQL: &str =
        "UPDATE email_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL";
    run::execute(conn, SQL, args![now, user_id, purpose]).await?;
    Ok(())
}

/// A new single-use token confirming `new_email` as `user_id`'s sign-in address.
pub async fn issue_email_change(
    conn: &mut AnyConnection,
    user_id: &UserId,
    new_email: &str,
    expires_at: i64,
) -> Result<String> {
    let raw = crate::server::auth::token::new_token();
    const SQL: &str = "INSERT INTO email_tokens (token_hash, user_id, purpose, expires_at, new_email) \
         VALUES ($1, $2, $3, $4, $5)";
    let hash = crate::server::auth::token::hash(&raw);
    run::execute(
        conn,
        SQL,
        args![&hash, user_id, CHANGE_EMAIL, expires_at, new_email],
    )
    .await?;
    Ok(raw)
}

#[derive(sqlx::FromRow)]
pub struct EmailChange {
    pub user_id: UserId,
    pub new_email: String,
}

/// Uses an email-change token, as [`take`] does: its owner and the address it confirms.
pub async fn take_email_change(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: i64,
) -> Result<Option<EmailChange>> {
    const SQL: &str = "UPDATE email_tokens SET used_at = $1 \
         WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1 \
         AND new_email IS NOT NULL RETURNING user_id, new_email";
    run::fetch_optional(conn, SQL, args![now, token_hash, CHANGE_EMAIL]).await
}
