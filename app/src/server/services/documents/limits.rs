//! How much a case and a patient may hold: the per-file, per-case and per-patient limits,
//! checked before an upload streams and again under the case's write lock when it is recorded.

use crate::domain::document::{
    human_size, Rejection, MAX_CASE_BYTES, MAX_FILES_PER_CASE, MAX_FILE_BYTES, MAX_PATIENT_BYTES,
};
use crate::error::AppError;
use crate::i18n::td_string;
use crate::lang;
use crate::model::CaseId;
use crate::server::db::{documents, Db};
use crate::server::failure::{internal, storage_unavailable};
use crate::server::storage::{PutError, Storage, Stored};
use bytes::Bytes;
use futures_util::Stream;

/// Re-checks the per-case limits inside the recording transaction, where no other upload can
/// slip in between.
pub(super) async fn ensure_within_limits(
    conn: &mut sqlx::AnyConnection,
    case_id: &CaseId,
    size: u64,
) -> Result<(), AppError> {
    let (count, total) = documents::usage(&mut *conn, case_id).await?;
    let total = u64::try_from(total).unwrap_or(0) + size;
    if count >= i64::from(MAX_FILES_PER_CASE) || total > MAX_CASE_BYTES {
        return Err(AppError::validation(
            "file",
            td_string!(lang::current(), errors.document_limit),
        ));
    }
    let patient_total = u64::try_from(documents::patient_usage(&mut *conn, case_id).await?).unwrap_or(0);
    if patient_total + size > MAX_PATIENT_BYTES {
        return Err(patient_full());
    }
    Ok(())
}

/// How many bytes the next file may have, and which limit says so.
#[derive(Clone, Copy)]
pub(super) struct Allowance {
    pub(super) bytes: u64,
    /// The account's total is what binds, not the file or the case.
    pub(super) account_bound: bool,
}

/// Streams an upload into storage within `max`. A body that declares itself too large is
/// refused before a byte is read; one that turns out too large is refused as it passes `max`.
pub(super) async fn store_within<S, E>(
    storage: &Storage,
    body: S,
    declared_len: Option<u64>,
    max: Allowance,
) -> Result<Stored, AppError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    if declared_len.is_some_and(|len| len > max.bytes) {
        return Err(too_large(max));
    }
    storage.put(body, max.bytes).await.map_err(|e| put_error(e, max))
}

/// How many bytes the next file may have, given the per-file, per-case and per-patient limits.
pub(super) async fn allowance(
    db: &Db,
    case_id: &CaseId,
    replacing: bool,
    freed: i64,
) -> Result<Allowance, AppError> {
    let (count, total) = documents::usage(db.pool(), case_id).await?;
    if !replacing && count >= i64::from(MAX_FILES_PER_CASE) {
        return Err(AppError::validation(
            "file",
            td_string!(lang::current(), errors.files_per_case, count = MAX_FILES_PER_CASE),
        ));
    }
    let used = u64::try_from(total - freed).unwrap_or(0);
    let left = MAX_CASE_BYTES.saturating_sub(used);
    if left == 0 {
        let size = human_size(MAX_CASE_BYTES);
        return Err(AppError::TooLarge(td_string!(
            lang::current(),
            errors.case_space_full,
            size = &size
        )));
    }
    let patient_used =
        u64::try_from(documents::patient_usage(db.pool(), case_id).await? - freed).unwrap_or(0);
    let patient_left = MAX_PATIENT_BYTES.saturating_sub(patient_used);
    if patient_left == 0 {
        return Err(patient_full());
    }
    let bytes = left.min(MAX_FILE_BYTES);
    Ok(if patient_left < bytes {
        Allowance {
            bytes: patient_left,
            account_bound: true,
        }
    } else {
        Allowance {
            bytes,
            account_bound: false,
        }
    })
}

pub(super) fn patient_full() -> AppError {
    let size = human_size(MAX_PATIENT_BYTES);
    AppError::TooLarge(td_string!(
        lang::current(),
        errors.account_space_full,
        size = &size
    ))
}

pub(super) fn too_large(max: Allowance) -> AppError {
    let locale = lang::current();
    if max.account_bound {
        let (room, limit) = (human_size(max.bytes), human_size(MAX_PATIENT_BYTES));
        return AppError::TooLarge(td_string!(
            locale,
            errors.file_too_large_for_account,
            room = &room,
            limit = &limit
        ));
    }
    let size = human_size(max.bytes);
    AppError::TooLarge(td_string!(locale, errors.file_too_large, size = &size))
}

pub(super) fn put_error(err: PutError, max: Allowance) -> AppError {
    match err {
        PutError::TooLarge(_) => too_large(max),
        PutError::Rejected(Rejection::Unsupported) => {
            AppError::UnsupportedType(Rejection::Unsupported.message())
        }
        PutError::Rejected(other) => AppError::validation("file", other.message()),
        PutError::Interrupted(_) => {
            AppError::validation("file", td_string!(lang::current(), errors.upload_interrupted))
        }
        PutError::Unavailable(e) => storage_unavailable(e),
        PutError::Io(e) => internal("document storage", e),
    }
}
