//! The case state machine. Every status change in the product goes through [`transition`]; the
//! services apply the returned [`Effect`]s in the same transaction as the status change.
//! Messages are written in the reader's language via the translation layer.

use super::role::Relation;
use crate::i18n::td_string;
use crate::lang::{self, Locale};

pub use super::effects::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CaseStatus {
    Draft,
    Submitted,
    AwaitingPayment,
    PaymentFailed,
    PaymentSuccessful,
    DoctorsAssigned,
    Completed,
    Cancelled,
    Rejected,
}

string_enum!(CaseStatus {
    Draft => "draft",
    Submitted => "submitted",
    AwaitingPayment => "awaiting_payment",
    PaymentFailed => "payment_failed",
    PaymentSuccessful => "payment_successful",
    DoctorsAssigned => "doctors_assigned",
    Completed => "completed",
    Cancelled => "cancelled",
    Rejected => "rejected",
});

impl CaseStatus {
    /// The statuses a case ends in.
    pub const TERMINAL: [CaseStatus; 3] = [Self::Completed, Self::Cancelled, Self::Rejected];

    pub fn is_terminal(self) -> bool {
        Self::TERMINAL.contains(&self)
    }

    /// Money has been taken and not refunded: cancelling or rejecting now needs a refund.
    pub fn is_paid(self) -> bool {
        matches!(self, Self::PaymentSuccessful | Self::DoctorsAssigned)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseAction {
    EditDraft,
    Submit,
    AssignCoordinator,
    ReassignCoordinator,
    ConfirmPayment,
    FailPayment,
    RetryPayment,
    AssignSpecialists,
    AddSpecialists,
    RemoveSpecialist,
    RequestDocuments,
    ProvideRequestedDocuments,
    SubmitOpinion,
    RemindSpecialists,
    SubmitFinalSummary,
    Cancel,
    Reject,
}

string_enum!(CaseAction {
    EditDraft => "edit_draft",
    Submit => "submit",
    AssignCoordinator => "assign_coordinator",
    ReassignCoordinator => "reassign_coordinator",
    ConfirmPayment => "confirm_payment",
    FailPayment => "fail_payment",
    RetryPayment => "retry_payment",
    AssignSpecialists => "assign_specialists",
    AddSpecialists => "add_specialists",
    RemoveSpecialist => "remove_specialist",
    RequestDocuments => "request_documents",
    ProvideRequestedDocuments => "provide_requested_documents",
    SubmitOpinion => "submit_opinion",
    RemindSpecialists => "remind_specialists",
    SubmitFinalSummary => "submit_final_summary",
    Cancel => "cancel",
    Reject => "reject",
});

impl AsRef<str> for CaseAction {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl CaseAction {
    /// What the action does, as a refusal names it ("You cannot edit the case …").
    fn describe(self, locale: Locale) -> &'static str {
        match self {
            Self::EditDraft => td_string!(locale, errors.action_edit_draft),
            Self::Submit => td_string!(locale, errors.action_submit),
            Self::AssignCoordinator => td_string!(locale, errors.action_assign_coordinator),
            Self::ReassignCoordinator => td_string!(locale, errors.action_reassign_coordinator),
            Self::ConfirmPayment => td_string!(locale, errors.action_confirm_payment),
            Self::FailPayment => td_string!(locale, errors.action_fail_payment),
            Self::RetryPayment => td_string!(locale, errors.action_retry_payment),
            Self::AssignSpecialists => td_string!(locale, errors.action_assign_specialists),
            Self::AddSpecialists => td_string!(locale, errors.action_add_specialists),
            Self::RemoveSpecialist => td_string!(locale, errors.action_remove_specialist),
            Self::RequestDocuments => td_string!(locale, errors.action_request_documents),
            Self::ProvideRequestedDocuments => td_string!(locale, errors.action_provide_documents),
            Self::SubmitOpinion => td_string!(locale, errors.action_submit_opinion),
            Self::RemindSpecialists => td_string!(locale, errors.action_remind_specialists),
            Self::SubmitFinalSummary => td_string!(locale, errors.action_submit_summary),
            Self::Cancel => td_string!(locale, errors.action_cancel),
            Self::Reject => td_string!(locale, errors.action_reject),
        }
    }
}

/// Who is acting on the case. People act through their [`Relation`] to the case; the payment
/// provider acts through a verified webhook.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Actor {
    Person(Relation),
    PaymentProvider,
}

impl Actor {
    pub const ALL: [Actor; 6] = [
        Actor::Person(Relation::Owner),
        Actor::Person(Relation::Coordinator),
        Actor::Person(Relation::Specialist),
        Actor::Person(Relation::Admin),
        Actor::Person(Relation::Unrelated),
        Actor::PaymentProvider,
    ];
}

impl From<Relation> for Actor {
    fn from(relation: Relation) -> Self {
        Actor::Person(relation)
    }
}

/// Why an action was refused. `NotPermitted` is about who acts (HTTP 403); `InvalidState` is about
/// when (HTTP 409): the same actor could do it at another stage of the case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    NotPermitted(String),
    InvalidState(String),
}

impl Refusal {
    pub fn message(&self) -> &str {
        match self {
            Refusal::NotPermitted(m) | Refusal::InvalidState(m) => m,
        }
    }
}

/// Whether `actor` may ever perform `action`, whatever the status.
fn permitted(action: CaseAction, actor: Actor) -> bool {
    use CaseAction::*;
    use Relation::*;
    let Actor::Person(relation) = actor else {
        return matches!(action, ConfirmPayment | FailPayment);
    };
    match action {
        EditDraft | Submit | RetryPayment | ProvideRequestedDocuments => relation == Owner,
        AssignCoordinator | ReassignCoordinator | Reject => relation == Admin,
        ConfirmPayment | FailPayment => false,
        AssignSpecialists | AddSpecialists | RemoveSpecialist | RemindSpecialists | SubmitFinalSummary => {
            relation == Coordinator
        }
        RequestDocuments => matches!(relation, Coordinator | Specialist),
        SubmitOpinion => relation == Specialist,
        Cancel => matches!(relation, Owner | Admin),
    }
}

/// The statuses an action starts from and the status it leads to (`None`: stays the same).
fn route(action: CaseAction, from: CaseStatus) -> Option<CaseStatus> {
    use CaseAction::*;
    use CaseStatus::*;
    match (action, from) {
        (EditDraft, Draft) => Some(Draft),
        (Submit, Draft) => Some(Submitted),
        (AssignCoordinator, Submitted) => Some(AwaitingPayment),
        (ReassignCoordinator, AwaitingPayment | PaymentFailed) => Some(from),
        // A success after a failure is still money received: it wins, whatever the order.
        (ConfirmPayment, AwaitingPayment | PaymentFailed) => Some(PaymentSuccessful),
        (FailPayment, AwaitingPayment) => Some(PaymentFailed),
        (RetryPayment, PaymentFailed) => Some(AwaitingPayment),
        (AssignSpecialists, PaymentSuccessful) => Some(DoctorsAssigned),
        (
            AddSpecialists
            | RemoveSpecialist
            | RequestDocuments
            | ProvideRequestedDocuments
            | SubmitOpinion
            | RemindSpecialists,
            DoctorsAssigned,
        ) => Some(DoctorsAssigned),
        (SubmitFinalSummary, DoctorsAssigned) => Some(Completed),
        (Cancel, s) if !s.is_terminal() => Some(Cancelled),
        (Reject, Submitted | AwaitingPayment | PaymentFailed | PaymentSuccessful) => Some(Rejected),
        _ => None,
    }
}

fn effects(action: CaseAction, from: CaseStatus) -> Vec<Effect> {
    use CaseAction::*;
    use Effect::*;
    use Recipient::*;
    use TimelineLabel as T;
    let refund_if_paid = from.is_paid().then_some(RefundPayment);
    // The refund gets its own entry, for the payment's audience only (doctors see the closing).
    let refunded_entry = from.is_paid().then_some(Timeline(T::PaymentRefunded));
    match action {
        EditDraft => vec![],
        Submit => vec![Timeline(T::CaseSubmitted)],
        AssignCoordinator => vec![
            CreatePaymentLink,
            Timeline(T::CoordinatorAssigned),
            Timeline(T::AwaitingPayment),
            Notify(Coordinator),
            Notify(Patient),
        ],
        ReassignCoordinator => vec![
            Timeline(T::CoordinatorReassigned),
            Notify(Coordinator),
            Notify(PreviousCoordinator),
            Notify(Patient),
        ],
        ConfirmPayment => vec![
            RecordInvoice,
            Timeline(T::PaymentReceived),
            Notify(Patient),
            Notify(Coordinator),
        ],
        FailPayment => vec![Timeline(T::PaymentFailed), Notify(Patient), Notify(Coordinator)],
        RetryPayment => vec![Timeline(T::PaymentRetried)],
        AssignSpecialists => vec![
            SetExpectedReviewDate,
            Timeline(T::DoctorsAssigned),
            Notify(SpecialistsConcerned),
            Notify(Patient),
        ],
        AddSpecialists => vec![
            Timeline(T::SpecialistAdded),
            Notify(SpecialistsConcerned),
            Notify(Patient),
        ],
        RemoveSpecialist => vec![
            Timeline(T::SpecialistRemoved),
            Notify(SpecialistsConcerned),
            Notify(Patient),
        ],
        RequestDocuments => vec![Timeline(T::DocumentsRequested), Notify(Patient)],
        ProvideRequestedDocuments => vec![Timeline(T::DocumentsProvided), Notify(Requester)],
        SubmitOpinion => vec![Timeline(T::OpinionSubmitted), Notify(Coordinator)],
        RemindSpecialists => vec![Timeline(T::OverdueReminder), Notify(SpecialistsWithoutOpinion)],
        SubmitFinalSummary => vec![
            GenerateReport,
            Timeline(T::CaseCompleted),
            Notify(Patient),
            Notify(Coordinator),
        ],
        Cancel => refund_if_paid
            .into_iter()
            .chain([
                Timeline(T::CaseCancelled),
                Notify(Patient),
                Notify(EveryoneAssigned),
            ])
            .chain(refunded_entry)
            .collect(),
        Reject => refund_if_paid
            .into_iter()
            .chain([
                Timeline(T::CaseRejected),
                Notify(Patient),
                Notify(EveryoneAssigned),
            ])
            .chain(refunded_entry)
            .collect(),
    }
}

/// A status named inside a refusal's sentence. English writes it in lower case there ("while
/// the case is awaiting payment"); Arabic has no letter case, and its sentence quotes the name.
fn status_in_sentence(locale: Locale, status: CaseStatus) -> String {
    let name = lang::labels::status(locale, status);
    match locale {
        Locale::en => name.to_lowercase(),
        Locale::ar => name.to_owned(),
    }
}

fn wrong_status_message(locale: Locale, action: CaseAction, from: CaseStatus) -> String {
    use CaseAction::*;
    use CaseStatus::*;
    match (action, from) {
        (_, Completed | Cancelled | Rejected) => {
            let status = status_in_sentence(locale, from);
            td_string!(locale, errors.case_closed, status = &status)
        }
        (ReassignCoordinator, PaymentSuccessful | DoctorsAssigned) => {
            td_string!(locale, errors.coordinator_fixed).to_owned()
        }
        (AssignCoordinator, _) if from != Draft => {
            td_string!(locale, errors.coordinator_already_assigned).to_owned()
        }
        (AssignSpecialists, Submitted | AwaitingPayment | PaymentFailed) => {
            td_string!(locale, errors.specialists_after_payment).to_owned()
        }
        _ => {
            let status = status_in_sentence(locale, from);
            td_string!(
                locale,
                errors.wrong_status,
                action = action.describe(locale),
                status = &status
            )
        }
    }
}

/// The one rule for every action on a case: who may do it, from which status, to which status,
/// with which effects. Refusals carry a message fit to show to the person who tried, in their
/// language.
pub fn transition(from: CaseStatus, action: CaseAction, actor: Actor) -> Result<Transition, Refusal> {
    if !permitted(action, actor) {
        let locale = lang::current();
        return Err(Refusal::NotPermitted(td_string!(
            locale,
            errors.not_permitted,
            action = action.describe(locale)
        )));
    }
    let to = route(action, from)
        .ok_or_else(|| Refusal::InvalidState(wrong_status_message(lang::current(), action, from)))?;
    Ok(Transition {
        from,
        to,
        effects: effects(action, from),
    })
}

/// The actions `actor` may take now (exactly those [`transition`] allows). The UI offers
/// exactly these.
pub fn available_actions(status: CaseStatus, actor: Actor) -> Vec<CaseAction> {
    CaseAction::ALL
        .iter()
        .copied()
        .filter(|a| permitted(*a, actor) && route(*a, status).is_some())
        .collect()
}

#[cfg(test)]
#[path = "case_tests.rs"]
mod tests;
