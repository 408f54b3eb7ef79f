//! Where a payment stands. Stored by name; the case's status says what it means for the case.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    /// The checkout is waiting for the patient.
    Open,
    Succeeded,
    Failed,
    /// The money went back (a paid case closed, or money that arrived for a closed case).
    Refunded,
}

string_enum!(PaymentStatus {
    Open => "open",
    Succeeded => "succeeded",
    Failed => "failed",
    Refunded => "refunded",
});
