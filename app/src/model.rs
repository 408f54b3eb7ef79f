//! Wire types: what server functions send to the browser. Deliberately separate from database
//! rows (which may hold secrets such as password hashes) and from the domain rules.

use crate::domain::{CaseAction, CaseStatus, Relation, Role, TimelineLabel};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The signed-in user, as the pages need it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
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
}

/// One line of a case list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub id: String,
    pub reference: String,
    pub status: CaseStatus,
    pub patient_name: String,
    pub review_type: Option<String>,
    pub category: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub expected_review_at: Option<DateTime<Utc>>,
    /// Optimistic-concurrency token the browser sends back with an action on this case.
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    pub actor_name: Option<String>,
    pub actor_role: String,
    pub label: TimelineLabel,
    pub detail: String,
}

/// A case as one viewer sees it, with the actions the rules allow that viewer now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseView {
    pub summary: CaseSummary,
    pub relation: Relation,
    pub timeline: Vec<TimelineEntry>,
    pub actions: Vec<CaseAction>,
}

/// A page of a list, with the total for the pager.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    pub total: u64,
}

impl<T> Page<T> {
    pub fn page_count(&self) -> u32 {
        let per_page = u64::from(self.per_page.max(1));
        u32::try_from(self.total.div_ceil(per_page))
            .unwrap_or(u32::MAX)
            .max(1)
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
