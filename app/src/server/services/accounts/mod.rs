//! Registration, sign-in and sign-out, and the admin's management of staff accounts.

mod language;
mod own;
mod profile;
mod recovery;
mod registration;
mod second_factor;
mod staff;

pub use super::throttle::ACCOUNT_FREE_ATTEMPTS;
pub use language::choose_language;
pub use own::{change_password, end_all_sessions, end_session, list_sessions, PasswordChange};
pub use profile::{
    confirm_email_change, load_profile, request_email_change, save_profile, EMAIL_CHANGE_LINK_HOURS,
};
pub use recovery::{
    request_password_reset, reset_password, RESET_CLIENT_FREE_REQUESTS, RESET_FREE_REQUESTS,
    RESET_LINK_MINUTES,
};
pub use registration::{register, verify_email, Registration, VERIFY_LINK_HOURS};
pub use second_factor::{
    confirm_enrolment, reset_second_factor, second_factor_status, start_enrolment, turn_off_second_factor,
    verify_sign_in_code, CHALLENGE_MINUTES, CODE_FREE_ATTEMPTS,
};
pub use staff::{create_staff, list, set_active, NewStaff, ProfileInput, StaffForm};

use super::throttle;
use crate::domain::audit::{Outcome, UseCase};
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::td_string;
use crate::model::CurrentUser;
use crate::model::UserId;
use crate::server::auth::{password, token};
use crate::server::caller::Person;
use crate::server::config::Config;
use crate::server::db::{self, audit, outbox, sessions, users, Db, Executes};
use sqlx::AnyConnection;

/// The other end of a request made before anyone is signed in: its address (for the throttle
/// and the audit log) and its browser's user agent (so the sessions page can name the device).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Client {
    pub ip: String,
    pub user_agent: String,
}

impl Client {
    /// A client known by its address alone.
    pub fn at(ip: &str) -> Client {
        Client {
            ip: ip.to_owned(),
            user_agent: String::new(),
        }
    }
}

/// A new session: the raw token for the cookie, and who it belongs to.
pub struct SignedIn {
    pub token: String,
    pub user: CurrentUser,
    pub language: crate::lang::Locale,
}

impl SignedIn {
    fn new(token: String, user: users::UserRow) -> SignedIn {
        SignedIn {
            token,
            language: user.language(),
            user: user.into_current(),
        }
    }
}

/// Shows who signed in, never the session token (it would let a log reader act as them).
impl std::fmt::Debug for SignedIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedIn")
            .field("token", &"<redacted>")
            .field("user", &self.user)
            .finish()
    }
}

/// What a right password leads to.
pub enum SignIn {
    /// Signed in: the new session.
    Session(SignedIn),
    /// The account signs in with a second factor: a code from the authenticator app comes
    /// next. `challenge` is the raw token naming this wait (the browser keeps it in a
    /// short-lived cookie; only its hash is stored).
    CodeNeeded { challenge: String },
}

impl SignIn {
    /// The session, if no code is needed.
    pub fn session(self) -> Option<SignedIn> {
        match self {
            SignIn::Session(signed_in) => Some(signed_in),
            SignIn::CodeNeeded { .. } => None,
        }
    }
}

/// Shows what the sign-in led to, never a token.
impl std::fmt::Debug for SignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SignIn::Session(signed_in) => f.debug_tuple("Session").field(signed_in).finish(),
            SignIn::CodeNeeded { .. } => f.write_str("CodeNeeded { challenge: <redacted> }"),
        }
    }
}

/// Signs in. `previous_token` is the session the browser had, if any: it is ended, so the
/// session id always changes at sign-in (no fixation). An account with a second factor gets no
/// session yet: the code comes next ([`verify_sign_in_code`]).
///
/// The attempt is reserved against the account's and the client address's allowance before
/// the password is checked (see [`throttle`]), and the check itself waits for a hashing slot.
pub async fn login(
    db: &Db,
    config: &Config,
    email: &str,
    password: String,
    previous_token: Option<&str>,
    client: &Client,
) -> Result<SignIn, AppError> {
    let ip = client.ip.as_str();
    let email = email.trim().to_lowercase();
    let email_ref = token::email_ref(&config.secret_key, &email);
    let account = throttle::Key::Account(email_ref.clone());
    let client_key = (!ip.is_empty()).then(|| throttle::Key::Client(ip.to_owned()));
    let mut allowed = throttle::reserve(db.pool(), &account).await?;
    if let Some(key) = &client_key {
        allowed = allowed && throttle::reserve(db.pool(), key).await?;
    }
    if !allowed {
        log_sign_in(db, None, &email_ref, Outcome::Throttled, ip).await?;
        return Err(AppError::TooManyRequests);
    }
    // Refused attempts above never wait for a slot: only those that get checked do.
    let _slot = config.hashing.enter().await?;
    let user = users::find_by_email(db.pool(), &email).await?;
    let matches = password::verify(password, user.as_ref().map(|u| u.password_hash.clone())).await?;
    let user = match user {
        Some(u) if matches => u,
        _ => {
            log_sign_in(db, None, &email_ref, Outcome::BadCredentials, ip).await?;
            return Err(AppError::BadCredentials);
        }
    };
    if user.email_verified == 0 {
        // Answered like a wrong password: otherwise registering an address and signing in
        // with the password just chosen would tell whether the address had an account.
        log_sign_in(db, Some(&user.id), &email_ref, Outcome::Unverified, ip).await?;
        return Err(AppError::BadCredentials);
    }
    if user.active != 1 {
        log_sign_in(db, Some(&user.id), &email_ref, Outcome::Deactivated, ip).await?;
        return Err(AppError::forbidden(td_string!(
            crate::lang::current(),
            account_errors.deactivated
        )));
    }
    let mut tx = db.begin().await?;
    if let Some(previous) = previous_token {
        sessions::delete(&mut *tx, &token::hash(previous)).await?;
    }
    throttle::clear(&mut *tx, &account).await?;
    if let Some(key) = &client_key {
        throttle::give_back(&mut *tx, key).await?;
    }
    if user.totp_secret.is_some() {
        let challenge = second_factor::open_challenge(&mut tx, &user.id).await?;
        Anonymous::new(Some(&user.id), &email_ref, Outcome::CodeNeeded, ip)
            .record(&mut *tx, UseCase::Login)
            .await?;
        tx.commit().await?;
        return Ok(SignIn::CodeNeeded { challenge });
    }
    let token = start_session(&mut tx, &user.id, config, client).await?;
    audit_self(&mut tx, &user.id, user.role(), UseCase::Login, ip).await?;
    tx.commit().await?;
    Ok(SignIn::Session(SignedIn::new(token, user)))
}

/// Ends the session on the server: the old cookie no longer works anywhere.
pub async fn logout(db: &Db, raw_token: &str, user: Option<&CurrentUser>, ip: &str) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    sessions::delete(&mut *tx, &token::hash(raw_token)).await?;
    if let Some(user) = user {
        audit_self(&mut tx, &user.id, user.role, UseCase::Logout, ip).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub(super) async fn start_session(
    conn: &mut AnyConnection,
    user_id: &UserId,
    config: &Config,
    client: &Client,
) -> Result<String, AppError> {
    let token = token::new_token();
    let now = db::now_ms();
    let absolute = i64::try_from(config.session_absolute.as_millis()).unwrap_or(i64::MAX);
    // Kept short: it is shown, never parsed, and a client chooses what it sends.
    let user_agent: String = client.user_agent.chars().take(300).collect();
    let origin = sessions::Origin {
        user_agent: &user_agent,
        ip: &client.ip,
    };
    sessions::insert(
        conn,
        &token::hash(&token),
        user_id,
        &origin,
        now,
        now.saturating_add(absolute),
    )
    .await?;
    Ok(token)
}

pub(super) async fn audit_self(
    conn: &mut AnyConnection,
    user_id: &UserId,
    role: Role,
    action: UseCase,
    ip: &str,
) -> Result<(), AppError> {
    let entry = audit::Entry {
        user_id: Some(user_id),
        role: role.as_str(),
        action: action.into(),
        case_id: None,
        target: user_id.as_str(),
        outcome: Outcome::Ok,
        ip,
    };
    audit::record(conn, &entry).await?;
    Ok(())
}

/// A signed-in person who proved it is them with their password, before a sensitive change.
pub(super) struct Proven {
    pub user: users::UserRow,
    account: throttle::Key,
}

impl Proven {
    /// In the change's transaction: the account's sign-in throttle starts again.
    pub async fn done(&self, conn: &mut AnyConnection) -> Result<(), AppError> {
        throttle::clear(conn, &self.account).await?;
        Ok(())
    }
}

/// Checks `password` against `person`'s. The attempt counts against the account's sign-in
/// throttle, so a stolen session cannot be used to guess the password; a wrong one is a
/// `current_password` field error.
pub(super) async fn prove_password(
    db: &Db,
    config: &Config,
    person: &Person,
    password: String,
) -> Result<Proven, AppError> {
    let account = throttle::Key::Account(token::email_ref(&config.secret_key, &person.user.email));
    if !throttle::reserve(db.pool(), &account).await? {
        return Err(AppError::TooManyRequests);
    }
    let user = users::find_by_id(db.pool(), person.id())
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let matches = {
        let _slot = config.hashing.enter().await?;
        password::verify(password, Some(user.password_hash.clone())).await?
    };
    if !matches {
        return Err(AppError::validation(
            "current_password",
            td_string!(crate::lang::current(), account_errors.not_current_password),
        ));
    }
    Ok(Proven { user, account })
}

/// What every change to one's own account ends with: its owner told by email at `to`, and the
/// change audited under `action`.
pub(super) async fn tell_and_audit(
    conn: &mut AnyConnection,
    person: &Person,
    to: &str,
    (subject, body): (&str, &str),
    action: UseCase,
) -> Result<(), AppError> {
    outbox::enqueue(&mut *conn, to, subject, body, db::now_ms()).await?;
    audit_self(conn, person.id(), person.user.role, action, &person.ip).await
}

/// Failed and refused sign-ins are audited outside any transaction: they change nothing else.
/// The email is kept only as its keyed reference ([`token::email_ref`]): enough to correlate
/// attempts on one account, and no guessed address can be confirmed against the log.
async fn log_sign_in(
    db: &Db,
    user_id: Option<&UserId>,
    email_ref: &str,
    outcome: Outcome,
    ip: &str,
) -> Result<(), AppError> {
    Anonymous::new(user_id, email_ref, outcome, ip)
        .record(db.pool(), UseCase::Login)
        .await
}

/// An audit entry for someone not signed in (signing in, registering, asking for a reset):
/// the account concerned if known, and a target that names no address in clear.
pub(super) struct Anonymous<'a> {
    pub user_id: Option<&'a UserId>,
    pub target: &'a str,
    pub outcome: Outcome,
    pub ip: &'a str,
}

impl<'a> Anonymous<'a> {
    pub fn new(user_id: Option<&'a UserId>, target: &'a str, outcome: Outcome, ip: &'a str) -> Self {
        Anonymous {
            user_id,
            target,
            outcome,
            ip,
        }
    }

    pub async fn record<'e>(&self, ex: impl Executes<'e>, action: UseCase) -> Result<(), AppError> {
        let entry = audit::Entry {
            user_id: self.user_id,
            role: "anonymous",
            action: action.into(),
            case_id: None,
            target: self.target,
            outcome: self.outcome,
            ip: self.ip,
        };
        audit::record(ex, &entry).await?;
        Ok(())
    }
}
