//! Use cases. Each public function is one thing a person does, in one transaction: the change,
//! its timeline entries and its audit record commit together or not at all.

pub mod accounts;
pub mod assignment;
mod case_action;
pub mod cases;
pub mod catalog;
pub mod documents;
pub mod payments;
mod throttle;

/// Who is acting and from where: what every use case needs for authorization and the audit log.
pub struct Caller<'a> {
    pub user: &'a crate::model::CurrentUser,
    pub ip: &'a str,
}
