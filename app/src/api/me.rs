//! What signed-in people do to their own account. These also serve someone who still has a step
//! to take first (see `domain::account`): choosing a password is that step, and seeing or
//! ending one's sessions must never wait for it.

use crate::error::AppError;
use crate::model::{Profile, ProfileForm, SecondFactorEnrolment, SecondFactorStatus, SessionSummary};
use leptos::prelude::*;

/// Changes the caller's password; every other session of the account ends.
#[server(endpoint = "change_password")]
pub async fn change_password(current_password: String, new_password: String) -> Result<(), AppError> {
    use super::support::*;
    use crate::server::services::accounts::{self, PasswordChange};
    let Call { state, person } = signed_in_with_steps_left().await?;
    let token = session_token()?.ok_or(AppError::Unauthenticated)?;
    let change = PasswordChange {
        current: current_password,
        new: new_password,
    };
    accounts::change_password(&state.db, &state.config, &person, &token, change).await?;
    // The open event streams of the sessions that ended see it at once.
    state.live.announce(person.id().as_str());
    Ok(())
}

/// The caller's live sessions, most recently used first.
#[server(endpoint = "load_sessions")]
pub async fn load_sessions() -> Result<Vec<SessionSummary>, AppError> {
    use super::support::*;
    let Call { state, person } = signed_in_with_steps_left().await?;
    let token = session_token()?.ok_or(AppError::Unauthenticated)?;
    crate::server::services::accounts::list_sessions(&state.db, &state.config, &person, &token).await
}

/// Signs out one of the caller's sessions (another device, or this one).
#[server(endpoint = "end_session")]
pub async fn end_session(session_id: String) -> Result<(), AppError> {
    use super::support::*;
    let Call { state, person } = signed_in_with_steps_left().await?;
    crate::server::services::accounts::end_session(&state.db, &person, &session_id).await?;
    state.live.announce(person.id().as_str());
    Ok(())
}

/// Signs out every session of the caller, this one included, and goes to the sign-in page.
#[server(endpoint = "end_all_sessions")]
pub async fn end_all_sessions() -> Result<(), AppError> {
    use super::support::*;
    let Call { state, person } = signed_in_with_steps_left().await?;
    crate::server::services::accounts::end_all_sessions(&state.db, &person).await?;
    state.live.announce(person.id().as_str());
    set_cookie(&crate::server::auth::token::clear_cookie(
        state.config.secure_cookies,
    ))?;
    leptos_axum::redirect("/login");
    Ok(())
}

/// Whether the caller has two-factor sign-in, must have it, and their recovery codes left.
#[server(endpoint = "load_second_factor")]
pub async fn load_second_factor() -> Result<SecondFactorStatus, AppError> {
    let call = super::support::signed_in_with_steps_left().await?;
    crate::server::services::accounts::second_factor_status(&call.state.db, &call.person).await
}

/// Starts setting up two-factor sign-in: the secret and its QR code.
#[server(endpoint = "start_second_factor")]
pub async fn start_second_factor() -> Result<SecondFactorEnrolment, AppError> {
    let call = super::support::signed_in_with_steps_left().await?;
    crate::server::services::accounts::start_enrolment(&call.state.db, &call.person).await
}

/// Confirms the setup with a code from the app; answers the recovery codes, shown once.
#[server(endpoint = "confirm_second_factor")]
pub async fn confirm_second_factor(code: String) -> Result<Vec<String>, AppError> {
    let call = super::support::signed_in_with_steps_left().await?;
    crate::server::services::accounts::confirm_enrolment(&call.state.db, &call.person, &code).await
}

/// Turns two-factor sign-in off (patients only; staff must keep it), with the password.
#[server(endpoint = "turn_off_second_factor")]
pub async fn turn_off_second_factor(current_password: String) -> Result<(), AppError> {
    let call = super::support::signed_in().await?;
    crate::server::services::accounts::turn_off_second_factor(
        &call.state.db,
        &call.state.config,
        &call.person,
        current_password,
    )
    .await
}

/// A profile to edit: the caller's own when `user_id` is empty; an admin may name anyone's.
#[server(endpoint = "load_profile")]
pub async fn load_profile(user_id: String) -> Result<Profile, AppError> {
    let call = super::support::signed_in().await?;
    crate::server::services::accounts::load_profile(&call.state.db, &call.person, &user_id).await
}

/// Saves a profile: the fields its sender may change.
#[server(endpoint = "save_profile")]
pub async fn save_profile(#[server(flatten)] form: ProfileForm) -> Result<(), AppError> {
    let call = super::support::signed_in().await?;
    crate::server::services::accounts::save_profile(&call.state.db, &call.person, form).await
}

/// Asks to change the caller's sign-in email: a link goes to the new address.
#[server(endpoint = "request_email_change")]
pub async fn request_email_change(new_email: String, current_password: String) -> Result<(), AppError> {
    let call = super::support::signed_in().await?;
    crate::server::services::accounts::request_email_change(
        &call.state.db,
        &call.state.config,
        &call.person,
        &new_email,
        current_password,
    )
    .await
}

/// Opens the link sent to a new sign-in email (signed in or not).
#[server(endpoint = "confirm_email_change")]
pub async fn confirm_email_change(token: String) -> Result<(), AppError> {
    use super::support::*;
    let state = state()?;
    crate::server::services::accounts::confirm_email_change(&state.db, &token, &client()?).await
}
