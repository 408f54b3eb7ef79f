mod accounts;
mod catalog;
mod queue;

pub use accounts::AccountsPage;
pub use catalog::CatalogPage;
pub use queue::QueuePage;
