//! `POST /cases/{case_id}/documents?name=…[&replaces=…]` streams one file into a draft;
//! `GET /documents/{id}[?download=1]` serves one, after checking who asks and the file's checksum;
//! `GET /cases/{case_id}/report.pdf` serves the final report the same way; `GET /admin/audit.csv`
//! exports an audit log search.

use app::domain::document::{clean_name, download_name};
use app::error::AppError;
use app::model::CurrentUser;
use app::server::auth::request::user_for_token;
use app::server::auth::token;
use app::server::services::{documents, review, Caller};
use app::server::AppState;
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use axum_extra::extract::CookieJar;
use serde::Deserialize;
use std::net::SocketAddr;

/// An `AppError` as an HTTP response: its status and the same JSON body server functions send.
pub struct ApiError(pub AppError);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0.status(), Json(self.0)).into_response()
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

/// Who calls a plain route, and from where: every handler here starts from this. Missing or
/// expired sessions are rejected with 401 before the handler runs.
pub struct Signed {
    user: CurrentUser,
    ip: String,
}

impl Signed {
    fn caller(&self) -> Caller<'_> {
        Caller {
            user: &self.user,
            ip: &self.ip,
        }
    }
}

impl FromRequestParts<AppState> for Signed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
        let ip = client_ip(state, &parts.headers, peer);
        let raw = CookieJar::from_headers(&parts.headers)
            .get(token::cookie_name(state.config.secure_cookies))
            .map(|c| c.value().to_owned())
            .ok_or(ApiError(AppError::Unauthenticated))?;
        let user = user_for_token(state, &raw)
            .await?
            .ok_or(ApiError(AppError::Unauthenticated))?;
        Ok(Signed { user, ip })
    }
}

fn client_ip(state: &AppState, headers: &HeaderMap, peer: Option<SocketAddr>) -> String {
    app::server::auth::request::client_address(headers, peer.map(|p| p.ip()), state.config.trusted_proxies)
}

#[derive(Deserialize)]
pub struct UploadQuery {
    name: String,
    replaces: Option<String>,
    /// The item of a document request this file answers.
    item: Option<String>,
}

pub async fn upload(
    State(state): State<AppState>,
    Path(case_id): Path<String>,
    Query(query): Query<UploadQuery>,
    who: Signed,
    request: Request,
) -> Result<Response, ApiError> {
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
    let info = documents::upload(&state.db, &state.storage, &who.caller(), upload, body).await?;
    Ok((StatusCode::CREATED, Json(info)).into_response())
}

#[derive(Deserialize)]
pub struct DownloadQuery {
    #[serde(default)]
    download: Option<String>,
}

pub async fn download(
    State(state): State<AppState>,
    Path(document_id): Path<String>,
    Query(query): Query<DownloadQuery>,
    who: Signed,
) -> Result<Response, ApiError> {
    let caller = who.caller();
    let (name, media_type, file) = documents::open(&state.db, &state.storage, &caller, &document_id).await?;
    // Offered under an extension that says what the content is, whatever the uploader named it.
    let name = download_name(&clean_name(&name), media_type);
    let inline = query.download.is_none() && media_type.viewable_inline();
    Ok(file_response(file, media_type.mime(), &name, inline).await)
}

/// `GET /cases/{case_id}/report.pdf[?download=1]`: the final report, to the patient, the case's
/// coordinator and specialists, and admins; "not found" to anyone else. Audited like documents.
pub async fn report_pdf(
    State(state): State<AppState>,
    Path(case_id): Path<String>,
    Query(query): Query<DownloadQuery>,
    who: Signed,
) -> Result<Response, ApiError> {
    let caller = who.caller();
    let (name, file) = review::open_report_pdf(&state.db, &state.storage, &caller, &case_id).await?;
    Ok(file_response(file, "application/pdf", &name, query.download.is_none()).await)
}

/// A stored file as a response that can only ever be itself in the browser.
async fn file_response(file: tokio::fs::File, mime: &'static str, name: &str, inline: bool) -> Response {
    let len = file.metadata().await.map(|m| m.len()).unwrap_or(0);
    let mut response = Body::from_stream(tokio_util::io::ReaderStream::new(file)).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    h.insert(header::CONTENT_DISPOSITION, content_disposition(name, inline));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    // The file may only ever be itself: no scripts, no plugins, no framing, its own origin.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'self'; sandbox"),
    );
    response
}

/// `inline` or `attachment`, with an ASCII fallback name and the real name in RFC 5987 form.
/// The name was cleaned at upload; quotes and control characters cannot occur in it.
fn content_disposition(name: &str, inline: bool) -> HeaderValue {
    let kind = if inline { "inline" } else { "attachment" };
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    HeaderValue::from_str(&format!(
        "{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

/// `GET /admin/audit.csv?who=…&action=…`: what the same search on the audit page finds, as a
/// CSV download. Admins only (the service checks and records the export).
pub async fn audit_csv(
    State(state): State<AppState>,
    Query(query): Query<app::model::AuditQuery>,
    who: Signed,
) -> Result<Response, ApiError> {
    let caller = who.caller();
    let csv = app::server::services::audit::export_csv(&state.db, &caller, &query).await?;
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
