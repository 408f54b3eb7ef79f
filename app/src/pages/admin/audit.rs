//! The audit log: every state change, every read of a medical document or report, every sign-in
//! and every refusal, searchable by who, what, which case and when, and exportable as CSV.

use crate::api::audit::audit_log;
use crate::components::auth::RequireRole;
use crate::components::cases::{date_time, urlencode};
use crate::components::feedback::ErrorNote;
use crate::domain::Role;
use crate::error::AppError;
use crate::model::{AuditEntry, AuditQuery, Page};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

const OUTCOMES: [&str; 6] = [
    "ok",
    "denied",
    "conflict",
    "invalid",
    "error",
    "integrity_failure",
];

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
        <Title text="Audit log"/>
        <RequireRole role=Role::Admin>
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
        </RequireRole>
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
    let text = move |id: &'static str, label: &'static str, kind: &'static str, placeholder: &'static str| {
        let value = move || {
            let q = current.get();
            match id {
                "who" => q.who,
                "action" => q.action,
                "case" => q.case,
                "from" => q.from,
                _ => q.to,
            }
        };
        view! {
            <div class="filter">
                <label for=id>{label}</label>
                <input id=id name=id type=kind placeholder=placeholder prop:value=value/>
            </div>
        }
    };
    view! {
        <Form method="GET" action="" attr:class="filters">
            {text("who", "Who", "search", "Name or email")}
            {text("action", "Action", "text", "e.g. read_report")}
            <div class="filter">
                <label for="outcome">"Outcome"</label>
                <select id="outcome" name="outcome">
                    <option value="">"Any outcome"</option>
                    {OUTCOMES.iter().map(|o| view! {
                        <option value=*o selected=move || current.get().outcome == *o>{*o}</option>
                    }).collect_view()}
                </select>
            </div>
            {text("case", "Case", "text", "C-…")}
            {text("from", "From", "date", "")}
            {text("to", "To", "date", "")}
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
