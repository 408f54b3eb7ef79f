//! Service and repository tests: each runs twice, on a fresh SQLite file and on a throwaway
//! PostgreSQL database (when `CONSILIUM_TEST_POSTGRES_URL` is set; `.ci/run` always sets it).
#![allow(clippy::unwrap_used)]
mod accounts;
mod audit;
mod cases;
mod catalog;
mod database;
mod documents;
mod intake;
mod mail;
mod own_account;
mod pdf_tools;
mod profiles;
mod recovery;
mod review;
mod second_factor;
mod sequences;
mod slow_provider;
mod staffing;
mod storage;
mod support;
