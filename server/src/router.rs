//! The HTTP surface: Leptos pages and server functions, static files, health check, and the
//! security layers around all of them. Built without a listener so tests can drive it directly.

use crate::assets;
use crate::routes;
use crate::security;
use app::server::caller::RequestUser;
use app::server::{db::Db, AppState};
use app::{shell, App};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::path::PathBuf;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;

pub fn build(state: AppState, leptos: LeptosOptions) -> Router {
    let page_routes = generate_route_list(App);
    let context_state = state.clone();
    let fallback_state = state.clone();
    let shell_options = leptos.clone();
    let db = state.db.clone();
    let config = state.config.clone();
    let files = Router::new()
        .route("/cases/{id}/documents", post(routes::documents::upload))
        .route("/documents/{document_id}", get(routes::documents::download))
        .route("/cases/{id}/report.pdf", get(routes::report::report_pdf))
        .route("/admin/audit.csv", get(routes::audit::audit_csv))
        .route("/webhooks/payments", post(routes::webhooks::payments))
        .route("/events", get(routes::events::stream))
        .layer(axum::middleware::from_fn(in_the_askers_language))
        .with_state(state);
    let pkg_dir = PathBuf::from(leptos.site_root.as_ref()).join(leptos.site_pkg_dir.as_ref());
    let immutable = std::sync::Arc::new(assets::content_named(&pkg_dir));
    let pkg = Router::new()
        .fallback(move |request: Request<Body>| assets::serve(pkg_dir.clone(), immutable.clone(), request));
    Router::new()
        .route("/healthz", get(move || health(db.clone())))
        .merge(files)
        .leptos_routes_with_context(
            &leptos,
            page_routes,
            move || {
                provide_context(context_state.clone());
            },
            move || shell(shell_options.clone()),
        )
        .nest(&format!("/{}", leptos.site_pkg_dir), pkg)
        // A page that does not exist renders with the app's state like any other page.
        .fallback(leptos_axum::file_and_error_handler_with_context(
            move || {
                provide_context(fallback_state.clone());
            },
            shell,
        ))
        .layer(axum::middleware::from_fn(security::server_fn_error_status))
        .layer(axum::middleware::from_fn(remember_the_user))
        .layer(axum::middleware::from_fn_with_state(
            config.clone(),
            security::same_origin_writes,
        ))
        .layer(compression())
        .layer(axum::middleware::from_fn_with_state(config, security::headers))
        .with_state(leptos)
}

/// Pages, server-function answers and exports are compressed on the fly (brotli or gzip, as the
/// browser accepts) once they are big enough to gain from it. Never compressed here: the event
/// stream (a compressor would hold events back), images and PDFs (compressed already), and the
/// assets under `/pkg`, which are served precompressed.
fn compression() -> CompressionLayer<impl Predicate> {
    let predicate = SizeAbove::new(1024)
        .and(NotForContentType::GRPC)
        .and(NotForContentType::IMAGES)
        .and(NotForContentType::SSE)
        .and(NotForContentType::const_new("application/pdf"))
        .and(NotForContentType::const_new("application/wasm"))
        .and(NotForContentType::const_new("text/javascript"))
        .and(NotForContentType::const_new("text/css"));
    CompressionLayer::new().compress_when(predicate)
}

/// Gives every request its own memory of who is signed in, so the session is read once however
/// many parts of a page (header, guard, data) ask.
async fn remember_the_user(
    mut request: Request<Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    request.extensions_mut().insert(RequestUser::default());
    next.run(request).await
}

/// The plain routes answer (refusals of an upload, say) in the asker's language, as pages and
/// server functions do: the language cookie, else Accept-Language.
async fn in_the_askers_language(
    request: Request<Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let (parts, body) = request.into_parts();
    let locale = app::lang::choice::of_request(&parts);
    app::lang::answering_in(locale, next.run(Request::from_parts(parts, body))).await
}

/// Liveness and database reachability, for load balancers.
async fn health(db: Db) -> Result<&'static str, StatusCode> {
    sqlx::query("SELECT 1")
        .execute(db.pool())
        .await
        .map(|_| "ok")
        .map_err(|_| StatusCode::SERVICE_UNAVAILABLE)
}
