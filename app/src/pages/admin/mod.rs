mod accounts;
mod audit;
mod catalog;
mod queue;

pub use accounts::AccountsPage;
pub use audit::AuditPage;
pub use catalog::CatalogPage;
pub use queue::QueuePage;
