//! Single-use links sent by email: only each token's SHA-256 is stored, with its purpose, its
//! owner and when it stops working.

use crate::model::UserId;
use sqlx::AnyConnection;

pub const VERIFY_EMAIL: &str = "verify_email";

pub async fn insert(
    conn: &mut AnyConnection,
    token_hash: &str,
    user_id: &UserId,
    purpose: &str,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO email_tokens (token_hash, user_id, purpose, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(purpose)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Uses a token: returns its owner if it exists for `purpose`, is unexpired and unused, and
/// marks it used in the same statement, so two clicks at once cannot both use it.
pub async fn take(
    conn: &mut AnyConnection,
    token_hash: &str,
    purpose: &str,
    now: i64,
) -> Result<Option<UserId>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE email_tokens SET used_at = $1 \
         WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1 \
         RETURNING user_id",
    )
    .bind(now)
    .bind(token_hash)
    .bind(purpose)
    .fetch_optional(conn)
    .await
}
