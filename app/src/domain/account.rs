//! What an account must do before it may do anything else, and who must sign in with a second
//! factor. Staff accounts are created by an admin, who typed their first password: until the
//! owner has chosen their own, the account may only choose one. Admins and clinicians read
//! medical records, so they sign in with a one-time code as well as the password: until they
//! have set one up, that is all they may do.
//! Messages are written in the reader's language via the translation layer.

use super::Role;
use crate::i18n::td_string;
use serde::{Deserialize, Serialize};

/// A step a signed-in person must take before anything else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AccountStep {
    /// The password is the one an admin set when creating the account.
    ChoosePassword,
    /// The role requires two-factor sign-in and none is set up yet.
    EnrolSecondFactor,
}

impl AccountStep {
    /// The page where the step is taken; every other page sends the person there.
    pub fn path(self) -> &'static str {
        match self {
            AccountStep::ChoosePassword => "/account/password",
            AccountStep::EnrolSecondFactor => "/account/two-factor",
        }
    }

    /// Why every other action is refused until the step is taken.
    pub fn reason(self) -> &'static str {
        let locale = crate::lang::current();
        match self {
            AccountStep::ChoosePassword => td_string!(locale, errors.choose_own_password),
            AccountStep::EnrolSecondFactor => td_string!(locale, errors.set_up_second_factor),
        }
    }
}

/// Whether accounts with `role` must sign in with a second factor (for patients it is optional).
pub fn second_factor_required(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Clinician)
}

/// The first step an account must take, if any: its own password first, then its second factor.
pub fn next_step(
    role: Role,
    must_change_password: bool,
    second_factor_enrolled: bool,
) -> Option<AccountStep> {
    if must_change_password {
        Some(AccountStep::ChoosePassword)
    } else if second_factor_required(role) && !second_factor_enrolled {
        Some(AccountStep::EnrolSecondFactor)
    } else {
        None
    }
}

/// A field of an account's profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ProfileField {
    /// The name everyone sees (a clinician's public name).
    Name,
    /// A patient's phone.
    Phone,
    /// A clinician's title ("Dr", "Prof").
    Title,
    /// A clinician's specialties as patients read them (eligibility comes from the pools).
    Specialties,
    /// How a clinician's patients reach them.
    ContactEmail,
    ContactPhone,
}

/// The fields of a `subject` account its editor may change: their own (`own`), or anyone's for an
/// admin. Clinicians change how patients see and reach them, but not the specialties the service
/// lists them under; patients change their name and phone. Nobody else changes anything.
pub fn editable_fields(editor: Role, own: bool, subject: Role) -> &'static [ProfileField] {
    use ProfileField::*;
    match (editor, own, subject) {
        (Role::Admin, _, Role::Clinician) => &[Name, Title, Specialties, ContactEmail, ContactPhone],
        (Role::Admin, _, Role::Patient) | (Role::Patient, true, Role::Patient) => &[Name, Phone],
        (Role::Admin, _, Role::Admin) => &[Name],
        (Role::Clinician, true, Role::Clinician) => &[Name, Title, ContactEmail, ContactPhone],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AccountStep::*;

    #[test]
    fn people_edit_their_own_profile_and_admins_anyones() {
        use ProfileField::*;
        let table: [(Role, bool, Role, &[ProfileField]); 8] = [
            (Role::Patient, true, Role::Patient, &[Name, Phone]),
            (Role::Patient, false, Role::Patient, &[]),
            (Role::Patient, false, Role::Clinician, &[]),
            (
                Role::Clinician,
                true,
                Role::Clinician,
                &[Name, Title, ContactEmail, ContactPhone],
            ),
            (Role::Clinician, false, Role::Clinician, &[]),
            (
                Role::Admin,
                false,
                Role::Clinician,
                &[Name, Title, Specialties, ContactEmail, ContactPhone],
            ),
            (Role::Admin, false, Role::Patient, &[Name, Phone]),
            (Role::Admin, true, Role::Admin, &[Name]),
        ];
        for (editor, own, subject, expected) in table {
            assert_eq!(
                editable_fields(editor, own, subject),
                expected,
                "{editor} {own} {subject}"
            );
        }
    }

    #[test]
    fn accounts_choose_their_password_then_set_up_the_second_factor_their_role_requires() {
        let table = [
            // role, password still the admin's, second factor set up → next step
            (Role::Patient, false, false, None),
            (Role::Patient, false, true, None),
            (Role::Patient, true, false, Some(ChoosePassword)),
            (Role::Clinician, false, true, None),
            (Role::Clinician, false, false, Some(EnrolSecondFactor)),
            (Role::Clinician, true, false, Some(ChoosePassword)),
            (Role::Admin, true, true, Some(ChoosePassword)),
            (Role::Admin, false, false, Some(EnrolSecondFactor)),
            (Role::Admin, false, true, None),
        ];
        for (role, must_change, enrolled, expected) in table {
            assert_eq!(
                next_step(role, must_change, enrolled),
                expected,
                "{role} {must_change} {enrolled}"
            );
        }
    }

    #[test]
    fn every_step_has_its_own_page() {
        assert_eq!(ChoosePassword.path(), "/account/password");
        assert_eq!(EnrolSecondFactor.path(), "/account/two-factor");
    }
}
