//! A person's own notifications: how many are unread, the latest, and marking them read.

use super::Person;
use crate::error::AppError;
use crate::model::Notification;
use crate::server::db::{self, notifications, Db};

/// How many of the newest notifications the centre shows.
const RECENT: i64 = 100;

pub async fn unread_count(db: &Db, person: &Person) -> Result<u32, AppError> {
    let (unread, _) = notifications::watermark(db.pool(), person.id()).await?;
    Ok(u32::try_from(unread).unwrap_or(u32::MAX))
}

pub async fn recent(db: &Db, person: &Person) -> Result<Vec<Notification>, AppError> {
    Ok(notifications::recent(db.pool(), person.id(), RECENT).await?)
}

pub async fn mark_all_read(db: &Db, person: &Person) -> Result<(), AppError> {
    Ok(notifications::mark_all_read(db.pool(), person.id(), db::now_ms()).await?)
}
