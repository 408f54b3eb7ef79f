use crate::error::AppError;
use crate::model::CurrentUser;
use leptos::prelude::*;

/// The signed-in user, or None. Every page asks this; it never fails for a signed-out visitor.
#[server(endpoint = "current_user")]
pub async fn load_current_user() -> Result<Option<CurrentUser>, AppError> {
    super::support::respond(crate::server::auth::current_user()).await
}

/// Signs in and sends the browser to the role's home page.
#[server(endpoint = "login")]
pub async fn login(email: String, password: String) -> Result<(), AppError> {
    use super::support::*;
    use crate::server::auth::{request::session_token, token, RequestMeta};
    use crate::server::services::accounts;
    respond(async move {
        let state = state()?;
        let previous = session_token().await?;
        let meta = RequestMeta::current().await;
        let signed_in = accounts::login(
            &state.db,
            &state.config,
            &email,
            password,
            previous.as_deref(),
            &meta.ip,
        )
        .await?;
        set_cookie(&token::set_cookie(&signed_in.token, state.config.secure_cookies))?;
        leptos_axum::redirect(signed_in.user.role.home_path());
        Ok(())
    })
    .await
}

/// Registers a patient account. Signs nobody in and answers the same for a new address and
/// one that already has an account: the address's inbox gets what comes next.
#[server(endpoint = "register")]
pub async fn register(name: String, email: String, password: String) -> Result<(), AppError> {
    use super::support::*;
    use crate::server::auth::RequestMeta;
    use crate::server::services::accounts::{self, Registration};
    respond(async move {
        let state = state()?;
        let meta = RequestMeta::current().await;
        let registration = Registration {
            name,
            email,
            password,
        };
        accounts::register(&state.db, &state.config, registration, &meta.ip).await
    })
    .await
}

/// Confirms a registration with the token from the emailed link, signs in, and goes home.
#[server(endpoint = "verify_email")]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    use super::support::*;
    use crate::server::auth::{token as session, RequestMeta};
    use crate::server::services::accounts;
    respond(async move {
        let state = state()?;
        let meta = RequestMeta::current().await;
        let signed_in = accounts::verify_email(&state.db, &state.config, &token, &meta.ip).await?;
        set_cookie(&session::set_cookie(
            &signed_in.token,
            state.config.secure_cookies,
        ))?;
        leptos_axum::redirect(signed_in.user.role.home_path());
        Ok(())
    })
    .await
}

/// Ends the session on the server and clears the cookie.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use super::support::*;
    use crate::server::auth::{current_user, request::session_token, token, RequestMeta};
    use crate::server::services::accounts;
    respond(async move {
        let state = state()?;
        if let Some(raw) = session_token().await? {
            let user = current_user().await?;
            let meta = RequestMeta::current().await;
            accounts::logout(&state.db, &raw, user.as_ref(), &meta.ip).await?;
            if let Some(user) = &user {
                // Its open event streams see at once that their session has ended.
                state.live.announce(&user.id);
            }
        }
        set_cookie(&token::clear_cookie(state.config.secure_cookies))?;
        leptos_axum::redirect("/login");
        Ok(())
    })
    .await
}
