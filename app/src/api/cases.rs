//! Case lists, the case page and the patient's intake; each checks role and relation on the server.
// Server functions take one argument per form field, so plain HTML forms work before hydration.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::{CaseSummary, CaseView, ClinicianCases, DocumentInfo, Page};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[server(endpoint = "my_cases")]
pub async fn my_cases() -> Result<Vec<CaseSummary>, AppError> {
    use super::support::*;
    use crate::domain::Role;
    use crate::server::services::{cases, Caller};
    respond(async move {
        let user = crate::server::auth::require_role(Role::Patient, "my_cases").await?;
        cases::my_cases(&state()?.db, &Caller { user: &user, ip: "" }).await
    })
    .await
}

#[server(endpoint = "clinician_cases")]
pub async fn load_clinician_cases() -> Result<ClinicianCases, AppError> {
    use super::support::*;
    use crate::domain::Role;
    use crate::server::services::{cases, Caller};
    respond(async move {
        let user = crate::server::auth::require_role(Role::Clinician, "clinician_cases").await?;
        cases::clinician_cases(&state()?.db, &Caller { user: &user, ip: "" }).await
    })
    .await
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

#[server(endpoint = "case_queue")]
pub async fn case_queue(query: QueueQuery) -> Result<Page<CaseSummary>, AppError> {
    use super::support::*;
    use crate::domain::Role;
    use crate::server::db::cases::QueueFilter;
    use crate::server::services::cases;
    respond(async move {
        crate::server::auth::require_role(Role::Admin, "case_queue").await?;
        if !query.status.is_empty() && query.status.parse::<crate::domain::CaseStatus>().is_err() {
            return Err(AppError::validation("status", "Unknown status."));
        }
        let filter = QueueFilter {
            status: query.status,
            search: query.search,
            ..QueueFilter::default()
        };
        cases::queue(&state()?.db, &filter, query.page).await
    })
    .await
}

#[server(endpoint = "case_view")]
pub async fn load_case(case_id: String) -> Result<CaseView, AppError> {
    use super::support::*;
    use crate::server::services::{cases, Caller};
    respond(async move {
        let (user, meta) = caller().await?;
        cases::view(
            &state()?.db,
            &Caller {
                user: &user,
                ip: &meta.ip,
            },
            &case_id,
        )
        .await
    })
    .await
}

/// Cancels or rejects a case; `action` is `cancel` or `reject`.
#[server(endpoint = "close_case")]
pub async fn close_case(
    case_id: String,
    version: i64,
    action: String,
    reason: String,
) -> Result<(), AppError> {
    use super::support::*;
    use crate::domain::CaseAction;
    use crate::server::services::{cases, Caller};
    respond(async move {
        let (user, meta) = caller().await?;
        let action: CaseAction = action
            .parse()
            .map_err(|_| AppError::validation("action", "Unknown action."))?;
        let state = state()?;
        cases::close(
            &state.db,
            &state.config.payments,
            &Caller {
                user: &user,
                ip: &meta.ip,
            },
            &case_id,
            version,
            action,
            &reason,
        )
        .await
    })
    .await
}

/// Opens a new draft for the signed-in patient and goes to its form.
#[server(endpoint = "start_case")]
pub async fn start_case() -> Result<String, AppError> {
    use super::support::*;
    use crate::domain::Role;
    use crate::server::services::{cases, Caller};
    respond(async move {
        let user = crate::server::auth::require_role(Role::Patient, "create_case").await?;
        let meta = crate::server::auth::RequestMeta::current().await;
        let id = cases::create_draft(
            &state()?.db,
            &Caller {
                user: &user,
                ip: &meta.ip,
            },
        )
        .await?;
        leptos_axum::redirect(&format!("/cases/{id}/edit"));
        Ok(id)
    })
    .await
}

/// Saves the intake form (`intent` = `save`) or saves and submits it (`submit`).
#[server(endpoint = "save_case")]
pub async fn save_case(
    case_id: String,
    version: i64,
    intent: String,
    review_type_id: String,
    category_id: String,
    patient_age: String,
    patient_sex: String,
    medical_history: String,
    current_treatment: String,
    questions: String,
) -> Result<(), AppError> {
    use super::support::*;
    use crate::domain::intake::DraftInput;
    use crate::server::services::{cases, Caller};
    respond(async move {
        let (user, meta) = caller().await?;
        let caller = Caller {
            user: &user,
            ip: &meta.ip,
        };
        let input = DraftInput {
            review_type_id,
            category_id,
            patient_age,
            patient_sex,
            medical_history,
            current_treatment,
            questions,
        };
        let db = &state()?.db;
        match intent.as_str() {
            "submit" => {
                cases::submit(db, &caller, &case_id, version, &input).await?;
                leptos_axum::redirect(&format!("/cases/{case_id}"));
            }
            _ => cases::save_draft(db, &caller, &case_id, version, &input).await?,
        }
        Ok(())
    })
    .await
}

/// Deletes a draft with its documents and goes back to the case list.
#[server(endpoint = "delete_draft")]
pub async fn delete_draft(case_id: String, version: i64) -> Result<(), AppError> {
    use super::support::*;
    use crate::server::services::{cases, Caller};
    respond(async move {
        let (user, meta) = caller().await?;
        let state = state()?;
        cases::delete_draft(
            &state.db,
            &state.storage,
            &Caller {
                user: &user,
                ip: &meta.ip,
            },
            &case_id,
            version,
        )
        .await?;
        leptos_axum::redirect("/cases");
        Ok(())
    })
    .await
}

/// Removes a document from a draft.
#[server(endpoint = "remove_document")]
pub async fn remove_document(document_id: String) -> Result<(), AppError> {
    use super::support::*;
    use crate::server::services::{documents, Caller};
    respond(async move {
        let (user, meta) = caller().await?;
        let state = state()?;
        documents::remove(
            &state.db,
            &state.storage,
            &Caller {
                user: &user,
                ip: &meta.ip,
            },
            &document_id,
        )
        .await
    })
    .await
}

/// The documents of a case the caller may see.
#[server(endpoint = "documents")]
pub async fn load_documents(case_id: String) -> Result<Vec<DocumentInfo>, AppError> {
    use super::support::*;
    use crate::server::services::{cases, Caller};
    respond(async move {
        let (user, meta) = caller().await?;
        Ok(cases::view(
            &state()?.db,
            &Caller {
                user: &user,
                ip: &meta.ip,
            },
            &case_id,
        )
        .await?
        .documents)
    })
    .await
}
