//! Staffing a case: the coordinator (admin: assigned, or changed before payment) and the
//! specialists (the case's coordinator); the patient's payment retry and the test checkout.
//! Every service derives the caller's relation to the case on the server.

use crate::error::AppError;
use crate::model::{CaseId, PaymentId, UserId};
use crate::model::{CheckoutOutcome, TestCheckout};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::support::{signed_in, Call},
    crate::server::services::{assignment, payments},
};

/// Assigns the coordinator of a submitted case, or (before payment) changes it; which of the
/// two follows from the case's status.
#[server(endpoint = "assign_coordinator")]
pub async fn assign_coordinator(
    case_id: CaseId,
    version: i64,
    coordinator_id: UserId,
) -> Result<(), AppError> {
    let Call { state, person } = signed_in().await?;
    let (db, config) = (&state.db, &state.config);
    assignment::choose_coordinator(db, config, &person, &case_id, version, &coordinator_id).await
}

#[server(endpoint = "assign_specialists")]
pub async fn assign_specialists(
    case_id: CaseId,
    version: i64,
    #[server(default)] specialists: Vec<UserId>,
) -> Result<(), AppError> {
    let Call { state, person } = signed_in().await?;
    assignment::assign_specialists(&state.db, &person, &case_id, version, &specialists).await
}

#[server(endpoint = "remove_specialist")]
pub async fn remove_specialist(case_id: CaseId, version: i64, specialist_id: UserId) -> Result<(), AppError> {
    let Call { state, person } = signed_in().await?;
    assignment::remove_specialist(&state.db, &person, &case_id, version, &specialist_id).await
}

#[server(endpoint = "retry_payment")]
pub async fn retry_payment(case_id: CaseId, version: i64) -> Result<(), AppError> {
    let Call { state, person } = signed_in().await?;
    payments::retry(&state.db, &person, &case_id, version).await
}

#[server(endpoint = "load_test_checkout")]
pub async fn load_test_checkout(payment_id: PaymentId) -> Result<TestCheckout, AppError> {
    let Call { state, person } = signed_in().await?;
    payments::test_checkout(&state.db, &person, &payment_id).await
}

/// The test checkout's "Pay" or "Fail" button.
#[server(endpoint = "complete_test_checkout")]
pub async fn complete_test_checkout(payment_id: PaymentId, outcome: CheckoutOutcome) -> Result<(), AppError> {
    let Call { state, person } = signed_in().await?;
    let (db, provider) = (&state.db, &state.config.payments);
    let succeed = outcome == CheckoutOutcome::Pay;
    let case_id = payments::complete_test_checkout(db, provider, &person, &payment_id, succeed).await?;
    leptos_axum::redirect(&format!("/cases/{case_id}"));
    Ok(())
}
