//! Consilium: a medical second-opinion service. This crate is shared by the server (feature
//! `ssr`) and the browser (feature `hydrate`): one model of cases and roles for both.
#![recursion_limit = "256"]

/// Server functions: the only way the browser reaches data. Each authorizes on the server.
pub mod api;
/// The root component, the HTML shell and the router.
pub mod app;
/// Reusable view pieces: layout, guards, status badges, error notes.
pub mod components;
/// Pure rules: statuses, transitions, roles, validation. No I/O.
pub mod domain;
/// `AppError`, the typed error every server function returns.
pub mod error;
/// Wire types sent from server to browser.
pub mod model;
/// One component per page, grouped by role.
pub mod pages;
/// Server-only code: database, sessions, services.
#[cfg(feature = "ssr")]
pub mod server;

pub use app::{shell, App};
