use crate::domain::intake::DraftFields;
use crate::domain::CaseStatus;
use crate::model::{from_ms, CaseDetails, CaseSummary};
use crate::model::{CaseId, UserId};
use crate::server::db::run::{self, args};
use crate::server::db::{Executes, Result};
use sqlx::{AnyConnection, FromRow};

/// The columns the rules need to decide on an action.
#[derive(FromRow, Clone)]
pub struct CaseRow {
    pub id: CaseId,
    pub reference: String,
    pub patient_id: UserId,
    pub status: CaseStatus,
    pub version: i64,
    pub coordinator_id: Option<UserId>,
}

/// How many drafts the patient has not submitted yet.
pub async fn open_drafts(conn: &mut AnyConnection, patient_id: &UserId) -> Result<i64> {
    const SQL: &str = "SELECT COUNT(*) FROM review_cases WHERE patient_id = $1 AND status = $2";
    run::scalar_one(conn, SQL, args![patient_id, CaseStatus::Draft]).await
}

pub async fn insert_draft(
    conn: &mut AnyConnection,
    id: &CaseId,
    reference: &str,
    patient_id: &UserId,
    now: i64,
) -> Result<()> {
    const SQL: &str =
        "INSERT INTO review_cases (id, reference, patient_id, status, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 1, $5, $5)";
    run::execute(
        conn,
        SQL,
        args![id, reference, patient_id, CaseStatus::Draft, now],
    )
    .await?;
    Ok(())
}

pub async fn find<'e>(ex: impl Executes<'e>, id: &CaseId) -> Result<Option<CaseRow>> {
    const SQL: &str = "SELECT id, reference, patient_id, status, version, coordinator_id \
         FROM review_cases WHERE id = $1";
    run::fetch_optional(ex, SQL, args![id]).await
}

/// Moves the case to `to` if nobody changed it since it was read at `version`. Returns false when
/// another request won the race; the caller turns that into a conflict and rolls back.
pub async fn advance(conn: &mut AnyConnection, case: &CaseRow, to: CaseStatus, now: i64) -> Result<bool> {
    const SQL: &str = "UPDATE review_cases SET status = $1, version = version + 1, updated_at = $2 \
         WHERE id = $3 AND version = $4";
    let done = run::execute(conn, SQL, args![to, now, &case.id, case.version]).await?;
    Ok(done.rows_affected() == 1)
}

/// Marks the case as changed if it is still in `status`, taking its write lock for the rest of
/// the transaction. False when the case has moved on.
pub async fn touch_if_status(
    conn: &mut AnyConnection,
    case_id: &CaseId,
    status: CaseStatus,
    now: i64,
) -> Result<bool> {
    const SQL: &str = "UPDATE review_cases SET updated_at = $1 WHERE id = $2 AND status = $3";
    let done = run::execute(conn, SQL, args![now, case_id, status]).await?;
    Ok(done.rows_affected() == 1)
}

pub async fn record_closure(
    conn: &mut AnyConnection,
    case_id: &CaseId,
    closed_by: &UserId,
    reason: &str,
    now: i64,
) -> Result<()> {
    const SQL: &str =
        "UPDATE review_cases SET closed_at = $1, closed_by = $2, closed_reason = $3 WHERE id = $4";
    run::execute(conn, SQL, args![now, closed_by, reason, case_id]).await?;
    Ok(())
}

/// Whether `user_id` holds an active assignment on the case, and as coordinator or specialist.
pub async fn active_assignment<'e>(
    ex: impl Executes<'e>,
    case_id: &CaseId,
    user_id: &UserId,
) -> Result<Option<bool>> {
    const SQL: &str = "SELECT is_coordinator FROM case_assignments \
         WHERE case_id = $1 AND clinician_id = $2 AND active = 1";
    let is_coordinator: Option<i64> = run::scalar_optional(ex, SQL, args![case_id, user_id]).await?;
    Ok(is_coordinator.map(|v| v == 1))
}

#[derive(FromRow)]
struct SummaryRow {
    id: CaseId,
    reference: String,
    status: CaseStatus,
    patient_name: String,
    patient_age: Option<i64>,
    review_type: Option<String>,
    category: Option<String>,
    created_at: i64,
    updated_at: i64,
    expected_review_at: Option<i64>,
    version: i64,
    open_requests: i64,
    opinions_missing: i64,
}

/// A case in a list, with the facts its "what to do next" line is made of, read in the same
/// statement as the list (no query per row).
pub struct ListedCase {
    pub summary: CaseSummary,
    /// Document requests to the patient not yet answered.
    pub open_requests: i64,
    /// Active specialists whose opinion is not in yet.
    pub opinions_missing: i64,
}

impl SummaryRow {
    fn into_listed(self) -> Result<ListedCase> {
        let (open_requests, opinions_missing) = (self.open_requests, self.opinions_missing);
        Ok(ListedCase {
            summary: self.into_summary()?,
            open_requests,
            opinions_missing,
        })
    }

    fn into_summary(self) -> Result<CaseSummary> {
        Ok(CaseSummary {
            status: self.status,
            id: self.id,
            reference: self.reference,
            patient_name: self.patient_name,
            patient_age: self.patient_age.and_then(|a| u32::try_from(a).ok()),
            review_type: self.review_type,
            category: self.category,
            created_at: from_ms(self.created_at),
            updated_at: from_ms(self.updated_at),
            expected_review_at: self.expected_review_at.map(from_ms),
            attention: None,
            version: self.version,
        })
    }
}

fn summaries(rows: Vec<SummaryRow>) -> Result<Vec<CaseSummary>> {
    rows.into_iter().map(SummaryRow::into_summary).collect()
}

macro_rules! summary_select {
    ($($rest:literal)*) => {
        concat!(
            "SELECT c.id, c.reference, c.status, u.name AS patient_name, c.patient_age, rt.name AS review_type, ",
            "dc.name AS category, c.created_at, c.updated_at, c.expected_review_at, c.version, ",
            "(SELECT COUNT(*) FROM document_requests r WHERE r.case_id = c.id AND r.fulfilled_at IS NULL) AS open_requests, ",
            "(SELECT COUNT(*) FROM case_assignments s WHERE s.case_id = c.id AND s.active = 1 AND s.is_coordinator = 0 ",
            "AND NOT EXISTS (SELECT 1 FROM opinions o WHERE o.case_id = c.id AND o.specialist_id = s.clinician_id ",
            "AND o.submitted_at IS NOT NULL)) AS opinions_missing ",
            "FROM review_cases c JOIN users u ON u.id = c.patient_id ",
            "LEFT JOIN review_types rt ON rt.id = c.review_type_id ",
            "LEFT JOIN disease_categories dc ON dc.id = c.category_id ",
            $($rest),*
        )
    };
}

pub async fn list_for_patient<'e>(ex: impl Executes<'e>, patient_id: &UserId) -> Result<Vec<ListedCase>> {
    const SQL: &str = summary_select!("WHERE c.patient_id = $1 ORDER BY c.created_at DESC");
    let rows: Vec<SummaryRow> = run::fetch_all(ex, SQL, args![patient_id]).await?;
    rows.into_iter().map(SummaryRow::into_listed).collect()
}

/// Cases where the clinician holds an active assignment of the given kind.
pub async fn list_for_clinician<'e>(
    ex: impl Executes<'e>,
    clinician_id: &UserId,
    as_coordinator: bool,
) -> Result<Vec<ListedCase>> {
    const SQL: &str = summary_select!(
        "JOIN case_assignments a ON a.case_id = c.id AND a.active = 1 "
        "WHERE a.clinician_id = $1 AND a.is_coordinator = $2 ORDER BY c.updated_at DESC"
    );
    let rows: Vec<SummaryRow> =
        run::fetch_all(ex, SQL, args![clinician_id, i64::from(as_coordinator)]).await?;
    rows.into_iter().map(SummaryRow::into_listed).collect()
}

/// The cases on which the specialist's opinion is in, in one statement.
pub async fn cases_with_opinion_of<'e>(ex: impl Executes<'e>, specialist_id: &UserId) -> Result<Vec<CaseId>> {
    const SQL: &str = "SELECT case_id FROM opinions WHERE specialist_id = $1 AND submitted_at IS NOT NULL";
    run::scalar_all(ex, SQL, args![specialist_id]).await
}

/// Filters of the admin queue. Empty strings mean "any".
#[derive(Default, Clone, Debug)]
pub struct QueueFilter {
    pub status: String,
    pub category_id: String,
    pub review_type_id: String,
    /// Matched against the case reference and the patient's name, case-insensitively.
    pub search: String,
}

/// The admins' queue: every case but drafts, which are their patients' own until submitted.
pub async fn queue(
    conn: &mut AnyConnection,
    filter: &QueueFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<CaseSummary>, i64)> {
    let pattern = super::like_pattern(&filter.search);
    const SQL: &str = concat!(
        "SELECT COUNT(*) FROM review_cases c JOIN users u ON u.id = c.patient_id ",
        "WHERE c.status <> $5 AND ($1 = '' OR c.status = $1) AND ($2 = '' OR c.category_id = $2) ",
        "AND ($3 = '' OR c.review_type_id = $3) ",
        "AND ($4 = '%%' OR LOWER(c.reference) LIKE $4 ESCAPE '\\' OR LOWER(u.name) LIKE $4 ESCAPE '\\')"
    );
    let total: i64 = run::scalar_one(
        &mut *conn,
        SQL,
        args![
            &filter.status,
            &filter.category_id,
            &filter.review_type_id,
            &pattern,
            CaseStatus::Draft
        ],
    )
    .await?;
    const SQL_2: &str = summary_select!(
        "WHERE c.status <> $7 AND ($1 = '' OR c.status = $1) AND ($2 = '' OR c.category_id = $2) "
        "AND ($3 = '' OR c.review_type_id = $3) "
        "AND ($4 = '%%' OR LOWER(c.reference) LIKE $4 ESCAPE '\\' OR LOWER(u.name) LIKE $4 ESCAPE '\\') "
        "ORDER BY c.created_at DESC, c.id LIMIT $5 OFFSET $6"
    );
    let rows = run::fetch_all(
        &mut *conn,
        SQL_2,
        args![
            &filter.status,
            &filter.category_id,
            &filter.review_type_id,
            &pattern,
            limit,
            offset,
            CaseStatus::Draft
        ],
    )
    .await?;
    Ok((summaries(rows)?, total))
}

/// The intake answers of a case as stored.
#[derive(FromRow)]
pub struct DetailsRow {
    review_type_id: Option<String>,
    category_id: Option<String>,
    patient_age: Option<i64>,
    patient_sex: Option<String>,
    medical_history: String,
    current_treatment: String,
    questions: String,
    submitted_at: Option<i64>,
    closed_reason: Option<String>,
}

impl DetailsRow {
    pub fn patient_age(&self) -> Option<u32> {
        self.patient_age.and_then(|a| u32::try_from(a).ok())
    }
}

impl From<DetailsRow> for CaseDetails {
    fn from(r: DetailsRow) -> CaseDetails {
        CaseDetails {
            patient_age: r.patient_age(),
            review_type_id: r.review_type_id,
            category_id: r.category_id,
            patient_sex: r.patient_sex,
            medical_history: r.medical_history,
            current_treatment: r.current_treatment,
            questions: r.questions,
            submitted_at: r.submitted_at.map(from_ms),
            closed_reason: r.closed_reason,
        }
    }
}

pub async fn update_draft(conn: &mut AnyConnection, id: &CaseId, f: &DraftFields, now: i64) -> Result<()> {
    const SQL: &str =
        "UPDATE review_cases SET review_type_id = $1, category_id = $2, patient_age = $3, patient_sex = $4, \
         medical_history = $5, current_treatment = $6, questions = $7, updated_at = $8 WHERE id = $9";
    run::execute(
        conn,
        SQL,
        args![
            f.review_type_id.as_deref(),
            f.category_id.as_deref(),
            f.patient_age,
            f.patient_sex.as_deref(),
            &f.medical_history,
            &f.current_treatment,
            &f.questions,
            now,
            id
        ],
    )
    .await?;
    Ok(())
}

pub async fn mark_submitted(conn: &mut AnyConnection, id: &CaseId, now: i64) -> Result<()> {
    run::execute(
        conn,
        "UPDATE review_cases SET submitted_at = $1 WHERE id = $2",
        args![now, id],
    )
    .await?;
    Ok(())
}

/// Deletes a draft row. Only drafts have nothing that must be kept (no timeline, no payments).
pub async fn delete_draft(conn: &mut AnyConnection, id: &CaseId) -> Result<bool> {
    run::execute(
        &mut *conn,
        "DELETE FROM notifications WHERE case_id = $1",
        args![id],
    )
    .await?;
    const SQL: &str = "DELETE FROM review_cases WHERE id = $1 AND status = $2";
    let done = run::execute(conn, SQL, args![id, CaseStatus::Draft]).await?;
    Ok(done.rows_affected() == 1)
}
