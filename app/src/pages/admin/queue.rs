use crate::api::cases::{case_queue, QueueQuery};
use crate::api::catalog::load_queue_filters;
use crate::components::auth::RolePage;
use crate::components::cases::{urlencode, CaseTable};
use crate::components::feedback::Loaded;
use crate::components::filters::{SelectFilter, TextFilter};
use crate::domain::{CaseStatus, Role};
use crate::error::AppError;
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
    view! {
        <RolePage title="Case queue" role=Role::Admin><Queue current cases catalog/></RolePage>
    }
}

#[component]
fn Queue(
    current: Memo<QueueQuery>,
    cases: Resource<Result<Page<CaseSummary>, AppError>>,
    catalog: Resource<Result<Catalog, AppError>>,
) -> impl IntoView {
    let current = move || current.get();
    let statuses = CaseStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), s.label().to_owned()))
        .collect();
    view! {
        <h1>"Case queue"</h1>
        <Form method="GET" action="" attr:class="filters">
            <TextFilter id="search" label="Search" kind="search" placeholder="Reference or patient name"
                current=Signal::derive(move || current().search)/>
            <SelectFilter id="status" label="Status" any="Any status" choices=statuses
                current=Signal::derive(move || current().status)/>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    catalog.await.ok().map(|catalog| view! { <CatalogFilters catalog current/> })
                })}
            </Transition>
            <button type="submit" class="button">"Filter"</button>
        </Form>
        <Loaded resource=cases loading="Loading cases…" ready=move |page| view! { <QueueResults page query=current()/> }/>
    }
}

#[component]
fn CatalogFilters(
    catalog: Catalog,
    current: impl Fn() -> QueueQuery + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let areas = catalog.categories.into_iter().map(|c| (c.id, c.name)).collect();
    let reviews = catalog.review_types.into_iter().map(|t| (t.id, t.name)).collect();
    view! {
        <SelectFilter id="category_id" label="Medical area" any="Any area" choices=areas
            current=Signal::derive(move || current().category_id)/>
        <SelectFilter id="review_type_id" label="Review" any="Any review" choices=reviews
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
