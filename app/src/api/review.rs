//! The specialist review: document requests (specialists, coordinator), opinions (specialists),
//! reminders and the final summary (coordinator), and the report (patient and care team). Every
//! function derives the caller's relation to the case on the server.
// Server functions take one argument per form field, so plain HTML forms work before hydration.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::Report;
use leptos::prelude::*;

#[server(endpoint = "request_documents")]
pub async fn request_documents(
    case_id: String,
    note: String,
    #[server(default)] items: Vec<String>,
) -> Result<(), AppError> {
    use super::support::*;
    use crate::server::services::{review, Caller};
    respond(async move {
        let (user, meta) = caller().await?;
        let caller = Caller {
            user: &user,
            ip: &meta.ip,
        };
        review::request_documents(&state()?.db, &caller, &case_id, &note, &items).await
    })
    .await
}

/// Saves the specialist's opinion as a draft (`intent` = `save`) or submits it (`submit`).
#[server(endpoint = "write_opinion")]
pub async fn write_opinion(
    case_id: String,
    assessment: String,
    recommendation: String,
    diagnosis: String,
    treatment: String,
    intent: String,
) -> Result<(), AppError> {
    use super::support::*;
    use crate::domain::review::OpinionInput;
    use crate::server::services::{review, Caller};
    respond(async move {
        let (user, meta) = caller().await?;
        let caller = Caller {
            user: &user,
            ip: &meta.ip,
        };
        let input = OpinionInput {
            assessment,
            recommendation,
            diagnosis,
            treatment,
        };
        let db = &state()?.db;
        match intent.as_str() {
            "submit" => review::submit_opinion(db, &caller, &case_id, &input).await,
            "save" => review::save_opinion(db, &caller, &case_id, &input).await,
            _ => Err(AppError::validation("intent", "Choose to save or to submit.")),
        }
    })
    .await
}

#[server(endpoint = "nudge_specialists")]
pub async fn nudge_specialists(case_id: String) -> Result<(), AppError> {
    use super::support::*;
    use crate::server::services::{review, Caller};
    respond(async move {
        let (user, meta) = caller().await?;
        let caller = Caller {
            user: &user,
            ip: &meta.ip,
        };
        review::nudge_overdue(&state()?.db, &caller, &case_id).await
    })
    .await
}

#[server(endpoint = "submit_final_summary")]
pub async fn submit_final_summary(case_id: String, version: i64, summary: String) -> Result<(), AppError> {
    use super::support::*;
    use crate::server::services::{review, Caller};
    respond(async move {
        let (user, meta) = caller().await?;
        let state = state()?;
        let caller = Caller {
            user: &user,
            ip: &meta.ip,
        };
        review::submit_final_summary(&state.db, &state.storage, &caller, &case_id, version, &summary).await
    })
    .await
}

/// The report's content for the report page (the PDF is at `/cases/{id}/report.pdf`).
#[server(endpoint = "load_report")]
pub async fn load_report(case_id: String) -> Result<Report, AppError> {
    use super::support::*;
    use crate::server::services::{review, Caller};
    respond(async move {
        let (user, meta) = caller().await?;
        let caller = Caller {
            user: &user,
            ip: &meta.ip,
        };
        review::report(&state()?.db, &caller, &case_id).await
    })
    .await
}
