//! The specialist review: document requests (specialists, coordinator), opinions (specialists),
//! reminders and the final summary (coordinator), and the report (patient and care team). Every
//! service derives the caller's relation to the case on the server.

use crate::error::AppError;
use crate::model::CaseId;
use crate::model::{FormIntent, Report};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::support::{signed_in, Call},
    crate::server::services::review,
};

#[server(endpoint = "request_documents")]
pub async fn request_documents(
    case_id: CaseId,
    note: String,
    #[server(default)] items: Vec<String>,
) -> Result<(), AppError> {
    let Call { state, person } = signed_in().await?;
    review::request_documents(&state.db, &person, &case_id, &note, &items).await
}

/// Saves the specialist's opinion as a draft or submits it.
#[server(endpoint = "write_opinion")]
pub async fn write_opinion(
    case_id: CaseId,
    intent: FormIntent,
    #[server(flatten)] input: crate::domain::review::OpinionInput,
) -> Result<(), AppError> {
    let Call { state, person } = signed_in().await?;
    review::write_opinion(&state.db, &person, &case_id, intent, &input).await
}

/// The coordinator reminds the specialists who have not submitted their opinion yet.
#[server(endpoint = "remind_specialists")]
pub async fn remind_specialists(case_id: CaseId) -> Result<(), AppError> {
    let Call { state, person } = signed_in().await?;
    review::remind_specialists(&state.db, &person, &case_id).await
}

#[server(endpoint = "submit_final_summary")]
pub async fn submit_final_summary(case_id: CaseId, version: i64, summary: String) -> Result<(), AppError> {
    let Call { state, person } = signed_in().await?;
    let (db, storage) = (&state.db, &state.storage);
    review::submit_final_summary(db, storage, &person, &case_id, version, &summary).await
}

/// The report's content for the report page (the PDF is at `/cases/{id}/report.pdf`).
#[server(endpoint = "load_report")]
pub async fn load_report(case_id: CaseId) -> Result<Report, AppError> {
    let Call { state, person } = signed_in().await?;
    review::report(&state.db, &person, &case_id).await
}
