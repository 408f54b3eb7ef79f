//! Cross-cutting protections for every response and every write (quality A5).

use axum::body::Body;
use axum::http::{header, HeaderValue, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Security headers on every response. Pages set their own CSP (with the hydration nonce) in the
/// shell; everything else gets one that allows nothing to run.
pub async fn headers(request: Request<Body>, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'; base-uri 'none'"),
        );
    }
    response
}

/// Refuses state-changing requests that a browser sent from another site. Browsers send
/// `Origin` on every POST; when it names another host than the one addressed, the request is a
/// cross-site forgery attempt and is answered 403 before any handler runs. Requests without
/// `Origin` (server-to-server, such as payment webhooks) are not browser forgeries and pass.
pub async fn same_origin_writes(request: Request<Body>, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && is_cross_site(&request) {
        return (StatusCode::FORBIDDEN, "Cross-site requests are not accepted.").into_response();
    }
    next.run(request).await
}

fn is_cross_site(request: &Request<Body>) -> bool {
    let headers = request.headers();
    if headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site") {
        return true;
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("null");
    origin_host != host
}

/// Server functions answer their own failures (a malformed argument, say) with 500 whatever the
/// cause. The body is our `AppError`, whose variant knows the right status, so we set it here:
/// a bad request is a 422, not a server fault.
pub async fn server_fn_error_status(request: Request<Body>, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key("serverfnerror")
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024).await.unwrap_or_default();
    if let Ok(error) = serde_json::from_slice::<app::error::AppError>(&bytes) {
        parts.status = error.status();
    }
    Response::from_parts(parts, Body::from(bytes))
}
