//! `GET /cases/{case_id}/report.pdf[?download=1]`: the final report, served like documents.

use super::files::{file_response, DownloadQuery};
use app::error::AppError;
use app::model::CaseId;
use app::server::services::{review, Person};
use app::server::AppState;
use axum::extract::{Path, Query, State};
use axum::response::Response;

/// The final report, to the patient, the case's
/// coordinator and specialists, and admins; "not found" to anyone else. Audited like documents.
pub async fn report_pdf(
    State(state): State<AppState>,
    Path(case_id): Path<CaseId>,
    Query(query): Query<DownloadQuery>,
    who: Person,
) -> Result<Response, AppError> {
    let (name, file) = review::open_report_pdf(&state.db, &state.storage, &who, &case_id).await?;
    Ok(file_response(file, "application/pdf", &name, query.inline()).await)
}
