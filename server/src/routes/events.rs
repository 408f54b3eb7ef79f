//! `GET /events`: a server-sent event stream that tells an open page "your notifications
//! changed", so lists and counters refresh without a reload. It watches the user's notification
//! rows in the database, which every app server shares, so a change made through any server
//! reaches pages open on any other.

use app::server::auth::request::user_for_token;
use app::server::auth::token;
use app::server::db::notifications;
use app::server::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use futures_util::stream::{self, Stream};
use std::convert::Infallible;
use std::time::Duration;

const CHECK_EVERY: Duration = Duration::from_secs(2);

pub async fn stream(State(state): State<AppState>, jar: CookieJar) -> Response {
    let raw = jar
        .get(token::cookie_name(state.config.secure_cookies))
        .map(|c| c.value().to_owned());
    let user = match raw {
        Some(raw) => user_for_token(&state, &raw).await.ok().flatten(),
        None => None,
    };
    let Some(user) = user else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    Sse::new(changes(state, user.id))
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// An event at once with the unread count, then whenever the user's (unread count, newest
/// notification) changes. The stream ends if
/// the database cannot be read; the browser's EventSource reconnects by itself.
fn changes(state: AppState, user_id: String) -> impl Stream<Item = Result<Event, Infallible>> {
    stream::unfold(
        (state, user_id, None::<(i64, i64)>),
        |(state, user_id, mut seen)| async move {
            loop {
                let now = notifications::watermark(state.db.pool(), &user_id).await.ok()?;
                // The first report tells the page where it starts; later ones come with a change.
                if seen != Some(now) {
                    let event = Event::default().event("notifications").data(now.0.to_string());
                    return Some((Ok(event), (state, user_id, Some(now))));
                }
                seen = Some(now);
                tokio::time::sleep(CHECK_EVERY).await;
            }
        },
    )
}
