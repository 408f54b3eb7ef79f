//! Internal failures become `AppError::Internal` with a reference id. The full error goes to the
//! server log under that id; the browser sees only the id, never SQL or data.

use crate::error::AppError;

pub fn internal(context: &str, err: impl std::fmt::Display) -> AppError {
    let ref_id = uuid::Uuid::new_v4().simple().to_string()[..12].to_owned();
    tracing::error!(ref_id, context, error = %err, "internal error");
    AppError::Internal { ref_id }
}

/// The object store did not answer: the operator's log says which store and why; the person
/// is told to try again, and nothing was changed.
pub fn storage_unavailable(err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "storage unavailable");
    AppError::StorageUnavailable
}

/// A unique constraint said "already exists". Decided from the driver's error code, never from
/// the text of the database's message, which differs between SQLite and PostgreSQL.
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        internal("database", err)
    }
}
