//! Two-factor sign-in (TOTP): setting it up, the code step of signing in, and taking it away
//! (patients may turn theirs off; admins reset anyone's, for a lost phone). Required for the
//! roles `domain::account::second_factor_required` names.

use super::{prove_password, start_session, tell_and_audit, Anonymous, Client, SignedIn};
use crate::domain::account;
use crate::domain::audit::{Outcome, UseCase};
use crate::error::AppError;
use crate::i18n::td_string;
use crate::model::{SecondFactorEnrolment, SecondFactorStatus, UserId};
use crate::server::auth::{token, totp};
use crate::server::caller::Person;
use crate::server::config::Config;
use crate::server::db::{self, outbox, second_factor, sessions, users, Db};
use crate::server::services::audit::{succeeded, On};
use crate::server::services::throttle::{self, Key};
use sqlx::AnyConnection;

pub use crate::server::services::throttle::CODE_FREE_ATTEMPTS;

/// How long a right password waits for its code.
pub const CHALLENGE_MINUTES: i64 = 5;

fn now_seconds() -> u64 {
    u64::try_from(db::now_ms() / 1000).unwrap_or_default()
}

/// Starts the wait of a sign-in for its code; returns the raw token that names it.
pub(super) async fn open_challenge(conn: &mut AnyConnection, user_id: &UserId) -> Result<String, AppError> {
    let raw = token::new_token();
    let expires = db::now_ms() + CHALLENGE_MINUTES * 60 * 1000;
    second_factor::insert_challenge(conn, &token::hash(&raw), user_id, expires).await?;
    Ok(raw)
}

/// The code step of signing in: `code` from the authenticator app (each accepted once) or one
/// of the account's recovery codes. Codes are throttled per account. Success starts the session.
pub async fn verify_sign_in_code(
    db: &Db,
    config: &Config,
    raw_challenge: &str,
    code: &str,
    client: &Client,
) -> Result<SignedIn, AppError> {
    let expired = || {
        AppError::validation(
            "code",
            td_string!(crate::lang::current(), account_errors.sign_in_expired),
        )
    };
    let challenge = token::hash(raw_challenge.trim());
    let user_id = second_factor::challenge_owner(db.pool(), &challenge, db::now_ms())
        .await?
        .ok_or_else(expired)?;
    let key = Key::Code(user_id.to_string());
    let audit = |outcome| Anonymous::new(Some(&user_id), user_id.as_str(), outcome, &client.ip);
    if !throttle::reserve(db.pool(), &key).await? {
        audit(Outcome::Throttled)
            .record(db.pool(), UseCase::VerifySignInCode)
            .await?;
        return Err(AppError::TooManyRequests);
    }
    let user = users::find_by_id(db.pool(), &user_id)
        .await?
        .filter(|u| u.active == 1)
        .ok_or_else(expired)?;
    let secret = user.totp_secret.clone().ok_or_else(expired)?;
    let mut tx = db.begin().await?;
    let last_step = u64::try_from(user.totp_last_step).unwrap_or_default();
    let outcome = match totp::matching_step(&secret, code, now_seconds(), last_step) {
        Some(step) => {
            let step = i64::try_from(step).unwrap_or(i64::MAX);
            second_factor::claim_step(&mut tx, &user.id, step)
                .await?
                .then_some(Outcome::Ok)
        }
        None => {
            second_factor::use_recovery_code(&mut tx, &user.id, &totp::recovery_code_hash(code), db::now_ms())
                .await?
                .then_some(Outcome::RecoveryCodeUsed)
        }
    };
    let Some(outcome) = outcome else {
        drop(tx);
        audit(Outcome::BadCredentials)
            .record(db.pool(), UseCase::VerifySignInCode)
            .await?;
        return Err(AppError::validation(
            "code",
            td_string!(crate::lang::current(), account_errors.code_wrong_or_used),
        ));
    };
    if !second_factor::delete_challenge(&mut tx, &challenge).await? {
        return Err(expired());
    }
    throttle::clear(&mut *tx, &key).await?;
    let token = start_session(&mut tx, &user.id, config, client).await?;
    audit(outcome).record(&mut *tx, UseCase::VerifySignInCode).await?;
    tx.commit().await?;
    Ok(SignedIn::new(token, user))
}

/// Whether `person` has a second factor, must have one, and how many recovery codes are left.
pub async fn second_factor_status(db: &Db, person: &Person) -> Result<SecondFactorStatus, AppError> {
    let user = users::find_by_id(db.pool(), person.id())
        .await?
        .ok_or(AppError::Unauthenticated)?;
    Ok(SecondFactorStatus {
        enrolled: user.totp_secret.is_some(),
        required: account::second_factor_required(person.user.role),
        recovery_codes_left: second_factor::recovery_codes_left(db.pool(), person.id()).await?,
    })
}

/// Starts setting up a second factor: a new secret, kept pending until a code confirms it.
/// Starting again replaces the pending secret (the QR code shown earlier stops working).
pub async fn start_enrolment(db: &Db, person: &Person) -> Result<SecondFactorEnrolment, AppError> {
    let user = users::find_by_id(db.pool(), person.id())
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if user.totp_secret.is_some() {
        return Err(AppError::conflict(td_string!(
            crate::lang::current(),
            account_errors.two_factor_already_on
        )));
    }
    let secret = totp::new_secret();
    let enrolment = totp::enrolment(&secret, &user.email)
        .ok_or_else(|| crate::server::failure::internal("totp", "enrolment could not be built"))?;
    let mut conn = db.pool().acquire().await?;
    second_factor::set_pending(&mut conn, person.id(), &secret).await?;
    Ok(SecondFactorEnrolment {
        secret: enrolment.secret,
        url: enrolment.url,
        qr_data_url: enrolment.qr_data_url,
    })
}

/// Confirms the pending secret with a code made from it; returns the recovery codes, shown
/// this once (only their hashes are kept).
pub async fn confirm_enrolment(db: &Db, person: &Person, code: &str) -> Result<Vec<String>, AppError> {
    let pending = second_factor::pending(db.pool(), person.id())
        .await?
        .ok_or_else(|| {
            AppError::conflict(td_string!(
                crate::lang::current(),
                account_errors.start_enrolment_again
            ))
        })?;
    let step = totp::matching_step(&pending, code, now_seconds(), 0).ok_or_else(|| {
        AppError::validation(
            "code",
            td_string!(crate::lang::current(), account_errors.code_wrong),
        )
    })?;
    let codes = totp::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| totp::recovery_code_hash(c)).collect();
    let mut tx = db.begin().await?;
    let step = i64::try_from(step).unwrap_or(i64::MAX);
    if !second_factor::confirm(&mut tx, person.id(), &pending, step).await? {
        return Err(AppError::conflict(td_string!(
            crate::lang::current(),
            account_errors.start_enrolment_again
        )));
    }
    second_factor::replace_recovery_codes(&mut tx, person.id(), &hashes).await?;
    // The owner is told in the language their account reads.
    let locale = users::find_by_id(&mut *tx, person.id())
        .await?
        .ok_or(AppError::Unauthenticated)?
        .language();
    let email = (
        td_string!(locale, emails.two_factor_on_subject),
        td_string!(locale, emails.two_factor_on_body),
    );
    tell_and_audit(
        &mut tx,
        person,
        &person.user.email,
        email,
        UseCase::EnrolSecondFactor,
    )
    .await?;
    tx.commit().await?;
    Ok(codes)
}

/// Turns off the second factor of a patient (staff must keep theirs), with their password.
pub async fn turn_off_second_factor(
    db: &Db,
    config: &Config,
    person: &Person,
    current_password: String,
) -> Result<(), AppError> {
    if account::second_factor_required(person.user.role) {
        return Err(AppError::forbidden(td_string!(
            crate::lang::current(),
            account_errors.staff_keep_two_factor
        )));
    }
    let proven = prove_password(db, config, person, current_password).await?;
    let mut tx = db.begin().await?;
    second_factor::clear(&mut tx, person.id()).await?;
    proven.done(&mut tx).await?;
    let locale = proven.user.language();
    let email = (
        td_string!(locale, emails.two_factor_off_subject),
        td_string!(locale, emails.two_factor_off_body),
    );
    tell_and_audit(
        &mut tx,
        person,
        &proven.user.email,
        email,
        UseCase::TurnOffSecondFactor,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An admin removes another account's second factor (a lost phone): its sessions end, and a
/// staff account sets a new one up at its next sign-in. Audited with the account as target.
pub async fn reset_second_factor(db: &Db, admin: &Person, user_id: &UserId) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    let user = users::find_by_id(&mut *tx, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    second_factor::clear(&mut tx, &user.id).await?;
    sessions::delete_for_user(&mut tx, &user.id).await?;
    // In the language of the account reset, not the admin's.
    let locale = user.language();
    outbox::enqueue(
        &mut tx,
        &user.email,
        td_string!(locale, emails.two_factor_reset_subject),
        td_string!(locale, emails.two_factor_reset_body),
        db::now_ms(),
    )
    .await?;
    succeeded(
        &mut *tx,
        &admin.into(),
        UseCase::ResetSecondFactor,
        On::record(user.id.as_str()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
