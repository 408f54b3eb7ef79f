//! Signing in and out, registering and confirming an address. These run before anyone is
//! signed in, so they take the client's address instead of a signed-in person.

use crate::error::AppError;
use crate::model::CurrentUser;
use leptos::prelude::*;

/// The signed-in user, or None. Every page asks this; it never fails for a signed-out visitor.
#[server(endpoint = "load_current_user")]
pub async fn load_current_user() -> Result<Option<CurrentUser>, AppError> {
    Ok(super::support::person().await?.map(|p| p.user))
}

/// Signs in and sends the browser to the role's home page, or, for an account with a second
/// factor, to the page that asks for the code.
#[server(endpoint = "login")]
pub async fn login(email: String, password: String) -> Result<(), AppError> {
    use super::support::*;
    use crate::server::auth::token;
    use crate::server::services::accounts::{self, SignIn, CHALLENGE_MINUTES};
    let state = state()?;
    let previous = session_token()?;
    let client = client()?;
    let signed_in = accounts::login(
        &state.db,
        &state.config,
        &email,
        password,
        previous.as_deref(),
        &client,
    )
    .await?;
    match signed_in {
        SignIn::Session(signed_in) => start_session(&state, &signed_in),
        SignIn::CodeNeeded { challenge } => {
            let secure = state.config.secure_cookies;
            set_cookie(&token::set_challenge_cookie(
                &challenge,
                secure,
                CHALLENGE_MINUTES,
            ))?;
            if previous.is_some() {
                // The session the browser had ended at sign-in.
                set_cookie(&token::clear_cookie(secure))?;
            }
            leptos_axum::redirect("/login/code");
            Ok(())
        }
    }
}

/// The second step of signing in: the code from the authenticator app, or a recovery code.
#[server(endpoint = "verify_sign_in_code")]
pub async fn verify_sign_in_code(code: String) -> Result<(), AppError> {
    use super::support::*;
    let state = state()?;
    let expired = || {
        AppError::validation(
            "code",
            crate::i18n::td_string!(crate::lang::current(), errors.sign_in_expired),
        )
    };
    let challenge = challenge_token()?.ok_or_else(expired)?;
    let signed_in = crate::server::services::accounts::verify_sign_in_code(
        &state.db,
        &state.config,
        &challenge,
        &code,
        &client()?,
    )
    .await?;
    set_cookie(&crate::server::auth::token::clear_challenge_cookie(
        state.config.secure_cookies,
    ))?;
    start_session(&state, &signed_in)
}

/// Registers a patient account. Signs nobody in and answers the same for a new address and
/// one that already has an account: the address's inbox gets what comes next.
#[server(endpoint = "register")]
pub async fn register(name: String, email: String, password: String) -> Result<(), AppError> {
    use crate::server::services::accounts::{self, Registration};
    let state = super::support::state()?;
    let registration = Registration {
        name,
        email,
        password,
        language: crate::lang::choice::of_request(&super::support::parts()?),
    };
    accounts::register(
        &state.db,
        &state.config,
        registration,
        &super::support::client_ip()?,
    )
    .await
}

/// Confirms a registration with the token from the emailed link, signs in, and goes home.
#[server(endpoint = "verify_email")]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    use super::support::*;
    let state = state()?;
    let signed_in =
        crate::server::services::accounts::verify_email(&state.db, &state.config, &token, &client()?).await?;
    start_session(&state, &signed_in)
}

/// "Forgot your password?": emails a reset link if the address has an account; answers the
/// same either way.
#[server(endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    use super::support::*;
    let state = state()?;
    let ip = client_ip()?;
    crate::server::services::accounts::request_password_reset(&state.db, &state.config, &email, &ip).await
}

/// Sets a new password with the token from the emailed link; every session of the account ends.
#[server(endpoint = "reset_password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    use super::support::*;
    let state = state()?;
    let ip = client_ip()?;
    let user_id =
        crate::server::services::accounts::reset_password(&state.db, &state.config, &token, &password, &ip)
            .await?;
    // Its open event streams see at once that their sessions have ended.
    state.live.announce(user_id.as_str());
    Ok(())
}

/// Ends the session on the server and clears the cookie.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use super::support::*;
    let state = state()?;
    if let Some(raw) = session_token()? {
        let user = person().await?.map(|p| p.user);
        crate::server::services::accounts::logout(&state.db, &raw, user.as_ref(), &client_ip()?).await?;
        if let Some(user) = &user {
            // Its open event streams see at once that their session has ended.
            state.live.announce(user.id.as_str());
        }
    }
    set_cookie(&crate::server::auth::token::clear_cookie(
        state.config.secure_cookies,
    ))?;
    leptos_axum::redirect("/login");
    Ok(())
}

/// Sets the new session's cookie and sends the browser to the role's home page.
#[cfg(feature = "ssr")]
fn start_session(
    state: &crate::server::AppState,
    signed_in: &crate::server::services::accounts::SignedIn,
) -> Result<(), AppError> {
    let secure = state.config.secure_cookies;
    let cookie = crate::server::auth::token::set_cookie(&signed_in.token, secure);
    super::support::set_cookie(&cookie)?;
    // The account's language follows the person to every browser they sign in on.
    super::support::set_cookie(&crate::lang::choice::set_cookie(signed_in.language, secure))?;
    leptos_axum::redirect(signed_in.user.role.home_path());
    Ok(())
}
