//! The names of the domain's values in the reader's language. The domain keeps stable stored
//! names only (`as_str`); what a person reads comes from here.

use super::Locale;
use crate::domain::document::MediaType;
use crate::domain::money::Money;
use crate::domain::{CaseStatus, Role, TimelineLabel};
use crate::error::AppError;
use crate::i18n::td_string;
use crate::model::{Attention, Detail};

pub fn status(locale: Locale, status: CaseStatus) -> &'static str {
    match status {
        CaseStatus::Draft => td_string!(locale, status.draft),
        CaseStatus::Submitted => td_string!(locale, status.submitted),
        CaseStatus::AwaitingPayment => td_string!(locale, status.awaiting_payment),
        CaseStatus::PaymentFailed => td_string!(locale, status.payment_failed),
        CaseStatus::PaymentSuccessful => td_string!(locale, status.paid),
        CaseStatus::DoctorsAssigned => td_string!(locale, status.under_review),
        CaseStatus::Completed => td_string!(locale, status.completed),
        CaseStatus::Cancelled => td_string!(locale, status.cancelled),
        CaseStatus::Rejected => td_string!(locale, status.rejected),
    }
}

pub fn role(locale: Locale, role: Role) -> &'static str {
    match role {
        Role::Patient => td_string!(locale, role.patient),
        Role::Clinician => td_string!(locale, role.clinician),
        Role::Admin => td_string!(locale, role.admin),
    }
}

pub fn timeline(locale: Locale, label: TimelineLabel) -> &'static str {
    use TimelineLabel::*;
    match label {
        CaseSubmitted => td_string!(locale, timeline.case_submitted),
        CoordinatorAssigned => td_string!(locale, timeline.coordinator_assigned),
        AwaitingPayment => td_string!(locale, timeline.awaiting_payment),
        CoordinatorReassigned => td_string!(locale, timeline.coordinator_reassigned),
        PaymentReceived => td_string!(locale, timeline.payment_received),
        PaymentFailed => td_string!(locale, timeline.payment_failed),
        PaymentRetried => td_string!(locale, timeline.payment_retried),
        DoctorsAssigned => td_string!(locale, timeline.doctors_assigned),
        SpecialistAdded => td_string!(locale, timeline.specialist_added),
        SpecialistRemoved => td_string!(locale, timeline.specialist_removed),
        ReviewStarted => td_string!(locale, timeline.review_started),
        DocumentsRequested => td_string!(locale, timeline.documents_requested),
        DocumentsProvided => td_string!(locale, timeline.documents_provided),
        OpinionSubmitted => td_string!(locale, timeline.opinion_submitted),
        OverdueReminder => td_string!(locale, timeline.overdue_reminder),
        ReviewOverdue => td_string!(locale, timeline.review_overdue),
        DraftWaiting => td_string!(locale, timeline.draft_waiting),
        PaymentRefunded => td_string!(locale, timeline.payment_refunded),
        CaseCompleted => td_string!(locale, timeline.case_completed),
        CaseCancelled => td_string!(locale, timeline.case_cancelled),
        CaseRejected => td_string!(locale, timeline.case_rejected),
    }
}

/// What happens next on a case, as its patient's list says it.
pub fn next_step_for_patient(locale: Locale, status: CaseStatus) -> &'static str {
    match status {
        CaseStatus::Draft => td_string!(locale, cases.next_draft),
        CaseStatus::Submitted => td_string!(locale, cases.next_submitted),
        CaseStatus::AwaitingPayment => td_string!(locale, cases.next_awaiting_payment),
        CaseStatus::PaymentFailed => td_string!(locale, cases.next_payment_failed),
        CaseStatus::PaymentSuccessful => td_string!(locale, cases.next_paid),
        CaseStatus::DoctorsAssigned => td_string!(locale, cases.next_under_review),
        CaseStatus::Completed => td_string!(locale, cases.next_completed),
        CaseStatus::Cancelled => td_string!(locale, cases.next_cancelled),
        CaseStatus::Rejected => td_string!(locale, cases.next_rejected),
    }
}

pub fn attention(locale: Locale, attention: Attention) -> String {
    match attention {
        Attention::DocumentsAsked => td_string!(locale, cases.attention_documents_asked).to_owned(),
        Attention::AssignSpecialists => td_string!(locale, cases.attention_assign_specialists).to_owned(),
        Attention::ReadyForSummary => td_string!(locale, cases.attention_ready_for_summary).to_owned(),
        Attention::WaitingForDocuments => {
            td_string!(locale, cases.attention_waiting_for_documents).to_owned()
        }
        Attention::WaitingForOpinions(count) => {
            td_string!(locale, cases.attention_waiting_for_opinions, count = count)
        }
        Attention::OpinionIn => td_string!(locale, cases.attention_opinion_in).to_owned(),
        Attention::OpinionDue => td_string!(locale, cases.attention_opinion_due).to_owned(),
    }
}

/// A stored sex (`female`, `male`, `other`), as the forms and the report name it.
pub fn sex(locale: Locale, stored: &str) -> Option<&'static str> {
    Some(match stored {
        "female" => td_string!(locale, case.sex_female),
        "male" => td_string!(locale, case.sex_male),
        "other" => td_string!(locale, case.sex_unlisted),
        _ => return None,
    })
}

/// The kind of an uploaded file ("PDF", "JPEG image").
pub fn media_type(locale: Locale, media: MediaType) -> &'static str {
    match media {
        MediaType::Pdf => "PDF",
        MediaType::Jpeg => td_string!(locale, intake.media_jpeg),
        MediaType::Png => td_string!(locale, intake.media_png),
        MediaType::Webp => td_string!(locale, intake.media_webp),
        MediaType::Heic => td_string!(locale, intake.media_heic),
    }
}

/// An error as its reader sees it. The variants that carry a message carry it already written
/// in the reader's language by the server (see [`super::current`]); the others are named here.
pub fn error(locale: Locale, error: &AppError) -> String {
    let fixed = match error {
        AppError::Unauthenticated => td_string!(locale, failure.unauthenticated),
        AppError::BadCredentials => td_string!(locale, failure.bad_credentials),
        AppError::NotFound => td_string!(locale, failure.not_found),
        AppError::Validation(_) => td_string!(locale, failure.validation),
        AppError::TooManyRequests => td_string!(locale, failure.too_many_requests),
        AppError::Busy => td_string!(locale, failure.busy),
        AppError::StorageUnavailable => td_string!(locale, failure.storage_unavailable),
        AppError::PaymentProviderUnavailable => td_string!(locale, failure.payment_provider_unavailable),
        AppError::Internal { ref_id } => return td_string!(locale, failure.internal, reference = ref_id),
        AppError::Transport(detail) => return td_string!(locale, failure.transport, detail = detail),
        AppError::Forbidden(message)
        | AppError::Conflict(message)
        | AppError::TooLarge(message)
        | AppError::UnsupportedType(message) => return message.clone(),
    };
    fixed.to_owned()
}

/// A timeline entry's or notification's detail. Names and references inside an Arabic sentence
/// are isolated (FSI … PDI), so a Latin name keeps its own order; an amount is not, so that right
/// to left it reads amount first, then the currency, as `format::money` writes it.
pub fn detail(locale: Locale, detail: &Detail) -> String {
    let isolate = |text: String| {
        if super::is_rtl(locale) {
            format!("\u{2068}{text}\u{2069}")
        } else {
            text
        }
    };
    let amount = |money: &Money| super::format::money(locale, money);
    match detail {
        Detail::Written { text } => text.clone(),
        Detail::PaymentRequested { amount: money } => {
            td_string!(locale, detail.payment_requested, amount = amount(money))
        }
        Detail::Invoice { number } => td_string!(locale, detail.invoice, number = isolate(number.clone())),
        Detail::RefundIssued { amount: money } => {
            td_string!(locale, detail.refund_issued, amount = amount(money))
        }
        Detail::LatePaymentRefunded { amount: money } => {
            td_string!(locale, detail.late_payment_refunded, amount = amount(money))
        }
        Detail::OpinionBy { author } => {
            td_string!(locale, detail.opinion_by, author = isolate(author.clone()))
        }
        Detail::OpinionReminder => td_string!(locale, detail.opinion_reminder).to_owned(),
        Detail::ReportReady => td_string!(locale, detail.report_ready).to_owned(),
        Detail::DocumentsComplete => td_string!(locale, detail.documents_complete).to_owned(),
        Detail::ReviewOverdue => td_string!(locale, detail.review_overdue).to_owned(),
        Detail::DraftWaiting => td_string!(locale, detail.draft_waiting).to_owned(),
    }
}
