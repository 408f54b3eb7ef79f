//! `POST /webhooks/payments`: the payment provider's events. Verified over the raw body before
//! anything is parsed; 2xx for applied, duplicate or deliberately ignored events (so the provider
//! stops redelivering), 400 for a bad signature or payload, 409 when a race means "try again".

use app::server::services::payments::{handle_webhook, Outcome, WebhookError};
use app::server::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};

pub async fn payments(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, &'static str) {
    let header = headers.get("stripe-signature").and_then(|v| v.to_str().ok());
    match handle_webhook(&state.db, &state.config.payments, &body, header).await {
        Ok(Outcome::Applied) => (StatusCode::OK, "applied"),
        Ok(Outcome::RefundedLate) => (StatusCode::OK, "refunded"),
        Ok(Outcome::Duplicate) => (StatusCode::OK, "duplicate"),
        Ok(Outcome::Ignored(_)) => (StatusCode::OK, "ignored"),
        Err(WebhookError::Signature(e)) => {
            tracing::warn!(error = %e, "refused a payment webhook");
            (StatusCode::BAD_REQUEST, "bad signature")
        }
        Err(WebhookError::Payload) => (StatusCode::BAD_REQUEST, "bad payload"),
        Err(WebhookError::App(e)) => (e.status(), "not applied"),
    }
}
