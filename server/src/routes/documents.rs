//! `POST /cases/{case_id}/documents?name=…[&replaces=…][&item=…]` streams one file into a case;
//! `GET /documents/{id}[?download=1]` serves one, after checking who asks and the file's checksum.

use super::files::{file_response, DownloadQuery};
use app::domain::document::{clean_name, download_name};
use app::error::AppError;
use app::model::CaseId;
use app::server::services::{documents, Person};
use app::server::AppState;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct UploadQuery {
    name: String,
    replaces: Option<String>,
    /// The item of a document request this file answers.
    item: Option<String>,
}

pub async fn upload(
    State(state): State<AppState>,
    Path(case_id): Path<CaseId>,
    Query(query): Query<UploadQuery>,
    who: Person,
    request: Request,
) -> Result<Response, AppError> {
    let declared_len = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    let upload = documents::Upload {
        case_id: &case_id,
        name: &query.name,
        replaces: query.replaces.as_deref().filter(|r| !r.is_empty()),
        request_item: query.item.as_deref().filter(|r| !r.is_empty()),
        declared_len,
    };
    let body = request.into_body().into_data_stream();
    let info = documents::upload(&state.db, &state.storage, &who, upload, body).await?;
    Ok((StatusCode::CREATED, Json(info)).into_response())
}

pub async fn download(
    State(state): State<AppState>,
    Path(document_id): Path<String>,
    Query(query): Query<DownloadQuery>,
    who: Person,
) -> Result<Response, AppError> {
    let (name, media_type, file) = documents::open(&state.db, &state.storage, &who, &document_id).await?;
    // Offered under an extension that says what the content is, whatever the uploader named it.
    let name = download_name(&clean_name(&name), media_type);
    let inline = query.inline() && media_type.viewable_inline();
    Ok(file_response(file, media_type.mime(), &name, inline).await)
}
