mod accounts;
mod queue;

pub use accounts::AccountsPage;
pub use queue::QueuePage;
