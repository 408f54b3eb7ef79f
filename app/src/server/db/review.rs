//! Document requests, opinions and the final report of a case.

use crate::model::{from_ms, OpinionView};
use crate::model::{CaseId, UserId};
use crate::server::db::run::{self, args};
use crate::server::db::{Executes, Result};
use sqlx::{AnyConnection, FromRow};

/// Creates a request with its items (in the given order) and returns its id.
pub async fn insert_request(
    conn: &mut AnyConnection,
    case_id: &CaseId,
    requested_by: &UserId,
    note: &str,
    items: &[String],
    now: i64,
) -> Result<String> {
    let id = super::new_id();
    const SQL: &str = "INSERT INTO document_requests (id, case_id, requested_by, note, created_at) VALUES ($1, $2, $3, $4, $5)";
    run::execute(&mut *conn, SQL, args![&id, case_id, requested_by, note, now]).await?;
    for (position, label) in items.iter().enumerate() {
        const SQL_2: &str =
            "INSERT INTO document_request_items (id, request_id, position, label) VALUES ($1, $2, $3, $4)";
        run::execute(
            &mut *conn,
            SQL_2,
            args![
                super::new_id(),
                &id,
                i64::try_from(position).unwrap_or(i64::MAX),
                label
            ],
        )
        .await?;
    }
    Ok(id)
}

/// An item of a document request, with its request.
#[derive(FromRow, Clone, Debug)]
pub struct ItemOfRequest {
    pub item_id: String,
    pub request_id: String,
    pub case_id: CaseId,
    pub requested_by: UserId,
    pub label: String,
    /// Set once the patient provided it.
    pub document_id: Option<String>,
}

pub async fn find_item<'e>(ex: impl Executes<'e>, item_id: &str) -> Result<Option<ItemOfRequest>> {
    const SQL: &str =
        "SELECT i.id AS item_id, r.id AS request_id, r.case_id, r.requested_by, i.label, i.document_id \
         FROM document_request_items i JOIN document_requests r ON r.id = i.request_id WHERE i.id = $1";
    run::fetch_optional(ex, SQL, args![item_id]).await
}

/// Attaches the document to the item if it is still open. False when another upload won.
pub async fn fulfil_item(
    conn: &mut AnyConnection,
    item_id: &str,
    document_id: &str,
    now: i64,
) -> Result<bool> {
    const SQL: &str = "UPDATE document_request_items SET document_id = $1, provided_at = $2 WHERE id = $3 AND document_id IS NULL";
    let done = run::execute(conn, SQL, args![document_id, now, item_id]).await?;
    Ok(done.rows_affected() == 1)
}

/// Closes the request when its last item is in. True when this call closed it.
pub async fn close_request_if_complete(conn: &mut AnyConnection, request_id: &str, now: i64) -> Result<bool> {
    const SQL: &str =
        "UPDATE document_requests SET fulfilled_at = $1 WHERE id = $2 AND fulfilled_at IS NULL \
         AND NOT EXISTS (SELECT 1 FROM document_request_items WHERE request_id = $2 AND document_id IS NULL)";
    let done = run::execute(conn, SQL, args![now, request_id]).await?;
    Ok(done.rows_affected() == 1)
}

/// The text of an opinion as the specialist writes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OpinionText {
    pub assessment: String,
    pub recommendation: String,
    pub diagnosis: String,
    pub treatment: String,
}

/// Saves the specialist's draft (creating it on first save). False when the opinion was already
/// submitted: a submitted opinion never changes.
pub async fn save_draft(
    conn: &mut AnyConnection,
    case_id: &CaseId,
    specialist_id: &UserId,
    text: &OpinionText,
    now: i64,
) -> Result<bool> {
    const SQL: &str = "INSERT INTO opinions (id, case_id, specialist_id, assessment, recommendation, diagnosis, treatment, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) \
         ON CONFLICT (case_id, specialist_id) DO UPDATE SET assessment = excluded.assessment, \
         recommendation = excluded.recommendation, diagnosis = excluded.diagnosis, treatment = excluded.treatment, \
         updated_at = excluded.updated_at WHERE opinions.submitted_at IS NULL";
    let done = run::execute(
        conn,
        SQL,
        args![
            super::new_id(),
            case_id,
            specialist_id,
            &text.assessment,
            &text.recommendation,
            &text.diagnosis,
            &text.treatment,
            now,
        ],
    )
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks the saved draft submitted. False when there is no draft or it was already submitted.
pub async fn mark_submitted(
    conn: &mut AnyConnection,
    case_id: &CaseId,
    specialist_id: &UserId,
    now: i64,
) -> Result<bool> {
    const SQL: &str = "UPDATE opinions SET submitted_at = $1 WHERE case_id = $2 AND specialist_id = $3 AND submitted_at IS NULL";
    let done = run::execute(conn, SQL, args![now, case_id, specialist_id]).await?;
    Ok(done.rows_affected() == 1)
}

/// An opinion as stored, read as a row here and as a JSON list item by the case page.
#[derive(FromRow, serde::Deserialize)]
pub(super) struct OpinionRow {
    specialist_id: UserId,
    name: String,
    title: String,
    specialties: String,
    assessment: String,
    recommendation: String,
    diagnosis: String,
    treatment: String,
    updated_at: i64,
    submitted_at: Option<i64>,
}

impl OpinionRow {
    pub(super) fn into_view(self) -> OpinionView {
        OpinionView {
            author_id: self.specialist_id,
            mine: false,
            author: crate::model::ReportPerson {
                name: self.name,
                title: self.title,
                specialties: self.specialties,
            },
            assessment: self.assessment,
            recommendation: self.recommendation,
            diagnosis: self.diagnosis,
            treatment: self.treatment,
            updated_at: from_ms(self.updated_at),
            submitted_at: self.submitted_at.map(from_ms),
        }
    }
}

/// Active specialists of the case who have not submitted an opinion.
pub async fn specialists_without_opinion<'e>(ex: impl Executes<'e>, case_id: &CaseId) -> Result<Vec<UserId>> {
    const SQL: &str = "SELECT a.clinician_id FROM case_assignments a WHERE a.case_id = $1 AND a.active = 1 AND a.is_coordinator = 0 \
         AND NOT EXISTS (SELECT 1 FROM opinions o WHERE o.case_id = a.case_id AND o.specialist_id = a.clinician_id \
         AND o.submitted_at IS NOT NULL) ORDER BY a.clinician_id";
    run::scalar_all(ex, SQL, args![case_id]).await
}

pub async fn has_submitted<'e>(
    ex: impl Executes<'e>,
    case_id: &CaseId,
    specialist_id: &UserId,
) -> Result<bool> {
    const SQL: &str = "SELECT COUNT(*) FROM opinions WHERE case_id = $1 AND specialist_id = $2 AND submitted_at IS NOT NULL";
    let n: i64 = run::scalar_one(ex, SQL, args![case_id, specialist_id]).await?;
    Ok(n > 0)
}

pub struct NewReport<'a> {
    pub case_id: &'a CaseId,
    pub coordinator_id: &'a UserId,
    pub summary: &'a str,
    pub content_json: &'a str,
    pub storage_key: &'a str,
    pub sha256: &'a str,
    pub size_bytes: u64,
}

pub async fn insert_report(conn: &mut AnyConnection, r: &NewReport<'_>, now: i64) -> Result<()> {
    const SQL: &str = "INSERT INTO case_reports (case_id, coordinator_id, summary, content, storage_key, sha256, size_bytes, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    run::execute(
        conn,
        SQL,
        args![
            r.case_id,
            r.coordinator_id,
            r.summary,
            r.content_json,
            r.storage_key,
            r.sha256,
            i64::try_from(r.size_bytes).unwrap_or(i64::MAX),
            now,
        ],
    )
    .await?;
    Ok(())
}

#[derive(FromRow, Clone, Debug)]
pub struct ReportRow {
    pub case_id: CaseId,
    pub content: String,
    pub storage_key: String,
    pub sha256: String,
    pub size_bytes: i64,
}

pub async fn find_report<'e>(ex: impl Executes<'e>, case_id: &CaseId) -> Result<Option<ReportRow>> {
    const SQL: &str =
        "SELECT case_id, content, storage_key, sha256, size_bytes FROM case_reports WHERE case_id = $1";
    run::fetch_optional(ex, SQL, args![case_id]).await
}
