//! Stripe's HTTP API, the two calls we make: a hosted Checkout session and a refund.

use super::{Checkout, CheckoutRequest, Refund, RefundRequest};
use crate::error::AppError;
use crate::server::failure::internal;
use std::time::Duration;

/// Stripe at `api_base` (`https://api.stripe.com` in production, a local stub in tests).
pub(super) struct Stripe<'a> {
    pub api_key: &'a str,
    pub api_base: &'a str,
    /// For the whole call, connecting included.
    pub timeout: Duration,
}

impl Stripe<'_> {
    /// Creates a Checkout session (`POST /v1/checkout/sessions`), once per payment.
    pub async fn checkout(&self, request: &CheckoutRequest<'_>) -> Result<Checkout, AppError> {
        #[derive(serde::Deserialize)]
        struct Session {
            id: String,
            url: String,
        }
        let amount = request.amount_minor.to_string();
        let currency = request.currency.to_lowercase();
        let form = [
            ("mode", "payment"),
            ("client_reference_id", request.payment_id),
            ("metadata[payment_id]", request.payment_id),
            ("success_url", request.return_url),
            ("cancel_url", request.return_url),
            ("line_items[0][quantity]", "1"),
            ("line_items[0][price_data][currency]", &currency),
            ("line_items[0][price_data][unit_amount]", &amount),
            (
                "line_items[0][price_data][product_data][name]",
                request.description,
            ),
        ];
        let path = "/v1/checkout/sessions";
        let session: Session = self
            .post(path, request.payment_id, &form, "stripe checkout")
            .await?;
        Ok(Checkout {
            provider_ref: Some(session.id),
            url: session.url,
        })
    }

    /// Refunds the PaymentIntent (`POST /v1/refunds`), once per payment.
    pub async fn refund(&self, request: &RefundRequest<'_>) -> Result<Refund, AppError> {
        #[derive(serde::Deserialize)]
        struct StripeRefund {
            id: String,
            status: String,
        }
        let intent = request
            .provider_payment_ref
            .ok_or_else(|| internal("stripe refund", "the payment has no PaymentIntent recorded"))?;
        let amount = request.amount_minor.to_string();
        let form = [
            ("payment_intent", intent),
            ("amount", &amount),
            ("metadata[payment_id]", request.payment_id),
        ];
        let key = format!("refund-{}", request.payment_id);
        let refund: StripeRefund = self.post("/v1/refunds", &key, &form, "stripe refund").await?;
        Ok(Refund {
            provider_ref: Some(refund.id),
            status: refund.status,
        })
    }

    /// One form-encoded `POST` with an idempotency key (so that a retry of the same request is
    /// answered, not repeated), read as the JSON object `T`. `what` names the call in errors.
    /// No answer in time, no connection, a 5xx or a 429 is the provider being unavailable (worth
    /// trying again with the same key); any other refusal is a fault on our side.
    async fn post<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        idempotency_key: &str,
        form: &[(&str, &str)],
        what: &'static str,
    ) -> Result<T, AppError> {
        let client = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.timeout.min(Duration::from_secs(5)))
            .build()
            .map_err(|e| internal(what, e))?;
        let response = client
            .post(format!("{}{path}", self.api_base.trim_end_matches('/')))
            .bearer_auth(self.api_key)
            .header("Idempotency-Key", idempotency_key)
            .form(form)
            .send()
            .await
            .map_err(|e| unavailable(what, e))?;
        let status = response.status();
        if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
            return Err(unavailable(what, format!("Stripe answered {status}")));
        }
        if !status.is_success() {
            return Err(internal(what, format!("Stripe answered {status}")));
        }
        response.json().await.map_err(|e| unavailable(what, e))
    }
}

fn unavailable(what: &'static str, err: impl std::fmt::Display) -> AppError {
    tracing::warn!(call = what, error = %err, "the payment provider is unavailable");
    AppError::PaymentProviderUnavailable
}
