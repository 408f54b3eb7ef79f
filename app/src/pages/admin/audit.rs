//! The audit log: every state change, every read of a medical document or report, every sign-in
//! and every refusal, searchable by who, what, which case and when, and exportable as CSV.

use crate::api::audit::audit_log;
use crate::components::auth::RolePage;
use crate::components::cases::{date_time, urlencode};
use crate::components::feedback::ErrorNote;
use crate::components::filters::{SelectFilter, TextFilter};
use crate::domain::audit::{AuditAction, Outcome, UseCase};
use crate::domain::case::CaseAction;
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::{t, td_string, tu_string, use_i18n};
use crate::lang::Locale;
use crate::model::{AuditEntry, AuditQuery, Page};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let current = Memo::new(move |_| {
        let q = query.read();
        let field = |name: &str| q.get(name).unwrap_or_default();
        AuditQuery {
            who: field("who"),
            action: field("action"),
            outcome: field("outcome"),
            case: field("case"),
            from: field("from"),
            to: field("to"),
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
        }
    });
    let entries = Resource::new(move || current.get(), audit_log);
    let i18n = use_i18n();
    view! {
        <RolePage title=tu_string!(i18n, nav.audit_log) role=Role::Admin>
            <h1>{t!(i18n, nav.audit_log)}</h1>
            <SearchForm current/>
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, admin.audit_searching)}</p> }>
                {move || Suspend::new(async move {
                    let found: Result<Page<AuditEntry>, AppError> = entries.await;
                    match found {
                        Ok(page) => view! { <Results page query=current.get_untracked()/> }.into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Transition>
        </RolePage>
    }
}

/// The same search as a query string, for the pager and the export link.
fn query_string(q: &AuditQuery, page: u32) -> String {
    let pairs = [
        ("who", &q.who),
        ("action", &q.action),
        ("outcome", &q.outcome),
        ("case", &q.case),
        ("from", &q.from),
        ("to", &q.to),
    ];
    let mut parts: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect();
    parts.push(format!("page={page}"));
    parts.join("&")
}

#[component]
fn SearchForm(current: Memo<AuditQuery>) -> impl IntoView {
    let field = move |pick: fn(AuditQuery) -> String| Signal::derive(move || pick(current.get()));
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    // The submitted values stay the stored names; only the text is translated.
    let actions = AuditAction::all()
        .map(|a| (a.as_str().to_owned(), action_label(locale, a).to_owned()))
        .collect();
    let outcomes = Outcome::ALL
        .iter()
        .map(|o| (o.as_str().to_owned(), outcome_label(locale, *o).to_owned()))
        .collect();
    view! {
        <Form method="GET" action="" attr:class="filters">
            <TextFilter id="who" label=td_string!(locale, admin.audit_who) kind="search" placeholder=td_string!(locale, admin.audit_who_placeholder) current=field(|q| q.who)/>
            <SelectFilter id="action" label=td_string!(locale, admin.audit_action) any=td_string!(locale, admin.audit_any_action) choices=actions current=field(|q| q.action)/>
            <SelectFilter id="outcome" label=td_string!(locale, admin.audit_outcome) any=td_string!(locale, admin.audit_any_outcome) choices=outcomes current=field(|q| q.outcome)/>
            <TextFilter id="case" label=td_string!(locale, cases.col_case) placeholder="C-…" current=field(|q| q.case)/>
            <TextFilter id="from" label=td_string!(locale, admin.audit_from_date) kind="date" current=field(|q| q.from)/>
            <TextFilter id="to" label=td_string!(locale, admin.audit_to_date) kind="date" current=field(|q| q.to)/>
            <button type="submit" class="button">{t!(i18n, queue.search)}</button>
        </Form>
    }
}

#[component]
fn Results(page: Page<AuditEntry>, query: AuditQuery) -> impl IntoView {
    let pages = page.page_count();
    let link = |n: u32| format!("?{}", query_string(&query, n));
    let previous = (page.page > 1).then(|| link(page.page - 1));
    let next = (page.page < pages).then(|| link(page.page + 1));
    let export = format!("/admin/audit.csv?{}", query_string(&query, 1));
    let locale = crate::lang::current();
    let (c_when, c_who, c_role, c_action, c_case, c_outcome, c_from) = (
        td_string!(locale, admin.audit_when),
        td_string!(locale, admin.audit_who),
        td_string!(locale, admin.role),
        td_string!(locale, admin.audit_action),
        td_string!(locale, cases.col_case),
        td_string!(locale, admin.audit_outcome),
        td_string!(locale, admin.audit_source),
    );
    view! {
        <p class="actions">
            <span class="muted">{td_string!(locale, admin.audit_entries, count = page.total)}</span>
            <a class="button button-quiet" href=export download>{td_string!(locale, admin.audit_export)}</a>
        </p>
        {if page.items.is_empty() {
            view! { <p class="empty">{td_string!(locale, admin.audit_none)}</p> }.into_any()
        } else {
            view! {
                <table class="table stack" data-testid="audit-table">
                    <thead><tr>
                        <th>{c_when}</th><th>{c_who}</th><th>{c_role}</th><th>{c_action}</th>
                        <th>{c_case}</th><th>{c_outcome}</th><th>{c_from}</th>
                    </tr></thead>
                    <tbody>
                        {page.items.into_iter().map(|e| {
                            // Stored names the page does not know (older entries) are shown as stored.
                            let role = stored_role_label(locale, &e.role).map_or(e.role.clone(), str::to_owned);
                            let action = stored_action_label(locale, &e.action).map_or(e.action.clone(), str::to_owned);
                            let outcome = stored_outcome_label(locale, &e.outcome).map_or(e.outcome.clone(), str::to_owned);
                            view! {
                                <tr>
                                    <td data-label=c_when>{date_time(e.at)}</td>
                                    <td data-label=c_who><bdi>{e.user_name.clone().unwrap_or_else(|| td_string!(locale, admin.audit_system).into())}</bdi>
                                        <span class="muted">{e.user_email.map(|m| view! { " · "<bdi>{m}</bdi> })}</span></td>
                                    <td data-label=c_role>{role}</td>
                                    <td data-label=c_action title=e.action.clone()>{action}</td>
                                    <td data-label=c_case>{e.case_reference.unwrap_or_default()}</td>
                                    <td data-label=c_outcome class=format!("outcome outcome-{}", e.outcome)>{outcome}</td>
                                    <td data-label=c_from class="muted"><bdi dir="ltr">{e.ip}</bdi></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        <nav class="pager" aria-label=td_string!(locale, queue.pages)>
            // The arrows point outwards in the reading direction (the translations turn them).
            {previous.map(|href| view! { <a href=href rel="prev">{td_string!(locale, queue.newer)}</a> })}
            <span>{td_string!(locale, queue.page_of, page = page.page, pages = pages)}</span>
            {next.map(|href| view! { <a href=href rel="next">{td_string!(locale, queue.older)}</a> })}
        </nav>
    }
}

/// A stored role name as admins read it: a person's role, or who else acts (the payment
/// provider, the scheduler, a visitor not signed in).
fn stored_role_label(locale: Locale, stored: &str) -> Option<&'static str> {
    if let Ok(role) = stored.parse::<Role>() {
        return Some(crate::lang::labels::role(locale, role));
    }
    Some(match stored {
        "payment_provider" => td_string!(locale, admin.audit_role_payment_provider),
        "system" => td_string!(locale, admin.audit_role_system),
        "anonymous" => td_string!(locale, admin.audit_role_anonymous),
        _ => return None,
    })
}

fn stored_action_label(locale: Locale, stored: &str) -> Option<&'static str> {
    AuditAction::all()
        .find(|a| a.as_str() == stored)
        .map(|a| action_label(locale, a))
}

fn stored_outcome_label(locale: Locale, stored: &str) -> Option<&'static str> {
    stored.parse::<Outcome>().ok().map(|o| outcome_label(locale, o))
}

/// What an audited use case is called in the log and its filter.
fn action_label(locale: Locale, action: AuditAction) -> &'static str {
    match action {
        AuditAction::Case(action) => case_action_label(locale, action),
        AuditAction::Other(use_case) => use_case_label(locale, use_case),
    }
}

fn case_action_label(locale: Locale, action: CaseAction) -> &'static str {
    match action {
        CaseAction::EditDraft => td_string!(locale, admin.action_edit_draft),
        CaseAction::Submit => td_string!(locale, admin.action_submit),
        CaseAction::AssignCoordinator => td_string!(locale, admin.action_assign_coordinator),
        CaseAction::ReassignCoordinator => td_string!(locale, admin.action_reassign_coordinator),
        CaseAction::ConfirmPayment => td_string!(locale, admin.action_confirm_payment),
        CaseAction::FailPayment => td_string!(locale, admin.action_fail_payment),
        CaseAction::RetryPayment => td_string!(locale, admin.action_retry_payment),
        CaseAction::AssignSpecialists => td_string!(locale, admin.action_assign_specialists),
        CaseAction::AddSpecialists => td_string!(locale, admin.action_add_specialists),
        CaseAction::RemoveSpecialist => td_string!(locale, admin.action_remove_specialist),
        CaseAction::RequestDocuments => td_string!(locale, admin.action_request_documents),
        CaseAction::ProvideRequestedDocuments => td_string!(locale, admin.action_provide_requested_documents),
        CaseAction::SubmitOpinion => td_string!(locale, admin.action_submit_opinion),
        CaseAction::RemindSpecialists => td_string!(locale, admin.action_remind_specialists),
        CaseAction::SubmitFinalSummary => td_string!(locale, admin.action_submit_final_summary),
        CaseAction::Cancel => td_string!(locale, admin.action_cancel),
        CaseAction::Reject => td_string!(locale, admin.action_reject),
    }
}

fn use_case_label(locale: Locale, use_case: UseCase) -> &'static str {
    match use_case {
        UseCase::Register => td_string!(locale, admin.action_register),
        UseCase::VerifyEmail => td_string!(locale, admin.action_verify_email),
        UseCase::RequestPasswordReset => td_string!(locale, admin.action_request_password_reset),
        UseCase::ResetPassword => td_string!(locale, admin.action_reset_password),
        UseCase::ChangePassword => td_string!(locale, admin.action_change_password),
        UseCase::VerifySignInCode => td_string!(locale, admin.action_verify_sign_in_code),
        UseCase::EnrolSecondFactor => td_string!(locale, admin.action_enrol_second_factor),
        UseCase::TurnOffSecondFactor => td_string!(locale, admin.action_turn_off_second_factor),
        UseCase::ResetSecondFactor => td_string!(locale, admin.action_reset_second_factor),
        UseCase::EndSession => td_string!(locale, admin.action_end_session),
        UseCase::EndAllSessions => td_string!(locale, admin.action_end_all_sessions),
        UseCase::UpdateProfile => td_string!(locale, admin.action_update_profile),
        UseCase::RequestEmailChange => td_string!(locale, admin.action_request_email_change),
        UseCase::ConfirmEmailChange => td_string!(locale, admin.action_confirm_email_change),
        UseCase::ChooseLanguage => td_string!(locale, admin.action_choose_language),
        UseCase::Login => td_string!(locale, admin.action_login),
        UseCase::Logout => td_string!(locale, admin.action_logout),
        UseCase::CreateCase => td_string!(locale, admin.action_create_case),
        UseCase::DeleteDraft => td_string!(locale, admin.action_delete_draft),
        UseCase::UploadDocument => td_string!(locale, admin.action_upload_document),
        UseCase::ReplaceDocument => td_string!(locale, admin.action_replace_document),
        UseCase::RemoveDocument => td_string!(locale, admin.action_remove_document),
        UseCase::ProvideDocument => td_string!(locale, admin.action_provide_document),
        UseCase::ReadDocument => td_string!(locale, admin.action_read_document),
        UseCase::SaveOpinionDraft => td_string!(locale, admin.action_save_opinion_draft),
        UseCase::ReadReport => td_string!(locale, admin.action_read_report),
        UseCase::RefundLatePayment => td_string!(locale, admin.action_refund_late_payment),
        UseCase::RemindReviewOverdue => td_string!(locale, admin.action_remind_review_overdue),
        UseCase::RemindDraftWaiting => td_string!(locale, admin.action_remind_draft_waiting),
        UseCase::MyCases => td_string!(locale, admin.action_my_cases),
        UseCase::LoadClinicianCases => td_string!(locale, admin.action_load_clinician_cases),
        UseCase::CaseQueue => td_string!(locale, admin.action_case_queue),
        UseCase::LoadQueueFilters => td_string!(locale, admin.action_load_queue_filters),
        UseCase::SaveReviewType => td_string!(locale, admin.action_save_review_type),
        UseCase::SaveCategory => td_string!(locale, admin.action_save_category),
        UseCase::SetCatalogActive => td_string!(locale, admin.action_set_catalog_active),
        UseCase::ActivateReviewType => td_string!(locale, admin.action_activate_review_type),
        UseCase::DeactivateReviewType => td_string!(locale, admin.action_deactivate_review_type),
        UseCase::ActivateCategory => td_string!(locale, admin.action_activate_category),
        UseCase::DeactivateCategory => td_string!(locale, admin.action_deactivate_category),
        UseCase::ListAccounts => td_string!(locale, admin.action_list_accounts),
        UseCase::CreateStaff => td_string!(locale, admin.action_create_staff),
        UseCase::SetAccountActive => td_string!(locale, admin.action_set_account_active),
        UseCase::CreateAccount => td_string!(locale, admin.action_create_account),
        UseCase::ReactivateAccount => td_string!(locale, admin.action_reactivate_account),
        UseCase::DeactivateAccount => td_string!(locale, admin.action_deactivate_account),
        UseCase::SearchAudit => td_string!(locale, admin.action_search_audit),
        UseCase::ExportAudit => td_string!(locale, admin.action_export_audit),
    }
}

/// How an audited use case ended, as admins read it.
fn outcome_label(locale: Locale, outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Ok => td_string!(locale, admin.outcome_ok),
        Outcome::Denied => td_string!(locale, admin.outcome_denied),
        Outcome::Conflict => td_string!(locale, admin.outcome_conflict),
        Outcome::Invalid => td_string!(locale, admin.outcome_invalid),
        Outcome::Error => td_string!(locale, admin.outcome_error),
        Outcome::IntegrityFailure => td_string!(locale, admin.outcome_integrity_failure),
        Outcome::Throttled => td_string!(locale, admin.outcome_throttled),
        Outcome::BadCredentials => td_string!(locale, admin.outcome_bad_credentials),
        Outcome::Unverified => td_string!(locale, admin.outcome_unverified),
        Outcome::Deactivated => td_string!(locale, admin.outcome_deactivated),
        Outcome::UnverifiedAgain => td_string!(locale, admin.outcome_unverified_again),
        Outcome::ExistingAccount => td_string!(locale, admin.outcome_existing_account),
        Outcome::NoAccount => td_string!(locale, admin.outcome_no_account),
        Outcome::CodeNeeded => td_string!(locale, admin.outcome_code_needed),
        Outcome::RecoveryCodeUsed => td_string!(locale, admin.outcome_recovery_code_used),
    }
}
