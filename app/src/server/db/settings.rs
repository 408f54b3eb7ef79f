//! Per-deployment values kept in the database, so that every app server of one deployment
//! shares them without anyone copying a secret around.

use crate::server::db::run::{self, args};
use sqlx::{Any, Executor};

/// The value stored under `name`; when there is none yet, `generated` is stored and returned.
/// Concurrent first starts agree: the first insert wins and everyone reads it back.
pub async fn get_or_insert(
    conn: &mut sqlx::AnyConnection,
    name: &str,
    generated: &str,
) -> Result<String, sqlx::Error> {
    run::execute(
        &mut *conn,
        "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        args![name, generated],
    )
    .await?;
    get(&mut *conn, name)
        .await?
        .ok_or_else(|| sqlx::Error::RowNotFound)
}

pub async fn get<'e>(
    ex: impl Executor<'e, Database = Any>,
    name: &str,
) -> Result<Option<String>, sqlx::Error> {
    run::scalar_optional(ex, "SELECT value FROM settings WHERE name = $1", args![name]).await
}
