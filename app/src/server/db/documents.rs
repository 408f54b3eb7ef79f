use crate::domain::document::MediaType;
use crate::model::CaseId;
use crate::model::UserId;
use crate::server::db::run::{self, args};
use crate::server::db::{Executes, Result};

use sqlx::{AnyConnection, FromRow};

#[derive(FromRow, Clone)]
pub struct DocumentRow {
    pub id: String,
    pub case_id: CaseId,
    pub name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub storage_key: String,
}

impl DocumentRow {
    pub fn media_type(&self) -> Result<MediaType> {
        MediaType::from_mime(&self.media_type).ok_or_else(|| sqlx::Error::Decode("unknown media type".into()))
    }
}

pub struct NewDocument<'a> {
    pub case_id: &'a CaseId,
    pub uploaded_by: &'a UserId,
    pub name: &'a str,
    pub media_type: MediaType,
    pub size_bytes: u64,
    pub sha256: &'a str,
    pub storage_key: &'a str,
}

pub async fn insert(conn: &mut AnyConnection, doc: &NewDocument<'_>, now: i64) -> Result<String> {
    let id = super::new_id();
    const SQL: &str = "INSERT INTO documents (id, case_id, uploaded_by, name, media_type, size_bytes, sha256, storage_key, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    run::execute(
        conn,
        SQL,
        args![
            &id,
            doc.case_id,
            doc.uploaded_by,
            doc.name,
            doc.media_type.mime(),
            i64::try_from(doc.size_bytes).unwrap_or(i64::MAX),
            doc.sha256,
            doc.storage_key,
            now,
        ],
    )
    .await?;
    Ok(id)
}

pub async fn find<'e>(ex: impl Executes<'e>, id: &str) -> Result<Option<DocumentRow>> {
    const SQL: &str =
        "SELECT id, case_id, name, media_type, size_bytes, sha256, storage_key FROM documents WHERE id = $1";
    run::fetch_optional(ex, SQL, args![id]).await
}

pub async fn delete(conn: &mut AnyConnection, id: &str) -> Result<()> {
    run::execute(conn, "DELETE FROM documents WHERE id = $1", args![id]).await?;
    Ok(())
}

/// Storage keys of a case's documents, for deleting their files after the rows are gone.
pub async fn keys_for_case(conn: &mut AnyConnection, case_id: &CaseId) -> Result<Vec<String>> {
    run::scalar_all(
        conn,
        "SELECT storage_key FROM documents WHERE case_id = $1",
        args![case_id],
    )
    .await
}

/// Every storage key a row names: documents' files and reports' PDFs. For finding the objects
/// a crash left without a row.
pub async fn all_stored_keys<'e>(ex: impl Executes<'e>) -> Result<Vec<String>> {
    const SQL: &str = "SELECT storage_key FROM documents UNION ALL SELECT storage_key FROM case_reports";
    run::scalar_all(ex, SQL, args![]).await
}

pub async fn delete_for_case(conn: &mut AnyConnection, case_id: &CaseId) -> Result<()> {
    run::execute(conn, "DELETE FROM documents WHERE case_id = $1", args![case_id]).await?;
    Ok(())
}

/// (number of files, total bytes) on a case.
pub async fn usage<'e>(ex: impl Executes<'e>, case_id: &CaseId) -> Result<(i64, i64)> {
    // PostgreSQL sums BIGINT into NUMERIC; the cast keeps the type the same on both backends.
    const SQL: &str =
        "SELECT COUNT(*), CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT) FROM documents WHERE case_id = $1";
    let (count, total): (i64, i64) = run::fetch_one(ex, SQL, args![case_id]).await?;
    Ok((count, total))
}

/// Bytes held by all the cases of the patient who owns `case_id`.
pub async fn patient_usage<'e>(ex: impl Executes<'e>, case_id: &CaseId) -> Result<i64> {
    const SQL: &str = "SELECT CAST(COALESCE(SUM(d.size_bytes), 0) AS BIGINT) FROM documents d \
         JOIN review_cases c ON c.id = d.case_id \
         WHERE c.patient_id = (SELECT patient_id FROM review_cases WHERE id = $1)";
    run::scalar_one(ex, SQL, args![case_id]).await
}
