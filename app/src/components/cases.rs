use crate::domain::CaseStatus;
use crate::i18n::td_string;
use crate::lang;
use crate::model::CaseSummary;
use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// Dates are shown in UTC on server and browser alike, so the hydrated page matches the HTML;
/// in the reader's language.
pub fn date(at: DateTime<Utc>) -> String {
    lang::format::date(lang::current(), at)
}

pub fn date_time(at: DateTime<Utc>) -> String {
    lang::format::date_time(lang::current(), at)
}

#[component]
pub fn StatusBadge(status: CaseStatus) -> impl IntoView {
    let label = lang::labels::status(lang::current(), status);
    view! { <span class=format!("badge badge-{}", status.as_str())>{label}</span> }
}

/// A table of cases with a link to each. `show_patient` adds the patient's name (staff views).
#[component]
pub fn CaseTable(cases: Vec<CaseSummary>, show_patient: bool, #[prop(into)] empty: String) -> impl IntoView {
    if cases.is_empty() {
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    let locale = lang::current();
    let none = || td_string!(locale, cases.none).to_owned();
    let (c_case, c_patient, c_age, c_status, c_next, c_category, c_review, c_opened, c_expected) = (
        td_string!(locale, cases.col_case),
        td_string!(locale, cases.col_patient),
        td_string!(locale, cases.col_age),
        td_string!(locale, cases.col_status),
        td_string!(locale, cases.col_next),
        td_string!(locale, cases.col_category),
        td_string!(locale, cases.col_review),
        td_string!(locale, cases.col_opened),
        td_string!(locale, cases.col_expected),
    );
    let rows = cases
        .into_iter()
        .map(|c| {
            let href = if show_patient || c.status != CaseStatus::Draft {
                format!("/cases/{}", c.id)
            } else {
                format!("/cases/{}/edit", c.id)
            };
            let next = (!show_patient).then(|| lang::labels::next_step_for_patient(locale, c.status));
            let expected = c.expected_review_at.map(date).unwrap_or_else(none);
            let attention = c.attention.map(|a| lang::labels::attention(locale, a));
            view! {
                <tr>
                    <td data-label=c_case><a href=href class="case-ref">{c.reference}</a></td>
                    {show_patient.then(|| view! {
                        <td data-label=c_patient><bdi>{c.patient_name}</bdi></td>
                        <td data-label=c_age>{c.patient_age.map(|a| a.to_string()).unwrap_or_else(none)}</td>
                    })}
                    <td data-label=c_status>
                        <StatusBadge status=c.status/>
                        {attention.map(|text| view! { <div class="attention" data-testid="attention">{text}</div> })}
                    </td>
                    {next.map(|text| view! { <td class="next" data-label=c_next>{text}</td> })}
                    <td data-label=c_category>{c.category.unwrap_or_else(none)}</td>
                    <td data-label=c_review>{c.review_type.unwrap_or_else(none)}</td>
                    <td data-label=c_opened>{date(c.created_at)}</td>
                    <td data-label=c_expected>{expected}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table stack">
            <thead>
                <tr>
                    <th scope="col">{c_case}</th>
                    {show_patient.then(|| view! { <th scope="col">{c_patient}</th><th scope="col">{c_age}</th> })}
                    <th scope="col">{c_status}</th>
                    {(!show_patient).then(|| view! { <th scope="col">{c_next}</th> })}
                    <th scope="col">{c_category}</th>
                    <th scope="col">{c_review}</th>
                    <th scope="col">{c_opened}</th>
                    <th scope="col">{c_expected}</th>
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
