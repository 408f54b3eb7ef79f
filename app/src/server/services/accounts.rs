//! Registration, sign-in and sign-out, and the admin's management of staff accounts.

use super::audit::{record, On};
use super::{throttle, Person};
use crate::domain::audit::Outcome;
use crate::domain::{validate, Role};
use crate::error::AppError;
use crate::model::CurrentUser;
use crate::server::auth::{password, token};
use crate::server::config::Config;
use crate::server::db::{self, audit, email_tokens, outbox, sessions, users, Db};
use crate::server::failure::is_unique_violation;
use sqlx::AnyConnection;

pub struct Registration {
    pub name: String,
    pub email: String,
    pub password: String,
}

/// A new session: the raw token for the cookie, and who it belongs to.
pub struct SignedIn {
    pub token: String,
    pub user: CurrentUser,
}

/// How long the link in a registration email works.
pub const VERIFY_LINK_HOURS: i64 = 24;

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
        return Err(AppError::validation("form", "Please fill in every field."));
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
            };
            let id = match users::insert(&mut tx, &new).await {
                Ok(id) => id,
                // Someone registered the same address a moment ago: answered like any other.
                Err(e) if is_unique_violation(&e) => return Ok(()),
                Err(e) => return Err(e.into()),
            };
            users::mark_unverified(&mut tx, &id).await?;
            send_verification(&mut tx, config, &id, &email, now).await?;
            audit_self(&mut tx, &id, Role::Patient, "register", ip).await?;
        }
        Some(user) if user.email_verified == 0 => {
            send_verification(&mut tx, config, &user.id, &email, now).await?;
            audit_registration(&mut tx, &user.id, "unverified_again", ip).await?;
        }
        Some(user) => {
            let body = format!(
                "Someone asked to create a Consilium account with this email address, which already \
                 has one.\n\nIf it was you, sign in at {}/login.\nIf it was not you, you can ignore \
                 this email: nothing has changed.\n",
                config.public_url
            );
            outbox::enqueue(&mut tx, &email, "Your Consilium account", &body, now).await?;
            audit_registration(&mut tx, &user.id, "existing_account", ip).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Emails a single-use link that confirms the address and signs in. The token travels in the
/// link's fragment (after `#`), which browsers never send to a server: it appears in no request
/// line and no log; the page posts it.
async fn send_verification(
    conn: &mut AnyConnection,
    config: &Config,
    user_id: &str,
    email: &str,
    now: i64,
) -> Result<(), AppError> {
    let raw = token::new_token();
    let expires = now + VERIFY_LINK_HOURS * 3600 * 1000;
    email_tokens::insert(
        conn,
        &token::hash(&raw),
        user_id,
        email_tokens::VERIFY_EMAIL,
        expires,
    )
    .await?;
    let body = format!(
        "Welcome to Consilium.\n\nOpen this link to confirm your email address and sign in:\n\n\
         {}/verify-email#{raw}\n\nThe link works once, for {VERIFY_LINK_HOURS} hours. If you did not \
         create an account, you can ignore this email.\n",
        config.public_url
    );
    outbox::enqueue(conn, email, "Confirm your email address", &body, now).await?;
    Ok(())
}

async fn audit_registration(
    conn: &mut AnyConnection,
    owner: &str,
    outcome: &str,
    ip: &str,
) -> Result<(), AppError> {
    let entry = audit::Entry {
        user_id: None,
        role: "anonymous",
        action: "register",
        case_id: None,
        target: owner,
        outcome,
        ip,
    };
    audit::record(conn, &entry).await?;
    Ok(())
}

/// Opens a registration link: confirms the address and signs in. A used, expired or unknown
/// link answers the same "not valid" error and changes nothing.
pub async fn verify_email(db: &Db, config: &Config, raw_token: &str, ip: &str) -> Result<SignedIn, AppError> {
    let invalid = || {
        AppError::validation(
            "token",
            "This link is no longer valid. Register again with the same address to get a new one.",
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
    let token = start_session(&mut tx, &user.id, config).await?;
    audit_self(&mut tx, &user.id, user.role(), "verify_email", ip).await?;
    tx.commit().await?;
    let role = user.role();
    Ok(SignedIn {
        token,
        user: CurrentUser {
            id: user.id,
            name: user.name,
            email: user.email,
            role,
        },
    })
}

/// Signs in. `previous_token` is the session the browser had, if any: it is ended, so the
/// session id always changes at sign-in (no fixation).
///
/// The attempt is reserved against the account's and the client address's allowance before
/// the password is checked (see [`throttle`]), and the check itself waits for a hashing slot.
pub async fn login(
    db: &Db,
    config: &Config,
    email: &str,
    password: String,
    previous_token: Option<&str>,
    ip: &str,
) -> Result<SignedIn, AppError> {
    let email = email.trim().to_lowercase();
    let email_ref = token::email_ref(&config.secret_key, &email);
    let account = throttle::Key::Account(email_ref.clone());
    let client = (!ip.is_empty()).then(|| throttle::Key::Client(ip.to_owned()));
    let mut allowed = throttle::reserve(db.pool(), &account).await?;
    if let Some(client) = &client {
        allowed = allowed && throttle::reserve(db.pool(), client).await?;
    }
    if !allowed {
        log_sign_in(db, None, &email_ref, "throttled", ip).await?;
        return Err(AppError::TooManyRequests);
    }
    // Refused attempts above never wait for a slot: only those that get checked do.
    let _slot = config.hashing.enter().await?;
    let user = users::find_by_email(db.pool(), &email).await?;
    let matches = password::verify(password, user.as_ref().map(|u| u.password_hash.clone())).await?;
    let user = match user {
        Some(u) if matches => u,
        _ => {
            log_sign_in(db, None, &email_ref, "bad_credentials", ip).await?;
            return Err(AppError::BadCredentials);
        }
    };
    if user.email_verified == 0 {
        // Answered like a wrong password: otherwise registering an address and signing in
        // with the password just chosen would tell whether the address had an account.
        log_sign_in(db, Some(&user.id), &email_ref, "unverified", ip).await?;
        return Err(AppError::BadCredentials);
    }
    if user.active != 1 {
        log_sign_in(db, Some(&user.id), &email_ref, "deactivated", ip).await?;
        return Err(AppError::forbidden(
            "This account has been deactivated. Please contact the service.",
        ));
    }
    let mut tx = db.begin().await?;
    if let Some(previous) = previous_token {
        sessions::delete(&mut *tx, &token::hash(previous)).await?;
    }
    throttle::clear(&mut *tx, &account).await?;
    if let Some(client) = &client {
        throttle::give_back(&mut *tx, client).await?;
    }
    let token = start_session(&mut tx, &user.id, config).await?;
    audit_self(&mut tx, &user.id, user.role(), "login", ip).await?;
    tx.commit().await?;
    let role = user.role();
    Ok(SignedIn {
        token,
        user: CurrentUser {
            id: user.id,
            name: user.name,
            email: user.email,
            role,
        },
    })
}

/// Ends the session on the server: the old cookie no longer works anywhere.
pub async fn logout(db: &Db, raw_token: &str, user: Option<&CurrentUser>, ip: &str) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    sessions::delete(&mut *tx, &token::hash(raw_token)).await?;
    if let Some(user) = user {
        audit_self(&mut tx, &user.id, user.role, "logout", ip).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn start_session(conn: &mut AnyConnection, user_id: &str, config: &Config) -> Result<String, AppError> {
    let token = token::new_token();
    let now = db::now_ms();
    let absolute = i64::try_from(config.session_absolute.as_millis()).unwrap_or(i64::MAX);
    sessions::insert(
        conn,
        &token::hash(&token),
        user_id,
        now,
        now.saturating_add(absolute),
    )
    .await?;
    Ok(token)
}

async fn audit_self(
    conn: &mut AnyConnection,
    user_id: &str,
    role: Role,
    action: &str,
    ip: &str,
) -> Result<(), AppError> {
    let entry = audit::Entry {
        user_id: Some(user_id),
        role: role.as_str(),
        action,
        case_id: None,
        target: user_id,
        outcome: "ok",
        ip,
    };
    audit::record(conn, &entry).await?;
    Ok(())
}

/// Failed and refused sign-ins are audited outside any transaction: they change nothing else.
/// The email is kept only as its keyed reference ([`token::email_ref`]): enough to correlate
/// attempts on one account, and no guessed address can be confirmed against the log.
async fn log_sign_in(
    db: &Db,
    user_id: Option<&str>,
    email_ref: &str,
    outcome: &str,
    ip: &str,
) -> Result<(), AppError> {
    let entry = audit::Entry {
        user_id,
        role: "anonymous",
        action: "login",
        case_id: None,
        target: email_ref,
        outcome,
        ip,
    };
    audit::record(db.pool(), &entry).await?;
    Ok(())
}

/// The staff form as sent: the role by name, the profile fields only for clinicians.
pub struct StaffForm {
    pub role: String,
    pub name: String,
    pub email: String,
    pub password: String,
    pub title: Option<String>,
    pub specialties: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
}

impl StaffForm {
    pub fn parse(self) -> Result<NewStaff, AppError> {
        let role: Role = self
            .role
            .parse()
            .map_err(|_| AppError::validation("role", "Choose clinician or admin."))?;
        let profile = (role == Role::Clinician).then(|| ProfileInput {
            title: self.title.unwrap_or_default(),
            specialties: self.specialties.unwrap_or_default(),
            contact_email: self.contact_email.unwrap_or_default(),
            contact_phone: self.contact_phone.unwrap_or_default(),
        });
        Ok(NewStaff {
            role,
            name: self.name,
            email: self.email,
            password: self.password,
            profile,
        })
    }
}

/// Every account, for the admins' staff list.
pub async fn list(db: &Db, caller: &Person) -> Result<Vec<crate::model::UserSummary>, AppError> {
    if caller.user.role != Role::Admin {
        return Err(AppError::forbidden("Only admins manage accounts."));
    }
    Ok(users::list(db.pool()).await?)
}

/// What an admin enters for a new staff account.
pub struct NewStaff {
    pub role: Role,
    pub name: String,
    pub email: String,
    pub password: String,
    /// Required for clinicians, ignored for admins.
    pub profile: Option<ProfileInput>,
}

pub struct ProfileInput {
    pub title: String,
    pub specialties: String,
    pub contact_email: String,
    pub contact_phone: String,
}

pub async fn create_staff(db: &Db, caller: &Person, input: NewStaff) -> Result<String, AppError> {
    if input.role == Role::Patient {
        return Err(AppError::validation("role", "Patients register themselves."));
    }
    let mut checks = validate::Checks::default();
    let name = checks.check(validate::person_name("name", &input.name));
    let email = checks.check(validate::email("email", &input.email));
    let password = checks.check(validate::new_password("password", &input.password));
    let profile = match (input.role, &input.profile) {
        (Role::Clinician, Some(p)) => Some((
            checks.check(validate::required_text(
                "title",
                &p.title,
                80,
                "Enter a title, such as Dr or Prof.",
            )),
            checks.check(validate::required_text(
                "specialties",
                &p.specialties,
                200,
                "Enter at least one specialty.",
            )),
            checks.check(validate::email("contact_email", &p.contact_email)),
            checks.check(validate::required_text(
                "contact_phone",
                &p.contact_phone,
                40,
                "Enter a phone number patients can call.",
            )),
        )),
        (Role::Clinician, None) => return Err(AppError::validation("title", "Clinicians need a profile.")),
        _ => None,
    };
    checks.finish().map_err(AppError::Validation)?;
    let (Some(name), Some(email), Some(password)) = (name, email, password) else {
        return Err(AppError::validation("form", "Please fill in every field."));
    };
    // Admins only: not a path a stranger can flood, so no hashing slot is needed.
    let password_hash = password::hash(password).await?;
    let mut tx = db.begin().await?;
    let new = users::NewUser {
        email: &email,
        name: &name,
        password_hash: &password_hash,
        role: input.role,
    };
    let id = match users::insert(&mut tx, &new).await {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::validation(
                "email",
                "An account with this email already exists.",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    if let Some((Some(title), Some(specialties), Some(contact_email), Some(contact_phone))) = profile {
        let p = users::ClinicianProfile {
            title: &title,
            specialties: &specialties,
            contact_email: &contact_email,
            contact_phone: &contact_phone,
        };
        users::insert_profile(&mut tx, &id, &p).await?;
    }
    record(
        &mut *tx,
        &caller.into(),
        "create_account",
        On::record(&id),
        Outcome::Ok,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Deactivating an account ends all its sessions at once; reactivating lets it sign in again.
pub async fn set_active(db: &Db, caller: &Person, user_id: &str, active: bool) -> Result<(), AppError> {
    if user_id == caller.user.id && !active {
        return Err(AppError::conflict("You cannot deactivate your own account."));
    }
    let mut tx = db.begin().await?;
    if users::set_active(&mut tx, user_id, active).await? == 0 {
        return Err(AppError::NotFound);
    }
    if !active {
        sessions::delete_for_user(&mut tx, user_id).await?;
    }
    let action = if active {
        "reactivate_account"
    } else {
        "deactivate_account"
    };
    record(&mut *tx, &caller.into(), action, On::record(user_id), Outcome::Ok).await?;
    tx.commit().await?;
    Ok(())
}
