//! "Forgot your password?": a single-use emailed link, valid for [`RESET_LINK_MINUTES`], sets a
//! new password and ends every session of the account. Asking answers the same whether or not
//! the address has an account, and is throttled per address and per client.

use super::{audit_self, Anonymous};
use crate::domain::audit::{Outcome, UseCase};
use crate::domain::validate;
use crate::error::AppError;
use crate::i18n::td_string;
use crate::lang::Locale;
use crate::model::UserId;
use crate::server::auth::{password, token};
use crate::server::config::Config;
use crate::server::db::{self, email_tokens, outbox, sessions, users, Db};
use crate::server::services::throttle::{self, Key};
use sqlx::AnyConnection;

pub use crate::domain::validate::RESET_LINK_MINUTES;
pub use crate::server::services::throttle::{RESET_CLIENT_FREE_REQUESTS, RESET_FREE_REQUESTS};

/// Requests are audited with the address as its keyed reference only, as sign-ins are.
const REQUEST: UseCase = UseCase::RequestPasswordReset;

/// Emails a reset link to the address if it has an active account; otherwise sends nothing.
/// Either way the answer is the same `Ok`, so the form tells nobody which addresses have
/// accounts. Only a malformed address or too many requests are refused.
pub async fn request_password_reset(db: &Db, config: &Config, email: &str, ip: &str) -> Result<(), AppError> {
    let email = validate::email("email", email).map_err(|e| AppError::Validation(vec![e]))?;
    let email_ref = token::email_ref(&config.secret_key, &email);
    let mut allowed = throttle::reserve(db.pool(), &Key::Reset(email_ref.clone())).await?;
    if !ip.is_empty() {
        allowed = allowed && throttle::reserve(db.pool(), &Key::ResetClient(ip.to_owned())).await?;
    }
    let mut tx = db.begin().await?;
    if !allowed {
        Anonymous::new(None, &email_ref, Outcome::Throttled, ip)
            .record(&mut *tx, REQUEST)
            .await?;
        tx.commit().await?;
        return Err(AppError::TooManyRequests);
    }
    let now = db::now_ms();
    let user = users::find_by_email(&mut *tx, &email)
        .await?
        .filter(|u| u.active == 1);
    let outcome = match &user {
        Some(user) => {
            send_reset_link(&mut tx, config, &user.id, &email, user.language(), now).await?;
            Outcome::Ok
        }
        // No account, or a deactivated one: nothing is sent.
        None => Outcome::NoAccount,
    };
    let user_id = user.as_ref().map(|u| &u.id);
    Anonymous::new(user_id, &email_ref, outcome, ip)
        .record(&mut *tx, REQUEST)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a new password with the token of a reset link. Every session of the account ends (a
/// thief signed in with the old password is out), every other reset link of the account stops
/// working, the address counts as confirmed (the link reached it), the account's sign-in
/// throttle starts again, and the owner is told by email. A used, expired or unknown link
/// answers one "not valid" error and changes nothing. Returns whose password it was.
pub async fn reset_password(
    db: &Db,
    config: &Config,
    raw_token: &str,
    new_password: &str,
    ip: &str,
) -> Result<UserId, AppError> {
    let new_password =
        validate::new_password("password", new_password).map_err(|e| AppError::Validation(vec![e]))?;
    let invalid = || {
        AppError::validation(
            "token",
            td_string!(crate::lang::current(), account_errors.reset_link_invalid),
        )
    };
    let password_hash = {
        let _slot = config.hashing.enter().await?;
        password::hash(new_password).await?
    };
    let mut tx = db.begin().await?;
    let now = db::now_ms();
    let token_hash = token::hash(raw_token.trim());
    let user_id = email_tokens::take(&mut tx, &token_hash, email_tokens::RESET_PASSWORD, now)
        .await?
        .ok_or_else(invalid)?;
    let user = users::find_by_id(&mut *tx, &user_id)
        .await?
        .filter(|u| u.active == 1)
        .ok_or_else(invalid)?;
    users::set_password_hash(&mut tx, &user.id, &password_hash).await?;
    users::mark_verified(&mut tx, &user.id).await?;
    email_tokens::use_all(&mut tx, &user.id, email_tokens::RESET_PASSWORD, now).await?;
    sessions::delete_for_user(&mut tx, &user.id).await?;
    let email_ref = token::email_ref(&config.secret_key, &user.email);
    throttle::clear(&mut *tx, &Key::Account(email_ref)).await?;
    let locale = user.language();
    let body = td_string!(locale, emails.password_reset_body, url = &config.public_url);
    let subject = td_string!(locale, emails.password_changed_subject);
    outbox::enqueue(&mut tx, &user.email, subject, &body, now).await?;
    audit_self(&mut tx, &user.id, user.role(), UseCase::ResetPassword, ip).await?;
    tx.commit().await?;
    Ok(user.id)
}

/// The token travels in the link's fragment, which browsers never send to a server: it appears
/// in no request line and no log; the page posts it. Written in `locale`, the account's language.
async fn send_reset_link(
    conn: &mut AnyConnection,
    config: &Config,
    user_id: &UserId,
    email: &str,
    locale: Locale,
    now: i64,
) -> Result<(), AppError> {
    let expires = now + RESET_LINK_MINUTES * 60 * 1000;
    let raw = email_tokens::issue(conn, user_id, email_tokens::RESET_PASSWORD, expires).await?;
    let duration = td_string!(locale, emails.minutes, count = RESET_LINK_MINUTES);
    let body = td_string!(
        locale,
        emails.reset_link_body,
        url = &config.public_url,
        token = &raw,
        duration = &duration
    );
    let subject = td_string!(locale, emails.reset_link_subject);
    outbox::enqueue(conn, email, subject, &body, now).await?;
    Ok(())
}
