//! Everything that runs only on the server: database, sessions, use cases, demo data.
//! Compiled with the `ssr` feature only; nothing here reaches the WASM.

/// Sign-in: password hashing, sessions, the current user of a request, login throttling.
pub mod auth;
/// Who acts: a signed-in person (the request extractor), the payment provider, the scheduler.
pub mod caller;
/// Settings read from the environment once at start.
pub mod config;
/// The connection pool, migrations and repositories (one module per table group).
pub mod db;
/// The demo data loaded on first start when asked for.
pub mod demo;
/// Demo cases played through the use cases (one completed with its report, one under review).
pub mod demo_cases;
/// Mapping of internal failures to `AppError` with a logged reference id.
pub mod failure;
/// Structure checks of uploaded files that need the whole file (PDF parsing, HEIF boxes).
pub mod file_check;
/// Live delivery of changes to open pages across app servers (PostgreSQL LISTEN/NOTIFY).
pub mod live;
/// Email delivery from the outbox (a folder by default).
pub mod mail;
/// Payment providers (built-in test provider, Stripe) and webhook signatures.
pub mod payments;
/// The final report as a PDF (embedded DejaVu Sans, real extractable text, page numbers).
pub mod report_pdf;
/// Per-deployment secrets generated once and kept in the database.
pub mod secrets;
/// Use cases. Each owns one transaction: state change, timeline, audit, all or nothing.
pub mod services;
/// The state shared by every request.
pub mod state;
/// Where document bytes live (local folder by default).
pub mod storage;

pub use state::AppState;
/// Fresh databases for tests (SQLite files and throwaway PostgreSQL databases).
pub mod testing;
