//! Patients register themselves: the answer never tells whether an address has an account, and
//! an emailed single-use link confirms the address and signs in.

use super::{audit_self, start_session, Anonymous, Client, SignedIn};
use crate::domain::audit::{Outcome, UseCase};
use crate::domain::validate;
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::td_string;
use crate::lang::Locale;
use crate::model::UserId;
use crate::server::auth::{password, token};
use crate::server::config::Config;
use crate::server::db::{self, email_tokens, outbox, users, Db};
use crate::server::failure::is_unique_violation;
use sqlx::AnyConnection;

/// How long the link in a registration email works.
pub const VERIFY_LINK_HOURS: i64 = 24;

pub struct Registration {
    pub name: String,
    pub email: String,
    pub password: String,
    /// The language the visitor registered in: their emails, from the first one on.
    pub language: crate::lang::Locale,
}

/// Registers a patient. The answer is the same whether or not the address already has an
/// account (no enumeration), and nobody is signed in by it: a new account gets an email with a
/// single-use link that confirms the address and signs in ([`verify_email`]); an existing
/// account's owner gets an email saying someone tried. An unconfirmed address registered again
/// gets a fresh link, and its password stays the one first chosen.
pub async fn register(db: &Db, config: &Config, input: Registration, ip: &str) -> Result<(), AppError> {
    let mut checks = validate::Checks::default();
    let name = checks.check(validate::person_name("name", &input.name));
    let email = checks.check(validate::email("email", &input.email));
    let password = checks.check(validate::new_password("password", &input.password));
    checks.finish().map_err(AppError::Validation)?;
    let (Some(name), Some(email), Some(password)) = (name, email, password) else {
        return Err(AppError::validation(
            "form",
            td_string!(crate::lang::current(), account_errors.fill_every_field),
        ));
    };
    // Hashed whatever follows, so both answers take the same time.
    let password_hash = {
        let _slot = config.hashing.enter().await?;
        password::hash(password).await?
    };
    let mut tx = db.begin().await?;
    let existing = users::find_by_email(&mut *tx, &email).await?;
    let now = db::now_ms();
    match existing {
        None => {
            let new = users::NewUser {
                email: &email,
                name: &name,
                password_hash: &password_hash,
                role: Role::Patient,
                language: input.language,
            };
            let id = match users::insert(&mut tx, &new).await {
                Ok(id) => id,
                // Someone registered the same address a moment ago: answered like any other.
                Err(e) if is_unique_violation(&e) => return Ok(()),
                Err(e) => return Err(e.into()),
            };
            users::mark_unverified(&mut tx, &id).await?;
            send_verification(&mut tx, config, &id, &email, input.language, now).await?;
            audit_self(&mut tx, &id, Role::Patient, UseCase::Register, ip).await?;
        }
        Some(user) if user.email_verified == 0 => {
            send_verification(&mut tx, config, &user.id, &email, user.language(), now).await?;
            audit_registration(&mut tx, user.id.as_str(), Outcome::UnverifiedAgain, ip).await?;
        }
        Some(user) => {
            // In the language of the account's owner, whoever asked.
            let locale = user.language();
            let body = td_string!(locale, emails.existing_account_body, url = &config.public_url);
            let subject = td_string!(locale, emails.existing_account_subject);
            outbox::enqueue(&mut tx, &email, subject, &body, now).await?;
            audit_registration(&mut tx, user.id.as_str(), Outcome::ExistingAccount, ip).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Emails a single-use link that confirms the address and signs in. The token travels in the
/// link's fragment (after `#`), which browsers never send to a server: it appears in no request
/// line and no log; the page posts it. Written in `locale`, the account's language.
async fn send_verification(
    conn: &mut AnyConnection,
    config: &Config,
    user_id: &UserId,
    email: &str,
    locale: Locale,
    now: i64,
) -> Result<(), AppError> {
    let expires = now + VERIFY_LINK_HOURS * 3600 * 1000;
    let raw = email_tokens::issue(conn, user_id, email_tokens::VERIFY_EMAIL, expires).await?;
    let duration = td_string!(locale, emails.hours, count = VERIFY_LINK_HOURS);
    let body = td_string!(
        locale,
        emails.verify_body,
        url = &config.public_url,
        token = &raw,
        duration = &duration
    );
    let subject = td_string!(locale, emails.verify_subject);
    outbox::enqueue(conn, email, subject, &body, now).await?;
    Ok(())
}

async fn audit_registration(
    conn: &mut AnyConnection,
    owner: &str,
    outcome: Outcome,
    ip: &str,
) -> Result<(), AppError> {
    Anonymous::new(None, owner, outcome, ip)
        .record(conn, UseCase::Register)
        .await
}

/// Opens a registration link: confirms the address and signs in. A used, expired or unknown
/// link answers the same "not valid" error and changes nothing.
pub async fn verify_email(
    db: &Db,
    config: &Config,
    raw_token: &str,
    client: &Client,
) -> Result<SignedIn, AppError> {
    let invalid = || {
        AppError::validation(
            "token",
            td_string!(crate::lang::current(), account_errors.verify_link_invalid),
        )
    };
    let mut tx = db.begin().await?;
    let now = db::now_ms();
    let user_id = email_tokens::take(
        &mut tx,
        &token::hash(raw_token.trim()),
        email_tokens::VERIFY_EMAIL,
        now,
    )
    .await?
    .ok_or_else(invalid)?;
    let user = users::find_by_id(&mut *tx, &user_id).await?.ok_or_else(invalid)?;
    if user.active != 1 {
        return Err(invalid());
    }
    users::mark_verified(&mut tx, &user.id).await?;
    let token = start_session(&mut tx, &user.id, config, client).await?;
    audit_self(&mut tx, &user.id, user.role(), UseCase::VerifyEmail, &client.ip).await?;
    tx.commit().await?;
    Ok(SignedIn::new(token, user))
}
