//! Server functions, grouped by who calls them. Each one authorizes on the server, calls one
//! service and returns its result; the HTTP status follows the error's variant.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod cases;
pub mod catalog;
pub mod notifications;
pub mod review;
pub mod staffing;

#[cfg(feature = "ssr")]
pub(crate) mod support {
    use crate::error::AppError;
    use crate::model::CurrentUser;
    use crate::server::auth::{self, RequestMeta};
    use crate::server::AppState;
    use leptos::prelude::use_context;
    use std::future::Future;

    /// Runs a server function's body and sets the response status from its error, if any.
    pub async fn respond<T>(body: impl Future<Output = Result<T, AppError>>) -> Result<T, AppError> {
        let result = body.await;
        if let Err(err) = &result {
            if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
                options.set_status(err.status());
            }
        }
        result
    }

    pub fn state() -> Result<AppState, AppError> {
        auth::request::state()
    }

    /// The signed-in caller and where the request came from.
    pub async fn caller() -> Result<(CurrentUser, RequestMeta), AppError> {
        let user = auth::require_user().await?;
        Ok((user, RequestMeta::current().await))
    }

    pub fn set_cookie(value: &str) -> Result<(), AppError> {
        let options = use_context::<leptos_axum::ResponseOptions>()
            .ok_or_else(|| crate::server::failure::internal("context", "ResponseOptions missing"))?;
        let value =
            http::HeaderValue::from_str(value).map_err(|e| crate::server::failure::internal("cookie", e))?;
        options.append_header(http::header::SET_COOKIE, value);
        Ok(())
    }
}
