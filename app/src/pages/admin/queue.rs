use crate::api::cases::{case_queue, QueueQuery};
use crate::api::catalog::load_queue_filters;
use crate::components::auth::RequireRole;
use crate::components::cases::{urlencode, CaseTable};
use crate::components::feedback::ErrorNote;
use crate::domain::{CaseStatus, Role};
use crate::error::AppError;
use crate::model::{CaseSummary, Catalog, Page};
use leptos::prelude::*;
use leptos_meta::Title;
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
    view! {
        <Title text="Case queue"/>
        <RequireRole role=Role::Admin>
            <Queue current cases catalog/>
        </RequireRole>
    }
}

#[component]
fn Queue(
    current: Memo<QueueQuery>,
    cases: Resource<Result<Page<CaseSummary>, AppError>>,
    catalog: Resource<Result<Catalog, AppError>>,
) -> impl IntoView {
    let current = move || current.get();
    view! {
        <h1>"Case queue"</h1>
        <Form method="GET" action="" attr:class="filters">
            <div class="filter">
                <label for="search">"Search"</label>
                <input id="search" type="search" name="search" placeholder="Reference or patient name"
                    prop:value=move || current().search/>
            </div>
            <div class="filter">
            <label for="status">"Status"</label>
            <select id="status" name="status">
                <option value="">"Any status"</option>
                {CaseStatus::ALL.iter().map(|s| {
                    let value = s.as_str();
                    view! { <option value=value selected=move || current().status == value>{s.label()}</option> }
                }).collect_view()}
            </select>
            </div>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    catalog.await.ok().map(|catalog| view! { <CatalogFilters catalog current/> })
                })}
            </Transition>
            <button type="submit" class="button">"Filter"</button>
        </Form>
        <Transition fallback=|| view! { <p class="loading">"Loading cases…"</p> }>
            {move || Suspend::new(async move {
                match cases.await {
                    Ok(page) => view! { <QueueResults page query=current()/> }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CatalogFilters(
    catalog: Catalog,
    current: impl Fn() -> QueueQuery + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="filter">
            <label for="category_id">"Medical area"</label>
            <select id="category_id" name="category_id">
                <option value="">"Any area"</option>
                {catalog.categories.into_iter().map(|c| {
                    let id = c.id.clone();
                    view! { <option value=c.id selected=move || current().category_id == id>{c.name}</option> }
                }).collect_view()}
            </select>
        </div>
        <div class="filter">
            <label for="review_type_id">"Review"</label>
            <select id="review_type_id" name="review_type_id">
                <option value="">"Any review"</option>
                {catalog.review_types.into_iter().map(|t| {
                    let id = t.id.clone();
                    view! { <option value=t.id selected=move || current().review_type_id == id>{t.name}</option> }
                }).collect_view()}
            </select>
        </div>
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
    view! {
        <p class="muted">{format!("{} case{}", page.total, if page.total == 1 { "" } else { "s" })}</p>
        <CaseTable cases=page.items show_patient=true empty="No cases match these filters."/>
        <nav class="pager" aria-label="Pages">
            {previous.map(|href| view! { <a href=href rel="prev">"← Newer"</a> })}
            <span>{format!("Page {} of {pages}", page.page)}</span>
            {next.map(|href| view! { <a href=href rel="next">"Older →"</a> })}
        </nav>
    }
}
