//! The webhook events we understand, in Stripe's shape.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub data: EventData,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EventData {
    pub object: CheckoutSession,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CheckoutSession {
    pub id: String,
    /// Our payment id, set when the session was created.
    pub client_reference_id: Option<String>,
    pub amount_total: Option<i64>,
    pub currency: Option<String>,
    pub payment_status: Option<String>,
    /// The PaymentIntent behind a paid session: what a refund refers to.
    #[serde(default)]
    pub payment_intent: Option<String>,
}

/// What an event means for our payment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Meaning {
    Succeeded,
    Failed,
    /// Events we receive but do not act on.
    Other,
}

impl Event {
    pub fn meaning(&self) -> Meaning {
        match self.kind.as_str() {
            "checkout.session.completed" | "checkout.session.async_payment_succeeded"
                if self.data.object.payment_status.as_deref() == Some("paid") =>
            {
                Meaning::Succeeded
            }
            "checkout.session.async_payment_failed" | "checkout.session.expired" => Meaning::Failed,
            _ => Meaning::Other,
        }
    }
}
