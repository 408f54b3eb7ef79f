//! The HTTP server around the app: routes and cross-cutting protections. A library so that
//! tests drive the router without opening a port; `main.rs` only wires it to a listener.

/// The browser's assets: precompressed once at start, served with long-lived caching.
pub mod assets;
/// Leptos pages, server functions, health check, static files, and the layers around them.
pub mod router;
/// Plain routes: document upload and download.
pub mod routes;
/// Security headers and the same-origin check for writes.
pub mod security;
/// Background work: email outbox delivery, expired-session cleanup.
pub mod worker;
