//! What the pages read: the case page (one statement, then the staffing pool where the page
//! offers a choice), the patients' and clinicians' lists with what each person has to do next,
//! and the admins' queue. Who sees what of a case is decided by the domain rules in
//! `domain::visibility`, once, here; pages only read the result.

use super::Person;
use crate::domain::case::available_actions;
use crate::domain::money::Money;
use crate::domain::{visibility, CaseAction, CaseStatus, Relation};
use crate::error::AppError;
use crate::i18n::td_string;
use crate::model::{
    Attention, CaseSummary, CaseView, ClinicianCases, Page, PageRequest, PaymentInfo, QueueQuery,
    StaffChoice, TeamMember,
};
use crate::model::{CaseId, UserId};
use crate::server::db::{assignments, case_page, cases, Db};
use sqlx::AnyConnection;

/// The case page: one statement for the case and every list on it, then, only where the page
/// offers a staffing choice, one for the pool to choose from. What each reader may see of it
/// (payment entries, opinions, contact details) is decided here from the caller's relation.
pub async fn view(db: &Db, caller: &Person, case_id: &CaseId) -> Result<CaseView, AppError> {
    let mut conn = db.pool().acquire().await?;
    let page = case_page::load(&mut conn, db.backend(), case_id, &caller.user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let relation = Relation::of(
        caller.user.role,
        page.case.patient_id == caller.user.id,
        page.caller_assignment,
    );
    let status = page.summary.status;
    if !relation.may_view_case(status) {
        return Err(AppError::NotFound);
    }
    let actions = available_actions(status, relation.into());
    let choices = staffing_choices(&mut conn, &page, &actions).await?;
    let mut timeline = page.timeline;
    timeline.retain(|entry| relation.sees(entry.label.audience()));
    let payment = match (relation, page.payment) {
        (Relation::Owner | Relation::Admin, Some(p)) => Some(PaymentInfo {
            status: p.status,
            amount: Money {
                minor: p.amount_minor,
                currency: p.currency,
            },
            checkout_url: p.checkout_url,
        }),
        _ => None,
    };
    Ok(CaseView {
        team: team_for(page.team, relation, status, &actions),
        opinions: visible_opinions(page.opinions, relation, caller, status),
        summary: page.summary,
        details: page.details,
        documents: page.documents,
        payment,
        choices,
        relation,
        timeline,
        actions,
        requests: page.requests,
        report_ready: page.has_report,
    })
}

/// Whom the page offers to assign: the category's coordinators, or its specialists not yet on
/// the case (the actions come from the domain rule, so only those who may assign see any).
async fn staffing_choices(
    conn: &mut AnyConnection,
    page: &case_page::CasePage,
    actions: &[CaseAction],
) -> Result<Vec<StaffChoice>, AppError> {
    let category = page.details.category_id.clone().unwrap_or_default();
    let offers = |wanted: &[CaseAction]| actions.iter().any(|a| wanted.contains(a));
    if offers(&[CaseAction::AssignCoordinator, CaseAction::ReassignCoordinator]) {
        let members = assignments::pool_members(&mut *conn, &category, true).await?;
        return Ok(members.into_iter().map(choice).collect());
    }
    if offers(&[CaseAction::AssignSpecialists, CaseAction::AddSpecialists]) {
        let members = assignments::pool_members(&mut *conn, &category, false).await?;
        let on_case: Vec<String> = page
            .team
            .iter()
            .filter(|m| !m.is_coordinator)
            .map(|m| m.profile.id.clone())
            .collect();
        let coordinator = page.case.coordinator_id.as_ref().map(UserId::as_str);
        return Ok(members
            .into_iter()
            .filter(|m| visibility::may_join_as_specialist(&m.profile.id, coordinator, &on_case))
            .map(choice)
            .collect());
    }
    Ok(Vec::new())
}

fn choice(m: assignments::PoolMember) -> StaffChoice {
    StaffChoice {
        id: m.profile.id,
        name: m.profile.name,
        title: m.profile.title,
        specialties: m.profile.specialties,
        open_cases: u32::try_from(m.open_cases).unwrap_or(0),
    }
}

/// The opinions the reader may read, each marked when it is the reader's own.
fn visible_opinions(
    all: Vec<crate::model::OpinionView>,
    relation: Relation,
    reader: &Person,
    status: CaseStatus,
) -> Vec<crate::model::OpinionView> {
    all.into_iter()
        .map(|mut o| {
            o.mine = o.author_id == reader.user.id;
            o
        })
        .filter(|o| visibility::may_read_opinion(relation, o.mine, o.submitted_at.is_some(), status))
        .collect()
}

/// Who works on the case, with the contact details and removal the reader is allowed.
fn team_for(
    members: Vec<case_page::TeamRow>,
    relation: Relation,
    status: CaseStatus,
    actions: &[CaseAction],
) -> Vec<TeamMember> {
    let specialists = members.iter().filter(|m| !m.is_coordinator).count();
    let may_remove = actions.contains(&CaseAction::RemoveSpecialist);
    members
        .into_iter()
        .map(|m| {
            let contact = visibility::sees_contact(relation, m.is_coordinator, status);
            let removable = may_remove
                && !m.is_coordinator
                && visibility::removal_blocker(m.opinion_in, specialists).is_none();
            TeamMember {
                opinion_submitted: visibility::sees_opinion_progress(relation)
                    && !m.is_coordinator
                    && m.opinion_in,
                removable,
                id: m.profile.id,
                name: m.profile.name,
                title: m.profile.title,
                specialties: m.profile.specialties,
                is_coordinator: m.is_coordinator,
                contact_email: contact.then_some(m.profile.contact_email),
                contact_phone: contact.then_some(m.profile.contact_phone),
            }
        })
        .collect()
}

pub async fn my_cases(db: &Db, caller: &Person) -> Result<Vec<CaseSummary>, AppError> {
    let list = cases::list_for_patient(db.pool(), &caller.user.id).await?;
    Ok(list
        .into_iter()
        .map(|listed| {
            let mut case = listed.summary;
            if case.status == CaseStatus::DoctorsAssigned && listed.open_requests > 0 {
                case.attention = Some(Attention::DocumentsAsked);
            }
            case
        })
        .collect())
}

pub async fn clinician_cases(db: &Db, caller: &Person) -> Result<ClinicianCases, AppError> {
    let coordinating = cases::list_for_clinician(db.pool(), &caller.user.id, true).await?;
    let reviewing = cases::list_for_clinician(db.pool(), &caller.user.id, false).await?;
    let mine_in = cases::cases_with_opinion_of(db.pool(), &caller.user.id).await?;
    let coordinating = coordinating
        .into_iter()
        .map(|listed| {
            let mut case = listed.summary;
            case.attention =
                coordinator_attention(case.status, listed.opinions_missing, listed.open_requests);
            case
        })
        .collect();
    let reviewing = reviewing
        .into_iter()
        .map(|listed| {
            let mut case = listed.summary;
            if case.status == CaseStatus::DoctorsAssigned {
                case.attention = Some(if mine_in.contains(&case.id) {
                    Attention::OpinionIn
                } else {
                    Attention::OpinionDue
                });
            }
            case
        })
        .collect();
    Ok(ClinicianCases {
        coordinating,
        reviewing,
    })
}

/// What the coordinator has to do on a case, if anything.
fn coordinator_attention(status: CaseStatus, waiting: i64, open_requests: i64) -> Option<Attention> {
    match status {
        CaseStatus::PaymentSuccessful => Some(Attention::AssignSpecialists),
        CaseStatus::DoctorsAssigned => Some(match (waiting, open_requests) {
            (0, 0) => Attention::ReadyForSummary,
            (0, _) => Attention::WaitingForDocuments,
            (n, _) => Attention::WaitingForOpinions(u32::try_from(n).unwrap_or(u32::MAX)),
        }),
        _ => None,
    }
}

pub const QUEUE_PAGE_SIZE: u32 = 20;

/// The admins' queue, filtered as the page's query string says.
pub async fn queue(db: &Db, query: &QueueQuery) -> Result<Page<CaseSummary>, AppError> {
    if !query.status.is_empty() && query.status.parse::<CaseStatus>().is_err() {
        return Err(AppError::validation(
            "status",
            td_string!(crate::lang::current(), errors.unknown_status),
        ));
    }
    let filter = cases::QueueFilter {
        status: query.status.clone(),
        category_id: query.category_id.clone(),
        review_type_id: query.review_type_id.clone(),
        search: query.search.clone(),
    };
    let asked = PageRequest::new(query.page, QUEUE_PAGE_SIZE);
    let mut conn = db.pool().acquire().await?;
    let (items, total) = cases::queue(&mut conn, &filter, asked.limit(), asked.offset()).await?;
    Ok(asked.answer(items, total))
}
