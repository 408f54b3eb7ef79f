//! Medical documents: upload (streamed, checked, limited), removal and replacement in a draft,
//! and audited, integrity-checked reads.

mod limits;

use super::audit::{self, On};
use super::case_action::{self, Audience};
use super::Person;
use crate::domain::audit::{Outcome, UseCase};
use crate::domain::{document::clean_name, CaseAction, MediaType};
use crate::error::AppError;
use crate::i18n::td_string;
use crate::model::DocumentInfo;
use crate::model::{CaseId, Detail};
use crate::server::db::{self, cases, documents, review, Db};
use crate::server::failure::{internal, storage_unavailable};
use crate::server::storage::{ReadError, Storage, Stored};
use bytes::Bytes;
use futures_util::Stream;
use limits::{allowance, ensure_within_limits, store_within};

pub struct Upload<'a> {
    pub case_id: &'a CaseId,
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
    let stored = store_within(storage, body, upload.declared_len, max).await?;
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
            td_string!(crate::lang::current(), errors.requested_not_replaced),
        ));
    }
    case_action::check(db, caller, upload.case_id, CaseAction::ProvideRequestedDocuments).await?;
    let item = review::find_item(db.pool(), item_id)
        .await?
        .filter(|i| i.case_id == *upload.case_id)
        .ok_or(AppError::NotFound)?;
    if item.document_id.is_some() {
        return Err(AppError::conflict(td_string!(
            crate::lang::current(),
            errors.already_provided
        )));
    }
    let max = allowance(db, upload.case_id, false, 0).await?;
    let stored = store_within(storage, body, upload.declared_len, max).await?;
    let name = clean_name(upload.name);
    match record_requested(db, caller, upload, &stored, &name, &item).await {
        Ok(id) => Ok(info(id, name, &stored, caller)),
        Err(e) => {
            delete_file(storage, &stored.key).await;
            Err(e)
        }
    }
}

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
        return Err(AppError::conflict(td_string!(
            crate::lang::current(),
            errors.already_provided
        )));
    }
    if review::close_request_if_complete(&mut acting.tx, &item.request_id, now).await? {
        case_action::finish(
            acting,
            Some(Detail::DocumentsComplete),
            &Audience::requester(item.requested_by.clone()),
        )
        .await?;
    } else {
        audit::succeeded(
            &mut *acting.tx,
            &caller.into(),
            UseCase::ProvideDocument,
            On::case(upload.case_id),
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
        return Err(AppError::conflict(td_string!(
            crate::lang::current(),
            errors.submitted_meanwhile
        )));
    }
    if let Some(old) = replaced {
        documents::delete(&mut tx, &old.id).await?;
    }
    ensure_within_limits(&mut tx, upload.case_id, stored.size).await?;
    let id = documents::insert(&mut tx, &new_document(upload, caller, stored, name), now).await?;
    let action = if replaced.is_some() {
        UseCase::ReplaceDocument
    } else {
        UseCase::UploadDocument
    };
    audit::succeeded(&mut *tx, &caller.into(), action, On::case(upload.case_id)).await?;
    tx.commit().await?;
    Ok(id)
}

async fn document_of_case(
    db: &Db,
    document_id: &str,
    case_id: &CaseId,
) -> Result<documents::DocumentRow, AppError> {
    documents::find(db.pool(), document_id)
        .await?
        .filter(|d| d.case_id == *case_id)
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
        return Err(AppError::conflict(td_string!(
            crate::lang::current(),
            errors.submitted_meanwhile
        )));
    }
    documents::delete(&mut tx, &doc.id).await?;
    audit::succeeded(
        &mut *tx,
        &caller.into(),
        UseCase::RemoveDocument,
        On::case(&doc.case_id),
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
                .may_view_case(case.status)
        }
        None => false,
    };
    let case_id = doc.as_ref().map(|d| d.case_id.clone()).unwrap_or_default();
    let Some(doc) = doc.filter(|_| visible) else {
        audit::record(
            db.pool(),
            &caller.into(),
            UseCase::ReadDocument,
            On::case(&case_id),
            Outcome::Denied,
        )
        .await?;
        return Err(AppError::NotFound);
    };
    match storage.open_verified(&doc.storage_key, &doc.sha256).await {
        Ok(file) => {
            audit::succeeded(
                db.pool(),
                &caller.into(),
                UseCase::ReadDocument,
                On::case(&doc.case_id),
            )
            .await?;
            Ok((doc.name.clone(), doc.media_type()?, file))
        }
        Err(e @ (ReadError::Corrupt | ReadError::Missing)) => {
            audit::record(
                db.pool(),
                &caller.into(),
                UseCase::ReadDocument,
                On::case(&doc.case_id),
                Outcome::IntegrityFailure,
            )
            .await?;
            Err(internal(
                "document integrity",
                format!("document {}: {e}", doc.id),
            ))
        }
        Err(ReadError::Unavailable(e)) => Err(storage_unavailable(e)),
        Err(ReadError::Io(e)) => Err(internal("document read", e)),
    }
}

async fn delete_file(storage: &Storage, key: &str) {
    if let Err(e) = storage.delete(key).await {
        tracing::warn!(key, error = %e, "could not delete a stored file; it is now unreferenced");
    }
}
