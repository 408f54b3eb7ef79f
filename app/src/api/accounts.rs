//! Account management, for admins only.
// Server functions take one argument per form field, so plain HTML forms work before hydration;
// the staff form has eight. The #[server] macro does not carry an item-level allow through.
#![allow(clippy::too_many_arguments)]

#[cfg(feature = "ssr")]
use crate::domain::{audit::UseCase, Role};
use crate::error::AppError;
use crate::model::UserId;
use crate::model::UserSummary;
use leptos::prelude::*;

#[server(endpoint = "list_accounts")]
pub async fn list_accounts() -> Result<Vec<UserSummary>, AppError> {
    let call = super::support::signed_in_as(Role::Admin, UseCase::ListAccounts).await?;
    crate::server::services::accounts::list(&call.state.db, &call.person).await
}

/// Creates a clinician (with the profile patients see) or another admin.
#[server(endpoint = "create_staff")]
pub async fn create_staff(
    role: String,
    name: String,
    email: String,
    password: String,
    title: Option<String>,
    specialties: Option<String>,
    contact_email: Option<String>,
    contact_phone: Option<String>,
) -> Result<UserId, AppError> {
    use crate::server::services::accounts::{self, StaffForm};
    let call = super::support::signed_in_as(Role::Admin, UseCase::CreateStaff).await?;
    let form = StaffForm {
        role,
        name,
        email,
        password,
        title,
        specialties,
        contact_email,
        contact_phone,
    };
    accounts::create_staff(&call.state.db, &call.person, form.parse()?).await
}

/// Deactivates (ending every session at once) or reactivates an account.
#[server(endpoint = "set_account_active")]
pub async fn set_account_active(user_id: UserId, active: bool) -> Result<(), AppError> {
    let call = super::support::signed_in_as(Role::Admin, UseCase::SetAccountActive).await?;
    crate::server::services::accounts::set_active(&call.state.db, &call.person, &user_id, active).await?;
    // Its open event streams see at once that their session has ended.
    call.state.live.announce(user_id.as_str());
    Ok(())
}
