//! Service and repository tests: each runs twice, on a fresh SQLite file and on a throwaway
//! PostgreSQL database (when `CONSILIUM_TEST_POSTGRES_URL` is set; `.ci/run` always sets it).
#![allow(clippy::unwrap_used)]

#[path = "services/support.rs"]
mod support;

#[path = "services/accounts.rs"]
mod accounts;
#[path = "services/audit.rs"]
mod audit;
#[path = "services/cases.rs"]
mod cases;
#[path = "services/catalog.rs"]
mod catalog;
#[path = "services/database.rs"]
mod database;
#[path = "services/documents.rs"]
mod documents;
#[path = "services/mail.rs"]
mod mail;
#[path = "services/pdf_tools.rs"]
mod pdf_tools;
#[path = "services/review.rs"]
mod review;
#[path = "services/seed_flow.rs"]
mod seed_flow;
#[path = "services/sequences.rs"]
mod sequences;
#[path = "services/intake.rs"]
mod services_intake;
