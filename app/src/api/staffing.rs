//! The seed flow: coordinator assignment and reassignment (admin), specialists (the case's
//! coordinator), payment retry and the test checkout (patient). Every function derives the
//! caller's relation to the case on the server; pages only offer what the rules allow.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Assigns the coordinator of a submitted case, or (before payment) changes it.
#[server(endpoint = "assign_coordinator")]
pub async fn assign_coordinator(
    case_id: String,
    version: i64,
    coordinator_id: String,
    change: bool,
) -> Result<(), AppError> {
    use super::support::*;
    use crate::server::services::{assignment, Caller};
    respond(async move {
        let (user, meta) = caller().await?;
        let state = state()?;
        let caller = Caller {
            user: &user,
            ip: &meta.ip,
        };
        if change {
            assignment::reassign_coordinator(&state.db, &caller, &case_id, version, &coordinator_id).await
        } else {
            assignment::assign_coordinator(
                &state.db,
                &state.config,
                &caller,
                &case_id,
                version,
                &coordinator_id,
            )
            .await
        }
    })
    .await
}

#[server(endpoint = "assign_specialists")]
pub async fn assign_specialists(
    case_id: String,
    version: i64,
    #[server(default)] specialists: Vec<String>,
) -> Result<(), AppError> {
    use super::support::*;
    use crate::server::services::{assignment, Caller};
    respond(async move {
        let (user, meta) = caller().await?;
        let caller = Caller {
            user: &user,
            ip: &meta.ip,
        };
        assignment::assign_specialists(&state()?.db, &caller, &case_id, version, &specialists).await
    })
    .await
}

#[server(endpoint = "remove_specialist")]
pub async fn remove_specialist(case_id: String, version: i64, specialist_id: String) -> Result<(), AppError> {
    use super::support::*;
    use crate::server::services::{assignment, Caller};
    respond(async move {
        let (user, meta) = caller().await?;
        let caller = Caller {
            user: &user,
            ip: &meta.ip,
        };
        assignment::remove_specialist(&state()?.db, &caller, &case_id, version, &specialist_id).await
    })
    .await
}

#[server(endpoint = "retry_payment")]
pub async fn retry_payment(case_id: String, version: i64) -> Result<(), AppError> {
    use super::support::*;
    use crate::server::services::{payments, Caller};
    respond(async move {
        let (user, meta) = caller().await?;
        payments::retry(
            &state()?.db,
            &Caller {
                user: &user,
                ip: &meta.ip,
            },
            &case_id,
            version,
        )
        .await
    })
    .await
}

/// What the test checkout page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestCheckout {
    pub payment_id: String,
    pub case_id: String,
    pub reference: String,
    pub amount: crate::domain::money::Money,
    pub status: String,
}

#[server(endpoint = "test_checkout")]
pub async fn load_test_checkout(payment_id: String) -> Result<TestCheckout, AppError> {
    use super::support::*;
    use crate::server::db::{cases, payments};
    respond(async move {
        let (user, _) = caller().await?;
        let db = &state()?.db;
        let payment = payments::find(db.pool(), &payment_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let case = cases::find(db.pool(), &payment.case_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if case.patient_id != user.id || payment.provider != "test" {
            return Err(AppError::NotFound);
        }
        Ok(TestCheckout {
            payment_id: payment.id,
            case_id: case.id,
            reference: case.reference,
            amount: crate::domain::money::Money {
                minor: payment.amount_minor,
                currency: payment.currency,
            },
            status: payment.status,
        })
    })
    .await
}

/// The test checkout's "Pay" (`outcome` = `pay`) or "Fail" button.
#[server(endpoint = "complete_test_checkout")]
pub async fn complete_test_checkout(payment_id: String, outcome: String) -> Result<(), AppError> {
    use super::support::*;
    use crate::server::services::{payments, Caller};
    respond(async move {
        let (user, meta) = caller().await?;
        let state = state()?;
        let caller = Caller {
            user: &user,
            ip: &meta.ip,
        };
        let case_id = payments::complete_test_checkout(
            &state.db,
            &state.config.payments,
            &caller,
            &payment_id,
            outcome == "pay",
        )
        .await?;
        leptos_axum::redirect(&format!("/cases/{case_id}"));
        Ok(())
    })
    .await
}
