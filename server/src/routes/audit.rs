//! `GET /admin/audit.csv`: an audit log search as a CSV download.

use app::error::AppError;
use app::server::services::Person;
use app::server::AppState;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

/// `GET /admin/audit.csv?who=…&action=…`: what the same search on the audit page finds, as a
/// CSV download. Admins only (the service checks and records the export).
pub async fn audit_csv(
    State(state): State<AppState>,
    Query(query): Query<app::model::AuditQuery>,
    who: Person,
) -> Result<Response, AppError> {
    let csv = app::server::services::audit::export_csv(&state.db, &who, &query).await?;
    let mut response = Body::from(csv).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"consilium-audit-log.csv\""),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}
