//! The parts of the case page for the specialist review: document requests (the patient's
//! checklist and the staff's form), the specialist's opinion, the opinions the viewer may read,
//! the coordinator's final summary and reminder, and the way to the report.

use crate::api::review::{RemindSpecialists, RequestDocuments, SubmitFinalSummary, WriteOpinion};
use crate::components::cases::{date, date_time};
use crate::components::feedback::{ActionError, FieldError};
use crate::components::forms::{ActionCard, CaseFields, Submit};
use crate::components::upload::Uploader;
use crate::domain::review::MAX_REQUEST_ITEMS;
use crate::domain::{CaseAction, CaseStatus, Relation};
use crate::i18n::{t, td_string, use_i18n};
use crate::model::{CaseView, DocumentRequestView, OpinionView};
use leptos::prelude::*;

/// The review's actions, created once by the page so that each completion reloads it.
#[derive(Clone, Copy)]
pub struct ReviewActions {
    pub request: ServerAction<RequestDocuments>,
    pub opinion: ServerAction<WriteOpinion>,
    pub remind: ServerAction<RemindSpecialists>,
    pub summary: ServerAction<SubmitFinalSummary>,
    /// Bumped after each success (and each file uploaded against a request). Only successes
    /// reload the page, so text typed into a form that was refused stays where it is.
    pub done: RwSignal<u32>,
}

impl ReviewActions {
    pub fn new() -> Self {
        let actions = Self {
            request: ServerAction::new(),
            opinion: ServerAction::new(),
            remind: ServerAction::new(),
            summary: ServerAction::new(),
            done: RwSignal::new(0),
        };
        let done = actions.done;
        let bump_on_success = move |ok: Signal<bool>| {
            Effect::new(move |_| {
                if ok.get() {
                    done.update(|n| *n += 1);
                }
            });
        };
        bump_on_success(succeeded(actions.request));
        bump_on_success(succeeded(actions.opinion));
        bump_on_success(succeeded(actions.remind));
        bump_on_success(succeeded(actions.summary));
        actions
    }

    pub fn version(&self) -> u32 {
        self.done.get()
    }
}

fn succeeded<A>(action: ServerAction<A>) -> Signal<bool>
where
    A: server_fn::ServerFn<Output = ()> + Clone + Send + Sync + 'static,
    A::Error: Clone + Send + Sync + 'static,
{
    let value = action.value();
    Signal::derive(move || matches!(value.get(), Some(Ok(()))))
}

impl Default for ReviewActions {
    fn default() -> Self {
        Self::new()
    }
}

/// The report, once the case is completed: what the patient came for, so it comes first.
#[component]
pub fn ReportCard(view: CaseView) -> impl IntoView {
    if !view.report_ready {
        return ().into_any();
    }
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let id = view.summary.id;
    let title = if view.relation == Relation::Owner {
        td_string!(locale, review.report_ready)
    } else {
        td_string!(locale, review.report_final)
    };
    view! {
        <section class="card action-card report-card" data-testid="report-card">
            <h2>{title}</h2>
            <p>{t!(i18n, review.report_intro)}</p>
            <p class="actions">
                <a class="button" href=format!("/cases/{id}/report")>{t!(i18n, review.read_report)}</a>
                " "
                <a class="button button-quiet" href=format!("/cases/{id}/report.pdf?download=1")>{t!(i18n, review.download_pdf)}</a>
            </p>
        </section>
    }
    .into_any()
}

/// Every document request of the case. The patient uploads against open items; the staff see
/// what is in and what is still missing.
#[component]
pub fn Requests(view: CaseView, actions: ReviewActions) -> impl IntoView {
    if view.requests.is_empty() {
        return ().into_any();
    }
    let can_provide = view.actions.contains(&CaseAction::ProvideRequestedDocuments);
    let case_id = view.summary.id.clone();
    let owner = view.relation == Relation::Owner;
    let locale = use_i18n().get_locale_untracked();
    view! {
        <section aria-labelledby="requests-title" data-testid="requests">
            <h2 id="requests-title">{if owner { td_string!(locale, review.requests_owner) } else { td_string!(locale, review.requests_staff) }}</h2>
            {view.requests.into_iter().map(|r| view! {
                <RequestCard request=r case_id=case_id.to_string() can_provide actions/>
            }).collect_view()}
        </section>
    }
    .into_any()
}

#[component]
fn RequestCard(
    request: DocumentRequestView,
    case_id: String,
    can_provide: bool,
    actions: ReviewActions,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let open = request.is_open();
    let status = match request.fulfilled_at {
        Some(at) => td_string!(locale, review.all_provided, when = date(at)),
        None => td_string!(locale, review.waiting_documents).to_owned(),
    };
    let on_uploaded = Callback::new(move |_| actions.done.update(|n| *n += 1));
    view! {
        <article class="card request" class:open=open data-testid="request">
            <p>
                <strong>{t!(i18n, review.asked_on, <who> = <bdi/>, name = request.requested_by.clone(), when = date_time(request.created_at))}</strong>
                <span class="muted">{format!(" · {status}")}</span>
            </p>
            {(!request.note.is_empty()).then(|| view! { <p class="prose" dir="auto">{request.note.clone()}</p> })}
            <ul class="checklist">
                {request.items.into_iter().map(|item| {
                    let done = item.document_id.is_some();
                    view! {
                        <li class:done=done data-testid="request-item">
                            <span class="check-mark" aria-hidden="true">{if done { "✓" } else { "○" }}</span>
                            <span class="item-label"><bdi>{item.label.clone()}</bdi></span>
                            {match item.document_id {
                                Some(doc) => view! {
                                    <a class="muted" href=format!("/documents/{doc}") target="_blank" rel="noopener">{format!(" · {}", td_string!(locale, review.provided))}</a>
                                }.into_any(),
                                None if can_provide => view! {
                                    <Uploader case_id=case_id.clone() on_uploaded item=item.id/>
                                }.into_any(),
                                None => view! { <span class="muted">{format!(" · {}", td_string!(locale, review.not_yet_provided))}</span> }.into_any(),
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </article>
    }
}

/// A specialist or the coordinator asks the patient for named documents.
#[component]
pub fn RequestForm(view: CaseView, actions: ReviewActions) -> impl IntoView {
    if view.relation == Relation::Owner || !view.actions.contains(&CaseAction::RequestDocuments) {
        return ().into_any();
    }
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let result = actions.request.value();
    let rows = RwSignal::new(3_usize);
    let full = move || rows.get() >= MAX_REQUEST_ITEMS;
    view! {
        <ActionCard heading_id="ask-title" title=td_string!(locale, review.ask_title) testid="request-form">
            <p class="hint">{t!(i18n, review.ask_hint)}</p>
            <ActionForm action=actions.request attr:class="form">
                <input type="hidden" name="case_id" value=view.summary.id.clone()/>
                <fieldset class="fieldset">
                    <legend>{t!(i18n, review.documents_needed)}</legend>
                    <For each=move || 0..rows.get() key=|i| *i let:i>
                        <input type="text" name="items[]" maxlength="200"
                            aria-label=td_string!(locale, review.document_number, number = i + 1)
                            placeholder=if i == 0 { td_string!(locale, review.item_placeholder) } else { "" }/>
                    </For>
                    <button type="button" class="button button-quiet"
                        disabled=full
                        on:click=move |_| rows.update(|n| *n = (*n + 1).min(MAX_REQUEST_ITEMS))>
                        {t!(i18n, review.add_document)}
                    </button>
                </fieldset>
                <FieldError result field="items"/>
                <label for="request-note">{t!(i18n, review.note_label)}</label>
                <textarea id="request-note" name="note" maxlength="2000" rows="3"></textarea>
                <FieldError result field="note"/>
                <Submit result label=td_string!(locale, review.send_request)/>
            </ActionForm>
        </ActionCard>
    }
    .into_any()
}

/// The specialist's own opinion: an editable draft until submitted, read-only after.
#[component]
pub fn OpinionEditor(view: CaseView, actions: ReviewActions) -> impl IntoView {
    if view.relation != Relation::Specialist {
        return ().into_any();
    }
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let mine = view.opinions.iter().find(|o| o.mine).cloned();
    if let Some(opinion) = mine.clone().filter(|o| o.submitted_at.is_some()) {
        return view! {
            <section aria-labelledby="my-opinion-title" data-testid="my-opinion">
                <h2 id="my-opinion-title">{t!(i18n, review.your_opinion)}</h2>
                <OpinionBody opinion/>
            </section>
        }
        .into_any();
    }
    if !view.actions.contains(&CaseAction::SubmitOpinion) {
        return ().into_any();
    }
    let draft = mine.unwrap_or_else(empty_opinion);
    let result = actions.opinion.value();
    let saved = move || {
        matches!(result.get(), Some(Ok(())))
            .then(|| view! { <p class="success" role="status">{t!(i18n, review.saved)}</p> })
    };
    let optional = td_string!(locale, review.optional);
    let area =
        move |id: &'static str, label: &'static str, hint: &'static str, value: String, required: bool| {
            view! {
                <label for=id>{label}{(!required).then_some(optional)}</label>
                {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> })}
                <textarea id=id name=id rows="6" maxlength="20000">{value}</textarea>
                <FieldError result field=id/>
            }
        };
    view! {
        <ActionCard heading_id="opinion-title" title=td_string!(locale, review.opinion_title) testid="opinion-editor">
            <p class="hint">{t!(i18n, review.opinion_hint)}</p>
            <ActionForm action=actions.opinion attr:class="form">
                <input type="hidden" name="case_id" value=view.summary.id.clone()/>
                {area("assessment", td_string!(locale, review.assessment), td_string!(locale, review.assessment_hint), draft.assessment, true)}
                {area("recommendation", td_string!(locale, review.recommendation), td_string!(locale, review.recommendation_hint), draft.recommendation, true)}
                {area("diagnosis", td_string!(locale, review.diagnosis), "", draft.diagnosis, false)}
                {area("treatment", td_string!(locale, review.treatment), "", draft.treatment, false)}
                <ActionError result/>
                {saved}
                <p class="actions">
                    <button type="submit" name="intent" value="save" class="button button-quiet">{t!(i18n, intake.save)}</button>
                    " "
                    <button type="submit" name="intent" value="submit" class="button">{t!(i18n, review.submit_opinion)}</button>
                </p>
            </ActionForm>
        </ActionCard>
    }
    .into_any()
}

fn empty_opinion() -> OpinionView {
    OpinionView {
        author_id: Default::default(),
        mine: true,
        author: crate::model::ReportPerson {
            name: String::new(),
            title: String::new(),
            specialties: String::new(),
        },
        assessment: String::new(),
        recommendation: String::new(),
        diagnosis: String::new(),
        treatment: String::new(),
        updated_at: Default::default(),
        submitted_at: None,
    }
}

#[component]
fn OpinionBody(opinion: OpinionView) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let part = |title: &'static str, text: String| {
        (!text.is_empty()).then(|| view! { <h4>{title}</h4><p class="prose" dir="auto">{text}</p> })
    };
    view! {
        <p class="muted">
            {match opinion.submitted_at {
                Some(at) => td_string!(locale, review.submitted_on, when = date_time(at)),
                None => td_string!(locale, review.draft_saved, when = date_time(opinion.updated_at)),
            }}
        </p>
        {part(td_string!(locale, review.assessment), opinion.assessment)}
        {part(td_string!(locale, review.recommendation), opinion.recommendation)}
        {part(td_string!(locale, review.diagnosis), opinion.diagnosis)}
        {part(td_string!(locale, review.treatment), opinion.treatment)}
    }
}

/// Submitted opinions the viewer may read (the coordinator and admins: all of them; the
/// specialists: each other's once the case is completed). The viewer's own is shown above.
#[component]
pub fn Opinions(view: CaseView) -> impl IntoView {
    let others: Vec<OpinionView> = view
        .opinions
        .into_iter()
        .filter(|o| o.submitted_at.is_some() && !o.mine)
        .collect();
    if others.is_empty() || view.relation == Relation::Owner {
        return ().into_any();
    }
    let i18n = use_i18n();
    view! {
        <section aria-labelledby="opinions-title" data-testid="opinions">
            <h2 id="opinions-title">{t!(i18n, review.opinions_title)}</h2>
            {others.into_iter().map(|o| view! {
                <article class="card opinion" data-testid="opinion">
                    <h3>{o.author.display()}</h3>
                    <OpinionBody opinion=o/>
                </article>
            }).collect_view()}
        </section>
    }
    .into_any()
}

/// The coordinator's part of the review: remind the specialists still writing, and write the
/// final summary once everything is in.
#[component]
pub fn CoordinatorReview(view: CaseView, actions: ReviewActions) -> impl IntoView {
    if view.relation != Relation::Coordinator || view.summary.status != CaseStatus::DoctorsAssigned {
        return ().into_any();
    }
    let waiting: Vec<String> = view
        .team
        .iter()
        .filter(|m| !m.is_coordinator && !m.opinion_submitted)
        .map(|m| format!("{} {}", m.title, m.name))
        .collect();
    let open_requests = view.requests.iter().filter(|r| r.is_open()).count();
    let specialists = view.team.iter().filter(|m| !m.is_coordinator).count();
    let blocker = crate::domain::review::completion_blocker(specialists, &waiting, open_requests);
    let blocked = blocker.is_some();
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let remind_result = actions.remind.value();
    let result = actions.summary.value();
    let case_id = view.summary.id.clone();
    let remind_case = case_id.clone();
    view! {
        <ActionCard heading_id="summary-title" title=td_string!(locale, review.summary_title) testid="final-summary">
            {match blocker.clone() {
                Some(reason) => view! { <p class="notice" data-testid="summary-blocker">{reason}</p> }.into_any(),
                None => view! { <p class="hint">{t!(i18n, review.all_in)}</p> }.into_any(),
            }}
            {(!waiting.is_empty()).then(move || view! {
                <ActionForm action=actions.remind attr:class="inline-form">
                    <input type="hidden" name="case_id" value=remind_case/>
                    <button type="submit" class="button button-quiet">{t!(i18n, review.remind)}</button>
                </ActionForm>
                {move || matches!(remind_result.get(), Some(Ok(()))).then(|| view! { <p class="success" role="status">{t!(i18n, review.reminder_sent)}</p> })}
                <ActionError result=remind_result/>
            })}
            <ActionForm action=actions.summary attr:class="form">
                <CaseFields case_id=case_id.clone() version=view.summary.version/>
                <label for="summary">{t!(i18n, review.summary_label)}</label>
                <textarea id="summary" name="summary" rows="8" maxlength="20000" required></textarea>
                <FieldError result field="summary"/>
                <Submit result label=td_string!(locale, review.complete) disabled=blocked/>
            </ActionForm>
        </ActionCard>
    }
    .into_any()
}
