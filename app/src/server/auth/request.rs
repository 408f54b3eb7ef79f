//! The current user of a request, for server functions. Reads the session cookie, checks the
//! session against both timeouts and the account's active flag, and refreshes its idle clock.

use super::token;
use crate::domain::Role;
use crate::error::AppError;
use crate::model::CurrentUser;
use crate::server::db::{self, sessions};
use crate::server::AppState;
use axum_extra::extract::CookieJar;
use leptos::prelude::*;

/// Refreshing last_seen on every request would turn every read into a write; once a minute is
/// precise enough for a 30-minute idle timeout.
const TOUCH_EVERY_MS: i64 = 60_000;

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| crate::server::failure::internal("context", "AppState missing"))
}

/// The raw session token from the request's cookie, if any.
pub async fn session_token() -> Result<Option<String>, AppError> {
    let state = state()?;
    let jar: CookieJar = leptos_axum::extract()
        .await
        .map_err(|e| crate::server::failure::internal("cookie extract", e))?;
    Ok(jar
        .get(token::cookie_name(state.config.secure_cookies))
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty()))
}

pub async fn current_user() -> Result<Option<CurrentUser>, AppError> {
    let state = state()?;
    match session_token().await? {
        Some(raw) => user_for_token(&state, &raw).await,
        None => Ok(None),
    }
}

/// The user a raw session token belongs to, if the session is live. Used by server functions
/// (through [`current_user`]) and by the plain routes that serve files.
pub async fn user_for_token(state: &AppState, raw: &str) -> Result<Option<CurrentUser>, AppError> {
    let hash = token::hash(raw);
    let now = db::now_ms();
    let idle_ms = i64::try_from(state.config.session_idle.as_millis()).unwrap_or(i64::MAX);
    let Some(live) = sessions::find_live(state.db.pool(), &hash, now, idle_ms).await? else {
        return Ok(None);
    };
    if now - live.last_seen_at > TOUCH_EVERY_MS {
        sessions::touch(state.db.pool(), &hash, now).await?;
    }
    Ok(Some(live.user))
}

pub async fn require_user() -> Result<CurrentUser, AppError> {
    current_user().await?.ok_or(AppError::Unauthenticated)
}

/// The signed-in user if they have `role`; 401 when signed out, 403 (and an audit entry) when
/// signed in with another role.
pub async fn require_role(role: Role, action: &str) -> Result<CurrentUser, AppError> {
    let user = require_user().await?;
    if user.role != role {
        let meta = RequestMeta::current().await;
        db::audit::record(
            state()?.db.pool(),
            &db::audit::Entry {
                user_id: Some(&user.id),
                role: user.role.as_str(),
                action,
                case_id: None,
                target: "",
                outcome: "denied",
                ip: &meta.ip,
            },
        )
        .await?;
        return Err(AppError::forbidden(format!(
            "This is for {} accounts only.",
            role.label().to_lowercase()
        )));
    }
    Ok(user)
}

/// Where a request came from, for the audit log.
#[derive(Clone, Debug, Default)]
pub struct RequestMeta {
    pub ip: String,
}

impl RequestMeta {
    pub async fn current() -> RequestMeta {
        use axum::extract::ConnectInfo;
        use std::net::SocketAddr;
        let forwarded = leptos_axum::extract::<http::HeaderMap>()
            .await
            .ok()
            .filter(|_| state().is_ok_and(|s| s.config.trust_proxy))
            .and_then(|h| h.get("x-forwarded-for")?.to_str().ok().map(str::to_owned))
            .and_then(|v| v.split(',').next().map(|s| s.trim().to_owned()));
        let direct = leptos_axum::extract::<ConnectInfo<SocketAddr>>()
            .await
            .ok()
            .map(|ConnectInfo(addr)| addr.ip().to_string());
        RequestMeta {
            ip: forwarded.or(direct).unwrap_or_default(),
        }
    }
}
