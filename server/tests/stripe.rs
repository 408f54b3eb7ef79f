//! The Stripe provider's outbound call, against a local stand-in for Stripe's API: the request
//! must be the one Stripe documents (form-encoded Checkout session, bearer key, idempotency key),
//! and the session's id and URL must come back.
#![allow(clippy::unwrap_used)]

use app::server::payments::{CheckoutRequest, Provider};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use axum::{Json, Router};
use std::sync::{Arc, Mutex};

type Seen = Arc<Mutex<Vec<(HeaderMap, String)>>>;

async fn stub(State(seen): State<Seen>, headers: HeaderMap, body: String) -> Json<serde_json::Value> {
    seen.lock().unwrap().push((headers, body));
    Json(serde_json::json!({ "id": "cs_test_123", "url": "https://checkout.stripe.com/c/pay/cs_test_123" }))
}

/// Serves `app` as a stand-in for Stripe's API on a free port; a Stripe provider pointed at it.
async fn stripe_at(app: Router, api_key: &str) -> Provider {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Provider::Stripe {
        api_key: api_key.into(),
        webhook_secret: "whsec_x".into(),
        api_base: format!("http://{address}"),
        timeout: std::time::Duration::from_secs(5),
    }
}

/// The first request the stub saw carried these headers and form fields (among others).
fn assert_sent(seen: &Seen, headers: &[(&str, &str)], fields: &[(&str, &str)]) {
    let seen = seen.lock().unwrap();
    let (sent_headers, body) = &seen[0];
    for (name, value) in headers {
        assert_eq!(sent_headers[*name], *value, "header {name}");
    }
    let form: Vec<(String, String)> = serde_urlencoded::from_str(body).unwrap();
    for (name, value) in fields {
        let sent = form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
        assert_eq!(sent, Some(*value), "field {name}");
    }
}

const CHECKOUT: CheckoutRequest<'static> = CheckoutRequest {
    payment_id: "pay-1",
    amount_minor: 45_000,
    currency: "EUR",
    description: "Standard second opinion, case C-ABC123",
    return_url: "https://consilium.example/cases/1",
};

#[tokio::test]
async fn stripe_checkout_sessions_are_created_as_stripe_documents_them() {
    let seen: Seen = Arc::default();
    let app = Router::new()
        .route("/v1/checkout/sessions", post(stub))
        .with_state(seen.clone());
    let provider = stripe_at(app, "sk_test_abc").await;
    let checkout = provider.create_checkout(&CHECKOUT).await.unwrap();
    assert_eq!(checkout.provider_ref.as_deref(), Some("cs_test_123"));
    assert_eq!(checkout.url, "https://checkout.stripe.com/c/pay/cs_test_123");

    let headers = [
        ("authorization", "Bearer sk_test_abc"),
        ("idempotency-key", "pay-1"),
        ("content-type", "application/x-www-form-urlencoded"),
    ];
    let fields = [
        ("mode", "payment"),
        ("client_reference_id", "pay-1"),
        ("line_items[0][price_data][unit_amount]", "45000"),
        ("line_items[0][price_data][currency]", "eur"),
        ("line_items[0][quantity]", "1"),
        ("success_url", "https://consilium.example/cases/1"),
    ];
    assert_sent(&seen, &headers, &fields);
}

#[tokio::test]
async fn a_stripe_error_is_an_internal_error_not_a_checkout() {
    let app = Router::new().route(
        "/v1/checkout/sessions",
        post(|| async { (axum::http::StatusCode::PAYMENT_REQUIRED, "{\"error\":{}}") }),
    );
    let provider = stripe_at(app, "k").await;
    let err = provider.create_checkout(&CHECKOUT).await.unwrap_err();
    assert!(matches!(err, app::error::AppError::Internal { .. }));
}

#[tokio::test]
async fn refunds_are_requested_for_the_payment_intent_once_per_payment() {
    let seen: Seen = Arc::default();
    let app = Router::new()
        .route(
            "/v1/refunds",
            post(
                |State(seen): State<Seen>, headers: HeaderMap, body: String| async move {
                    seen.lock().unwrap().push((headers, body));
                    Json(serde_json::json!({ "id": "re_123", "status": "pending" }))
                },
            ),
        )
        .with_state(seen.clone());
    let provider = stripe_at(app, "sk_test_abc").await;
    let request = app::server::payments::RefundRequest {
        payment_id: "pay-1",
        provider_payment_ref: Some("pi_123"),
        amount_minor: 45_000,
    };
    let refund = provider.refund(&request).await.unwrap();
    assert_eq!(
        (refund.provider_ref.as_deref(), refund.status.as_str()),
        (Some("re_123"), "pending")
    );
    let headers = [
        ("authorization", "Bearer sk_test_abc"),
        ("idempotency-key", "refund-pay-1"),
    ];
    assert_sent(
        &seen,
        &headers,
        &[("payment_intent", "pi_123"), ("amount", "45000")],
    );
}
