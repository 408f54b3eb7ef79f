//! The notification centre of the signed-in user: their own notifications only.

use crate::error::AppError;
use crate::model::Notification;
use leptos::prelude::*;

#[server(endpoint = "unread_count")]
pub async fn unread_count() -> Result<u32, AppError> {
    let call = super::support::signed_in().await?;
    crate::server::services::notifications::unread_count(&call.state.db, &call.person).await
}

#[server(endpoint = "load_notifications")]
pub async fn load_notifications() -> Result<Vec<Notification>, AppError> {
    let call = super::support::signed_in().await?;
    crate::server::services::notifications::recent(&call.state.db, &call.person).await
}

#[server(endpoint = "mark_notifications_read")]
pub async fn mark_notifications_read() -> Result<(), AppError> {
    let call = super::support::signed_in().await?;
    crate::server::services::notifications::mark_all_read(&call.state.db, &call.person).await
}
