//! The one frame every change to a case runs in, whoever makes it: a person, the payment
//! provider or the scheduler. `begin…` opens a write transaction, decides and claims the case
//! (the loser of a race stops there with a conflict); the use case adds its own writes and marks
//! the effects it performed; [`finish`] writes the timeline, notifies, audits, checks that every
//! effect the rule named was handled, and commits.

mod notify;
mod timeline_text;

use crate::model::UserId;
use crate::model::{CaseId, Detail};
use notify::{notify, Notice};
use timeline_text::entry_details;
use timeline_text::timeline_role;

use super::audit::{self, On};
use crate::domain::audit::{AuditAction, Outcome};
use crate::domain::{case, case::transition, CaseAction, Effect, Relation, Role, Transition};
use crate::error::AppError;
use crate::i18n::td_string;
use crate::server::caller::{Caller, Person};
use crate::server::db::{self, cases, cases::CaseRow, timeline, Db, Tx};
use sqlx::AnyConnection;

/// A claimed case inside its write transaction, until [`finish`] commits it.
pub struct Acting {
    pub tx: Tx,
    pub case: CaseRow,
    /// The person's relation to the case (`Unrelated` for the provider and the scheduler).
    pub relation: Relation,
    pub transition: Transition,
    backend: db::Backend,
    caller: Caller,
    /// The audit log's name for this change.
    audit_action: AuditAction,
    done: Done,
}

/// The effects that need the use case's own work, marked as it does them.
#[derive(Default)]
struct Done {
    payment_link: bool,
    invoice: bool,
    review_date: bool,
    report: bool,
    refund: bool,
    /// A line about the refund for the payment's audience, beside the change's own detail.
    payment_line: Option<Detail>,
}

impl Acting {
    pub fn opened_payment_link(&mut self) {
        self.done.payment_link = true;
    }

    pub fn recorded_invoice(&mut self) {
        self.done.invoice = true;
    }

    pub fn set_review_date(&mut self) {
        self.done.review_date = true;
    }

    pub fn stored_report(&mut self) {
        self.done.report = true;
    }

    /// The money went back. `line`, if given, goes on the payment entry and into the notices
    /// of the payment's audience only (when the change is about the money itself, its detail
    /// says so and there is no separate line).
    pub fn refunded(&mut self, line: Option<Detail>) {
        self.done.refund = true;
        self.done.payment_line = line;
    }
}

/// People named by the action itself, for the recipients the case row cannot tell.
#[derive(Default)]
pub struct Audience {
    pub previous_coordinator: Option<UserId>,
    pub specialists: Vec<UserId>,
    pub requester: Option<UserId>,
}

impl Audience {
    /// The coordinator whom a reassignment replaced.
    pub fn previous_coordinator(id: UserId) -> Self {
        Self {
            previous_coordinator: Some(id),
            ..Self::default()
        }
    }

    /// The specialists the action is about (the ones added, removed or reminded).
    pub fn specialists(ids: Vec<UserId>) -> Self {
        Self {
            specialists: ids,
            ..Self::default()
        }
    }

    /// Whoever asked for the documents just provided.
    pub fn requester(id: UserId) -> Self {
        Self {
            requester: Some(id),
            ..Self::default()
        }
    }
}

/// Why a claim failed. Only a lost race is worth trying again.
enum Refused {
    ClaimLost,
    Other(AppError),
}

impl From<AppError> for Refused {
    fn from(err: AppError) -> Self {
        Refused::Other(err)
    }
}

impl From<sqlx::Error> for Refused {
    fn from(err: sqlx::Error) -> Self {
        Refused::Other(err.into())
    }
}

/// The caller's relation to a case, from their role and the active assignment.
pub async fn relation_of(
    conn: &mut AnyConnection,
    case: &CaseRow,
    person: &Person,
) -> Result<Relation, AppError> {
    let assignment = match person.user.role {
        Role::Clinician => cases::active_assignment(conn, &case.id, person.id()).await?,
        Role::Admin | Role::Patient => None,
    };
    Ok(Relation::of(
        person.user.role,
        case.patient_id == person.user.id,
        assignment,
    ))
}

/// A person's action decided from the page they saw at `expected_version`. A case the caller
/// may not see answers NotFound, exactly like a missing one; a refused action answers 403 or
/// 409 with the rule's reason; a case changed since answers 409. Refusals are audited after the
/// transaction is rolled back, so they never hold the write lock.
pub async fn begin(
    db: &Db,
    person: &Person,
    case_id: &CaseId,
    expected_version: i64,
    action: CaseAction,
) -> Result<Acting, AppError> {
    match open(db, person, case_id, Some(expected_version), action).await {
        Ok(acting) => Ok(acting),
        Err(Refused::ClaimLost) => Err(AppError::conflict(td_string!(
            crate::lang::current(),
            errors.claim_lost
        ))),
        Err(Refused::Other(err)) => Err(err),
    }
}

/// Like [`begin`] for actions that do not depend on what the caller last saw (one's own
/// opinion, asking for documents, an upload against a request): the case is claimed at its
/// current version, so another doctor's change in between is not a conflict. Racing requests
/// still serialize on the claim; the one that loses it tries again.
pub async fn begin_current(
    db: &Db,
    person: &Person,
    case_id: &CaseId,
    action: CaseAction,
) -> Result<Acting, AppError> {
    for _ in 0..3 {
        match open(db, person, case_id, None, action).await {
            Ok(acting) => return Ok(acting),
            Err(Refused::ClaimLost) => continue,
            Err(Refused::Other(err)) => return Err(err),
        }
    }
    Err(AppError::conflict(td_string!(
        crate::lang::current(),
        errors.claim_lost
    )))
}

async fn open(
    db: &Db,
    person: &Person,
    case_id: &CaseId,
    expected_version: Option<i64>,
    action: CaseAction,
) -> Result<Acting, Refused> {
    let mut tx = db.begin().await?;
    match decide(&mut tx, person, case_id, expected_version, action).await {
        Ok((case, relation, transition)) => Ok(Acting {
            tx,
            case,
            relation,
            transition,
            backend: db.backend(),
            caller: person.into(),
            audit_action: action.into(),
            done: Done::default(),
        }),
        Err(refused) => {
            tx.rollback().await?;
            let outcome = match &refused {
                Refused::ClaimLost => Outcome::Conflict,
                Refused::Other(err) => audit::outcome_of(err),
            };
            audit::record(db.pool(), &person.into(), action, On::case(case_id), outcome).await?;
            Err(refused)
        }
    }
}

/// Checks, without changing anything, that the person may take `action` on the case now, and
/// returns the case with their relation to it. Refusals are audited like in [`begin`].
pub async fn check(
    db: &Db,
    person: &Person,
    case_id: &CaseId,
    action: CaseAction,
) -> Result<(CaseRow, Relation), AppError> {
    let mut conn = db.pool().acquire().await?;
    let decided = async {
        let case = cases::find(&mut *conn, case_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let relation = visible_relation(&mut conn, &case, person).await?;
        transition(case.status, action, relation.into())?;
        Ok((case, relation))
    }
    .await;
    if let Err(err) = &decided {
        let outcome = audit::outcome_of(err);
        audit::record(&mut *conn, &person.into(), action, On::case(case_id), outcome).await?;
    }
    decided
}

/// [`check`] at the version the person saw: a case changed since answers 409 (audited as a
/// conflict). For a change that first asks someone outside (the payment provider) and only
/// then runs [`begin`] at the same version, so nothing slow is done on a stale page's word.
pub async fn check_at(
    db: &Db,
    person: &Person,
    case_id: &CaseId,
    expected_version: i64,
    action: CaseAction,
) -> Result<(CaseRow, Relation), AppError> {
    let (case, relation) = check(db, person, case_id, action).await?;
    if case.version != expected_version {
        audit::record(
            db.pool(),
            &person.into(),
            action,
            On::case(case_id),
            Outcome::Conflict,
        )
        .await?;
        return Err(AppError::conflict(td_string!(
            crate::lang::current(),
            errors.case_changed
        )));
    }
    Ok((case, relation))
}

/// The person's relation to a case they may see; NotFound for one they may not.
async fn visible_relation(
    conn: &mut AnyConnection,
    case: &CaseRow,
    person: &Person,
) -> Result<Relation, AppError> {
    let relation = relation_of(conn, case, person).await?;
    if !relation.may_view_case(case.status) {
        return Err(AppError::NotFound);
    }
    Ok(relation)
}

async fn decide(
    tx: &mut Tx,
    person: &Person,
    case_id: &CaseId,
    expected_version: Option<i64>,
    action: CaseAction,
) -> Result<(CaseRow, Relation, Transition), Refused> {
    let case = cases::find(&mut **tx, case_id).await?.ok_or(AppError::NotFound)?;
    let relation = visible_relation(tx, &case, person).await?;
    let transition = transition(case.status, action, relation.into()).map_err(AppError::from)?;
    if expected_version.is_some_and(|v| v != case.version) {
        return Err(AppError::conflict(td_string!(crate::lang::current(), errors.case_changed)).into());
    }
    claim(tx, &case, &transition).await?;
    Ok((case, relation, transition))
}

/// Claims the case before any other write by advancing its status and version: on PostgreSQL
/// this takes the row lock, so a concurrent request waits here and then finds the version moved.
async fn claim(tx: &mut Tx, case: &CaseRow, transition: &Transition) -> Result<(), Refused> {
    if cases::advance(tx, case, transition.to, db::now_ms()).await? {
        Ok(())
    } else {
        Err(Refused::ClaimLost)
    }
}

/// The payment provider's event on `case`, inside the transaction that recorded the event. The
/// rule's refusal (an event the case has moved past) comes back with the transaction, for the
/// caller to record the event as ignored. A lost claim is a conflict: the provider redelivers.
pub async fn begin_for_provider(
    db: &Db,
    mut tx: Tx,
    event_id: &str,
    case: CaseRow,
    action: CaseAction,
) -> Result<Result<Acting, (Tx, CaseRow)>, AppError> {
    let Ok(transition) = transition(case.status, action, crate::domain::Actor::PaymentProvider) else {
        return Ok(Err((tx, case)));
    };
    if claim(&mut tx, &case, &transition).await.is_err() {
        return Err(AppError::conflict(
            "The case changed at the same moment; the provider will redeliver.",
        ));
    }
    let caller = Caller::Provider {
        event_id: event_id.to_owned(),
    };
    Ok(Ok(bookkeeping(db, tx, caller, case, transition, action)))
}

/// Records on a case without changing its status: a scheduled reminder (the case already
/// claimed by its reminder flag) or money given back for a closed case. `audit_action` names it.
pub fn bookkeeping(
    db: &Db,
    tx: Tx,
    caller: Caller,
    case: CaseRow,
    transition: Transition,
    audit_action: impl Into<AuditAction>,
) -> Acting {
    Acting {
        tx,
        case,
        relation: Relation::Unrelated,
        transition,
        backend: db.backend(),
        caller,
        audit_action: audit_action.into(),
        done: Done::default(),
    }
}

/// Records the timeline entries, notifications and audit entry of the claimed change, then
/// commits. `detail` goes on the timeline entries and into the notifications.
pub async fn finish(mut acting: Acting, detail: Option<Detail>, audience: &Audience) -> Result<(), AppError> {
    let payment_detail = handled_effects(&acting)?;
    let now = db::now_ms();
    // A draft has no timeline: only what happens from submission on is the case's history.
    if acting.transition.to != case::CaseStatus::Draft {
        let role = timeline_role(&acting.caller, acting.relation);
        let actor = timeline::Actor {
            user_id: acting.caller.user_id(),
            role,
        };
        let labels: Vec<_> = acting.transition.timeline().collect();
        for (label, text) in entry_details(&labels, detail.as_ref(), payment_detail.as_ref()) {
            timeline::append(&mut acting.tx, &acting.case.id, &actor, label, text, now).await?;
        }
    }
    let notice = Notice {
        case: &acting.case,
        transition: &acting.transition,
        actor_id: acting.caller.user_id(),
        detail: detail.as_ref(),
        payment_detail: payment_detail.as_ref(),
        audience,
    };
    notify(&mut acting.tx, acting.backend, &notice, now).await?;
    let on = match &acting.caller {
        Caller::Provider { event_id } => On {
            case_id: Some(&acting.case.id),
            target: event_id,
        },
        Caller::Person(_) | Caller::Scheduler => On::case(&acting.case.id),
    };
    audit::succeeded(&mut *acting.tx, &acting.caller, acting.audit_action, on).await?;
    acting.tx.commit().await?;
    Ok(())
}

/// Every effect the rule named must have been handled: the timeline and the notifications here,
/// the rest by the use case, which marks them as done. A new kind of effect does not compile
/// until this match handles it; an effect the use case forgot fails the change before commit.
/// Returns the refund's line for the payment's audience, if there is one.
fn handled_effects(acting: &Acting) -> Result<Option<Detail>, AppError> {
    let done = &acting.done;
    for effect in &acting.transition.effects {
        let handled = match effect {
            Effect::Timeline(_) | Effect::Notify(_) => true,
            Effect::CreatePaymentLink => done.payment_link,
            Effect::RecordInvoice => done.invoice,
            Effect::SetExpectedReviewDate => done.review_date,
            Effect::GenerateReport => done.report,
            Effect::RefundPayment => done.refund,
        };
        if !handled {
            return Err(crate::server::failure::internal(
                "case action",
                format!("{} left {effect:?} undone", acting.audit_action),
            ));
        }
    }
    Ok(done.payment_line.clone())
}
