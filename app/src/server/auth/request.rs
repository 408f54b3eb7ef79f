//! Sessions of a request: the user a session token belongs to (checked against both timeouts
//! and the account's active flag, refreshing its idle clock), and the client's address behind
//! trusted proxies. Who the caller is, once per request, is `server::caller::Person`.

use super::token;
use crate::error::AppError;
use crate::model::CurrentUser;
use crate::server::db::{self, sessions};
use crate::server::AppState;

/// Refreshing last_seen on every request would turn every read into a write; once a minute is
/// precise enough for a 30-minute idle timeout.
const TOUCH_EVERY_MS: i64 = 60_000;

/// The user a raw session token belongs to, if the session is live.
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

/// Whether a session is still live (not signed out, expired, idle too long, or of a
/// deactivated account), without counting this check as use: an open page's event stream asks
/// every few seconds and must not keep an idle session alive.
pub async fn session_is_live(state: &AppState, raw: &str) -> Result<bool, AppError> {
    let idle_ms = i64::try_from(state.config.session_idle.as_millis()).unwrap_or(i64::MAX);
    let live = sessions::find_live(state.db.pool(), &token::hash(raw), db::now_ms(), idle_ms).await?;
    Ok(live.is_some())
}

/// The client's address. Behind `trusted_proxies` proxies that each append the address they
/// were reached from to X-Forwarded-For, the client is the entry that many places from the
/// right: the rightmost is written by our own proxy, while everything to the left of the
/// client's entry is whatever the client chose to send. Without trusted proxies the header is
/// ignored and the connection's peer is the client.
pub fn client_address(
    headers: &http::HeaderMap,
    peer: Option<std::net::IpAddr>,
    trusted_proxies: usize,
) -> String {
    let peer = peer.map(|p| p.to_string()).unwrap_or_default();
    if trusted_proxies == 0 {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect();
    match hops.len().checked_sub(trusted_proxies) {
        Some(i) => hops[i].to_owned(),
        // Fewer entries than proxies: the header did not pass all of them; the leftmost one
        // is still one a trusted proxy wrote.
        None => hops.first().map_or(peer, |h| (*h).to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::client_address;

    #[test]
    fn the_client_is_the_entry_added_by_the_trusted_proxies() {
        let peer = Some("10.0.0.2".parse().unwrap_or_else(|_| unreachable!()));
        let headers = |values: &[&str]| {
            let mut h = http::HeaderMap::new();
            for v in values {
                h.append("x-forwarded-for", v.parse().unwrap_or_else(|_| unreachable!()));
            }
            h
        };
        let spoofed = headers(&["6.6.6.6, 203.0.113.7"]);
        let table = [
            (&spoofed, 0, "10.0.0.2"),
            (&spoofed, 1, "203.0.113.7"),
            (&spoofed, 2, "6.6.6.6"),
            (&spoofed, 3, "6.6.6.6"),
        ];
        for (h, hops, expected) in table {
            assert_eq!(client_address(h, peer, hops), expected, "{hops} hops");
        }
        let two_headers = headers(&["6.6.6.6", "198.51.100.4, 192.0.2.1"]);
        assert_eq!(client_address(&two_headers, peer, 1), "192.0.2.1");
        assert_eq!(client_address(&two_headers, peer, 2), "198.51.100.4");
        assert_eq!(client_address(&headers(&[]), peer, 1), "10.0.0.2");
    }
}
