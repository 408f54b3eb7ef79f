//! Per-deployment values kept in the database, so that every app server of one deployment
//! shares them without anyone copying a secret around.

use sqlx::{Any, Executor};

/// The value stored under `name`; when there is none yet, `generated` is stored and returned.
/// Concurrent first starts agree: the first insert wins and everyone reads it back.
pub async fn get_or_insert(
    conn: &mut sqlx::AnyConnection,
    name: &str,
    generated: &str,
) -> Result<String, sqlx::Error> {
    sqlx::query("INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
        .bind(name)
        .bind(generated)
        .execute(&mut *conn)
        .await?;
    get(&mut *conn, name)
        .await?
        .ok_or_else(|| sqlx::Error::RowNotFound)
}

pub async fn get<'e>(
    ex: impl Executor<'e, Database = Any>,
    name: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT value FROM settings WHERE name = $1")
        .bind(name)
        .fetch_optional(ex)
        .await
}
