//! The specialist review: document requests to the patient, opinions, reminders, and the
//! coordinator's final summary that completes the case and produces the PDF report.

use super::audit::{self, On};
use super::case_action::{self, Audience};
use super::Person;
use crate::domain::audit::{Outcome, UseCase};
use crate::domain::review::{self as rules, OpinionInput};
use crate::domain::{CaseAction, CaseStatus};
use crate::error::AppError;
use crate::i18n::td_string;
use crate::lang::Locale;
use crate::model::{CaseId, Detail, UserId};
use crate::model::{Report, ReportOpinion, ReportPerson, REPORT_DISCLAIMER};
use crate::server::db::assignments::Profile;
use crate::server::db::case_page::{self, CasePage, TeamRow};
use crate::server::db::review::{self as repo, OpinionText};
use crate::server::db::run::{self, args};
use crate::server::db::{self, cases, users, Db, Tx};
use crate::server::failure::{internal, storage_unavailable};
use crate::server::storage::{PutError, ReadError, Storage};

/// A report larger than this is a bug, not a big case; refuse to store it.
const MAX_REPORT_BYTES: u64 = 20 * 1024 * 1024;

/// A specialist or the coordinator asks the patient for named documents.
pub async fn request_documents(
    db: &Db,
    caller: &Person,
    case_id: &CaseId,
    note: &str,
    items: &[String],
) -> Result<(), AppError> {
    let (note, items) = rules::parse_request(note, items).map_err(AppError::Validation)?;
    let mut acting = case_action::begin_current(db, caller, case_id, CaseAction::RequestDocuments).await?;
    if acting.relation == crate::domain::Relation::Specialist {
        mark_review_started(&mut acting.tx, caller, case_id).await?;
    }
    repo::insert_request(
        &mut acting.tx,
        case_id,
        &caller.user.id,
        &note,
        &items,
        db::now_ms(),
    )
    .await?;
    let detail = Detail::written(items.join(", "));
    case_action::finish(acting, detail, &Audience::default()).await
}

fn opinion_text(input: &OpinionInput) -> OpinionText {
    OpinionText {
        assessment: input.assessment.clone(),
        recommendation: input.recommendation.clone(),
        diagnosis: input.diagnosis.clone(),
        treatment: input.treatment.clone(),
    }
}

/// The opinion form's two buttons: keep the draft, or submit it.
pub async fn write_opinion(
    db: &Db,
    caller: &Person,
    case_id: &CaseId,
    intent: crate::model::FormIntent,
    input: &OpinionInput,
) -> Result<(), AppError> {
    let opinion = rules::parse_opinion(input).map_err(AppError::Validation)?;
    match intent {
        crate::model::FormIntent::Save => save_opinion(db, caller, case_id, &opinion).await,
        crate::model::FormIntent::Submit => submit_opinion(db, caller, case_id, &opinion).await,
    }
}

/// Saves the specialist's opinion as a draft. Not a change of the case: no timeline entry, no
/// notification; only the author ever sees a draft.
async fn save_opinion(
    db: &Db,
    caller: &Person,
    case_id: &CaseId,
    opinion: &OpinionInput,
) -> Result<(), AppError> {
    case_action::check(db, caller, case_id, CaseAction::SubmitOpinion).await?;
    let now = db::now_ms();
    let mut tx = db.begin().await?;
    // Under the case's write lock: still under review, and the caller still on it.
    if !cases::touch_if_status(&mut tx, case_id, CaseStatus::DoctorsAssigned, now).await? {
        return Err(AppError::conflict(td_string!(
            crate::lang::current(),
            errors.no_longer_under_review
        )));
    }
    if cases::active_assignment(&mut *tx, case_id, &caller.user.id).await? != Some(false) {
        return Err(AppError::NotFound);
    }
    if !repo::save_draft(&mut tx, case_id, &caller.user.id, &opinion_text(opinion), now).await? {
        return Err(AppError::conflict(td_string!(
            crate::lang::current(),
            errors.opinion_already_submitted
        )));
    }
    mark_review_started(&mut tx, caller, case_id).await?;
    audit::succeeded(
        &mut *tx,
        &caller.into(),
        UseCase::SaveOpinionDraft,
        On::case(case_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Submits the specialist's opinion with the text given (saved first), after which it never
/// changes. The coordinator is told; the timeline says who.
async fn submit_opinion(
    db: &Db,
    caller: &Person,
    case_id: &CaseId,
    opinion: &OpinionInput,
) -> Result<(), AppError> {
    let problems = rules::opinion_submission_problems(opinion);
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let mut acting = case_action::begin_current(db, caller, case_id, CaseAction::SubmitOpinion).await?;
    let now = db::now_ms();
    let saved = repo::save_draft(
        &mut acting.tx,
        case_id,
        &caller.user.id,
        &opinion_text(opinion),
        now,
    )
    .await?;
    if !saved || !repo::mark_submitted(&mut acting.tx, case_id, &caller.user.id, now).await? {
        return Err(AppError::conflict(td_string!(
            crate::lang::current(),
            errors.opinion_already_submitted
        )));
    }
    mark_review_started(&mut acting.tx, caller, case_id).await?;
    let author = person(&mut acting.tx, &caller.user.id).await?;
    let detail = Detail::OpinionBy {
        author: author.display(),
    };
    case_action::finish(acting, Some(detail), &Audience::default()).await
}

/// The first time a specialist works on the case (a draft, a request, an opinion), the timeline
/// gets its "Under specialist review" step; later work adds nothing.
async fn mark_review_started(tx: &mut Tx, caller: &Person, case_id: &CaseId) -> Result<(), AppError> {
    let now = db::now_ms();
    const SQL: &str =
        "UPDATE review_cases SET review_started_at = $1 WHERE id = $2 AND review_started_at IS NULL";
    let first = run::execute(&mut **tx, SQL, args![now, case_id])
        .await?
        .rows_affected()
        == 1;
    if first {
        let actor = crate::server::db::timeline::Actor {
            user_id: Some(&caller.user.id),
            role: "specialist",
        };
        let label = crate::domain::TimelineLabel::ReviewStarted;
        crate::server::db::timeline::append(tx, case_id, &actor, label, None, now).await?;
    }
    Ok(())
}

/// The coordinator reminds the specialists whose opinion is still missing.
pub async fn remind_specialists(db: &Db, caller: &Person, case_id: &CaseId) -> Result<(), AppError> {
    let mut acting = case_action::begin_current(db, caller, case_id, CaseAction::RemindSpecialists).await?;
    let waiting = repo::specialists_without_opinion(&mut *acting.tx, case_id).await?;
    if waiting.is_empty() {
        return Err(AppError::conflict(td_string!(
            crate::lang::current(),
            errors.every_opinion_in
        )));
    }
    case_action::finish(
        acting,
        Some(Detail::OpinionReminder),
        &Audience::specialists(waiting),
    )
    .await
}

/// The coordinator's final summary: once every opinion is in and no request is open, the case
/// completes with its report. The report is assembled from the case as the coordinator's page
/// showed it (`version`), rendered and stored before any transaction opens, so neither the PDF
/// nor a slow object store holds a lock; the completing transaction then claims the case at that
/// same version (any change since, an opinion or a request, moved it: a conflict) and records
/// the report. The file is removed again if that transaction does not commit.
pub async fn submit_final_summary(
    db: &Db,
    storage: &Storage,
    caller: &Person,
    case_id: &CaseId,
    version: i64,
    text: &str,
) -> Result<(), AppError> {
    let summary = rules::parse_summary(text).map_err(|e| AppError::Validation(vec![e]))?;
    case_action::check_at(db, caller, case_id, version, CaseAction::SubmitFinalSummary).await?;
    let (page, language) = {
        let mut conn = db.pool().acquire().await?;
        let page = case_page::load(&mut conn, db.backend(), case_id, &caller.user.id)
            .await?
            .ok_or(AppError::NotFound)?;
        // The report is written for the patient, in the language they read the service in.
        let patient = users::find_by_id(&mut *conn, &page.case.patient_id).await?;
        (page, patient.map(|p| p.language()).unwrap_or_default())
    };
    if let Some(blocker) = completion_blocker(&page) {
        return Err(AppError::conflict(blocker));
    }
    let now = db::now_ms();
    let report = assemble(page, &summary, now, language)?;
    let content = serde_json::to_string(&report).map_err(|e| internal("report content", e))?;
    let pdf = render(report).await?;
    let body = futures_util::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from(pdf))]);
    let stored = storage.put(body, MAX_REPORT_BYTES).await.map_err(|e| match e {
        PutError::Unavailable(e) => storage_unavailable(e),
        other => internal("report storage", other),
    })?;
    let row = repo::NewReport {
        case_id,
        coordinator_id: &caller.user.id,
        summary: &summary,
        content_json: &content,
        storage_key: &stored.key,
        sha256: &stored.sha256,
        size_bytes: stored.size,
    };
    let recorded = async {
        let mut acting =
            case_action::begin(db, caller, case_id, version, CaseAction::SubmitFinalSummary).await?;
        repo::insert_report(&mut acting.tx, &row, now).await?;
        acting.stored_report();
        case_action::finish(acting, Some(Detail::ReportReady), &Audience::default()).await
    }
    .await;
    if recorded.is_err() {
        if let Err(e) = storage.delete(&stored.key).await {
            tracing::warn!(key = stored.key, error = %e, "could not delete an unrecorded report");
        }
    }
    recorded
}

/// Why the case cannot complete yet, read from the page loaded in the completing transaction.
fn completion_blocker(page: &CasePage) -> Option<String> {
    let specialists: Vec<&TeamRow> = page.team.iter().filter(|m| !m.is_coordinator).collect();
    let mut waiting: Vec<&Profile> = specialists
        .iter()
        .filter(|m| !m.opinion_in)
        .map(|m| &m.profile)
        .collect();
    // The order the message has always named them in.
    waiting.sort_by(|a, b| a.id.cmp(&b.id));
    let waiting: Vec<String> = waiting.into_iter().map(|p| report_person(p).display()).collect();
    let open = page.requests.iter().filter(|r| r.fulfilled_at.is_none()).count();
    rules::completion_blocker(specialists.len(), &waiting, open)
}

fn report_person(p: &Profile) -> ReportPerson {
    ReportPerson {
        name: p.name.clone(),
        title: p.title.clone(),
        specialties: p.specialties.clone(),
    }
}

async fn person(tx: &mut Tx, user_id: &UserId) -> Result<ReportPerson, AppError> {
    const SQL: &str = "SELECT u.name, p.title, p.specialties FROM users u LEFT JOIN clinician_profiles p ON p.user_id = u.id \
         WHERE u.id = $1";
    let (name, title, specialties): (String, Option<String>, Option<String>) =
        run::fetch_one(&mut **tx, SQL, args![user_id]).await?;
    Ok(ReportPerson {
        name,
        title: title.unwrap_or_default(),
        specialties: specialties.unwrap_or_default(),
    })
}

/// Everything the report says, from the case page read in the completing transaction.
fn assemble(page: CasePage, summary: &str, now: i64, language: Locale) -> Result<Report, AppError> {
    let (s, d) = (page.summary, page.details);
    let mut coordinator = None;
    let mut specialists = Vec::new();
    for m in &page.team {
        let p = report_person(&m.profile);
        if m.is_coordinator {
            coordinator = Some(p);
        } else {
            specialists.push(p);
        }
    }
    let opinions = page
        .opinions
        .into_iter()
        .filter_map(|o| {
            Some(ReportOpinion {
                submitted_at: o.submitted_at?,
                author: o.author,
                assessment: o.assessment,
                recommendation: o.recommendation,
                diagnosis: Some(o.diagnosis).filter(|t| !t.is_empty()),
                treatment: Some(o.treatment).filter(|t| !t.is_empty()),
            })
        })
        .collect();
    let sex = d.patient_sex.as_deref().and_then(|v| {
        crate::domain::intake::SEXES
            .iter()
            .find(|(value, _)| *value == v)
            .map(|(_, label)| (*label).to_owned())
    });
    Ok(Report {
        case_id: s.id,
        reference: s.reference,
        submitted_at: d.submitted_at.unwrap_or(s.created_at),
        completed_at: crate::model::from_ms(now),
        patient_name: s.patient_name,
        patient_age: s.patient_age,
        patient_sex: sex,
        review_type: s.review_type.unwrap_or_default(),
        category: s.category.unwrap_or_default(),
        question: d.questions,
        coordinator: coordinator.ok_or_else(|| internal("report", "completed case without a coordinator"))?,
        specialists,
        opinions,
        summary: summary.to_owned(),
        disclaimer: REPORT_DISCLAIMER.to_owned(),
        language,
    })
}

/// Renders on a blocking thread: laying out pages is CPU work that must not stall the runtime.
async fn render(report: Report) -> Result<Vec<u8>, AppError> {
    tokio::task::spawn_blocking(move || crate::server::report_pdf::render(&report))
        .await
        .map_err(|e| internal("report rendering", e))?
        .map_err(|e| internal("report rendering", e))
}

/// The report of a case the caller may read (its patient, coordinator, active specialists,
/// admins). Anyone else, and a case without a report, gets "not found". Every read is audited.
async fn readable_report(db: &Db, caller: &Person, case_id: &CaseId) -> Result<repo::ReportRow, AppError> {
    let found = async {
        let case = cases::find(db.pool(), case_id).await?.ok_or(AppError::NotFound)?;
        let mut conn = db.pool().acquire().await?;
        let relation = case_action::relation_of(&mut conn, &case, caller).await?;
        if !relation.may_view_case(case.status) {
            return Err(AppError::NotFound);
        }
        repo::find_report(&mut *conn, case_id)
            .await?
            .ok_or(AppError::NotFound)
    }
    .await;
    let outcome = match &found {
        Ok(_) => Outcome::Ok,
        Err(e) => audit::outcome_of(e),
    };
    audit::record(
        db.pool(),
        &caller.into(),
        UseCase::ReadReport,
        On::case(case_id),
        outcome,
    )
    .await?;
    found
}

/// The report's content for the report page: the same content the PDF was rendered from.
pub async fn report(db: &Db, caller: &Person, case_id: &CaseId) -> Result<Report, AppError> {
    let row = readable_report(db, caller, case_id).await?;
    serde_json::from_str(&row.content).map_err(|e| internal("report content", e))
}

/// The stored PDF, after its checksum matched, with a file name for the download.
pub async fn open_report_pdf(
    db: &Db,
    storage: &Storage,
    caller: &Person,
    case_id: &CaseId,
) -> Result<(String, tokio::fs::File), AppError> {
    let row = readable_report(db, caller, case_id).await?;
    let reference = cases::find(db.pool(), case_id)
        .await?
        .map(|c| c.reference)
        .unwrap_or_default();
    let file = storage
        .open_verified(&row.storage_key, &row.sha256)
        .await
        .map_err(|e| match e {
            ReadError::Unavailable(e) => storage_unavailable(e),
            other => internal(
                "report integrity",
                format!("report of case {}: {other}", row.case_id),
            ),
        })?;
    Ok((format!("Consilium report {reference}.pdf"), file))
}
