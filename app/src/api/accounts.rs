//! Account management, for admins only.

#[cfg(feature = "ssr")]
use crate::domain::{audit::UseCase, Role};
use crate::error::AppError;
use crate::model::{StaffForm, UserId, UserSummary};
use leptos::prelude::*;

#[server(endpoint = "list_accounts")]
pub async fn list_accounts() -> Result<Vec<UserSummary>, AppError> {
    let call = super::support::signed_in_as(Role::Admin, UseCase::ListAccounts).await?;
    crate::server::services::accounts::list(&call.state.db, &call.person).await
}

/// Creates a clinician (with the profile patients see) or another admin.
#[server(endpoint = "create_staff")]
pub async fn create_staff(#[server(flatten)] form: StaffForm) -> Result<UserId, AppError> {
    let call = super::support::signed_in_as(Role::Admin, UseCase::CreateStaff).await?;
    crate::server::services::accounts::create_staff(&call.state.db, &call.person, form.parse()?).await
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

/// Removes another account's second factor (a lost phone); its sessions end.
#[server(endpoint = "reset_second_factor")]
pub async fn reset_second_factor(user_id: UserId) -> Result<(), AppError> {
    let call = super::support::signed_in_as(Role::Admin, UseCase::ResetSecondFactor).await?;
    crate::server::services::accounts::reset_second_factor(&call.state.db, &call.person, &user_id).await?;
    call.state.live.announce(user_id.as_str());
    Ok(())
}
