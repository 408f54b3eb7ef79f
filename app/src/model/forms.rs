//! What forms and pages send besides their text fields: buttons, kinds and filters as types,
//! and the test checkout's page.

use super::{CaseId, PaymentId};
use serde::{Deserialize, Serialize};

/// The admin's new-staff form as sent: the role by name, the profile fields only for
/// clinicians. It carries the first password, which its `Debug` leaves out.
#[derive(Clone, Serialize, Deserialize)]
pub struct StaffForm {
    pub role: String,
    pub name: String,
    pub email: String,
    pub password: String,
    pub title: Option<String>,
    pub specialties: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
}

impl std::fmt::Debug for StaffForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaffForm")
            .field("role", &self.role)
            .field("email", &self.email)
            .field("password", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// What an admin types for a review type; numbers arrive as text and are checked on the server.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewTypeInput {
    pub name: String,
    pub description: String,
    pub price: String,
    pub currency: String,
    pub expected_days: String,
}

/// What a form's submit button asks for: keep the text as a draft, or submit it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormIntent {
    Save,
    Submit,
}

/// The test checkout's two buttons.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckoutOutcome {
    Pay,
    Fail,
}

/// The two kinds of catalog entry an admin manages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CatalogKind {
    ReviewType,
    Category,
}

impl CatalogKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CatalogKind::ReviewType => "review_type",
            CatalogKind::Category => "category",
        }
    }
}

/// The admin queue's filters, as they appear in the page's query string. Missing ones mean "any".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QueueQuery {
    pub status: String,
    pub category_id: String,
    pub review_type_id: String,
    pub search: String,
    pub page: u32,
}

/// What the test checkout page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestCheckout {
    pub payment_id: PaymentId,
    pub case_id: CaseId,
    pub reference: String,
    pub amount: crate::domain::money::Money,
    pub status: crate::domain::payment::PaymentStatus,
}
