//! The patient's case form: choose review and medical area, describe the case, upload documents,
//! save as a draft at any time, submit when complete.

use crate::api::cases::{load_case, load_documents, DeleteDraft, RemoveDocument, SaveCase};
use crate::api::catalog::load_catalog;
use crate::components::auth::RolePage;
use crate::components::feedback::{ActionError, ErrorNote, FieldError};
use crate::components::forms::CaseFields;
use crate::components::upload::Uploader;
use crate::domain::document::human_size;
use crate::domain::intake::{DraftInput, MAX_TEXT_CHARS, SEXES};

use crate::domain::{CaseStatus, Role};
use crate::error::AppError;
use crate::i18n::{t, td_string, tu_string, use_i18n};
use crate::lang;
use crate::model::{CaseView, Catalog, DocumentInfo};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn IntakePage() -> impl IntoView {
    let params = use_params_map();
    let case_id = move || params.read().get("id").unwrap_or_default();
    let save = ServerAction::<SaveCase>::new();
    let remove = ServerAction::<RemoveDocument>::new();
    let delete = ServerAction::<DeleteDraft>::new();
    // The form reloads only after a successful save, so a refused save keeps what was typed.
    let saved = RwSignal::new(0u32);
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(()))) {
            saved.update(|n| *n += 1);
        }
    });
    let uploaded = RwSignal::new(0u32);
    let case = Resource::new(move || (case_id(), saved.get()), |(id, _)| load_case(id.into()));
    let catalog = Resource::new(|| (), |_| load_catalog());
    let documents = Resource::new(
        move || (case_id(), uploaded.get(), remove.version().get()),
        |(id, _, _)| load_documents(id.into()),
    );
    let actions = IntakeActions {
        save,
        remove,
        delete,
        uploaded,
    };
    let i18n = use_i18n();
    view! {
        <RolePage title=tu_string!(i18n, intake.title) role=Role::Patient>
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, intake.loading)}</p> }>
                {move || Suspend::new(async move {
                    match (case.await, catalog.await) {
                        (Ok(view), Ok(catalog)) => view! { <IntakeForm view catalog documents actions/> }.into_any(),
                        (Err(error), _) | (_, Err(error)) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Transition>
        </RolePage>
    }
}

#[derive(Clone, Copy)]
struct IntakeActions {
    save: ServerAction<SaveCase>,
    remove: ServerAction<RemoveDocument>,
    delete: ServerAction<DeleteDraft>,
    uploaded: RwSignal<u32>,
}

#[component]
fn IntakeForm(
    view: CaseView,
    catalog: Catalog,
    documents: Resource<Result<Vec<DocumentInfo>, AppError>>,
    actions: IntakeActions,
) -> impl IntoView {
    let summary = view.summary.clone();
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    if summary.status != CaseStatus::Draft {
        return view! {
            <section class="notice">
                <h1>{t!(i18n, intake.submitted)}</h1>
                <p>{t!(i18n, intake.no_longer_editable)}<a href=format!("/cases/{}", summary.id)>{t!(i18n, intake.open_case)}</a></p>
            </section>
        }
        .into_any();
    }
    let input = view.details.as_input();
    let result: Signal<Option<Result<(), AppError>>> = actions.save.value().into();
    let case_id = summary.id.clone();
    let (form_case_id, delete_case_id) = (summary.id.clone(), summary.id.clone());
    let reference = summary.reference.clone();
    let on_uploaded = Callback::new(move |_| actions.uploaded.update(|n| *n += 1));
    view! {
        <header class="case-header">
            <h1>{t!(i18n, intake.heading, <num> = <span class="case-ref"/>, reference = reference.clone())}</h1>
            <span class="badge badge-draft">{t!(i18n, status.draft)}</span>
        </header>
        <p class="hint">{t!(i18n, intake.kept_as_draft)}</p>
        <ActionForm action=actions.save attr:class="form intake" attr:id="intake-form">
            <CaseFields case_id=form_case_id version=summary.version/>
            <ReviewChoice catalog=catalog.clone() input=input.clone() result/>
            <PatientFacts input=input.clone() result/>
            <TextField name="medical_history" label=td_string!(locale, case.medical_history) value=input.medical_history.clone() result
                hint=td_string!(locale, intake.history_hint)/>
            <TextField name="current_treatment" label=td_string!(locale, intake.treatment_label) value=input.current_treatment.clone() result
                hint=td_string!(locale, intake.treatment_hint)/>
            <TextField name="questions" label=td_string!(locale, intake.questions_label) value=input.questions.clone() result
                hint=td_string!(locale, intake.questions_hint)/>
        </ActionForm>
        <section class="documents" aria-labelledby="documents-title">
            <h2 id="documents-title">{t!(i18n, case.documents)}</h2>
            <DocumentList documents remove=actions.remove editable=true/>
            <Uploader case_id=case_id.to_string() on_uploaded/>
            <FieldError result field="documents"/>
        </section>
        <div class="form-actions">
            <ActionError result/>
            {move || matches!(result.get(), Some(Ok(()))).then(|| view! { <p class="success" role="status">{t!(i18n, intake.saved)}</p> })}
            <button type="submit" form="intake-form" name="intent" value="save" class="button button-quiet"
                disabled=move || actions.save.pending().get()>{t!(i18n, intake.save)}</button>
            <button type="submit" form="intake-form" name="intent" value="submit" class="button"
                disabled=move || actions.save.pending().get()>{t!(i18n, intake.submit)}</button>
        </div>
        <details class="danger-zone">
            <summary>{t!(i18n, intake.delete_title)}</summary>
            <p>{t!(i18n, intake.delete_detail)}</p>
            <ActionForm action=actions.delete attr:class="inline-form">
                <CaseFields case_id=delete_case_id version=summary.version/>
                <button type="submit" class="button button-danger">{t!(i18n, intake.delete_button)}</button>
            </ActionForm>
            <ActionError result=actions.delete.value()/>
        </details>
    }
    .into_any()
}

#[component]
fn ReviewChoice(
    catalog: Catalog,
    input: DraftInput,
    #[prop(into)] result: Signal<Option<Result<(), AppError>>>,
) -> impl IntoView {
    let chosen = RwSignal::new(input.review_type_id.clone());
    let types = catalog.review_types.clone();
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let price_line = move || {
        types.iter().find(|t| t.id == chosen.get()).map(|t| {
            td_string!(
                locale,
                intake.price_line,
                price = lang::format::money(locale, &t.price),
                count = t.expected_days
            )
        })
    };
    view! {
        <label for="review_type_id">{t!(i18n, intake.review_type)}</label>
        <select id="review_type_id" name="review_type_id" on:change=move |ev| chosen.set(event_target_value(&ev))>
            <option value="">{t!(i18n, intake.choose)}</option>
            {catalog.review_types.iter().map(|t| view! {
                <option value=t.id.clone() selected=t.id == input.review_type_id>
                    {format!("{} — {}", t.name, lang::format::money(locale, &t.price))}
                </option>
            }).collect_view()}
        </select>
        <p class="hint" data-testid="price-line">{price_line}</p>
        <FieldError result field="review_type_id"/>
        <label for="category_id">{t!(i18n, intake.medical_area)}</label>
        <select id="category_id" name="category_id">
            <option value="">{t!(i18n, intake.choose)}</option>
            {catalog.categories.iter().map(|c| view! {
                <option value=c.id.clone() selected=c.id == input.category_id>{c.name.clone()}</option>
            }).collect_view()}
        </select>
        <FieldError result field="category_id"/>
    }
}

#[component]
fn PatientFacts(
    input: DraftInput,
    #[prop(into)] result: Signal<Option<Result<(), AppError>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    view! {
        <div class="row">
            <div class="field">
                <label for="patient_age">{t!(i18n, intake.age)}</label>
                <input id="patient_age" name="patient_age" type="number" min="0" max="130" inputmode="numeric"
                    value=input.patient_age.clone()/>
                <FieldError result field="patient_age"/>
            </div>
            <div class="field">
                <label for="patient_sex">{t!(i18n, intake.sex)}</label>
                <select id="patient_sex" name="patient_sex">
                    <option value="">{t!(i18n, intake.choose)}</option>
                    {SEXES.iter().map(|(value, _)| view! {
                        <option value=*value selected=input.patient_sex == *value>{lang::labels::sex(locale, value)}</option>
                    }).collect_view()}
                </select>
                <FieldError result field="patient_sex"/>
            </div>
        </div>
    }
}

#[component]
fn TextField(
    name: &'static str,
    label: &'static str,
    value: String,
    hint: &'static str,
    #[prop(into)] result: Signal<Option<Result<(), AppError>>>,
) -> impl IntoView {
    let hint_id = format!("{name}-hint");
    view! {
        <label for=name>{label}</label>
        <p class="hint" id=hint_id.clone()>{hint}</p>
        <textarea id=name name=name maxlength=MAX_TEXT_CHARS.to_string() aria-describedby=hint_id>{value}</textarea>
        <FieldError result field=name/>
    }
}

/// The case's documents with View and Download links; in a draft, also Remove.
#[component]
pub fn DocumentList(
    documents: Resource<Result<Vec<DocumentInfo>, AppError>>,
    remove: ServerAction<RemoveDocument>,
    editable: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, intake.loading_documents)}</p> }>
            {move || Suspend::new(async move {
                match documents.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty">{t!(i18n, case.no_documents)}</p> }.into_any(),
                    Ok(list) => view! { <DocumentRows list remove editable/> }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Transition>
        <ActionError result=remove.value()/>
    }
}

#[component]
pub fn DocumentRows(
    list: Vec<DocumentInfo>,
    remove: ServerAction<RemoveDocument>,
    editable: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    view! {
        <ul class="document-list" data-testid="documents">
            {list.into_iter().map(|d| view! {
                <li>
                    <bdi class="document-name">{d.name.clone()}</bdi>
                    <span class="muted">{format!("{} · {}", lang::labels::media_type(locale, d.media_type), human_size(d.size_bytes))}</span>
                    {d.media_type.viewable_inline().then(|| view! {
                        <a href=format!("/documents/{}", d.id) target="_blank" rel="noopener">{t!(i18n, intake.view)}</a>
                    })}
                    <a href=format!("/documents/{}?download=1", d.id)>{t!(i18n, intake.download)}</a>
                    {editable.then(|| view! {
                        <ActionForm action=remove attr:class="inline-form">
                            <input type="hidden" name="document_id" value=d.id.clone()/>
                            <button type="submit" class="button button-quiet">{t!(i18n, intake.remove)}</button>
                        </ActionForm>
                    })}
                </li>
            }).collect_view()}
        </ul>
    }
}
