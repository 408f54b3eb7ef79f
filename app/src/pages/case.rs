use crate::api::cases::{load_case, CloseCase};
use crate::components::auth::RequireUser;
use crate::components::cases::{date, date_time, StatusBadge};
use crate::components::feedback::{FieldError, Loaded};
use crate::components::forms::{CaseFields, Submit};
use crate::domain::payment::PaymentStatus;
use crate::domain::{CaseAction, CaseStatus, Relation};
use crate::error::AppError;
use crate::i18n::{t, td_string, tu_string, use_i18n};
use crate::lang;
use crate::model::{CaseDetails, CaseView, TimelineEntry};
use crate::pages::case_review::{
    CoordinatorReview, OpinionEditor, Opinions, ReportCard, RequestForm, Requests, ReviewActions,
};
use crate::pages::case_staff::{CoordinatorPicker, PaymentPrompt, SpecialistPicker, StaffActions, Team};
use crate::pages::intake::DocumentRows;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// One case, as the viewer may see it. The server answers "not found" for a case the viewer may
/// not see, exactly as for one that does not exist.
#[component]
pub fn CasePage() -> impl IntoView {
    let params = use_params_map();
    let close = ServerAction::<CloseCase>::new();
    let staff = StaffActions::new();
    let review = ReviewActions::new();
    let live = crate::components::live::use_live();
    let case = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                close.version().get(),
                staff.versions(),
                review.version(),
                live.tick(),
            )
        },
        |(id, _, _, _, _)| load_case(id.into()),
    );
    let i18n = use_i18n();
    view! {
        <Title text=tu_string!(i18n, cases.col_case)/>
        <RequireUser>
            <CaseDetail case close staff review/>
        </RequireUser>
    }
}

#[component]
fn CaseDetail(
    case: Resource<Result<CaseView, AppError>>,
    close: ServerAction<CloseCase>,
    staff: StaffActions,
    review: ReviewActions,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Loaded resource=case loading=tu_string!(i18n, case.loading) ready=move |view| view! { <CaseBody view close staff review/> }/>
    }
}

#[component]
fn CaseBody(
    view: CaseView,
    close: ServerAction<CloseCase>,
    staff: StaffActions,
    review: ReviewActions,
) -> impl IntoView {
    let s = view.summary.clone();
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let documents_wanted = view.requests.iter().any(|r| r.is_open());
    let refund = view
        .payment
        .as_ref()
        .filter(|p| p.status == PaymentStatus::Succeeded)
        .map(|p| lang::format::money(locale, &p.amount));
    let next = (view.relation == Relation::Owner).then(|| {
        if documents_wanted && view.actions.contains(&CaseAction::ProvideRequestedDocuments) {
            td_string!(locale, case.documents_needed)
        } else {
            lang::labels::next_step_for_patient(locale, s.status)
        }
    });
    let closing: Vec<CaseAction> = view
        .actions
        .iter()
        .copied()
        .filter(|a| matches!(a, CaseAction::Cancel | CaseAction::Reject))
        .collect();
    view! {
        <Title text=s.reference.clone()/>
        <header class="case-header">
            <h1>{t!(i18n, case.heading, <num> = <span class="case-ref"/>, reference = s.reference.clone())}</h1>
            <StatusBadge status=s.status/>
        </header>
        {next.map(|text| view! { <p class="next-step" data-testid="next-step">{text}</p> })}
        <dl class="facts">
            <dt>{t!(i18n, cases.col_patient)}</dt><dd><bdi>{s.patient_name.clone()}</bdi></dd>
            <dt>{t!(i18n, cases.col_category)}</dt><dd>{s.category.clone().unwrap_or_else(|| td_string!(locale, case.not_chosen).into())}</dd>
            <dt>{t!(i18n, cases.col_review)}</dt><dd>{s.review_type.clone().unwrap_or_else(|| td_string!(locale, case.not_chosen).into())}</dd>
            <dt>{t!(i18n, cases.col_opened)}</dt><dd>{date(s.created_at)}</dd>
            <dt>{t!(i18n, cases.col_expected)}</dt><dd>{s.expected_review_at.map(date).unwrap_or_else(|| td_string!(locale, case.expected_when_assigned).into())}</dd>
        </dl>
        <ReportCard view=view.clone()/>
        <PaymentPrompt view=view.clone() actions=staff/>
        <CoordinatorPicker view=view.clone() actions=staff/>
        <SpecialistPicker view=view.clone() actions=staff/>
        <Team view=view.clone() actions=staff/>
        <Requests view=view.clone() actions=review/>
        {(view.relation == Relation::Owner && s.status == CaseStatus::Draft).then(|| view! {
            <p><a class="button" href=format!("/cases/{}/edit", s.id)>{t!(i18n, case.continue_draft)}</a></p>
        })}
        {view.details.closed_reason.clone().map(|reason| view! {
            <p class="notice" data-testid="closed-reason"><strong>{t!(i18n, case.reason)}</strong>{reason}</p>
        })}
        <CaseText details=view.details.clone()/>
        <section aria-labelledby="documents-title">
            <h2 id="documents-title">{t!(i18n, case.documents)}</h2>
            {if view.documents.is_empty() {
                view! { <p class="empty">{t!(i18n, case.no_documents)}</p> }.into_any()
            } else {
                view! { <DocumentRows list=view.documents.clone() remove=ServerAction::new() editable=false/> }.into_any()
            }}
        </section>
        // The doctors read the case before they write: their forms come after it.
        <Opinions view=view.clone()/>
        <OpinionEditor view=view.clone() actions=review/>
        <CoordinatorReview view=view.clone() actions=review/>
        <RequestForm view=view.clone() actions=review/>
        <Timeline entries=view.timeline.clone()/>
        {closing.into_iter().map(|action| view! { <CloseForm case_id=s.id.to_string() version=s.version action close refund=refund.clone()/> }).collect_view()}
    }
}

#[component]
fn CaseText(details: CaseDetails) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let sex = details
        .patient_sex
        .as_deref()
        .and_then(|s| lang::labels::sex(locale, s))
        .unwrap_or("—");
    let age = details
        .patient_age
        .map(|a| a.to_string())
        .unwrap_or_else(|| "—".into());
    let block = |title: &'static str, text: String| {
        (!text.is_empty()).then(|| view! { <h3>{title}</h3><p class="prose" dir="auto">{text}</p> })
    };
    view! {
        <section aria-labelledby="details-title">
            <h2 id="details-title">{t!(i18n, case.about_patient)}</h2>
            <p>{td_string!(locale, case.age_and_sex, age = age, sex = sex)}</p>
            {block(td_string!(locale, case.medical_history), details.medical_history)}
            {block(td_string!(locale, case.current_treatment), details.current_treatment)}
            {block(td_string!(locale, case.questions), details.questions)}
        </section>
    }
}

#[component]
fn Timeline(entries: Vec<TimelineEntry>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    view! {
        <section aria-labelledby="timeline-title">
            <h2 id="timeline-title">{t!(i18n, case.timeline)}</h2>
            {if entries.is_empty() {
                view! { <p class="empty">{t!(i18n, case.timeline_empty)}</p> }.into_any()
            } else {
                view! {
                    <ol class="timeline" data-testid="timeline">
                        {entries.into_iter().map(|e| {
                            let detail = e.detail_in(locale);
                            view! {
                            <li>
                                <strong>{lang::labels::timeline(locale, e.label)}</strong>
                                <span class="muted">
                                    {format!(" · {}", date_time(e.at))}
                                    {e.actor_name.map(|n| view! { " · "<bdi>{n}</bdi> })}
                                </span>
                                {(!detail.is_empty()).then(|| view! { <p class="detail" dir="auto">{detail}</p> })}
                            </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn CloseForm(
    case_id: String,
    version: i64,
    action: CaseAction,
    close: ServerAction<CloseCase>,
    /// The amount that goes back to the patient, when the case has been paid.
    refund: Option<String>,
) -> impl IntoView {
    let result = close.value();
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let (title, button) = match action {
        CaseAction::Reject => (
            td_string!(locale, case.reject_title),
            td_string!(locale, case.reject_button),
        ),
        _ => (
            td_string!(locale, case.cancel_title),
            td_string!(locale, case.cancel_button),
        ),
    };
    view! {
        <details class="danger-zone">
            <summary>{title}</summary>
            <ActionForm action=close attr:class="form">
                <CaseFields case_id version/>
                <input type="hidden" name="action" value=action.as_str()/>
                <label for=format!("reason-{}", action.as_str())>{t!(i18n, case.reason_label)}</label>
                <textarea id=format!("reason-{}", action.as_str()) name="reason" required maxlength="1000"></textarea>
                <FieldError result field="reason"/>
                {refund.map(|amount| view! { <p class="hint">{td_string!(locale, case.refunded_in_full, amount = amount)}</p> })}
                <Submit result label=button class="button button-danger"/>
            </ActionForm>
        </details>
    }
}
