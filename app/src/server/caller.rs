//! Who acts. A [`Caller`] mirrors `domain::Actor`: a signed-in [`Person`] (with the address the
//! request came from), the payment provider (with the id of the event it sent), or the system's
//! scheduler. Every use case, the case-action frame and the audit log take one.
//!
//! [`Person`] is also the one extractor for the signed-in caller: plain routes take it as an
//! axum extractor, server functions through `api::support::signed_in`, and both resolve it the
//! same way, once per request.

use super::auth::request::user_for_token;
use super::auth::token;
use super::AppState;
use crate::domain::audit::UseCase;
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::td_string;
use crate::model::{CurrentUser, UserId};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use std::net::SocketAddr;

/// A signed-in person and where their request came from (for the audit log and throttling).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub user: CurrentUser,
    pub ip: String,
}

impl Person {
    pub fn new(user: &CurrentUser, ip: &str) -> Person {
        Person {
            user: user.clone(),
            ip: ip.to_owned(),
        }
    }

    pub fn id(&self) -> &UserId {
        &self.user.id
    }

    /// The person, if they have no step to take before anything else (see
    /// `domain::account`); otherwise 403 with the step's reason.
    pub fn ready(self) -> Result<Person, AppError> {
        match self.user.next_step {
            None => Ok(self),
            Some(step) => Err(AppError::forbidden(step.reason())),
        }
    }

    /// The signed-in person of a request, or None when nobody is signed in. Resolved once per
    /// request: a page's header, guard and data all ask, and each would otherwise read the
    /// session again.
    pub async fn of_request(parts: &Parts, state: &AppState) -> Result<Option<Person>, AppError> {
        let user = match parts.extensions.get::<RequestUser>() {
            // Callers that ask at the same moment wait for the first one's answer.
            Some(cache) => cache.0.get_or_try_init(|| lookup(parts, state)).await?.clone(),
            None => lookup(parts, state).await?,
        };
        Ok(user.map(|user| Person {
            user,
            ip: client_ip(parts, state),
        }))
    }
}

/// Anyone or anything that acts on a case or the records around it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    Person(Person),
    /// The payment provider, through a verified webhook; the event id is the audit target.
    Provider {
        event_id: String,
    },
    /// The app servers' own worker (reminders).
    Scheduler,
}

impl Caller {
    pub fn person(&self) -> Option<&Person> {
        match self {
            Caller::Person(person) => Some(person),
            Caller::Provider { .. } | Caller::Scheduler => None,
        }
    }

    pub fn user_id(&self) -> Option<&UserId> {
        self.person().map(Person::id)
    }

    /// The role column of the audit log.
    pub fn audit_role(&self) -> &'static str {
        match self {
            Caller::Person(person) => person.user.role.as_str(),
            Caller::Provider { .. } => "payment_provider",
            Caller::Scheduler => "system",
        }
    }

    pub fn ip(&self) -> &str {
        self.person().map_or("", |p| p.ip.as_str())
    }
}

impl From<Person> for Caller {
    fn from(person: Person) -> Caller {
        Caller::Person(person)
    }
}

impl From<&Person> for Caller {
    fn from(person: &Person) -> Caller {
        Caller::Person(person.clone())
    }
}

/// Per-request memory of the signed-in user, put into every request's extensions by the router.
#[derive(Clone, Default)]
pub struct RequestUser(std::sync::Arc<tokio::sync::OnceCell<Option<CurrentUser>>>);

async fn lookup(parts: &Parts, state: &AppState) -> Result<Option<CurrentUser>, AppError> {
    match session_cookie(parts, state) {
        Some(raw) => user_for_token(state, &raw).await,
        None => Ok(None),
    }
}

/// The raw session token from the request's cookie, if any.
pub fn session_cookie(parts: &Parts, state: &AppState) -> Option<String> {
    cookie_value(parts, token::cookie_name(state.config.secure_cookies))
}

/// The raw token of a sign-in waiting for its code, if any.
pub fn challenge_cookie(parts: &Parts, state: &AppState) -> Option<String> {
    cookie_value(parts, token::challenge_cookie_name(state.config.secure_cookies))
}

fn cookie_value(parts: &Parts, name: &str) -> Option<String> {
    CookieJar::from_headers(&parts.headers)
        .get(name)
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
}

/// The client's address, behind the configured number of trusted proxies.
pub fn client_ip(parts: &Parts, state: &AppState) -> String {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    super::auth::request::client_address(&parts.headers, peer, state.config.trusted_proxies)
}

impl FromRequestParts<AppState> for Person {
    type Rejection = AppError;

    /// Missing or expired sessions are rejected with 401 before the handler runs, and people
    /// with a step to take first (see [`Person::ready`]) with 403.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Person, AppError> {
        Person::of_request(parts, state)
            .await?
            .ok_or(AppError::Unauthenticated)?
            .ready()
    }
}

/// The person if they have `role`; 403 (recorded in the audit log under `action`) otherwise.
pub async fn require_role(
    state: &AppState,
    person: Person,
    role: Role,
    action: UseCase,
) -> Result<Person, AppError> {
    if person.user.role == role {
        return Ok(person);
    }
    super::services::audit::record_refusal(&state.db, &Caller::Person(person), action).await?;
    let locale = crate::lang::current();
    Err(AppError::forbidden(match role {
        Role::Patient => td_string!(locale, errors.only_patient_accounts),
        Role::Clinician => td_string!(locale, errors.only_clinician_accounts),
        Role::Admin => td_string!(locale, errors.only_admin_accounts),
    }))
}

impl axum::response::IntoResponse for AppError {
    /// Its status and the same JSON body server functions send.
    fn into_response(self) -> axum::response::Response {
        (self.status(), axum::Json(self)).into_response()
    }
}
