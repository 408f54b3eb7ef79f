//! Plain axum routes for what server functions are not made for: streamed uploads and file
//! downloads.

pub mod documents;
pub mod events;
pub mod webhooks;
