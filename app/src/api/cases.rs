//! Case lists, the case page and the patient's intake. Each function checks who calls on the
//! server (the service checks the caller's relation to the case) and calls one service.
// Server functions take one argument per form field, so plain HTML forms work before hydration.
#![allow(clippy::too_many_arguments)]

use crate::domain::CaseAction;
#[cfg(feature = "ssr")]
use crate::domain::{audit::UseCase, Role};
use crate::error::AppError;
use crate::model::CaseId;
use crate::model::{CaseSummary, CaseView, ClinicianCases, DocumentInfo, FormIntent, Page};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::support::{signed_in, signed_in_as, Call},
    crate::server::services::{case_view, cases, documents},
};

pub use crate::model::QueueQuery;

#[server(endpoint = "my_cases")]
pub async fn my_cases() -> Result<Vec<CaseSummary>, AppError> {
    let Call { state, person } = signed_in_as(Role::Patient, UseCase::MyCases).await?;
    case_view::my_cases(&state.db, &person).await
}

#[server(endpoint = "load_clinician_cases")]
pub async fn load_clinician_cases() -> Result<ClinicianCases, AppError> {
    let Call { state, person } = signed_in_as(Role::Clinician, UseCase::LoadClinicianCases).await?;
    case_view::clinician_cases(&state.db, &person).await
}

#[server(endpoint = "case_queue")]
pub async fn case_queue(query: QueueQuery) -> Result<Page<CaseSummary>, AppError> {
    let Call { state, .. } = signed_in_as(Role::Admin, UseCase::CaseQueue).await?;
    case_view::queue(&state.db, &query).await
}

#[server(endpoint = "load_case")]
pub async fn load_case(case_id: CaseId) -> Result<CaseView, AppError> {
    let Call { state, person } = signed_in().await?;
    case_view::view(&state.db, &person, &case_id).await
}

/// Cancels or rejects a case (`action` is `cancel` or `reject`).
#[server(endpoint = "close_case")]
pub async fn close_case(
    case_id: CaseId,
    version: i64,
    action: CaseAction,
    reason: String,
) -> Result<(), AppError> {
    let Call { state, person } = signed_in().await?;
    let (db, provider) = (&state.db, &state.config.payments);
    cases::close(db, provider, &person, &case_id, version, action, &reason).await
}

/// Opens a new draft for the signed-in patient and goes to its form.
#[server(endpoint = "start_case")]
pub async fn start_case() -> Result<CaseId, AppError> {
    let Call { state, person } = signed_in_as(Role::Patient, UseCase::CreateCase).await?;
    let id = cases::create_draft(&state.db, &person).await?;
    leptos_axum::redirect(&format!("/cases/{id}/edit"));
    Ok(id)
}

/// Saves the intake form, or saves and submits it.
#[server(endpoint = "save_case")]
pub async fn save_case(
    case_id: CaseId,
    version: i64,
    intent: FormIntent,
    #[server(flatten)] input: crate::domain::intake::DraftInput,
) -> Result<(), AppError> {
    let Call { state, person } = signed_in().await?;
    cases::save(&state.db, &person, &case_id, version, intent, &input).await?;
    if intent == FormIntent::Submit {
        leptos_axum::redirect(&format!("/cases/{case_id}"));
    }
    Ok(())
}

/// Deletes a draft with its documents and goes back to the case list.
#[server(endpoint = "delete_draft")]
pub async fn delete_draft(case_id: CaseId, version: i64) -> Result<(), AppError> {
    let Call { state, person } = signed_in().await?;
    cases::delete_draft(&state.db, &state.storage, &person, &case_id, version).await?;
    leptos_axum::redirect("/cases");
    Ok(())
}

/// Removes a document from a draft.
#[server(endpoint = "remove_document")]
pub async fn remove_document(document_id: String) -> Result<(), AppError> {
    let Call { state, person } = signed_in().await?;
    documents::remove(&state.db, &state.storage, &person, &document_id).await
}

/// The documents of a case the caller may see.
#[server(endpoint = "load_documents")]
pub async fn load_documents(case_id: CaseId) -> Result<Vec<DocumentInfo>, AppError> {
    let Call { state, person } = signed_in().await?;
    let page = case_view::view(&state.db, &person, &case_id).await?;
    Ok(page.documents)
}
