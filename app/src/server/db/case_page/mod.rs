//! Everything the case page shows, read in one statement: the case row with its summary, details,
//! payment and report flag, the caller's assignment, and each list on the page (documents,
//! timeline, team, document requests with their items, opinions) as a JSON array column. One
//! round trip however many rows, instead of a dozen queries.
//!
//! The lists are aggregated with each database's own JSON functions (`json_group_array` on
//! SQLite, `json_agg` on PostgreSQL), written out by [`json_list`] from one column list, so the
//! two statements never disagree about what a list holds.

mod lists;

use super::assignments::Profile;
use super::{
    cases::{CaseRow, DetailsRow},
    payments::PaymentRow,
    review::OpinionRow,
    Backend,
};
use crate::domain::{payment::PaymentStatus, CaseStatus, MediaType};
use crate::model::CaseId;
use crate::model::{
    from_ms, CaseDetails, CaseSummary, DocumentInfo, DocumentRequestView, OpinionView, RequestItemView,
    TimelineEntry,
};
use crate::model::{PaymentId, UserId};
use crate::server::db::run::{self, args};
use crate::server::db::Result;
use lists::{json_list, DOCUMENTS, ITEMS, OPINIONS, REQUESTS, TEAM, TIMELINE};
use serde::Deserialize;
use sqlx::{AnyConnection, FromRow};

/// One member of the case's team as stored; what a reader may see of it is decided by the caller.
#[derive(Deserialize)]
pub struct TeamRow {
    #[serde(deserialize_with = "flag")]
    pub is_coordinator: bool,
    #[serde(flatten)]
    pub profile: Profile,
    /// A specialist whose opinion is submitted.
    #[serde(deserialize_with = "flag")]
    pub opinion_in: bool,
}

/// A JSON number that stands for a flag or a count: true when above zero.
fn flag<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<bool, D::Error> {
    Ok(i64::deserialize(d)? > 0)
}

pub struct CasePage {
    pub case: CaseRow,
    pub summary: CaseSummary,
    pub details: CaseDetails,
    /// The caller's active assignment: Some(true) coordinator, Some(false) specialist.
    pub caller_assignment: Option<bool>,
    pub payment: Option<PaymentRow>,
    pub has_report: bool,
    pub documents: Vec<DocumentInfo>,
    pub timeline: Vec<TimelineEntry>,
    pub team: Vec<TeamRow>,
    pub requests: Vec<DocumentRequestView>,
    /// Every opinion, drafts included; who may read which is the domain's rule.
    pub opinions: Vec<OpinionView>,
}

fn statement(backend: Backend) -> String {
    format!(
        "SELECT c.id, c.reference, c.patient_id, c.status, c.version, c.coordinator_id, \
         u.name AS patient_name, c.patient_age, rt.name AS review_type, dc.name AS category, \
         c.created_at, c.updated_at, c.expected_review_at, \
         c.review_type_id, c.category_id, c.patient_sex, c.medical_history, c.current_treatment, c.questions, \
         c.submitted_at, c.closed_reason, \
         (SELECT a.is_coordinator FROM case_assignments a WHERE a.case_id = c.id AND a.clinician_id = $2 AND a.active = 1) \
           AS caller_assignment, \
         (SELECT COUNT(*) FROM case_reports cr WHERE cr.case_id = c.id) AS reports, \
         pay.id AS payment_id, pay.provider, pay.checkout_url, pay.amount_minor, pay.currency, pay.status AS payment_status, \
         {documents} AS documents, {timeline} AS timeline, {team} AS team, {requests} AS requests, \
         {items} AS items, {opinions} AS opinions \
         FROM review_cases c JOIN users u ON u.id = c.patient_id \
         LEFT JOIN review_types rt ON rt.id = c.review_type_id \
         LEFT JOIN disease_categories dc ON dc.id = c.category_id \
         LEFT JOIN payments pay ON pay.case_id = c.id \
         WHERE c.id = $1",
        documents = json_list(backend, &DOCUMENTS),
        timeline = json_list(backend, &TIMELINE),
        team = json_list(backend, &TEAM),
        requests = json_list(backend, &REQUESTS),
        items = json_list(backend, &ITEMS),
        opinions = json_list(backend, &OPINIONS),
    )
}

#[derive(FromRow)]
struct Row {
    id: CaseId,
    reference: String,
    patient_id: UserId,
    status: CaseStatus,
    version: i64,
    coordinator_id: Option<UserId>,
    patient_name: String,
    review_type: Option<String>,
    category: Option<String>,
    created_at: i64,
    updated_at: i64,
    expected_review_at: Option<i64>,
    #[sqlx(flatten)]
    details: DetailsRow,
    caller_assignment: Option<i64>,
    reports: i64,
    payment_id: Option<PaymentId>,
    provider: Option<String>,
    checkout_url: Option<String>,
    amount_minor: Option<i64>,
    currency: Option<String>,
    payment_status: Option<PaymentStatus>,
    documents: String,
    timeline: String,
    team: String,
    requests: String,
    items: String,
    opinions: String,
}

#[derive(Deserialize)]
struct DocumentJson {
    id: String,
    name: String,
    media_type: String,
    size_bytes: i64,
    uploaded_by: String,
    created_at: i64,
}

#[derive(Deserialize)]
struct TimelineJson {
    at: i64,
    actor_name: Option<String>,
    actor_role: String,
    label: String,
    detail: String,
    detail_key: Option<String>,
}

#[derive(Deserialize)]
struct RequestJson {
    id: String,
    requested_by: String,
    note: String,
    created_at: i64,
    fulfilled_at: Option<i64>,
}

#[derive(Deserialize)]
struct ItemJson {
    id: String,
    request_id: String,
    label: String,
    document_id: Option<String>,
    provided_at: Option<i64>,
}

fn decode<T: for<'de> Deserialize<'de>>(what: &str, json: &str) -> Result<Vec<T>> {
    serde_json::from_str(json).map_err(|e| sqlx::Error::Decode(format!("case page {what}: {e}").into()))
}

/// The case page of `case_id` as `caller_id` would load it, or None when there is no such case.
pub async fn load(
    conn: &mut AnyConnection,
    backend: Backend,
    case_id: &CaseId,
    caller_id: &UserId,
) -> Result<Option<CasePage>> {
    let statement = sqlx::AssertSqlSafe(statement(backend));
    let row: Option<Row> = run::fetch_optional(conn, statement, args![case_id, caller_id]).await?;
    row.map(into_page).transpose()
}

fn into_page(r: Row) -> Result<CasePage> {
    let status = r.status;
    let documents = decode::<DocumentJson>("documents", &r.documents)?
        .into_iter()
        .map(|d| {
            Ok(DocumentInfo {
                media_type: MediaType::from_mime(&d.media_type)
                    .ok_or_else(|| sqlx::Error::Decode("unknown media type".into()))?,
                id: d.id,
                name: d.name,
                size_bytes: u64::try_from(d.size_bytes).unwrap_or(0),
                uploaded_by: d.uploaded_by,
                created_at: from_ms(d.created_at),
            })
        })
        .collect::<Result<_>>()?;
    let timeline = decode::<TimelineJson>("timeline", &r.timeline)?
        .into_iter()
        .map(|t| {
            Ok(TimelineEntry {
                at: from_ms(t.at),
                actor_name: t.actor_name,
                actor_role: t.actor_role,
                label: t
                    .label
                    .parse()
                    .map_err(|e: String| sqlx::Error::Decode(e.into()))?,
                detail: t.detail,
                detail_key: t.detail_key.as_deref().and_then(super::parse_details),
            })
        })
        .collect::<Result<_>>()?;
    let team = decode::<TeamRow>("team", &r.team)?;
    let items = decode::<ItemJson>("items", &r.items)?;
    let requests = decode::<RequestJson>("requests", &r.requests)?
        .into_iter()
        .map(|q| DocumentRequestView {
            items: items
                .iter()
                .filter(|i| i.request_id == q.id)
                .map(|i| RequestItemView {
                    id: i.id.clone(),
                    label: i.label.clone(),
                    document_id: i.document_id.clone(),
                    provided_at: i.provided_at.map(from_ms),
                })
                .collect(),
            id: q.id,
            requested_by: q.requested_by,
            note: q.note,
            created_at: from_ms(q.created_at),
            fulfilled_at: q.fulfilled_at.map(from_ms),
        })
        .collect();
    let opinions = decode::<OpinionRow>("opinions", &r.opinions)?
        .into_iter()
        .map(OpinionRow::into_view)
        .collect();
    let payment = match (
        r.payment_id,
        r.provider,
        r.checkout_url,
        r.amount_minor,
        r.currency,
        r.payment_status,
    ) {
        (Some(id), Some(provider), Some(checkout_url), Some(amount_minor), Some(currency), Some(status)) => {
            Some(PaymentRow {
                id,
                case_id: r.id.clone(),
                provider,
                checkout_url,
                amount_minor,
                currency,
                status,
            })
        }
        _ => None,
    };
    Ok(CasePage {
        summary: CaseSummary {
            id: r.id.clone(),
            reference: r.reference.clone(),
            status,
            patient_name: r.patient_name,
            patient_age: r.details.patient_age(),
            review_type: r.review_type,
            category: r.category,
            created_at: from_ms(r.created_at),
            updated_at: from_ms(r.updated_at),
            expected_review_at: r.expected_review_at.map(from_ms),
            attention: None,
            version: r.version,
        },
        details: r.details.into(),
        case: CaseRow {
            id: r.id,
            reference: r.reference,
            patient_id: r.patient_id,
            status: r.status,
            version: r.version,
            coordinator_id: r.coordinator_id,
        },
        caller_assignment: r.caller_assignment.map(|c| c == 1),
        payment,
        has_report: r.reports > 0,
        documents,
        timeline,
        team,
        requests,
        opinions,
    })
}
