//! What a change to a case writes and tells: timeline entries (with who may read them), who
//! is notified, and the other effects a transition asks of its use case; plus the scheduler's
//! and the payment provider's bookkeeping that changes no status. Re-exported by `case`.

use super::case::CaseStatus;
use serde::{Deserialize, Serialize};

/// The entries written on a case's timeline. Stored by [`TimelineLabel::as_str`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TimelineLabel {
    CaseSubmitted,
    CoordinatorAssigned,
    AwaitingPayment,
    CoordinatorReassigned,
    PaymentReceived,
    PaymentFailed,
    PaymentRetried,
    DoctorsAssigned,
    SpecialistAdded,
    SpecialistRemoved,
    ReviewStarted,
    DocumentsRequested,
    DocumentsProvided,
    OpinionSubmitted,
    OverdueReminder,
    ReviewOverdue,
    DraftWaiting,
    PaymentRefunded,
    CaseCompleted,
    CaseCancelled,
    CaseRejected,
}

string_enum!(TimelineLabel {
    CaseSubmitted => "case_submitted",
    CoordinatorAssigned => "coordinator_assigned",
    AwaitingPayment => "awaiting_payment",
    CoordinatorReassigned => "coordinator_reassigned",
    PaymentReceived => "payment_received",
    PaymentFailed => "payment_failed",
    PaymentRetried => "payment_retried",
    DoctorsAssigned => "doctors_assigned",
    SpecialistAdded => "specialist_added",
    SpecialistRemoved => "specialist_removed",
    ReviewStarted => "review_started",
    DocumentsRequested => "documents_requested",
    DocumentsProvided => "documents_provided",
    OpinionSubmitted => "opinion_submitted",
    OverdueReminder => "overdue_reminder",
    ReviewOverdue => "review_overdue",
    DraftWaiting => "draft_waiting",
    PaymentRefunded => "payment_refunded",
    CaseCompleted => "case_completed",
    CaseCancelled => "case_cancelled",
    CaseRejected => "case_rejected",
});

/// Who may read a timeline entry (quality A3): payment entries stay with the patient, the
/// coordinator and admins; doctors receive no payment data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Audience {
    /// Everyone who may see the case.
    Case,
    /// Only those who see payments ([`Relation::sees_payments`]).
    Payment,
}

impl TimelineLabel {
    pub fn audience(self) -> Audience {
        match self {
            Self::AwaitingPayment
            | Self::PaymentReceived
            | Self::PaymentFailed
            | Self::PaymentRetried
            | Self::PaymentRefunded => Audience::Payment,
            _ => Audience::Case,
        }
    }
}

/// Who is told about a change. The services resolve these to user ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Recipient {
    Patient,
    Coordinator,
    PreviousCoordinator,
    /// The specialists named in the action (added, or the one removed).
    SpecialistsConcerned,
    /// Active specialists who have not yet submitted an opinion.
    SpecialistsWithoutOpinion,
    /// Everyone holding an active assignment on the case.
    EveryoneAssigned,
    /// Whoever asked for the documents now provided.
    Requester,
}

/// What a transition asks the service to do besides changing the status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Effect {
    Timeline(TimelineLabel),
    Notify(Recipient),
    CreatePaymentLink,
    RecordInvoice,
    SetExpectedReviewDate,
    RefundPayment,
    GenerateReport,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    pub from: CaseStatus,
    pub to: CaseStatus,
    pub effects: Vec<Effect>,
}

impl Transition {
    pub fn timeline(&self) -> impl Iterator<Item = TimelineLabel> + '_ {
        self.effects.iter().filter_map(|e| match e {
            Effect::Timeline(label) => Some(*label),
            _ => None,
        })
    }

    pub fn recipients(&self) -> impl Iterator<Item = Recipient> + '_ {
        self.effects.iter().filter_map(|e| match e {
            Effect::Notify(r) => Some(*r),
            _ => None,
        })
    }

    pub fn has(&self, effect: Effect) -> bool {
        self.effects.contains(&effect)
    }
}

/// What the scheduler records when a case under review passes its expected review date: a
/// timeline entry and a notice to the coordinator and the specialists still writing. Not an
/// action anyone takes, so it does not go through [`transition`]; it never changes the status.
pub fn review_overdue() -> Transition {
    Transition {
        from: CaseStatus::DoctorsAssigned,
        to: CaseStatus::DoctorsAssigned,
        effects: vec![
            Effect::Timeline(TimelineLabel::ReviewOverdue),
            Effect::Notify(Recipient::Coordinator),
            Effect::Notify(Recipient::SpecialistsWithoutOpinion),
        ],
    }
}

/// What the scheduler sends when a draft has not been touched for [`DRAFT_REMINDER_AFTER_MS`]:
/// a notice to the patient. A draft has no timeline, so the label names the notice only.
pub fn draft_waiting() -> Transition {
    Transition {
        from: CaseStatus::Draft,
        to: CaseStatus::Draft,
        effects: vec![
            Effect::Timeline(TimelineLabel::DraftWaiting),
            Effect::Notify(Recipient::Patient),
        ],
    }
}

/// What happens when money arrives for a case already cancelled or rejected (a cancel that
/// crossed the payment): the case stays closed, the money goes back, the patient is told.
/// Bookkeeping on a closed case, not a change of its status, so not a [`transition`].
pub fn late_payment_refunded(status: CaseStatus) -> Option<Transition> {
    matches!(status, CaseStatus::Cancelled | CaseStatus::Rejected).then(|| Transition {
        from: status,
        to: status,
        effects: vec![
            Effect::RefundPayment,
            Effect::Timeline(TimelineLabel::PaymentRefunded),
            Effect::Notify(Recipient::Patient),
        ],
    })
}

/// A draft untouched this long gets one reminder.
pub const DRAFT_REMINDER_AFTER_MS: i64 = 24 * 3600 * 1000;
