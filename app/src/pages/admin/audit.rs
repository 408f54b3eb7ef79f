//! The audit log: every state change, every read of a medical document or report, every sign-in
//! and every refusal, searchable by who, what, which case and when, and exportable as CSV.

use crate::api::audit::audit_log;
use crate::components::auth::RolePage;
use crate::components::cases::{date_time, urlencode};
use crate::components::feedback::ErrorNote;
use crate::components::filters::{named, SelectFilter, TextFilter};
use crate::domain::audit::{AuditAction, Outcome};
use crate::domain::Role;
use crate::error::AppError;
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
    view! {
        <RolePage title="Audit log" role=Role::Admin>
            <h1>"Audit log"</h1>
            <SearchForm current/>
            <Transition fallback=|| view! { <p class="loading">"Searching…"</p> }>
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
    let actions = named(AuditAction::all().map(AuditAction::as_str));
    let outcomes = named(Outcome::ALL.iter().map(|o| o.as_str()));
    view! {
        <Form method="GET" action="" attr:class="filters">
            <TextFilter id="who" label="Who" kind="search" placeholder="Name or email" current=field(|q| q.who)/>
            <SelectFilter id="action" label="Action" any="Any action" choices=actions current=field(|q| q.action)/>
            <SelectFilter id="outcome" label="Outcome" any="Any outcome" choices=outcomes current=field(|q| q.outcome)/>
            <TextFilter id="case" label="Case" placeholder="C-…" current=field(|q| q.case)/>
            <TextFilter id="from" label="From" kind="date" current=field(|q| q.from)/>
            <TextFilter id="to" label="To" kind="date" current=field(|q| q.to)/>
            <button type="submit" class="button">"Search"</button>
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
    view! {
        <p class="actions">
            <span class="muted">{format!("{} entr{}", page.total, if page.total == 1 { "y" } else { "ies" })}</span>
            <a class="button button-quiet" href=export download>"Export CSV"</a>
        </p>
        {if page.items.is_empty() {
            view! { <p class="empty">"No entries match this search."</p> }.into_any()
        } else {
            view! {
                <table class="table stack" data-testid="audit-table">
                    <thead><tr>
                        <th>"When (UTC)"</th><th>"Who"</th><th>"Role"</th><th>"Action"</th>
                        <th>"Case"</th><th>"Outcome"</th><th>"From"</th>
                    </tr></thead>
                    <tbody>
                        {page.items.into_iter().map(|e| view! {
                            <tr>
                                <td data-label="When (UTC)">{date_time(e.at)}</td>
                                <td data-label="Who">{e.user_name.clone().unwrap_or_else(|| "system".into())}
                                    <span class="muted">{e.user_email.map(|m| format!(" · {m}")).unwrap_or_default()}</span></td>
                                <td data-label="Role">{e.role}</td>
                                <td data-label="Action"><code>{e.action}</code></td>
                                <td data-label="Case">{e.case_reference.unwrap_or_default()}</td>
                                <td data-label="Outcome" class=format!("outcome outcome-{}", e.outcome)>{e.outcome.clone()}</td>
                                <td data-label="From" class="muted">{e.ip}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        <nav class="pager" aria-label="Pages">
            {previous.map(|href| view! { <a href=href rel="prev">"← Newer"</a> })}
            <span>{format!("Page {} of {pages}", page.page)}</span>
            {next.map(|href| view! { <a href=href rel="next">"Older →"</a> })}
        </nav>
    }
}
