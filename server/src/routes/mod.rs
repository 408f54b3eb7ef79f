//! Plain axum routes for what server functions are not made for: streamed uploads and file
//! downloads.

pub mod audit;
pub mod documents;
pub mod events;
mod files;
pub mod report;
pub mod webhooks;
