//! Staff accounts, managed by admins: clinicians (with the profile patients see) and admins;
//! deactivation ends every session of the account at once.

use super::super::audit::{succeeded, On};
use super::super::Person;
use crate::domain::audit::UseCase;
use crate::domain::{validate, Role};
use crate::error::AppError;
use crate::i18n::td_string;
use crate::model::UserId;
use crate::server::auth::password;
use crate::server::db::{sessions, users, Db};
use crate::server::failure::is_unique_violation;

pub use crate::model::StaffForm;

impl StaffForm {
    pub fn parse(self) -> Result<NewStaff, AppError> {
        let role: Role = self.role.parse().map_err(|_| {
            AppError::validation(
                "role",
                td_string!(crate::lang::current(), account_errors.choose_role),
            )
        })?;
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
        return Err(AppError::forbidden(td_string!(
            crate::lang::current(),
            account_errors.admins_only
        )));
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

pub async fn create_staff(db: &Db, caller: &Person, input: NewStaff) -> Result<UserId, AppError> {
    if input.role == Role::Patient {
        return Err(AppError::validation(
            "role",
            td_string!(crate::lang::current(), account_errors.patients_register),
        ));
    }
    let locale = crate::lang::current();
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
                td_string!(locale, account_errors.title_required),
            )),
            checks.check(validate::required_text(
                "specialties",
                &p.specialties,
                200,
                td_string!(locale, account_errors.specialties_required),
            )),
            checks.check(validate::email("contact_email", &p.contact_email)),
            checks.check(validate::required_text(
                "contact_phone",
                &p.contact_phone,
                40,
                td_string!(locale, account_errors.contact_phone_required),
            )),
        )),
        (Role::Clinician, None) => {
            return Err(AppError::validation(
                "title",
                td_string!(locale, account_errors.clinician_profile_needed),
            ))
        }
        _ => None,
    };
    checks.finish().map_err(AppError::Validation)?;
    let (Some(name), Some(email), Some(password)) = (name, email, password) else {
        return Err(AppError::validation(
            "form",
            td_string!(locale, account_errors.fill_every_field),
        ));
    };
    // Admins only: not a path a stranger can flood, so no hashing slot is needed.
    let password_hash = password::hash(password).await?;
    let mut tx = db.begin().await?;
    let new = users::NewUser {
        email: &email,
        name: &name,
        password_hash: &password_hash,
        role: input.role,
        // Staff read English until they choose otherwise with the language switch.
        language: crate::lang::Locale::en,
    };
    let id = match users::insert(&mut tx, &new).await {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::validation(
                "email",
                td_string!(locale, account_errors.email_taken),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    // The admin typed this password: the owner chooses their own at first sign-in.
    users::require_password_change(&mut tx, &id).await?;
    if let Some((Some(title), Some(specialties), Some(contact_email), Some(contact_phone))) = profile {
        let p = users::ClinicianProfile {
            title: &title,
            specialties: &specialties,
            contact_email: &contact_email,
            contact_phone: &contact_phone,
        };
        users::insert_profile(&mut tx, &id, &p).await?;
    }
    succeeded(
        &mut *tx,
        &caller.into(),
        UseCase::CreateAccount,
        On::record(id.as_str()),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Deactivating an account ends all its sessions at once; reactivating lets it sign in again.
pub async fn set_active(db: &Db, caller: &Person, user_id: &UserId, active: bool) -> Result<(), AppError> {
    if *user_id == caller.user.id && !active {
        return Err(AppError::conflict(td_string!(
            crate::lang::current(),
            account_errors.own_deactivation
        )));
    }
    let mut tx = db.begin().await?;
    if users::set_active(&mut tx, user_id, active).await? == 0 {
        return Err(AppError::NotFound);
    }
    if !active {
        sessions::delete_for_user(&mut tx, user_id).await?;
    }
    let action = if active {
        UseCase::ReactivateAccount
    } else {
        UseCase::DeactivateAccount
    };
    succeeded(&mut *tx, &caller.into(), action, On::record(user_id.as_str())).await?;
    tx.commit().await?;
    Ok(())
}
