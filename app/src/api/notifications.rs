//! The notification centre of the signed-in user: their own notifications only.

use crate::error::AppError;
use crate::model::Notification;
use leptos::prelude::*;

#[server(endpoint = "unread_count")]
pub async fn unread_count() -> Result<u32, AppError> {
    use super::support::*;
    respond(async move {
        let (user, _) = caller().await?;
        let (unread, _) = crate::server::db::notifications::watermark(state()?.db.pool(), &user.id).await?;
        Ok(u32::try_from(unread).unwrap_or(u32::MAX))
    })
    .await
}

#[server(endpoint = "notifications")]
pub async fn load_notifications() -> Result<Vec<Notification>, AppError> {
    use super::support::*;
    respond(async move {
        let (user, _) = caller().await?;
        Ok(crate::server::db::notifications::recent(state()?.db.pool(), &user.id, 100).await?)
    })
    .await
}

#[server(endpoint = "mark_notifications_read")]
pub async fn mark_notifications_read() -> Result<(), AppError> {
    use super::support::*;
    respond(async move {
        let (user, _) = caller().await?;
        let now = crate::server::db::now_ms();
        Ok(crate::server::db::notifications::mark_all_read(state()?.db.pool(), &user.id, now).await?)
    })
    .await
}
