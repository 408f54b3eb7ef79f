//! Telling people about a change: an in-app notification and an email for each person the
//! transition names (never the one who acted), and on PostgreSQL a wake-up for every app
//! server's open pages when the transaction commits.

use super::Audience;
use crate::domain::{Recipient, Transition};
use crate::error::AppError;
use crate::i18n::td_string;
use crate::lang::{labels, Locale};
use crate::model::{Detail, UserId};
use crate::server::db::run::{self, args};
use crate::server::db::{self, cases::CaseRow, notifications, outbox, Tx};

/// A change to tell people about: which case, what happened, who did it (not told themselves).
#[derive(Clone, Copy)]
pub struct Notice<'a> {
    pub case: &'a CaseRow,
    pub transition: &'a Transition,
    pub actor_id: Option<&'a UserId>,
    pub detail: Option<&'a Detail>,
    /// Added to the detail for the people who see payments only (never for specialists).
    pub payment_detail: Option<&'a Detail>,
    pub audience: &'a Audience,
}

/// Whether a recipient of a notice about this case may read payment details: the patient and
/// the coordinators (current and, on a reassignment, previous), never a specialist.
fn recipient_sees_payments(notice: &Notice<'_>, user_id: &UserId) -> bool {
    *user_id == notice.case.patient_id
        || notice.case.coordinator_id.as_ref() == Some(user_id)
        || notice.audience.previous_coordinator.as_ref() == Some(user_id)
}

/// Writes an in-app notification and queues an email for each person the transition names,
/// except the one who acted. Returns who was notified (for live updates after commit).
pub async fn notify(
    tx: &mut Tx,
    backend: db::Backend,
    notice: &Notice<'_>,
    now: i64,
) -> Result<Vec<UserId>, AppError> {
    let Notice {
        case,
        transition,
        actor_id,
        detail,
        payment_detail,
        audience,
    } = *notice;
    let mut people: Vec<UserId> = Vec::new();
    for recipient in transition.recipients() {
        people.extend(resolve(tx, case, recipient, audience).await?);
    }
    people.sort();
    people.dedup();
    people.retain(|p| Some(p) != actor_id);
    let Some(label) = transition.timeline().next() else {
        return Ok(Vec::new());
    };
    // Stored as written in English for old readers; the notification centre renders the event
    // (`kind`) in each reader's language when it is read.
    let title = format!("{} · {}", case.reference, labels::timeline(Locale::en, label));
    let without_payment: Vec<Detail> = detail.into_iter().cloned().collect();
    let with_payment: Vec<Detail> = detail.into_iter().chain(payment_detail).cloned().collect();
    for user_id in &people {
        let body = if recipient_sees_payments(notice, user_id) {
            &with_payment
        } else {
            &without_payment
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
    if backend == db::Backend::Postgres {
        // Delivered to every app server's listener when this transaction commits, and never if
        // it rolls back: open pages learn of the change at once (see the /events route).
        for user_id in &people {
            const SQL: &str = "SELECT pg_notify($1, $2)";
            run::execute(&mut **tx, SQL, args![notifications::CHANNEL, user_id]).await?;
        }
    }
    // Email says that something happened and where to look, never the medical details; in
    // the language each recipient reads.
    for (email, locale) in notifications::contacts(tx, &people).await? {
        let event = labels::timeline(locale, label);
        let subject = format!("{} · {event}", case.reference);
        let body = td_string!(
            locale,
            email.case_event,
            event = event,
            reference = &case.reference
        );
        outbox::enqueue(tx, &email, &subject, &body, now).await?;
    }
    Ok(people)
}

async fn resolve(
    tx: &mut Tx,
    case: &CaseRow,
    recipient: Recipient,
    audience: &Audience,
) -> Result<Vec<UserId>, AppError> {
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
