//! A stored file as an HTTP response that can only ever be itself in the browser.

use axum::body::Body;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// `?download=1` asks for an attachment; without it, viewable files open in the browser.
#[derive(Deserialize)]
pub struct DownloadQuery {
    #[serde(default)]
    download: Option<String>,
}

impl DownloadQuery {
    pub fn inline(&self) -> bool {
        self.download.is_none()
    }
}

const FILE_POLICY: &str = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'self'; sandbox";

/// A stored file as a response that can only ever be itself in the browser.
pub async fn file_response(file: tokio::fs::File, mime: &'static str, name: &str, inline: bool) -> Response {
    let len = file.metadata().await.map(|m| m.len()).unwrap_or(0);
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(mime)),
        (header::CONTENT_LENGTH, HeaderValue::from(len)),
        (header::CONTENT_DISPOSITION, content_disposition(name, inline)),
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        ),
        // The file may only ever be itself: no scripts, no plugins, no framing, its own origin.
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(FILE_POLICY),
        ),
    ];
    let body = Body::from_stream(tokio_util::io::ReaderStream::new(file));
    (headers, body).into_response()
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
