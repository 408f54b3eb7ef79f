//! Payments behind one interface. The built-in test provider (the default) has its own checkout
//! page and confirms through the same signed webhook a real provider uses; the Stripe provider
//! creates hosted Checkout sessions over Stripe's HTTP API. Both deliver events in Stripe's
//! format, verified by [`signature`].

pub mod events;
pub mod signature;

use crate::error::AppError;
use crate::server::failure::internal;

#[derive(Clone, Debug)]
pub enum Provider {
    /// Our own checkout page at `/pay/test/{payment_id}`, clearly marked as test mode.
    Test { webhook_secret: String },
    /// Stripe Checkout. `api_base` is `https://api.stripe.com` in production and a local stub in
    /// tests.
    Stripe {
        api_key: String,
        webhook_secret: String,
        api_base: String,
    },
}

/// A checkout the patient can be sent to.
#[derive(Debug)]
pub struct Checkout {
    pub provider_ref: Option<String>,
    pub url: String,
}

pub struct CheckoutRequest<'a> {
    pub payment_id: &'a str,
    pub amount_minor: i64,
    pub currency: &'a str,
    pub description: &'a str,
    /// Where the provider sends the patient back to.
    pub return_url: &'a str,
}

impl Provider {
    pub fn name(&self) -> &'static str {
        match self {
            Provider::Test { .. } => "test",
            Provider::Stripe { .. } => "stripe",
        }
    }

    pub fn webhook_secret(&self) -> &[u8] {
        match self {
            Provider::Test { webhook_secret } | Provider::Stripe { webhook_secret, .. } => {
                webhook_secret.as_bytes()
            }
        }
    }

    pub async fn create_checkout(&self, request: &CheckoutRequest<'_>) -> Result<Checkout, AppError> {
        match self {
            Provider::Test { .. } => Ok(Checkout {
                provider_ref: None,
                url: format!("/pay/test/{}", request.payment_id),
            }),
            Provider::Stripe {
                api_key, api_base, ..
            } => stripe_checkout(api_key, api_base, request).await,
        }
    }
}

/// Money to give back: the whole of a succeeded payment.
pub struct RefundRequest<'a> {
    pub payment_id: &'a str,
    /// The provider's id of the payment (Stripe: the PaymentIntent).
    pub provider_payment_ref: Option<&'a str>,
    pub amount_minor: i64,
}

/// The provider's answer: its refund id and status (`succeeded`, or `pending` while it settles).
pub struct Refund {
    pub provider_ref: Option<String>,
    pub status: String,
}

impl Provider {
    /// Issues a refund. Idempotent per payment: asking twice (a retry after a failure on our
    /// side) gives back the same refund, never a second one.
    pub async fn refund(&self, request: &RefundRequest<'_>) -> Result<Refund, AppError> {
        match self {
            Provider::Test { .. } => Ok(Refund {
                provider_ref: Some(format!("test_refund_{}", request.payment_id)),
                status: "succeeded".into(),
            }),
            Provider::Stripe {
                api_key, api_base, ..
            } => stripe_refund(api_key, api_base, request).await,
        }
    }
}

/// One form-encoded `POST` to Stripe's API with an idempotency key (so that a retry of the same
/// request is answered, not repeated), read as the JSON object `T`. `what` names the call in
/// errors.
async fn stripe_post<T: serde::de::DeserializeOwned>(
    api_key: &str,
    api_base: &str,
    path: &str,
    idempotency_key: &str,
    form: &[(&str, &str)],
    what: &'static str,
) -> Result<T, AppError> {
    let response = reqwest::Client::new()
        .post(format!("{}{path}", api_base.trim_end_matches('/')))
        .bearer_auth(api_key)
        .header("Idempotency-Key", idempotency_key)
        .form(form)
        .send()
        .await
        .map_err(|e| internal(what, e))?;
    if !response.status().is_success() {
        let status = response.status();
        return Err(internal(what, format!("Stripe answered {status}")));
    }
    response.json().await.map_err(|e| internal(what, e))
}

/// `POST /v1/refunds` for the PaymentIntent, with an idempotency key per payment.
async fn stripe_refund(
    api_key: &str,
    api_base: &str,
    request: &RefundRequest<'_>,
) -> Result<Refund, AppError> {
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
    let idempotency_key = format!("refund-{}", request.payment_id);
    let refund: StripeRefund = stripe_post(
        api_key,
        api_base,
        "/v1/refunds",
        &idempotency_key,
        &form,
        "stripe refund",
    )
    .await?;
    Ok(Refund {
        provider_ref: Some(refund.id),
        status: refund.status,
    })
}

/// Creates a Stripe Checkout session (`POST /v1/checkout/sessions`, form-encoded).
async fn stripe_checkout(
    api_key: &str,
    api_base: &str,
    request: &CheckoutRequest<'_>,
) -> Result<Checkout, AppError> {
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
    let session: Session = stripe_post(
        api_key,
        api_base,
        "/v1/checkout/sessions",
        request.payment_id,
        &form,
        "stripe checkout",
    )
    .await?;
    Ok(Checkout {
        provider_ref: Some(session.id),
        url: session.url,
    })
}
