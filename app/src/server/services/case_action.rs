//! The frame every action on a case runs in: load the case in a write transaction, derive the
//! caller's relation to it, ask the domain rule and claim the case by advancing its status and
//! version (the loser of a race stops here with a conflict); then, after the use case's own
//! writes, append the timeline, notify, audit and commit.

use super::Caller;
use crate::domain::{
    case, case::transition, CaseAction, Recipient, Relation, Role, TimelineLabel, Transition,
};
use crate::error::AppError;
use crate::server::db::{self, audit, cases, cases::CaseRow, notifications, outbox, timeline, Db, Tx};
use sqlx::AnyConnection;

pub struct Acting {
    pub tx: Tx,
    pub backend: db::Backend,
    pub case: CaseRow,
    pub relation: Relation,
    pub transition: Transition,
    pub action: CaseAction,
}

/// People named by the action itself, for the recipients the case row cannot tell.
#[derive(Default)]
pub struct Audience {
    pub previous_coordinator: Option<String>,
    pub specialists: Vec<String>,
    pub requester: Option<String>,
}

pub async fn relation_of(
    conn: &mut AnyConnection,
    case: &CaseRow,
    user: &crate::model::CurrentUser,
) -> Result<Relation, AppError> {
    let assignment = match user.role {
        Role::Clinician => cases::active_assignment(conn, &case.id, &user.id).await?,
        Role::Admin | Role::Patient => None,
    };
    Ok(Relation::of(user.role, case.patient_id == user.id, assignment))
}

/// Opens the transaction, decides and claims the case. A case the caller may not see answers NotFound, exactly
/// like a missing one; a refused action answers 403 or 409 with the rule's reason; a case changed
/// since the caller read it at `expected_version` answers 409. Refusals are audited after the
/// transaction is rolled back, so they never hold the write lock.
pub async fn begin(
    db: &Db,
    caller: &Caller<'_>,
    case_id: &str,
    expected_version: i64,
    action: CaseAction,
) -> Result<Acting, AppError> {
    open(db, caller, case_id, Some(expected_version), action).await
}

/// Like [`begin`] for actions that do not depend on what the caller last saw (submitting one's
/// own opinion, asking for documents, an upload against a request): the case is claimed at its
/// current version, so another doctor's change in between is not a conflict. Racing requests
/// still serialize on the claim; the one that loses it tries again.
pub async fn begin_current(
    db: &Db,
    caller: &Caller<'_>,
    case_id: &str,
    action: CaseAction,
) -> Result<Acting, AppError> {
    let mut attempts = 0;
    loop {
        match open(db, caller, case_id, None, action).await {
            Err(AppError::Conflict(m)) if m == CLAIM_LOST && attempts < 3 => attempts += 1,
            other => return other,
        }
    }
}

const CLAIM_LOST: &str = "Someone else changed this case at the same moment. Reload and try again.";

async fn open(
    db: &Db,
    caller: &Caller<'_>,
    case_id: &str,
    expected_version: Option<i64>,
    action: CaseAction,
) -> Result<Acting, AppError> {
    let mut tx = db.begin().await?;
    let decided = decide(&mut tx, caller, case_id, expected_version, action).await;
    match decided {
        Ok((case, relation, transition)) => Ok(Acting {
            backend: db.backend(),
            tx,
            case,
            relation,
            transition,
            action,
        }),
        Err(err) => {
            tx.rollback().await?;
            audit_outcome(db.pool(), caller, action, case_id, outcome_of(&err)).await?;
            Err(err)
        }
    }
}

/// Checks, without changing anything, that the caller may take `action` on the case now, and
/// returns the case with the caller's relation to it. Refusals are audited like in [`begin`].
pub async fn check(
    db: &Db,
    caller: &Caller<'_>,
    case_id: &str,
    action: CaseAction,
) -> Result<(CaseRow, Relation), AppError> {
    let mut conn = db.pool().acquire().await?;
    let decided = async {
        let case = cases::find(&mut *conn, case_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let relation = relation_of(&mut conn, &case, caller.user).await?;
        if !relation.may_view_case(case.status()?) {
            return Err(AppError::NotFound);
        }
        transition(case.status()?, action, relation.into())?;
        Ok((case, relation))
    }
    .await;
    if let Err(err) = &decided {
        audit_outcome(&mut *conn, caller, action, case_id, outcome_of(err)).await?;
    }
    decided
}

async fn decide(
    tx: &mut Tx,
    caller: &Caller<'_>,
    case_id: &str,
    expected_version: Option<i64>,
    action: CaseAction,
) -> Result<(CaseRow, Relation, Transition), AppError> {
    let case = cases::find(&mut **tx, case_id).await?.ok_or(AppError::NotFound)?;
    let relation = relation_of(tx, &case, caller.user).await?;
    if !relation.may_view_case(case.status()?) {
        return Err(AppError::NotFound);
    }
    let transition = transition(case.status()?, action, relation.into())?;
    if expected_version.is_some_and(|v| v != case.version) {
        return Err(AppError::conflict(
            "This case changed while you were looking at it. Reload to see the latest version.",
        ));
    }
    // Claim the case now, before any other write: on PostgreSQL this takes the row lock, so a
    // concurrent request waits here and then finds the version moved on.
    if !cases::advance(tx, &case, transition.to, db::now_ms()).await? {
        return Err(AppError::conflict(CLAIM_LOST));
    }
    Ok((case, relation, transition))
}

/// Records the timeline entries, notifications and audit entry of the claimed change, then
/// commits. `detail` goes on the timeline entries and into the notifications.
pub async fn finish(
    acting: Acting,
    caller: &Caller<'_>,
    detail: &str,
    audience: &Audience,
) -> Result<Transition, AppError> {
    finish_with_payment(acting, caller, detail, None, audience).await
}

/// Like [`finish`], with a line about money (a refund) that only the payment's audience reads:
/// it goes on the change's payment entry and into the notifications of those who see payments.
pub async fn finish_with_payment(
    mut acting: Acting,
    caller: &Caller<'_>,
    detail: &str,
    payment_detail: Option<&str>,
    audience: &Audience,
) -> Result<Transition, AppError> {
    let now = db::now_ms();
    let actor = timeline::Actor {
        user_id: Some(&caller.user.id),
        role: role_name(acting.relation),
    };
    let labels: Vec<_> = acting.transition.timeline().collect();
    for (label, text) in entry_details(&labels, detail, payment_detail) {
        timeline::append(&mut acting.tx, &acting.case.id, &actor, label, text, now).await?;
    }
    let notice = Notice {
        case: &acting.case,
        transition: &acting.transition,
        actor_id: Some(&caller.user.id),
        detail,
        payment_detail,
        audience,
    };
    notify(&mut acting.tx, acting.backend, &notice, now).await?;
    audit_outcome(&mut *acting.tx, caller, acting.action, &acting.case.id, "ok").await?;
    acting.tx.commit().await?;
    Ok(acting.transition)
}

/// Which text each timeline entry of a change carries. When one change writes several entries
/// ("Coordinator assigned", "Awaiting payment"), the detail belongs to the last, the state the
/// case is now in; a payment line, when there is one, goes on the payment entries and the detail
/// on the last entry everyone reads.
pub fn entry_details<'a>(
    labels: &[TimelineLabel],
    detail: &'a str,
    payment_detail: Option<&'a str>,
) -> Vec<(TimelineLabel, &'a str)> {
    let carrier = match payment_detail {
        Some(_) => labels.iter().rposition(|l| l.audience() == case::Audience::Case),
        None => labels.len().checked_sub(1),
    };
    labels
        .iter()
        .enumerate()
        .map(|(i, &label)| {
            let text = match payment_detail {
                Some(money) if label.audience() == case::Audience::Payment => money,
                _ if Some(i) == carrier => detail,
                _ => "",
            };
            (label, text)
        })
        .collect()
}

/// A change to tell people about: which case, what happened, who did it (not told themselves).
#[derive(Clone, Copy)]
pub struct Notice<'a> {
    pub case: &'a CaseRow,
    pub transition: &'a Transition,
    pub actor_id: Option<&'a str>,
    pub detail: &'a str,
    /// Added to the detail for the people who see payments only (never for specialists).
    pub payment_detail: Option<&'a str>,
    pub audience: &'a Audience,
}

/// Whether a recipient of a notice about this case may read payment details: the patient and
/// the coordinators (current and, on a reassignment, previous), never a specialist.
fn recipient_sees_payments(notice: &Notice<'_>, user_id: &str) -> bool {
    user_id == notice.case.patient_id
        || notice.case.coordinator_id.as_deref() == Some(user_id)
        || notice.audience.previous_coordinator.as_deref() == Some(user_id)
}

/// Writes an in-app notification and queues an email for each person the transition names,
/// except the one who acted. Returns who was notified (for live updates after commit).
pub async fn notify(
    tx: &mut Tx,
    backend: db::Backend,
    notice: &Notice<'_>,
    now: i64,
) -> Result<Vec<String>, AppError> {
    let Notice {
        case,
        transition,
        actor_id,
        detail,
        payment_detail,
        audience,
    } = *notice;
    let mut people: Vec<String> = Vec::new();
    for recipient in transition.recipients() {
        people.extend(resolve(tx, case, recipient, audience).await?);
    }
    people.sort();
    people.dedup();
    people.retain(|p| Some(p.as_str()) != actor_id);
    let Some(label) = transition.timeline().next() else {
        return Ok(Vec::new());
    };
    let title = format!("{} · {}", case.reference, label.text());
    let with_payment = payment_detail.map(|money| {
        if detail.is_empty() {
            money.to_owned()
        } else {
            format!("{detail} · {money}")
        }
    });
    for user_id in &people {
        let body = match &with_payment {
            Some(full) if recipient_sees_payments(notice, user_id) => full.as_str(),
            _ => detail,
        };
        let n = notifications::NewNotification {
            user_id,
            case_id: Some(&case.id),
            kind: label.as_str(),
            title: &title,
            body,
        };
        notifications::insert(tx, &n, now).await?;
    }
    // Email says that something happened and where to look, never the medical details.
    let body = format!(
        "{}\n\nSign in to Consilium to see case {}.\n",
        label.text(),
        case.reference
    );
    if backend == db::Backend::Postgres {
        // Delivered to every app server's listener when this transaction commits, and never if
        // it rolls back: open pages learn of the change at once (see the /events route).
        for user_id in &people {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(notifications::CHANNEL)
                .bind(user_id)
                .execute(&mut **tx)
                .await?;
        }
    }
    for (_, email) in notifications::contacts(tx, &people).await? {
        outbox::enqueue(tx, &email, &title, &body, now).await?;
    }
    Ok(people)
}

async fn resolve(
    tx: &mut Tx,
    case: &CaseRow,
    recipient: Recipient,
    audience: &Audience,
) -> Result<Vec<String>, AppError> {
    Ok(match recipient {
        Recipient::Patient => vec![case.patient_id.clone()],
        Recipient::Coordinator => case.coordinator_id.iter().cloned().collect(),
        Recipient::EveryoneAssigned => notifications::assigned_clinicians(tx, &case.id).await?,
        Recipient::PreviousCoordinator => audience.previous_coordinator.iter().cloned().collect(),
        Recipient::SpecialistsConcerned | Recipient::SpecialistsWithoutOpinion => {
            audience.specialists.clone()
        }
        Recipient::Requester => audience.requester.iter().cloned().collect(),
    })
}

fn role_name(relation: Relation) -> &'static str {
    match relation {
        Relation::Owner => "patient",
        Relation::Coordinator => "coordinator",
        Relation::Specialist => "specialist",
        Relation::Admin => "admin",
        Relation::Unrelated => "none",
    }
}

pub fn outcome_of(err: &AppError) -> &'static str {
    match err {
        AppError::NotFound | AppError::Forbidden(_) => "denied",
        AppError::Conflict(_) => "conflict",
        AppError::Validation(_) => "invalid",
        _ => "error",
    }
}

pub async fn audit_outcome<'e>(
    ex: impl sqlx::Executor<'e, Database = sqlx::Any>,
    caller: &Caller<'_>,
    action: impl AsRef<str>,
    case_id: &str,
    outcome: &str,
) -> Result<(), AppError> {
    let entry = audit::Entry {
        user_id: Some(&caller.user.id),
        role: caller.user.role.as_str(),
        action: action.as_ref(),
        case_id: Some(case_id),
        target: case_id,
        outcome,
        ip: caller.ip,
    };
    audit::record(ex, &entry).await?;
    Ok(())
}
