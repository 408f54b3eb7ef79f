//! Medical documents: upload (streamed, checked, limited), removal and replacement in a draft,
//! and audited, integrity-checked reads.

use super::audit::{self, On};
use super::case_action::{self, Audience};
use super::Person;
use crate::domain::audit::Outcome;
use crate::domain::document::{
    human_size, Rejection, MAX_CASE_BYTES, MAX_FILES_PER_CASE, MAX_FILE_BYTES, MAX_PATIENT_BYTES,
};
use crate::domain::{document::clean_name, CaseAction, MediaType};
use crate::error::AppError;
use crate::model::DocumentInfo;
use crate::server::db::{self, cases, documents, review, Db};
use crate::server::failure::internal;
use crate::server::storage::{PutError, ReadError, Storage, Stored};
use bytes::Bytes;
use futures_util::Stream;

pub struct Upload<'a> {
    pub case_id: &'a str,
    /// The name the browser gave; kept only as cleaned display metadata.
    pub name: &'a str,
    /// A document of the same case this one replaces.
    pub replaces: Option<&'a str>,
    /// The request's Content-Length, when the client sent one: lets us refuse at once.
    pub declared_len: Option<u64>,
    /// The item of a document request this file answers (a case under review, not a draft).
    pub request_item: Option<&'a str>,
}

pub async fn upload<S, E>(
    db: &Db,
    storage: &Storage,
    caller: &Person,
    upload: Upload<'_>,
    body: S,
) -> Result<DocumentInfo, AppError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    if let Some(item_id) = upload.request_item {
        return upload_requested(db, storage, caller, &upload, item_id, body).await;
    }
    case_action::check(db, caller, upload.case_id, CaseAction::EditDraft).await?;
    let replaced = match upload.replaces {
        Some(id) => Some(document_of_case(db, id, upload.case_id).await?),
        None => None,
    };
    let freed = replaced.as_ref().map_or(0, |d| d.size_bytes);
    let max = allowance(db, upload.case_id, replaced.is_some(), freed).await?;
    if upload.declared_len.is_some_and(|len| len > max.bytes) {
        return Err(too_large(max));
    }
    let stored = storage
        .put(body, max.bytes)
        .await
        .map_err(|e| put_error(e, max))?;
    let name = clean_name(upload.name);
    match record(db, caller, &upload, &stored, &name, replaced.as_ref()).await {
        Ok(id) => {
            if let Some(old) = replaced {
                delete_file(storage, &old.storage_key).await;
            }
            Ok(info(id, name, &stored, caller))
        }
        Err(e) => {
            delete_file(storage, &stored.key).await;
            Err(e)
        }
    }
}

fn info(id: String, name: String, stored: &Stored, caller: &Person) -> DocumentInfo {
    DocumentInfo {
        id,
        name,
        media_type: stored.media_type,
        size_bytes: stored.size,
        uploaded_by: caller.user.name.clone(),
        created_at: crate::model::from_ms(db::now_ms()),
    }
}

/// The patient answers one item of a document request while the case is under review. The
/// last item in closes the request: "Documents provided", and the requester is told.
async fn upload_requested<S, E>(
    db: &Db,
    storage: &Storage,
    caller: &Person,
    upload: &Upload<'_>,
    item_id: &str,
    body: S,
) -> Result<DocumentInfo, AppError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    if upload.replaces.is_some() {
        return Err(AppError::validation(
            "file",
            "A requested document is added, not replaced.",
        ));
    }
    case_action::check(db, caller, upload.case_id, CaseAction::ProvideRequestedDocuments).await?;
    let item = review::find_item(db.pool(), item_id)
        .await?
        .filter(|i| i.case_id == upload.case_id)
        .ok_or(AppError::NotFound)?;
    if item.document_id.is_some() {
        return Err(AppError::conflict(ALREADY_PROVIDED));
    }
    let max = allowance(db, upload.case_id, false, 0).await?;
    if upload.declared_len.is_some_and(|len| len > max.bytes) {
        return Err(too_large(max));
    }
    let stored = storage
        .put(body, max.bytes)
        .await
        .map_err(|e| put_error(e, max))?;
    let name = clean_name(upload.name);
    match record_requested(db, caller, upload, &stored, &name, &item).await {
        Ok(id) => Ok(info(id, name, &stored, caller)),
        Err(e) => {
            delete_file(storage, &stored.key).await;
            Err(e)
        }
    }
}

const ALREADY_PROVIDED: &str = "This document has already been provided.";

async fn record_requested(
    db: &Db,
    caller: &Person,
    upload: &Upload<'_>,
    stored: &Stored,
    name: &str,
    item: &review::ItemOfRequest,
) -> Result<String, AppError> {
    let mut acting =
        case_action::begin_current(db, caller, upload.case_id, CaseAction::ProvideRequestedDocuments).await?;
    let now = db::now_ms();
    ensure_within_limits(&mut acting.tx, upload.case_id, stored.size).await?;
    let id = documents::insert(&mut acting.tx, &new_document(upload, caller, stored, name), now).await?;
    if !review::fulfil_item(&mut acting.tx, &item.item_id, &id, now).await? {
        return Err(AppError::conflict(ALREADY_PROVIDED));
    }
    if review::close_request_if_complete(&mut acting.tx, &item.request_id, now).await? {
        let audience = Audience {
            requester: Some(item.requested_by.clone()),
            ..Audience::default()
        };
        case_action::finish(acting, "All requested documents are in.", &audience).await?;
    } else {
        audit::record(
            &mut *acting.tx,
            &caller.into(),
            "provide_document",
            On::case(upload.case_id),
            Outcome::Ok,
        )
        .await?;
        acting.tx.commit().await?;
    }
    Ok(id)
}

fn new_document<'a>(
    upload: &Upload<'a>,
    caller: &'a Person,
    stored: &'a Stored,
    name: &'a str,
) -> documents::NewDocument<'a> {
    documents::NewDocument {
        case_id: upload.case_id,
        uploaded_by: &caller.user.id,
        name,
        media_type: stored.media_type,
        size_bytes: stored.size,
        sha256: &stored.sha256,
        storage_key: &stored.key,
    }
}

/// Re-checks the per-case limits inside the recording transaction, where no other upload can
/// slip in between.
async fn ensure_within_limits(
    conn: &mut sqlx::AnyConnection,
    case_id: &str,
    size: u64,
) -> Result<(), AppError> {
    let (count, total) = documents::usage(&mut *conn, case_id).await?;
    let total = u64::try_from(total).unwrap_or(0) + size;
    if count >= i64::from(MAX_FILES_PER_CASE) || total > MAX_CASE_BYTES {
        return Err(AppError::validation(
            "file",
            "This case has reached its document limit.",
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
struct Allowance {
    bytes: u64,
    /// The account's total is what binds, not the file or the case.
    account_bound: bool,
}

/// How many bytes the next file may have, given the per-file, per-case and per-patient limits.
async fn allowance(db: &Db, case_id: &str, replacing: bool, freed: i64) -> Result<Allowance, AppError> {
    let (count, total) = documents::usage(db.pool(), case_id).await?;
    if !replacing && count >= i64::from(MAX_FILES_PER_CASE) {
        return Err(AppError::validation(
            "file",
            format!("A case can hold at most {MAX_FILES_PER_CASE} files. Remove one to add another."),
        ));
    }
    let used = u64::try_from(total - freed).unwrap_or(0);
    let left = MAX_CASE_BYTES.saturating_sub(used);
    if left == 0 {
        return Err(AppError::TooLarge(format!(
            "This case already holds {} of documents, the most one case can have.",
            human_size(MAX_CASE_BYTES)
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

fn patient_full() -> AppError {
    AppError::TooLarge(format!(
        "Your cases already hold {} of documents, the most one account can keep. Remove documents \
         from a draft, or contact the service.",
        human_size(MAX_PATIENT_BYTES)
    ))
}

fn too_large(max: Allowance) -> AppError {
    if max.account_bound {
        return AppError::TooLarge(format!(
            "The file is too large: your cases have room for {} more, the most one account can keep \
             being {}.",
            human_size(max.bytes),
            human_size(MAX_PATIENT_BYTES)
        ));
    }
    AppError::TooLarge(format!(
        "The file is too large. Files can be at most {}.",
        human_size(max.bytes)
    ))
}

fn put_error(err: PutError, max: Allowance) -> AppError {
    match err {
        PutError::TooLarge(_) => too_large(max),
        PutError::Rejected(Rejection::Unsupported) => {
            AppError::UnsupportedType(Rejection::Unsupported.message())
        }
        PutError::Rejected(other) => AppError::validation("file", other.message()),
        PutError::Interrupted(_) => {
            AppError::validation("file", "The upload was interrupted. Please try again.")
        }
        PutError::Io(e) => internal("document storage", e),
    }
}

/// Writes the document row in a transaction that first re-checks, under the case's write lock,
/// that the case is still a draft and still within its limits (a submit or a second upload may
/// have raced this one).
async fn record(
    db: &Db,
    caller: &Person,
    upload: &Upload<'_>,
    stored: &Stored,
    name: &str,
    replaced: Option<&documents::DocumentRow>,
) -> Result<String, AppError> {
    let now = db::now_ms();
    let mut tx = db.begin().await?;
    if !cases::touch_if_status(&mut tx, upload.case_id, crate::domain::CaseStatus::Draft, now).await? {
        return Err(AppError::conflict(
            "This case was submitted meanwhile; documents can no longer be changed here.",
        ));
    }
    if let Some(old) = replaced {
        documents::delete(&mut tx, &old.id).await?;
    }
    ensure_within_limits(&mut tx, upload.case_id, stored.size).await?;
    let id = documents::insert(&mut tx, &new_document(upload, caller, stored, name), now).await?;
    let action = if replaced.is_some() {
        "replace_document"
    } else {
        "upload_document"
    };
    audit::record(
        &mut *tx,
        &caller.into(),
        action,
        On::case(upload.case_id),
        Outcome::Ok,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

async fn document_of_case(
    db: &Db,
    document_id: &str,
    case_id: &str,
) -> Result<documents::DocumentRow, AppError> {
    documents::find(db.pool(), document_id)
        .await?
        .filter(|d| d.case_id == case_id)
        .ok_or(AppError::NotFound)
}

/// Removes a document from a draft. The row goes in the transaction; the file after commit, so a
/// rollback never leaves a row pointing at a deleted file.
pub async fn remove(db: &Db, storage: &Storage, caller: &Person, document_id: &str) -> Result<(), AppError> {
    let doc = documents::find(db.pool(), document_id)
        .await?
        .ok_or(AppError::NotFound)?;
    case_action::check(db, caller, &doc.case_id, CaseAction::EditDraft).await?;
    let mut tx = db.begin().await?;
    if !cases::touch_if_status(
        &mut tx,
        &doc.case_id,
        crate::domain::CaseStatus::Draft,
        db::now_ms(),
    )
    .await?
    {
        return Err(AppError::conflict(
            "This case was submitted meanwhile; documents can no longer be changed here.",
        ));
    }
    documents::delete(&mut tx, &doc.id).await?;
    audit::record(
        &mut *tx,
        &caller.into(),
        "remove_document",
        On::case(&doc.case_id),
        Outcome::Ok,
    )
    .await?;
    tx.commit().await?;
    delete_file(storage, &doc.storage_key).await;
    Ok(())
}

/// A document the caller may read, opened after its checksum matched. Every read is audited,
/// refused ones too; a document of a case the caller may not see is "not found".
pub async fn open(
    db: &Db,
    storage: &Storage,
    caller: &Person,
    document_id: &str,
) -> Result<(String, MediaType, tokio::fs::File), AppError> {
    let doc = documents::find(db.pool(), document_id).await?;
    let visible = match &doc {
        Some(d) => {
            let case = cases::find(db.pool(), &d.case_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let mut conn = db.pool().acquire().await?;
            case_action::relation_of(&mut conn, &case, caller)
                .await?
                .may_view_case(case.status()?)
        }
        None => false,
    };
    let case_id = doc.as_ref().map(|d| d.case_id.clone()).unwrap_or_default();
    let Some(doc) = doc.filter(|_| visible) else {
        audit::record(
            db.pool(),
            &caller.into(),
            "read_document",
            On::case(&case_id),
            Outcome::Denied,
        )
        .await?;
        return Err(AppError::NotFound);
    };
    match storage.open_verified(&doc.storage_key, &doc.sha256).await {
        Ok(file) => {
            audit::record(
                db.pool(),
                &caller.into(),
                "read_document",
                On::case(&doc.case_id),
                Outcome::Ok,
            )
            .await?;
            Ok((doc.name.clone(), doc.media_type()?, file))
        }
        Err(e @ (ReadError::Corrupt | ReadError::Missing)) => {
            audit::record(
                db.pool(),
                &caller.into(),
                "read_document",
                On::case(&doc.case_id),
                Outcome::IntegrityFailure,
            )
            .await?;
            Err(internal(
                "document integrity",
                format!("document {}: {e}", doc.id),
            ))
        }
        Err(ReadError::Io(e)) => Err(internal("document read", e)),
    }
}

async fn delete_file(storage: &Storage, key: &str) {
    if let Err(e) = storage.delete(key).await {
        tracing::warn!(key, error = %e, "could not delete a stored file; it is now unreferenced");
    }
}
