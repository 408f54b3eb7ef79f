//! Profiles: people change their own (patients their name and phone; clinicians their public
//! name, title and how patients reach them), admins anyone's. A new sign-in email takes effect
//! only once a link sent to it is opened.

use super::{prove_password, tell_and_audit, Anonymous, Client};
use crate::domain::account::{editable_fields, ProfileField};
use crate::domain::audit::{Outcome, UseCase};
use crate::domain::validate::{self, Checks};
use crate::error::AppError;
use crate::i18n::td_string;
use crate::model::{Profile, ProfileForm, UserId};
use crate::server::auth::token;
use crate::server::caller::Person;
use crate::server::config::Config;
use crate::server::db::{self, email_tokens, outbox, users, Db};
use crate::server::failure::is_unique_violation;
use crate::server::services::audit::{succeeded, On};

/// How long the link confirming a new sign-in email works.
pub const EMAIL_CHANGE_LINK_HOURS: i64 = 24;

/// Whose profile `person` asks for: their own when `user_id` is empty; another's only for an
/// admin (anyone else gets "not found", as for an account that does not exist).
fn subject<'a>(person: &'a Person, user_id: &'a str) -> Result<UserId, AppError> {
    if user_id.is_empty() || user_id == person.id().as_str() {
        return Ok(person.id().clone());
    }
    if person.user.role != crate::domain::Role::Admin {
        return Err(AppError::NotFound);
    }
    Ok(UserId::from(user_id.to_owned()))
}

pub async fn load_profile(db: &Db, person: &Person, user_id: &str) -> Result<Profile, AppError> {
    let id = subject(person, user_id)?;
    let row = users::find_profile(db.pool(), &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let role = row.role.parse().map_err(|_| AppError::NotFound)?;
    let own = row.id == *person.id();
    Ok(Profile {
        editable: editable_fields(person.user.role, own, role).to_vec(),
        user_id: row.id,
        role,
        email: row.email,
        name: row.name,
        phone: row.phone,
        title: row.title.unwrap_or_default(),
        specialties: row.specialties.unwrap_or_default(),
        contact_email: row.contact_email.unwrap_or_default(),
        contact_phone: row.contact_phone.unwrap_or_default(),
    })
}

/// Saves the fields of `form` its sender may change (see `domain::account::editable_fields`);
/// any other field sent keeps its stored value. Every error is shown at once, and none saves
/// anything.
pub async fn save_profile(db: &Db, person: &Person, form: ProfileForm) -> Result<(), AppError> {
    let mut profile = load_profile(db, person, &form.user_id).await?;
    if profile.editable.is_empty() {
        return Err(AppError::NotFound);
    }
    let mut checks = Checks::default();
    for field in profile.editable.clone() {
        match field {
            ProfileField::Name => set(
                &mut checks,
                &mut profile.name,
                validate::person_name("name", &form.name),
            ),
            ProfileField::Phone => set(
                &mut checks,
                &mut profile.phone,
                validate::phone("phone", &form.phone, true),
            ),
            ProfileField::Title => set(
                &mut checks,
                &mut profile.title,
                validate::required_text(
                    "title",
                    &form.title,
                    80,
                    td_string!(crate::lang::current(), account_errors.title_required),
                ),
            ),
            ProfileField::Specialties => set(
                &mut checks,
                &mut profile.specialties,
                validate::required_text(
                    "specialties",
                    &form.specialties,
                    200,
                    td_string!(crate::lang::current(), account_errors.specialties_required),
                ),
            ),
            ProfileField::ContactEmail => set(
                &mut checks,
                &mut profile.contact_email,
                validate::email("contact_email", &form.contact_email),
            ),
            ProfileField::ContactPhone => set(
                &mut checks,
                &mut profile.contact_phone,
                validate::phone("contact_phone", &form.contact_phone, false),
            ),
        }
    }
    checks.finish().map_err(AppError::Validation)?;
    let mut tx = db.begin().await?;
    users::update_name_and_phone(&mut tx, &profile.user_id, &profile.name, &profile.phone).await?;
    if profile.role == crate::domain::Role::Clinician {
        let clinician = users::ClinicianProfile {
            title: &profile.title,
            specialties: &profile.specialties,
            contact_email: &profile.contact_email,
            contact_phone: &profile.contact_phone,
        };
        users::update_profile(&mut tx, &profile.user_id, &clinician).await?;
    }
    let on = On::record(profile.user_id.as_str());
    succeeded(&mut *tx, &person.into(), UseCase::UpdateProfile, on).await?;
    tx.commit().await?;
    Ok(())
}

fn set(checks: &mut Checks, stored: &mut String, checked: Result<String, crate::error::FieldError>) {
    if let Some(value) = checks.check(checked) {
        *stored = value;
    }
}

/// Asks to change the caller's sign-in email, with their password: a link goes to the new
/// address, and the current one is told. The answer is the same whether or not the new address
/// has an account (its owner is told instead), so the form finds out nothing about it.
pub async fn request_email_change(
    db: &Db,
    config: &Config,
    person: &Person,
    new_email: &str,
    current_password: String,
) -> Result<(), AppError> {
    let new_email = validate::email("new_email", new_email).map_err(|e| AppError::Validation(vec![e]))?;
    if new_email == person.user.email {
        return Err(AppError::validation(
            "new_email",
            td_string!(crate::lang::current(), account_errors.same_email),
        ));
    }
    let proven = prove_password(db, config, person, current_password).await?;
    let now = db::now_ms();
    let mut tx = db.begin().await?;
    proven.done(&mut tx).await?;
    // The caller's account reads its emails in its own language, at either address.
    let locale = proven.user.language();
    if let Some(owner) = users::find_by_email(&mut *tx, &new_email).await? {
        // Told in the language of the account that already has the address.
        let locale = owner.language();
        let body = td_string!(locale, emails.address_taken_body, url = &config.public_url);
        let subject = td_string!(locale, emails.address_taken_subject);
        outbox::enqueue(&mut tx, &new_email, subject, &body, now).await?;
    } else {
        let expires = now + EMAIL_CHANGE_LINK_HOURS * 60 * 60 * 1000;
        let raw = email_tokens::issue_email_change(&mut tx, person.id(), &new_email, expires).await?;
        let duration = td_string!(locale, emails.hours, count = EMAIL_CHANGE_LINK_HOURS);
        let body = td_string!(
            locale,
            emails.email_change_body,
            url = &config.public_url,
            token = &raw,
            duration = &duration
        );
        let subject = td_string!(locale, emails.email_change_subject);
        outbox::enqueue(&mut tx, &new_email, subject, &body, now).await?;
    }
    let email = (
        td_string!(locale, emails.email_change_notice_subject),
        td_string!(locale, emails.email_change_notice_body),
    );
    tell_and_audit(
        &mut tx,
        person,
        &proven.user.email,
        email,
        UseCase::RequestEmailChange,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Opens the link sent to a new sign-in email: the account signs in with it from now on. A used,
/// expired or unknown link (or an address taken meanwhile) changes nothing.
pub async fn confirm_email_change(db: &Db, raw_token: &str, client: &Client) -> Result<(), AppError> {
    let invalid = || {
        AppError::validation(
            "token",
            td_string!(crate::lang::current(), account_errors.email_change_link_invalid),
        )
    };
    let mut tx = db.begin().await?;
    let change = email_tokens::take_email_change(&mut tx, &token::hash(raw_token.trim()), db::now_ms())
        .await?
        .ok_or_else(invalid)?;
    let user = users::find_by_id(&mut *tx, &change.user_id)
        .await?
        .ok_or_else(invalid)?;
    match users::set_email(&mut tx, &user.id, &change.new_email).await {
        Ok(()) => {}
        Err(e) if is_unique_violation(&e) => return Err(invalid()),
        Err(e) => return Err(e.into()),
    }
    let locale = user.language();
    let body = td_string!(locale, emails.email_changed_body, address = &change.new_email);
    let subject = td_string!(locale, emails.email_changed_subject);
    outbox::enqueue(&mut tx, &user.email, subject, &body, db::now_ms()).await?;
    Anonymous::new(Some(&user.id), user.id.as_str(), Outcome::Ok, &client.ip)
        .record(&mut *tx, UseCase::ConfirmEmailChange)
        .await?;
    tx.commit().await?;
    Ok(())
}
