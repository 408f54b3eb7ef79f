//! Wire types: what server functions send to the browser. Deliberately separate from database
//! rows (which may hold secrets such as password hashes) and from the domain rules.

use crate::domain::account::{AccountStep, ProfileField};
use crate::domain::document::MediaType;
use crate::domain::{CaseAction, CaseStatus, Relation, Role, TimelineLabel};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

mod detail;
mod forms;
mod ids;
mod page;
pub use detail::{joined as joined_details, Detail};
pub use forms::*;
pub use ids::{CaseId, PaymentId, UserId};
pub use page::{Page, PageRequest};

/// The signed-in user, as the pages need it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// What the person must do before anything else (see `domain::account`).
    pub next_step: Option<AccountStep>,
}

/// One of the signed-in person's live sessions, for "Your sessions".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSummary {
    /// The session's public id (never its token or the token's hash).
    pub id: String,
    /// The browser and system, read from the user agent ("Firefox on Windows").
    pub device: String,
    pub ip: String,
    pub started_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
    /// The session this request came with.
    pub current: bool,
}

/// An account's profile as its editor sees it; `editable` names the fields they may change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub user_id: UserId,
    pub role: Role,
    pub email: String,
    pub name: String,
    pub phone: String,
    pub title: String,
    pub specialties: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub editable: Vec<ProfileField>,
}

/// A profile as the form sends it: every field as typed; the server keeps the ones the editor
/// may not change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProfileForm {
    pub user_id: String,
    pub name: String,
    pub phone: String,
    pub title: String,
    pub specialties: String,
    pub contact_email: String,
    pub contact_phone: String,
}

/// What the two-factor page shows of the signed-in person's second factor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorStatus {
    pub enrolled: bool,
    /// Whether the role must use one (then it cannot be turned off).
    pub required: bool,
    pub recovery_codes_left: i64,
}

/// A second factor being set up: the secret to type into an authenticator app, or its
/// `otpauth://` link as a QR code to scan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorEnrolment {
    pub secret: String,
    pub url: String,
    pub qr_data_url: String,
}

/// An account as admins see it in the staff list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
    pub title: Option<String>,
    pub specialties: Option<String>,
    /// Whether two-factor sign-in is set up (an admin can reset it).
    pub second_factor: bool,
}

/// One line of a case list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub id: CaseId,
    pub reference: String,
    pub status: CaseStatus,
    pub patient_name: String,
    pub patient_age: Option<u32>,
    pub review_type: Option<String>,
    pub category: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub expected_review_at: Option<DateTime<Utc>>,
    /// Optimistic-concurrency token the browser sends back with an action on this case.
    pub version: i64,
    /// What the viewer of a list should know or do about the case now ("Your opinion is due",
    /// "Ready for your summary"…), when there is something.
    #[serde(default)]
    pub attention: Option<Attention>,
}

/// What a list tells its viewer about a case, rendered in the reader's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Attention {
    /// The patient: a specialist asked for documents.
    DocumentsAsked,
    /// The coordinator: paid, the specialists are theirs to choose.
    AssignSpecialists,
    /// The coordinator: every opinion is in.
    ReadyForSummary,
    /// The coordinator: a document request is still open.
    WaitingForDocuments,
    /// The coordinator: this many opinions are still to come.
    WaitingForOpinions(u32),
    /// A specialist: theirs is submitted.
    OpinionIn,
    /// A specialist: theirs is still to write.
    OpinionDue,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    pub actor_name: Option<String>,
    pub actor_role: String,
    pub label: TimelineLabel,
    /// The detail as written in English when the entry was made: what entries made before
    /// details had keys show.
    pub detail: String,
    pub detail_key: Option<Detail>,
}

impl TimelineEntry {
    /// The entry's detail in `locale` (empty when it has none).
    pub fn detail_in(&self, locale: crate::lang::Locale) -> String {
        match &self.detail_key {
            Some(detail) => detail.text(locale),
            None => self.detail.clone(),
        }
    }
}

/// A document's metadata. The bytes are fetched from `/documents/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentInfo {
    pub id: String,
    pub name: String,
    pub media_type: MediaType,
    pub size_bytes: u64,
    pub uploaded_by: String,
    pub created_at: DateTime<Utc>,
}

/// A case as one viewer sees it, with the actions the rules allow that viewer now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseView {
    pub summary: CaseSummary,
    pub details: CaseDetails,
    pub documents: Vec<DocumentInfo>,
    /// The coordinator first, then the specialists. Contact details only where the viewer may
    /// have them.
    pub team: Vec<TeamMember>,
    /// Only for the patient who owns the case and for admins; doctors never receive it.
    pub payment: Option<PaymentInfo>,
    /// Whom the viewer may assign now: coordinators for an admin before payment, specialists
    /// for the case's coordinator after it. Empty otherwise.
    pub choices: Vec<StaffChoice>,
    pub relation: Relation,
    pub timeline: Vec<TimelineEntry>,
    pub actions: Vec<CaseAction>,
    /// Documents asked of the patient, newest first.
    pub requests: Vec<DocumentRequestView>,
    /// The opinions this viewer may read: a specialist their own (draft too) and, once the case
    /// is completed, everyone's; the coordinator and admins every submitted one. Patients read
    /// them in the report.
    pub opinions: Vec<OpinionView>,
    /// The final report exists (the case is completed) and the viewer may read it.
    pub report_ready: bool,
}

/// What the patient wrote, and how the case was closed if it was.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDetails {
    pub review_type_id: Option<String>,
    pub category_id: Option<String>,
    pub patient_age: Option<u32>,
    pub patient_sex: Option<String>,
    pub medical_history: String,
    pub current_treatment: String,
    pub questions: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub closed_reason: Option<String>,
}

impl CaseDetails {
    /// The form as it was saved, for editing a draft.
    pub fn as_input(&self) -> crate::domain::intake::DraftInput {
        crate::domain::intake::DraftInput {
            review_type_id: self.review_type_id.clone().unwrap_or_default(),
            category_id: self.category_id.clone().unwrap_or_default(),
            patient_age: self.patient_age.map(|a| a.to_string()).unwrap_or_default(),
            patient_sex: self.patient_sex.clone().unwrap_or_default(),
            medical_history: self.medical_history.clone(),
            current_treatment: self.current_treatment.clone(),
            questions: self.questions.clone(),
        }
    }
}

/// The clinician's home: the two lists of cases they hold an active assignment on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClinicianCases {
    pub coordinating: Vec<CaseSummary>,
    pub reviewing: Vec<CaseSummary>,
}

pub fn from_ms(ms: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default()
}

/// A review type as the catalog shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewType {
    pub id: String,
    pub name: String,
    pub description: String,
    pub price: crate::domain::money::Money,
    pub expected_days: u32,
    pub active: bool,
}

/// A disease category with its two staff pools (clinician ids).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: String,
    pub name: String,
    pub active: bool,
    pub specialists: Vec<UserId>,
    pub coordinators: Vec<UserId>,
}

/// A clinician as pickers show them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClinicianChoice {
    pub id: String,
    pub name: String,
    pub title: String,
    pub specialties: String,
}

/// Everything the catalog pages and the intake form choose from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    pub review_types: Vec<ReviewType>,
    pub categories: Vec<Category>,
    /// Only for admins; empty for patients.
    pub clinicians: Vec<ClinicianChoice>,
}

/// A clinician offered in a picker, with how many open cases they hold now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffChoice {
    pub id: String,
    pub name: String,
    pub title: String,
    pub specialties: String,
    pub open_cases: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub id: String,
    pub name: String,
    pub title: String,
    pub specialties: String,
    pub is_coordinator: bool,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    /// For specialists: whether their opinion is in. Staff only; always false for patients.
    pub opinion_submitted: bool,
    /// Whether the reader may remove this specialist now (never the coordinator, never for a
    /// reader who may not remove specialists).
    pub removable: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentInfo {
    pub amount: crate::domain::money::Money,
    pub status: crate::domain::payment::PaymentStatus,
    /// Where the patient pays (the provider's checkout page).
    pub checkout_url: String,
}

/// One entry of the notification centre.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: String,
    pub case_id: Option<CaseId>,
    /// What happened, rendered in the reader's language with the case's reference.
    pub event: Option<crate::domain::TimelineLabel>,
    pub case_reference: Option<String>,
    /// The title as written when it was sent (English), for an event this version does not know.
    pub title: String,
    /// The body as written in English when it was sent, for notifications from before bodies had
    /// keys.
    pub body: String,
    pub body_parts: Vec<Detail>,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

impl Notification {
    /// "CS-0042 · Payment received", in `locale`.
    pub fn heading(&self, locale: crate::lang::Locale) -> String {
        match (self.event, &self.case_reference) {
            (Some(event), Some(reference)) => {
                format!("{reference} · {}", crate::lang::labels::timeline(locale, event))
            }
            _ => self.title.clone(),
        }
    }

    /// What the notification says beside its heading, in `locale` (empty when nothing).
    pub fn body_in(&self, locale: crate::lang::Locale) -> String {
        if self.body_parts.is_empty() {
            self.body.clone()
        } else {
            joined_details(&self.body_parts, locale)
        }
    }
}

/// A clinician as the report names them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportPerson {
    pub name: String,
    /// "Dr", "Prof." … (may be empty).
    pub title: String,
    pub specialties: String,
}

impl ReportPerson {
    /// "Dr Anna Wójcik", or the bare name without a title.
    pub fn display(&self) -> String {
        if self.title.is_empty() {
            self.name.clone()
        } else {
            format!("{} {}", self.title, self.name)
        }
    }
}

/// One submitted opinion as it appears in the final report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportOpinion {
    pub author: ReportPerson,
    pub submitted_at: DateTime<Utc>,
    pub assessment: String,
    pub recommendation: String,
    pub diagnosis: Option<String>,
    pub treatment: Option<String>,
}

/// The final report: what the PDF contains and what the patient's report page shows. Built once,
/// when the case completes; the stored PDF is rendered from exactly this.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub case_id: CaseId,
    pub reference: String,
    pub submitted_at: DateTime<Utc>,
    pub completed_at: DateTime<Utc>,
    pub patient_name: String,
    pub patient_age: Option<u32>,
    /// Display label ("Female", "Male", …) or None when not given.
    pub patient_sex: Option<String>,
    pub review_type: String,
    pub category: String,
    /// The patient's questions for the specialists.
    pub question: String,
    pub coordinator: ReportPerson,
    pub specialists: Vec<ReportPerson>,
    pub opinions: Vec<ReportOpinion>,
    /// The coordinator's final summary for the patient.
    pub summary: String,
    pub disclaimer: String,
    /// The language the PDF is written in: the patient's when the case completed. Reports stored
    /// before reports had a language are English, and an English report is stored as before
    /// (the PDF's file identifier is a digest of this record, so its bytes stay the same too).
    #[serde(default, skip_serializing_if = "is_english")]
    pub language: crate::lang::Locale,
}

fn is_english(locale: &crate::lang::Locale) -> bool {
    *locale == crate::lang::Locale::en
}

/// Printed at the end of every report.
pub const REPORT_DISCLAIMER: &str = "This second opinion is based only on the information and documents provided \
to Consilium. It does not replace an examination by, or the ongoing care of, your own doctor. Discuss it with \
the doctors treating you before changing any treatment. In an emergency, call your local emergency number.";

/// Documents a specialist or the coordinator asked the patient for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRequestView {
    pub id: String,
    /// Name of the person who asked.
    pub requested_by: String,
    pub note: String,
    pub created_at: DateTime<Utc>,
    /// Set when the last item came in.
    pub fulfilled_at: Option<DateTime<Utc>>,
    pub items: Vec<RequestItemView>,
}

impl DocumentRequestView {
    pub fn is_open(&self) -> bool {
        self.fulfilled_at.is_none()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestItemView {
    pub id: String,
    pub label: String,
    /// The document the patient provided for this item.
    pub document_id: Option<String>,
    pub provided_at: Option<DateTime<Utc>>,
}

/// A specialist's opinion: a draft while `submitted_at` is None, immutable after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpinionView {
    pub author_id: UserId,
    /// Written by the viewer.
    pub mine: bool,
    pub author: ReportPerson,
    pub assessment: String,
    pub recommendation: String,
    pub diagnosis: String,
    pub treatment: String,
    pub updated_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
}

/// One entry of the audit log as admins search and export it: identifiers and outcomes only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub user_name: Option<String>,
    pub user_email: Option<String>,
    pub role: String,
    pub action: String,
    pub case_reference: Option<String>,
    pub target: String,
    pub outcome: String,
    pub ip: String,
}

/// An audit log search as typed in the admin's form and kept in the page's query string (dates
/// as `YYYY-MM-DD`, UTC). Empty fields mean "any".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    pub who: String,
    pub action: String,
    pub outcome: String,
    pub case: String,
    pub from: String,
    pub to: String,
    pub page: u32,
}
