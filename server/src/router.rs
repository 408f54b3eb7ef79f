//! The HTTP surface: Leptos pages and server functions, static files, health check, and the
//! security layers around all of them. Built without a listener so tests can drive it directly.

use crate::routes;
use crate::security;
use app::server::{db::Db, AppState};
use app::{shell, App};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};

pub fn build(state: AppState, leptos: LeptosOptions) -> Router {
    let page_routes = generate_route_list(App);
    let context_state = state.clone();
    let shell_options = leptos.clone();
    let db = state.db.clone();
    let config = state.config.clone();
    let files = Router::new()
        .route("/cases/{id}/documents", post(routes::documents::upload))
        .route("/documents/{document_id}", get(routes::documents::download))
        .route("/cases/{id}/report.pdf", get(routes::documents::report_pdf))
        .route("/admin/audit.csv", get(routes::documents::audit_csv))
        .route("/webhooks/payments", post(routes::webhooks::payments))
        .route("/events", get(routes::events::stream))
        .with_state(state);
    Router::new()
        .route("/healthz", get(move || health(db.clone())))
        .merge(files)
        .leptos_routes_with_context(
            &leptos,
            page_routes,
            move || provide_context(context_state.clone()),
            move || shell(shell_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler(shell))
        .layer(axum::middleware::from_fn(security::server_fn_error_status))
        .layer(axum::middleware::from_fn_with_state(
            config.clone(),
            security::same_origin_writes,
        ))
        .layer(axum::middleware::from_fn_with_state(config, security::headers))
        .with_state(leptos)
}

/// Liveness and database reachability, for load balancers.
async fn health(db: Db) -> Result<&'static str, StatusCode> {
    sqlx::query("SELECT 1")
        .execute(db.pool())
        .await
        .map(|_| "ok")
        .map_err(|_| StatusCode::SERVICE_UNAVAILABLE)
}
