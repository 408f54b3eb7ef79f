use crate::api::cases::{case_queue, QueueQuery};
use crate::api::catalog::load_queue_filters;
use crate::components::auth::RolePage;
use crate::components::cases::{urlencode, CaseTable};
use crate::components::feedback::Loaded;
use crate::components::filters::{SelectFilter, TextFilter};
use crate::domain::{CaseStatus, Role};
use crate::error::AppError;
use crate::i18n::{t, td_string, tu_string, use_i18n};
use crate::model::{CaseSummary, Catalog, Page};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

/// The admin's case queue: every case, newest first, filterable and searchable. The filters live
/// in the query string, so a filtered view can be bookmarked and works before hydration.
#[component]
pub fn QueuePage() -> impl IntoView {
    let query = use_query_map();
    let current = Memo::new(move |_| {
        let q = query.read();
        QueueQuery {
            status: q.get("status").unwrap_or_default(),
            category_id: q.get("category_id").unwrap_or_default(),
            review_type_id: q.get("review_type_id").unwrap_or_default(),
            search: q.get("search").unwrap_or_default(),
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
        }
    });
    let cases = Resource::new(move || current.get(), case_queue);
    let catalog = Resource::new(|| (), |_| load_queue_filters());
    let i18n = use_i18n();
    view! {
        <RolePage title=tu_string!(i18n, nav.case_queue) role=Role::Admin><Queue current cases catalog/></RolePage>
    }
}

#[component]
fn Queue(
    current: Memo<QueueQuery>,
    cases: Resource<Result<Page<CaseSummary>, AppError>>,
    catalog: Resource<Result<Catalog, AppError>>,
) -> impl IntoView {
    let current = move || current.get();
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let statuses = CaseStatus::ALL
        .iter()
        .map(|s| {
            (
                s.as_str().to_owned(),
                crate::lang::labels::status(locale, *s).to_owned(),
            )
        })
        .collect();
    view! {
        <h1>{t!(i18n, nav.case_queue)}</h1>
        <Form method="GET" action="" attr:class="filters">
            <TextFilter id="search" label=td_string!(locale, queue.search) kind="search" placeholder=td_string!(locale, clinician.find_placeholder)
                current=Signal::derive(move || current().search)/>
            <SelectFilter id="status" label=td_string!(locale, cases.col_status) any=td_string!(locale, clinician.any_status) choices=statuses
                current=Signal::derive(move || current().status)/>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    catalog.await.ok().map(|catalog| view! { <CatalogFilters catalog current/> })
                })}
            </Transition>
            <button type="submit" class="button">{t!(i18n, queue.filter)}</button>
        </Form>
        <Loaded resource=cases loading=td_string!(locale, queue.loading) ready=move |page| view! { <QueueResults page query=current()/> }/>
    }
}

#[component]
fn CatalogFilters(
    catalog: Catalog,
    current: impl Fn() -> QueueQuery + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let areas = catalog.categories.into_iter().map(|c| (c.id, c.name)).collect();
    let reviews = catalog.review_types.into_iter().map(|t| (t.id, t.name)).collect();
    let locale = crate::lang::current();
    view! {
        <SelectFilter id="category_id" label=td_string!(locale, intake.medical_area) any=td_string!(locale, queue.any_area) choices=areas
            current=Signal::derive(move || current().category_id)/>
        <SelectFilter id="review_type_id" label=td_string!(locale, cases.col_review) any=td_string!(locale, queue.any_review) choices=reviews
            current=Signal::derive(move || current().review_type_id)/>
    }
}

#[component]
fn QueueResults(page: Page<CaseSummary>, query: QueueQuery) -> impl IntoView {
    let pages = page.page_count();
    let link = move |n: u32| {
        format!(
            "?status={}&category_id={}&review_type_id={}&search={}&page={n}",
            urlencode(&query.status),
            urlencode(&query.category_id),
            urlencode(&query.review_type_id),
            urlencode(&query.search)
        )
    };
    let previous = (page.page > 1).then(|| link(page.page - 1));
    let next = (page.page < pages).then(|| link(page.page + 1));
    let locale = crate::lang::current();
    view! {
        <p class="muted">{td_string!(locale, queue.total, count = page.total)}</p>
        <CaseTable cases=page.items show_patient=true empty=td_string!(locale, queue.none)/>
        <nav class="pager" aria-label=td_string!(locale, queue.pages)>
            // The arrows point outwards in the reading direction (the translations turn them).
            {previous.map(|href| view! { <a href=href rel="prev">{td_string!(locale, queue.newer)}</a> })}
            <span>{td_string!(locale, queue.page_of, page = page.page, pages = pages)}</span>
            {next.map(|href| view! { <a href=href rel="next">{td_string!(locale, queue.older)}</a> })}
        </nav>
    }
}
