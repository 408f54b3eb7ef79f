//! `GET /events`: a server-sent event stream that tells an open page "your notifications
//! changed", so lists and counters refresh without a reload. With PostgreSQL a committed change
//! is announced by NOTIFY and relayed by every app server's listener, so it reaches pages open on
//! any server at once; with SQLite (one server) the stream checks the database every 2 s.
//! Every check also asks whether the session is still live: a stream ends once its session
//! does (sign-out, deactivation, expiry), within one check.

use app::model::UserId;
use app::server::auth::request::{session_is_live, user_for_token};
use app::server::auth::token;
use app::server::db::{notifications, Backend};
use app::server::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use futures_util::stream::{self, Stream};
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast;

const CHECK_EVERY: Duration = Duration::from_secs(2);
/// On PostgreSQL changes arrive by NOTIFY; this slower check catches a missed one and a
/// session that ended on another app server.
const SAFETY_CHECK_EVERY: Duration = Duration::from_secs(5);

pub async fn stream(State(state): State<AppState>, jar: CookieJar) -> Response {
    let raw = jar
        .get(token::cookie_name(state.config.secure_cookies))
        .map(|c| c.value().to_owned());
    let user = match &raw {
        Some(raw) => user_for_token(&state, raw).await.ok().flatten(),
        None => None,
    };
    let (Some(user), Some(raw)) = (user, raw) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    if user.next_step.is_some() {
        // Nothing but the account's first step until it is taken (see `domain::account`).
        return StatusCode::FORBIDDEN.into_response();
    }
    Sse::new(changes(state, user.id, raw))
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// An event at once with the unread count, then whenever the user's (unread count, newest
/// notification) changes. On PostgreSQL a NOTIFY for this user wakes the stream at once (with a
/// slow safety check besides); on SQLite the stream checks every 2 s. The stream ends if the
/// database cannot be read; the browser's EventSource reconnects by itself.
fn changes(
    state: AppState,
    user_id: UserId,
    raw_token: String,
) -> impl Stream<Item = Result<Event, Infallible>> {
    let wakeups = state.live.subscribe();
    let every = match state.db.backend() {
        Backend::Postgres => SAFETY_CHECK_EVERY,
        Backend::Sqlite => CHECK_EVERY,
    };
    let watch = Watch {
        state,
        user_id,
        raw_token,
    };
    stream::unfold(
        (watch, wakeups, None::<(i64, i64)>),
        move |(watch, mut wakeups, seen)| async move {
            let mut seen = seen;
            loop {
                if !session_is_live(&watch.state, &watch.raw_token).await.ok()? {
                    return None;
                }
                let now = notifications::watermark(watch.state.db.pool(), &watch.user_id)
                    .await
                    .ok()?;
                // The first report tells the page where it starts; later ones come with a change.
                if seen != Some(now) {
                    let event = Event::default().event("notifications").data(now.0.to_string());
                    return Some((Ok(event), (watch, wakeups, Some(now))));
                }
                seen = Some(now);
                tokio::select! {
                    _ = woken(&mut wakeups, watch.user_id.as_str()) => {}
                    _ = tokio::time::sleep(every) => {}
                }
            }
        },
    )
}

/// Whose stream this is, and the session it lives by.
struct Watch {
    state: AppState,
    user_id: UserId,
    raw_token: String,
}

/// Returns when the hub names this user (or may have: it lagged behind).
async fn woken(wakeups: &mut broadcast::Receiver<String>, user_id: &str) {
    loop {
        match wakeups.recv().await {
            Ok(id) if id == user_id => return,
            Ok(_) => {}
            Err(broadcast::error::RecvError::Lagged(_)) => return,
            Err(broadcast::error::RecvError::Closed) => std::future::pending::<()>().await,
        }
    }
}
