//! `GET /admin/audit.csv`: an audit log search as a CSV download.

use app::error::AppError;
use app::server::services::Person;
use app::server::AppState;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// `GET /admin/audit.csv?who=…&action=…`: what the same search on the audit page finds, as a
/// CSV download. Admins only (the service checks and records the export).
pub async fn audit_csv(
    State(state): State<AppState>,
    Query(query): Query<app::model::AuditQuery>,
    who: Person,
) -> Result<Response, AppError> {
    let csv = app::server::services::audit::export_csv(&state.db, &who, &query).await?;
    let headers = [
        (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
        (
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"consilium-audit-log.csv\"",
        ),
        (header::CACHE_CONTROL, "private, no-store"),
    ];
    Ok((headers, csv).into_response())
}
