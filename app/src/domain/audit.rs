//! What the audit log records: which use case ran ([`AuditAction`]) and how it ended
//! ([`Outcome`]). Both are stored by name; admins filter by them.

use super::case::CaseAction;
use serde::{Deserialize, Serialize};

/// An audited use case: a case action (named like the action), or one of the others.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AuditAction {
    Case(CaseAction),
    Other(UseCase),
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Case(action) => action.as_str(),
            AuditAction::Other(use_case) => use_case.as_str(),
        }
    }

    /// Every name the log can hold, for the admins' filter.
    pub fn all() -> impl Iterator<Item = AuditAction> {
        let cases = CaseAction::ALL.iter().map(|a| AuditAction::Case(*a));
        cases.chain(UseCase::ALL.iter().map(|u| AuditAction::Other(*u)))
    }
}

impl From<CaseAction> for AuditAction {
    fn from(action: CaseAction) -> Self {
        AuditAction::Case(action)
    }
}

impl From<UseCase> for AuditAction {
    fn from(use_case: UseCase) -> Self {
        AuditAction::Other(use_case)
    }
}

impl std::fmt::Display for AuditAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The audited use cases that are not a case's status change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UseCase {
    Register,
    VerifyEmail,
    RequestPasswordReset,
    ResetPassword,
    ChangePassword,
    VerifySignInCode,
    EnrolSecondFactor,
    TurnOffSecondFactor,
    ResetSecondFactor,
    EndSession,
    EndAllSessions,
    UpdateProfile,
    RequestEmailChange,
    ConfirmEmailChange,
    ChooseLanguage,
    Login,
    Logout,
    CreateCase,
    DeleteDraft,
    UploadDocument,
    ReplaceDocument,
    RemoveDocument,
    ProvideDocument,
    ReadDocument,
    SaveOpinionDraft,
    ReadReport,
    RefundLatePayment,
    RemindReviewOverdue,
    RemindDraftWaiting,
    MyCases,
    LoadClinicianCases,
    CaseQueue,
    LoadQueueFilters,
    SaveReviewType,
    SaveCategory,
    SetCatalogActive,
    ActivateReviewType,
    DeactivateReviewType,
    ActivateCategory,
    DeactivateCategory,
    ListAccounts,
    CreateStaff,
    SetAccountActive,
    CreateAccount,
    ReactivateAccount,
    DeactivateAccount,
    SearchAudit,
    ExportAudit,
}

string_enum!(UseCase {
    Register => "register",
    VerifyEmail => "verify_email",
    RequestPasswordReset => "request_password_reset",
    ResetPassword => "reset_password",
    ChangePassword => "change_password",
    VerifySignInCode => "verify_sign_in_code",
    EnrolSecondFactor => "enrol_second_factor",
    TurnOffSecondFactor => "turn_off_second_factor",
    ResetSecondFactor => "reset_second_factor",
    UpdateProfile => "update_profile",
    RequestEmailChange => "request_email_change",
    ConfirmEmailChange => "confirm_email_change",
    ChooseLanguage => "choose_language",
    EndSession => "end_session",
    EndAllSessions => "end_all_sessions",
    Login => "login",
    Logout => "logout",
    CreateCase => "create_case",
    DeleteDraft => "delete_draft",
    UploadDocument => "upload_document",
    ReplaceDocument => "replace_document",
    RemoveDocument => "remove_document",
    ProvideDocument => "provide_document",
    ReadDocument => "read_document",
    SaveOpinionDraft => "save_opinion_draft",
    ReadReport => "read_report",
    RefundLatePayment => "refund_late_payment",
    RemindReviewOverdue => "remind_review_overdue",
    RemindDraftWaiting => "remind_draft_waiting",
    MyCases => "my_cases",
    LoadClinicianCases => "load_clinician_cases",
    CaseQueue => "case_queue",
    LoadQueueFilters => "load_queue_filters",
    SaveReviewType => "save_review_type",
    SaveCategory => "save_category",
    SetCatalogActive => "set_catalog_active",
    ActivateReviewType => "activate_review_type",
    DeactivateReviewType => "deactivate_review_type",
    ActivateCategory => "activate_category",
    DeactivateCategory => "deactivate_category",
    ListAccounts => "list_accounts",
    CreateStaff => "create_staff",
    SetAccountActive => "set_account_active",
    CreateAccount => "create_account",
    ReactivateAccount => "reactivate_account",
    DeactivateAccount => "deactivate_account",
    SearchAudit => "search_audit",
    ExportAudit => "export_audit",
});

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Outcome {
    Ok,
    /// Not allowed, or not visible to the caller (answered like a missing record).
    Denied,
    /// Refused because the record changed meanwhile or is in the wrong state.
    Conflict,
    /// Refused because the input was wrong.
    Invalid,
    /// Failed on our side.
    Error,
    /// A stored file no longer matches its checksum.
    IntegrityFailure,
    /// A sign-in refused before any password was checked.
    Throttled,
    BadCredentials,
    Unverified,
    Deactivated,
    /// A registration for an address whose account is not verified yet: the link is sent again.
    UnverifiedAgain,
    /// A registration for an address that has an account: its owner is told instead.
    ExistingAccount,
    /// A password reset asked for an address with no active account: nothing is sent.
    NoAccount,
    /// The password was right; the sign-in waits for a code from the authenticator app.
    CodeNeeded,
    /// A sign-in completed with a recovery code instead of the app's code.
    RecoveryCodeUsed,
}

string_enum!(Outcome {
    Ok => "ok",
    Denied => "denied",
    Conflict => "conflict",
    Invalid => "invalid",
    Error => "error",
    IntegrityFailure => "integrity_failure",
    Throttled => "throttled",
    BadCredentials => "bad_credentials",
    Unverified => "unverified",
    Deactivated => "deactivated",
    UnverifiedAgain => "unverified_again",
    ExistingAccount => "existing_account",
    NoAccount => "no_account",
    CodeNeeded => "code_needed",
    RecoveryCodeUsed => "recovery_code_used",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_audited_use_cases_share_a_name() {
        let names: Vec<&str> = AuditAction::all().map(AuditAction::as_str).collect();
        let unique: std::collections::HashSet<&&str> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "{names:?}");
    }
}
