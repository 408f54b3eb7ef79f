//! Per-deployment values kept in the database, so that every app server of one deployment
//! shares them without anyone copying a secret around.

use crate::server::db::run::{self, args};
use crate::server::db::{Executes, Result};

/// The value stored under `name`; when there is none yet, `generated` is stored and returned.
/// Concurrent first starts agree: the first insert wins and everyone reads it back.
pub async fn get_or_insert(conn: &mut sqlx::AnyConnection, name: &str, generated: &str) -> Result<String> {
    const SQL: &str = "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";
    run::execute(&mut *conn, SQL, args![name, generated]).await?;
    get(&mut *conn, name)
        .await?
        .ok_or_else(|| sqlx::Error::RowNotFound)
}

pub async fn get<'e>(ex: impl Executes<'e>, name: &str) -> Result<Option<String>> {
    run::scalar_optional(ex, "SELECT value FROM settings WHERE name = $1", args![name]).await
}
