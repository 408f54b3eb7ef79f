//! Use cases. Each public function is one thing a person does, in one transaction: the change,
//! its timeline entries and its audit record commit together or not at all.

pub mod accounts;
pub mod assignment;
pub mod audit;
mod case_action;
pub mod case_view;
pub mod cases;
pub mod catalog;
pub mod documents;
pub mod notifications;
pub mod payments;
pub mod refunds;
pub mod reminders;
pub mod review;
pub mod storage_sweep;
mod throttle;

pub use crate::server::caller::{Caller, Person};
