//! The one error type every server function returns. It crosses the wire as JSON, so the browser
//! receives the same typed value the server produced, and each variant has its HTTP status.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

/// A problem with one input field, shown next to that field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please sign in to continue.")]
    Unauthenticated,
    /// The same answer for an unknown email and a wrong password (quality A4).
    #[error("The email or password is not right.")]
    BadCredentials,
    #[error("{0}")]
    Forbidden(String),
    /// Also the answer for things that exist but the user may not see: no existence leak.
    #[error("Not found.")]
    NotFound,
    #[error("Please correct the highlighted fields.")]
    Validation(Vec<FieldError>),
    #[error("{0}")]
    Conflict(String),
    /// An upload over a size limit (HTTP 413).
    #[error("{0}")]
    TooLarge(String),
    /// An upload whose content is not an accepted type (HTTP 415).
    #[error("{0}")]
    UnsupportedType(String),
    #[error("Too many attempts. Please wait a few minutes and try again.")]
    TooManyRequests,
    /// Too many requests doing expensive work at once (HTTP 503); nothing was changed.
    #[error("The service is busy right now. Please try again in a moment.")]
    Busy,
    /// Where documents and reports are kept did not answer (HTTP 503); nothing was changed.
    #[error("Documents cannot be stored or read right now. Nothing was changed; please try again in a few minutes.")]
    StorageUnavailable,
    /// The payment provider did not answer in time or said it could not (HTTP 503); nothing was
    /// changed, and asking again is safe (the same idempotency key).
    #[error("The payment provider did not answer. Nothing was changed; please try again in a minute.")]
    PaymentProviderUnavailable,
    /// Details are in the server log under `ref_id`; the client sees only the id.
    #[error("Something went wrong on our side (reference {ref_id}).")]
    Internal { ref_id: String },
    /// The request never produced an answer from our code (network down, bad encoding).
    #[error("Could not reach the server: {0}")]
    Transport(String),
}

impl AppError {
    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError::new(field, message)])
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        AppError::Forbidden(message.into())
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        AppError::Conflict(message.into())
    }

    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode as S;
        match self {
            AppError::Unauthenticated | AppError::BadCredentials => S::UNAUTHORIZED,
            AppError::Forbidden(_) => S::FORBIDDEN,
            AppError::NotFound => S::NOT_FOUND,
            AppError::Validation(_) => S::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => S::CONFLICT,
            AppError::TooManyRequests => S::TOO_MANY_REQUESTS,
            AppError::Busy | AppError::StorageUnavailable | AppError::PaymentProviderUnavailable => {
                S::SERVICE_UNAVAILABLE
            }
            AppError::TooLarge(_) => S::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedType(_) => S::UNSUPPORTED_MEDIA_TYPE,
            AppError::Internal { .. } => S::INTERNAL_SERVER_ERROR,
            AppError::Transport(_) => S::BAD_GATEWAY,
        }
    }

    /// The message for one field, if this is a validation error that names it.
    pub fn field(&self, name: &str) -> Option<String> {
        match self {
            AppError::Validation(errors) => {
                errors.iter().find(|e| e.field == name).map(|e| e.message.clone())
            }
            _ => None,
        }
    }
}

impl From<crate::domain::Refusal> for AppError {
    fn from(refusal: crate::domain::Refusal) -> Self {
        match refusal {
            crate::domain::Refusal::NotPermitted(m) => AppError::Forbidden(m),
            crate::domain::Refusal::InvalidState(m) => AppError::Conflict(m),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::MissingArg(m) => {
                AppError::validation("request", format!("The request was malformed: {m}"))
            }
            // axum's body limit surfaces only as this message (its `LengthLimitError`).
            other if other.to_string().contains("length limit exceeded") => {
                AppError::TooLarge("The request is too large.".to_owned())
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}
