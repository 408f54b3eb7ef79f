//! Admin settings: review types, disease categories and their staff pools.

use crate::api::catalog::{load_catalog, SaveCategory, SaveReviewType, SetCatalogActive};
use crate::components::auth::RolePage;
use crate::components::feedback::{ActionError, FieldError, Loaded};
use crate::components::forms::Submit;
use crate::domain::money::{format_minor, CURRENCIES};
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::{t, td_string, tu_string, use_i18n};
use crate::model::CatalogKind;
use crate::model::UserId;
use crate::model::{Catalog, Category, ClinicianChoice, ReviewType};
use leptos::prelude::*;

/// Each form has its own save action, so its errors show beside it; a successful save anywhere
/// bumps `changed`, which reloads the catalog.
#[derive(Clone, Copy)]
struct CatalogActions {
    changed: RwSignal<u32>,
    toggle: ServerAction<SetCatalogActive>,
}

impl CatalogActions {
    /// Bumps `changed` whenever `value` becomes a success.
    fn reload_after<T: Clone + Send + Sync + 'static>(
        self,
        value: impl Into<Signal<Option<Result<T, AppError>>>>,
    ) {
        let value = value.into();
        Effect::new(move |_| {
            if matches!(value.get(), Some(Ok(_))) {
                self.changed.update(|n| *n += 1);
            }
        });
    }
}

#[component]
pub fn CatalogPage() -> impl IntoView {
    let actions = CatalogActions {
        changed: RwSignal::new(0),
        toggle: ServerAction::new(),
    };
    let catalog = Resource::new(
        move || (actions.changed.get(), actions.toggle.version().get()),
        |_| load_catalog(),
    );
    let i18n = use_i18n();
    view! {
        <RolePage title=tu_string!(i18n, nav.catalog) role=Role::Admin>
            <h1>{t!(i18n, nav.catalog)}</h1>
            <p class="hint">{t!(i18n, admin.catalog_hint)}</p>
            <ActionError result=actions.toggle.value()/>
            <Loaded resource=catalog loading=tu_string!(i18n, admin.catalog_loading) ready=move |catalog| view! { <CatalogBody catalog actions/> }/>
        </RolePage>
    }
}

#[component]
fn CatalogBody(catalog: Catalog, actions: CatalogActions) -> impl IntoView {
    let clinicians = catalog.clinicians.clone();
    let i18n = use_i18n();
    view! {
        <section aria-labelledby="types-title">
            <h2 id="types-title">{t!(i18n, admin.catalog_review_types)}</h2>
            {catalog.review_types.into_iter().map(|t| view! { <ReviewTypeForm rt=Some(t) actions/> }).collect_view()}
            <div class="add" aria-labelledby="add-type-title">
                <h3 id="add-type-title">{t!(i18n, admin.catalog_add_type_heading)}</h3>
                <ReviewTypeForm rt=None actions/>
            </div>
        </section>
        <section aria-labelledby="categories-title">
            <h2 id="categories-title">{t!(i18n, admin.catalog_areas)}</h2>
            {catalog.categories.into_iter().map(|c| {
                view! { <CategoryForm category=Some(c) clinicians=clinicians.clone() actions/> }
            }).collect_view()}
            <div class="add" aria-labelledby="add-area-title">
                <h3 id="add-area-title">{t!(i18n, admin.catalog_add_area_heading)}</h3>
                <CategoryForm category=None clinicians=clinicians.clone() actions/>
            </div>
        </section>
    }
}

#[component]
fn ActiveToggle(kind: CatalogKind, id: String, active: bool, actions: CatalogActions) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    view! {
        <ActionForm action=actions.toggle attr:class="inline-form">
            <input type="hidden" name="kind" value=kind.as_str()/>
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="active" value=(!active).to_string()/>
            <span class=if active { "badge badge-completed" } else { "badge badge-cancelled" }>
                {if active { td_string!(locale, admin.catalog_offered) } else { td_string!(locale, admin.catalog_not_offered) }}
            </span>
            <button type="submit" class="button button-quiet">
                {if active { td_string!(locale, admin.deactivate) } else { td_string!(locale, admin.catalog_activate) }}
            </button>
        </ActionForm>
    }
}

#[component]
fn ReviewTypeForm(rt: Option<ReviewType>, actions: CatalogActions) -> impl IntoView {
    let save = ServerAction::<SaveReviewType>::new();
    actions.reload_after(save.value());
    let errors: Signal<Option<Result<String, AppError>>> = save.value().into();
    let id = rt.as_ref().map(|t| t.id.clone()).unwrap_or_default();
    let prefix = if id.is_empty() {
        "new-type".to_owned()
    } else {
        format!("type-{id}")
    };
    let field = move |name: &str| format!("{prefix}-{name}");
    let value = {
        let rt = rt.clone();
        move |f: fn(&ReviewType) -> String| rt.as_ref().map(f).unwrap_or_default()
    };
    let currency = rt
        .as_ref()
        .map(|t| t.price.currency.clone())
        .unwrap_or_else(|| "EUR".into());
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    view! {
        <div class="card catalog-entry">
            {rt.as_ref().map(|t| view! { <ActiveToggle kind=CatalogKind::ReviewType id=t.id.clone() active=t.active actions/> })}
            <ActionForm action=save attr:class="form grid-form">
                <input type="hidden" name="id" value=id.clone()/>
                <label for=field("name")>{t!(i18n, account.name)}</label>
                <input id=field("name") name="name" required maxlength="80" value=value(|t| t.name.clone())/>
                <FieldError result=errors field="name"/>
                <label for=field("description")>{t!(i18n, admin.catalog_description)}</label>
                <textarea id=field("description") name="description" maxlength="500">{value(|t| t.description.clone())}</textarea>
                <FieldError result=errors field="description"/>
                <div class="row">
                    <div class="field">
                        <label for=field("price")>{t!(i18n, admin.catalog_price)}</label>
                        <input id=field("price") name="price" inputmode="decimal" required pattern="[0-9,]+([.][0-9]{1,2})?"
                            value=value(|t| format_minor(t.price.minor))/>
                        <FieldError result=errors field="price"/>
                    </div>
                    <div class="field">
                        <label for=field("currency")>{t!(i18n, admin.catalog_currency)}</label>
                        <select id=field("currency") name="currency">
                            {CURRENCIES.iter().map(|c| view! { <option value=*c selected=*c == currency>{*c}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for=field("days")>{t!(i18n, admin.catalog_expected_days)}</label>
                        <input id=field("days") name="expected_days" type="number" min="1" max="90" required
                            value=value(|t| t.expected_days.to_string())/>
                        <FieldError result=errors field="expected_days"/>
                    </div>
                </div>
                <Submit result=errors label={if id.is_empty() { td_string!(locale, admin.catalog_add_type) } else { td_string!(locale, admin.save) }}/>
            </ActionForm>
        </div>
    }
}

#[component]
fn CategoryForm(
    category: Option<Category>,
    clinicians: Vec<ClinicianChoice>,
    actions: CatalogActions,
) -> impl IntoView {
    let save = ServerAction::<SaveCategory>::new();
    actions.reload_after(save.value());
    let errors: Signal<Option<Result<String, AppError>>> = save.value().into();
    let id = category.as_ref().map(|c| c.id.clone()).unwrap_or_default();
    let name = category.as_ref().map(|c| c.name.clone()).unwrap_or_default();
    let specialists = category
        .as_ref()
        .map(|c| c.specialists.clone())
        .unwrap_or_default();
    let coordinators = category
        .as_ref()
        .map(|c| c.coordinators.clone())
        .unwrap_or_default();
    let name_id = if id.is_empty() {
        "new-category-name".to_owned()
    } else {
        format!("category-{id}-name")
    };
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    view! {
        <div class="card catalog-entry">
            {category.as_ref().map(|c| view! { <ActiveToggle kind=CatalogKind::Category id=c.id.clone() active=c.active actions/> })}
            <ActionForm action=save attr:class="form">
                <input type="hidden" name="id" value=id.clone()/>
                <label for=name_id.clone()>{t!(i18n, account.name)}</label>
                <input id=name_id name="name" required maxlength="80" value=name/>
                <FieldError result=errors field="name"/>
                <div class="row pools">
                    <Pool title=td_string!(locale, admin.catalog_coordinators) field="coordinators" clinicians=clinicians.clone() members=coordinators/>
                    <Pool title=td_string!(locale, admin.catalog_specialists) field="specialists" clinicians=clinicians.clone() members=specialists/>
                </div>
                <FieldError result=errors field="coordinators"/>
                <FieldError result=errors field="specialists"/>
                <Submit result=errors label={if id.is_empty() { td_string!(locale, admin.catalog_add_area) } else { td_string!(locale, admin.save) }}/>
            </ActionForm>
        </div>
    }
}

#[component]
fn Pool(
    title: &'static str,
    field: &'static str,
    clinicians: Vec<ClinicianChoice>,
    members: Vec<UserId>,
) -> impl IntoView {
    view! {
        <fieldset class="fieldset pool">
            <legend>{title}</legend>
            {clinicians.into_iter().map(|c| {
                let checked = members.iter().any(|m| *m == c.id.as_str());
                view! {
                    <label class="check">
                        <input type="checkbox" name=format!("{field}[]") value=c.id checked=checked/>
                        <bdi>{format!("{} {}", c.title, c.name)}</bdi>
                        <span class="muted">" · "<bdi>{c.specialties}</bdi></span>
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}
