//! Server functions, grouped by who calls them. Each one authorizes on the server, calls one
//! service and returns its result; the HTTP status follows the error's variant.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod cases;
pub mod catalog;
pub mod language;
pub mod me;
pub mod notifications;
pub mod review;
pub mod staffing;

/// What every server function starts from: the app's state and, for signed-in callers, the
/// person (the same extractor plain routes use, resolved once per request). A server function
/// is then one call of one service. Errors keep their `AppError`; the router's
/// `server_fn_error_status` layer gives each its HTTP status, and on a rendered page the
/// error note does (`components::feedback::ErrorNote`).
#[cfg(feature = "ssr")]
pub(crate) mod support {
    use crate::domain::Role;
    use crate::error::AppError;
    use crate::server::caller::{self, Person};
    use crate::server::failure::internal;
    use crate::server::AppState;
    use http::request::Parts;
    use leptos::prelude::use_context;

    /// The state and the signed-in person of a server function's request.
    pub struct Call {
        pub state: AppState,
        pub person: Person,
    }

    pub fn state() -> Result<AppState, AppError> {
        use_context::<AppState>().ok_or_else(|| internal("context", "AppState missing"))
    }

    pub fn parts() -> Result<Parts, AppError> {
        use_context::<Parts>().ok_or_else(|| internal("context", "request parts missing"))
    }

    /// The signed-in person, or None; never an error for a signed-out visitor.
    pub async fn person() -> Result<Option<Person>, AppError> {
        Person::of_request(&parts()?, &state()?).await
    }

    /// The call of a signed-in person who has no step left to take first (see
    /// `domain::account`); 401 when nobody is signed in, 403 with the step's reason otherwise.
    pub async fn signed_in() -> Result<Call, AppError> {
        let Call { state, person } = signed_in_with_steps_left().await?;
        Ok(Call {
            state,
            person: person.ready()?,
        })
    }

    /// The call of a signed-in person even if they have a step to take first: only for what
    /// taking it needs (choosing a password, seeing and ending their sessions).
    pub async fn signed_in_with_steps_left() -> Result<Call, AppError> {
        let state = state()?;
        let person = Person::of_request(&parts()?, &state)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        Ok(Call { state, person })
    }

    /// The call of a signed-in person with `role`; 401 or 403, the refusal audited as `action`.
    pub async fn signed_in_as(role: Role, action: crate::domain::audit::UseCase) -> Result<Call, AppError> {
        let Call { state, person } = signed_in().await?;
        let person = caller::require_role(&state, person, role, action).await?;
        Ok(Call { state, person })
    }

    /// The client's address, for calls made before anyone is signed in.
    pub fn client_ip() -> Result<String, AppError> {
        Ok(caller::client_ip(&parts()?, &state()?))
    }

    /// The client's address and user agent, for calls that start a session.
    pub fn client() -> Result<crate::server::services::accounts::Client, AppError> {
        let parts = parts()?;
        let user_agent = parts
            .headers
            .get(http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        Ok(crate::server::services::accounts::Client {
            ip: caller::client_ip(&parts, &state()?),
            user_agent: user_agent.to_owned(),
        })
    }

    /// The raw session token of the request, if any.
    pub fn session_token() -> Result<Option<String>, AppError> {
        Ok(caller::session_cookie(&parts()?, &state()?))
    }

    /// The raw token of a sign-in waiting for its code, if any.
    pub fn challenge_token() -> Result<Option<String>, AppError> {
        Ok(caller::challenge_cookie(&parts()?, &state()?))
    }

    pub fn set_cookie(value: &str) -> Result<(), AppError> {
        let options = use_context::<leptos_axum::ResponseOptions>()
            .ok_or_else(|| internal("context", "ResponseOptions missing"))?;
        let value = http::HeaderValue::from_str(value).map_err(|e| internal("cookie", e))?;
        options.append_header(http::header::SET_COOKIE, value);
        Ok(())
    }
}
