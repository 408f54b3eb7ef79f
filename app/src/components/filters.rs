//! The fields of a GET filter form (the admin queue, the audit log). Their values live in the
//! query string, so a filtered page can be bookmarked and the form works before hydration.

use leptos::prelude::*;

/// A text field of a filter form, showing the current value of its query parameter.
#[component]
pub fn TextFilter(
    id: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "")] placeholder: &'static str,
    #[prop(into)] current: Signal<String>,
) -> impl IntoView {
    view! {
        <div class="filter">
            <label for=id>{label}</label>
            <input id=id name=id type=kind placeholder=placeholder prop:value=move || current.get()/>
        </div>
    }
}

/// A choice of a filter form: "any" (the empty value) first, then each `(value, text)`, the
/// current one selected.
#[component]
pub fn SelectFilter(
    id: &'static str,
    label: &'static str,
    any: &'static str,
    choices: Vec<(String, String)>,
    #[prop(into)] current: Signal<String>,
) -> impl IntoView {
    view! {
        <div class="filter">
            <label for=id>{label}</label>
            <select id=id name=id>
                <option value="">{any}</option>
                {choices.into_iter().map(|(value, text)| {
                    let this = value.clone();
                    view! { <option value=value selected=move || current.get() == this>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// Choices whose value is also their text (stored names, such as audit actions).
pub fn named(names: impl IntoIterator<Item = &'static str>) -> Vec<(String, String)> {
    names
        .into_iter()
        .map(|name| (name.to_owned(), name.to_owned()))
        .collect()
}
