//! Case use cases available so far: open a draft, look at cases, cancel and reject.

use super::assignment;
use super::case_action::{self, Audience};
use super::Caller;
use crate::domain::case::available_actions;
use crate::domain::intake::{self, DraftFields, DraftInput};
use crate::domain::money::Money;
use crate::domain::{CaseAction, CaseStatus, Relation, Role};
use crate::error::AppError;
use crate::model::{CaseSummary, CaseView, ClinicianCases, Page, PaymentInfo, TeamMember};
use crate::server::db::catalog::{self, Entry};
use crate::server::db::{self, assignments, audit, case_page, cases, documents, payments, Db};
use crate::server::failure::is_unique_violation;
use crate::server::storage::Storage;
use rand::Rng;
use sqlx::AnyConnection;

/// Opens an empty draft for the patient. Retries on the rare clash of random references.
pub async fn create_draft(db: &Db, caller: &Caller<'_>) -> Result<String, AppError> {
    if caller.user.role != Role::Patient {
        return Err(AppError::forbidden("Only patients open cases."));
    }
    let id = db::new_id();
    let mut tx = db.begin().await?;
    // Counted inside the write transaction, so two tabs cannot both slip past the limit.
    if cases::open_drafts(&mut tx, &caller.user.id).await? >= intake::MAX_OPEN_DRAFTS {
        return Err(AppError::conflict(format!(
            "You already have {} unfinished drafts. Submit or delete one before starting another.",
            intake::MAX_OPEN_DRAFTS
        )));
    }
    let mut attempt = 0;
    loop {
        let reference = new_reference();
        match cases::insert_draft(&mut tx, &id, &reference, &caller.user.id, db::now_ms()).await {
            Ok(()) => break,
            Err(e) if is_unique_violation(&e) && attempt < 5 => attempt += 1,
            Err(e) => return Err(e.into()),
        }
    }
    let entry = audit::Entry {
        user_id: Some(&caller.user.id),
        role: caller.user.role.as_str(),
        action: "create_case",
        case_id: Some(&id),
        target: &id,
        outcome: "ok",
        ip: caller.ip,
    };
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// `C-` and six characters of Crockford base32 (no I, L, O, U): easy to read out on the phone.
fn new_reference() -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut rng = rand::thread_rng();
    let code: String = (0..6)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect();
    format!("C-{code}")
}

/// The case page: one statement for the case and every list on it, then, only where the page
/// offers a staffing choice, one for the pool to choose from. What each reader may see of it
/// (payment entries, opinions, contact details) is decided here from the caller's relation.
pub async fn view(db: &Db, caller: &Caller<'_>, case_id: &str) -> Result<CaseView, AppError> {
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
    let payment = match relation {
        Relation::Owner | Relation::Admin => page.payment.map(|p| PaymentInfo {
            amount: Money {
                minor: p.amount_minor,
                currency: p.currency,
            },
            status: p.status,
            checkout_url: p.checkout_url,
        }),
        _ => None,
    };
    Ok(CaseView {
        team: team_for(page.team, relation, status),
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
) -> Result<Vec<crate::model::StaffChoice>, AppError> {
    let category = page.details.category_id.clone().unwrap_or_default();
    let offers = |wanted: &[CaseAction]| actions.iter().any(|a| wanted.contains(a));
    if offers(&[CaseAction::AssignCoordinator, CaseAction::ReassignCoordinator]) {
        let members = assignments::pool_members(&mut *conn, &category, true).await?;
        return Ok(assignment::coordinator_choices(members));
    }
    if offers(&[CaseAction::AssignSpecialists, CaseAction::AddSpecialists]) {
        let members = assignments::pool_members(&mut *conn, &category, false).await?;
        let on_case: Vec<String> = page
            .team
            .iter()
            .filter(|m| !m.is_coordinator)
            .map(|m| m.id.clone())
            .collect();
        return Ok(assignment::specialist_choices(
            members,
            page.case.coordinator_id.as_deref(),
            &on_case,
        ));
    }
    Ok(Vec::new())
}

/// Peers do not read each other's opinions before the case completes; drafts stay with their
/// author; patients read the opinions in the report.
fn visible_opinions(
    all: Vec<crate::model::OpinionView>,
    relation: Relation,
    caller: &Caller<'_>,
    status: CaseStatus,
) -> Vec<crate::model::OpinionView> {
    let completed = status == CaseStatus::Completed;
    all.into_iter()
        .map(|mut o| {
            o.mine = o.author_id == caller.user.id;
            o
        })
        .filter(|o| {
            let own = o.author_id == caller.user.id;
            let submitted = o.submitted_at.is_some();
            match relation {
                Relation::Specialist => own || (completed && submitted),
                Relation::Coordinator | Relation::Admin => submitted,
                Relation::Owner | Relation::Unrelated => false,
            }
        })
        .collect()
}

/// Who works on the case. Staff see everyone's contact details; the patient sees the
/// coordinator's once specialists are assigned (the seed's "card updated with contact details").
fn team_for(members: Vec<case_page::TeamRow>, relation: Relation, status: CaseStatus) -> Vec<TeamMember> {
    let reviewing = matches!(status, CaseStatus::DoctorsAssigned | CaseStatus::Completed);
    let staff = matches!(
        relation,
        Relation::Admin | Relation::Coordinator | Relation::Specialist
    );
    members
        .into_iter()
        .map(|m| {
            let contact = match relation {
                Relation::Admin | Relation::Coordinator | Relation::Specialist => true,
                Relation::Owner => m.is_coordinator && reviewing,
                Relation::Unrelated => false,
            };
            TeamMember {
                opinion_submitted: staff && !m.is_coordinator && m.opinion_in,
                id: m.id,
                name: m.name,
                title: m.title,
                specialties: m.specialties,
                is_coordinator: m.is_coordinator,
                contact_email: contact.then_some(m.contact_email),
                contact_phone: contact.then_some(m.contact_phone),
            }
        })
        .collect()
}

pub async fn my_cases(db: &Db, caller: &Caller<'_>) -> Result<Vec<CaseSummary>, AppError> {
    let list = cases::list_for_patient(db.pool(), &caller.user.id).await?;
    Ok(list
        .into_iter()
        .map(|listed| {
            let mut case = listed.summary;
            if case.status == CaseStatus::DoctorsAssigned && listed.open_requests > 0 {
                case.attention = Some("Your specialists asked for documents".into());
            }
            case
        })
        .collect())
}

pub async fn clinician_cases(db: &Db, caller: &Caller<'_>) -> Result<ClinicianCases, AppError> {
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
                let text = if mine_in.contains(&case.id) {
                    "Your opinion is in"
                } else {
                    "Your opinion is due"
                };
                case.attention = Some(text.into());
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
fn coordinator_attention(status: CaseStatus, waiting: i64, open_requests: i64) -> Option<String> {
    match status {
        CaseStatus::PaymentSuccessful => Some("Assign the specialists".into()),
        CaseStatus::DoctorsAssigned => Some(match (waiting, open_requests) {
            (0, 0) => "Ready for your summary".to_owned(),
            (0, _) => "Waiting for the patient's documents".to_owned(),
            (1, _) => "Waiting for 1 opinion".to_owned(),
            (n, _) => format!("Waiting for {n} opinions"),
        }),
        _ => None,
    }
}

pub const QUEUE_PAGE_SIZE: u32 = 20;

pub async fn queue(db: &Db, filter: &cases::QueueFilter, page: u32) -> Result<Page<CaseSummary>, AppError> {
    let page = page.max(1);
    let per_page = QUEUE_PAGE_SIZE;
    let mut conn = db.pool().acquire().await?;
    let offset = i64::from(page - 1) * i64::from(per_page);
    let (items, total) = cases::queue(&mut conn, filter, i64::from(per_page), offset).await?;
    Ok(Page {
        items,
        page,
        per_page,
        total: u64::try_from(total).unwrap_or(0),
    })
}

/// Cancels (patient or admin) or rejects (admin) a case. The reason is required and is shown to
/// the patient. A paid case is refunded through the provider first, in the same transaction: if
/// the refund fails, the case stays open and nothing is recorded.
pub async fn close(
    db: &Db,
    provider: &crate::server::payments::Provider,
    caller: &Caller<'_>,
    case_id: &str,
    expected_version: i64,
    action: CaseAction,
    reason: &str,
) -> Result<(), AppError> {
    if !matches!(action, CaseAction::Cancel | CaseAction::Reject) {
        return Err(AppError::validation(
            "action",
            "Only cancel or reject close a case.",
        ));
    }
    let reason = crate::domain::validate::required_text("reason", reason, 1000, "Please give a reason.")
        .map_err(|e| AppError::Validation(vec![e]))?;
    let mut acting = case_action::begin(db, caller, case_id, expected_version, action).await?;
    let refunded = if acting.transition.has(crate::domain::Effect::RefundPayment) {
        Some(refund(&mut acting.tx, provider, case_id).await?)
    } else {
        None
    };
    cases::record_closure(&mut acting.tx, case_id, &caller.user.id, &reason, db::now_ms()).await?;
    case_action::finish_with_payment(acting, caller, &reason, refunded.as_deref(), &Audience::default())
        .await?;
    Ok(())
}

/// Gives the patient's money back and records it; returns the line for the timeline.
async fn refund(
    tx: &mut db::Tx,
    provider: &crate::server::payments::Provider,
    case_id: &str,
) -> Result<String, AppError> {
    let payment = payments::for_case(&mut **tx, case_id)
        .await?
        .filter(|p| p.status == "succeeded")
        .ok_or_else(|| {
            crate::server::failure::internal("refund", "a paid case without a succeeded payment")
        })?;
    let reference = payments::provider_payment_ref(tx, &payment.id).await?;
    let request = crate::server::payments::RefundRequest {
        payment_id: &payment.id,
        provider_payment_ref: reference.as_deref(),
        amount_minor: payment.amount_minor,
    };
    let issued = provider.refund(&request).await?;
    payments::insert_refund(
        tx,
        &payment,
        &issued.status,
        issued.provider_ref.as_deref(),
        db::now_ms(),
    )
    .await?;
    let amount = Money {
        minor: payment.amount_minor,
        currency: payment.currency.clone(),
    };
    Ok(format!("Refund of {} issued", amount.display()))
}

/// Parses the form and checks that a chosen review type and category are still offered.
async fn parse_form(conn: &mut AnyConnection, input: &DraftInput) -> Result<DraftFields, AppError> {
    let fields = intake::parse_draft(input).map_err(AppError::Validation)?;
    if let Some(id) = &fields.review_type_id {
        if !catalog::is_active(conn, Entry::ReviewType, id).await? {
            return Err(AppError::validation(
                "review_type_id",
                "This type of review is no longer offered. Choose another.",
            ));
        }
    }
    if let Some(id) = &fields.category_id {
        if !catalog::is_active(conn, Entry::Category, id).await? {
            return Err(AppError::validation(
                "category_id",
                "This medical area is no longer offered. Choose another.",
            ));
        }
    }
    Ok(fields)
}

/// Saves the patient's form on a draft. Incomplete is fine; wrong is not.
pub async fn save_draft(
    db: &Db,
    caller: &Caller<'_>,
    case_id: &str,
    version: i64,
    input: &DraftInput,
) -> Result<(), AppError> {
    let mut acting = case_action::begin(db, caller, case_id, version, CaseAction::EditDraft).await?;
    let fields = parse_form(&mut acting.tx, input).await?;
    cases::update_draft(&mut acting.tx, case_id, &fields, db::now_ms()).await?;
    case_action::finish(acting, caller, "", &Audience::default()).await?;
    Ok(())
}

/// Saves the form and submits the case in one transaction: either it is complete and becomes
/// Submitted with its timeline entry, or nothing changes and every missing part is named.
pub async fn submit(
    db: &Db,
    caller: &Caller<'_>,
    case_id: &str,
    version: i64,
    input: &DraftInput,
) -> Result<(), AppError> {
    let mut acting = case_action::begin(db, caller, case_id, version, CaseAction::Submit).await?;
    let fields = parse_form(&mut acting.tx, input).await?;
    let (files, _) = documents::usage(&mut *acting.tx, case_id).await?;
    let problems = intake::submission_problems(&fields, u32::try_from(files).unwrap_or(u32::MAX));
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let now = db::now_ms();
    cases::update_draft(&mut acting.tx, case_id, &fields, now).await?;
    cases::mark_submitted(&mut acting.tx, case_id, now).await?;
    case_action::finish(acting, caller, "", &Audience::default()).await?;
    Ok(())
}

/// Deletes a draft and its documents. Only the owner, only while it is a draft.
pub async fn delete_draft(
    db: &Db,
    storage: &Storage,
    caller: &Caller<'_>,
    case_id: &str,
    version: i64,
) -> Result<(), AppError> {
    let mut acting = case_action::begin(db, caller, case_id, version, CaseAction::EditDraft).await?;
    let keys = documents::keys_for_case(&mut acting.tx, case_id).await?;
    documents::delete_for_case(&mut acting.tx, case_id).await?;
    if !cases::delete_draft(&mut acting.tx, case_id).await? {
        return Err(AppError::conflict("Only a draft can be deleted."));
    }
    case_action::audit_outcome(&mut *acting.tx, caller, "delete_draft", case_id, "ok").await?;
    acting.tx.commit().await?;
    for key in keys {
        if let Err(e) = storage.delete(&key).await {
            tracing::warn!(key, error = %e, "could not delete a stored file of a deleted draft");
        }
    }
    Ok(())
}
