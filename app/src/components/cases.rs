use crate::domain::CaseStatus;
use crate::model::CaseSummary;
use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// Dates are shown in UTC on server and browser alike, so the hydrated page matches the HTML.
pub fn date(at: DateTime<Utc>) -> String {
    at.format("%-d %b %Y").to_string()
}

pub fn date_time(at: DateTime<Utc>) -> String {
    at.format("%-d %b %Y, %H:%M UTC").to_string()
}

#[component]
pub fn StatusBadge(status: CaseStatus) -> impl IntoView {
    view! { <span class=format!("badge badge-{}", status.as_str())>{status.label()}</span> }
}

/// A table of cases with a link to each. `show_patient` adds the patient's name (staff views).
#[component]
pub fn CaseTable(cases: Vec<CaseSummary>, show_patient: bool, #[prop(into)] empty: String) -> impl IntoView {
    if cases.is_empty() {
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    let rows = cases
        .into_iter()
        .map(|c| {
            let href = if show_patient || c.status != CaseStatus::Draft {
                format!("/cases/{}", c.id)
            } else {
                format!("/cases/{}/edit", c.id)
            };
            let next = (!show_patient).then(|| c.status.next_step_for_patient());
            let expected = c.expected_review_at.map(date).unwrap_or_else(|| "—".to_owned());
            view! {
                <tr>
                    <td data-label="Case"><a href=href class="case-ref">{c.reference}</a></td>
                    {show_patient.then(|| view! {
                        <td data-label="Patient">{c.patient_name}</td>
                        <td data-label="Age">{c.patient_age.map(|a| a.to_string()).unwrap_or_else(|| "—".to_owned())}</td>
                    })}
                    <td data-label="Status">
                        <StatusBadge status=c.status/>
                        {c.attention.map(|text| view! { <div class="attention" data-testid="attention">{text}</div> })}
                    </td>
                    {next.map(|text| view! { <td class="next" data-label="What happens next">{text}</td> })}
                    <td data-label="Category">{c.category.unwrap_or_else(|| "—".to_owned())}</td>
                    <td data-label="Review">{c.review_type.unwrap_or_else(|| "—".to_owned())}</td>
                    <td data-label="Opened">{date(c.created_at)}</td>
                    <td data-label="Expected by">{expected}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table stack">
            <thead>
                <tr>
                    <th scope="col">"Case"</th>
                    {show_patient.then(|| view! { <th scope="col">"Patient"</th><th scope="col">"Age"</th> })}
                    <th scope="col">"Status"</th>
                    {(!show_patient).then(|| view! { <th scope="col">"What happens next"</th> })}
                    <th scope="col">"Category"</th>
                    <th scope="col">"Review"</th>
                    <th scope="col">"Opened"</th>
                    <th scope="col">"Expected by"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

/// Percent-encodes a query value (letters, digits and `-_.~` pass through).
pub fn urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
