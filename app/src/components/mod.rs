/// Sign-in state shared by every page, and the guard that admits one role.
pub mod auth;
/// Case lists and status badges.
pub mod cases;
/// Error notes and field messages.
pub mod feedback;
/// Text and choice fields of the GET filter forms.
pub mod filters;
/// The card, hidden case fields and submit row of case action forms.
pub mod forms;
/// The page header and navigation.
pub mod layout;
/// Live updates over server-sent events.
pub mod live;
/// Document upload with per-file progress.
pub mod upload;
