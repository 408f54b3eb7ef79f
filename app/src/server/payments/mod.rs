//! Payments behind one interface. The built-in test provider (the default) has its own checkout
//! page and confirms through the same signed webhook a real provider uses; the Stripe provider
//! creates hosted Checkout sessions over Stripe's HTTP API. Both deliver events in Stripe's
//! format, verified by [`signature`].

pub mod events;
pub mod signature;
mod stripe;

use crate::error::AppError;
use stripe::Stripe;

/// How long a call to the provider may take unless `CONSILIUM_PAYMENT_TIMEOUT_SECONDS` says
/// otherwise. No transaction is open while it runs, so this bounds only the person's wait.
pub const DEFAULT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);

#[derive(Clone, Debug)]
pub enum Provider {
    /// Our own checkout page at `/pay/test/{payment_id}`, clearly marked as test mode.
    Test { webhook_secret: String },
    /// Stripe Checkout. `api_base` is `https://api.stripe.com` in production and a local stub in
    /// tests. A call that has no answer within `timeout` fails as "provider unavailable".
    Stripe {
        api_key: String,
        webhook_secret: String,
        api_base: String,
        timeout: std::time::Duration,
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

    /// Stripe's API client for this provider's settings; `None` for the test provider, which
    /// calls no API.
    fn stripe(&self) -> Option<Stripe<'_>> {
        match self {
            Provider::Stripe {
                api_key,
                api_base,
                timeout,
                ..
            } => Some(Stripe {
                api_key,
                api_base,
                timeout: *timeout,
            }),
            Provider::Test { .. } => None,
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
        match self.stripe() {
            None => Ok(Checkout {
                provider_ref: None,
                url: format!("/pay/test/{}", request.payment_id),
            }),
            Some(stripe) => stripe.checkout(request).await,
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
        match self.stripe() {
            None => Ok(Refund {
                provider_ref: Some(format!("test_refund_{}", request.payment_id)),
                status: "succeeded".into(),
            }),
            Some(stripe) => stripe.refund(request).await,
        }
    }
}
