//! Case lists and the case page, for every role; each checks role and relation on the server.

use crate::error::AppError;
use crate::model::{CaseSummary, CaseView, ClinicianCases, Page};
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

/// The admin queue's filters, as they appear in the page's query string.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueQuery {
    pub status: String,
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
        cases::close(
            &state()?.db,
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
