//! The pieces every case action's form is made of, so that each form says only what is its own.

use crate::components::feedback::ActionError;
use crate::error::AppError;
use leptos::prelude::*;

/// A card holding one action on the case page: a heading that labels the section, then the
/// action's explanation and form (`children`).
#[component]
pub fn ActionCard(
    /// The heading's id, which labels the section.
    heading_id: &'static str,
    title: &'static str,
    /// The end-to-end tests find the card by this.
    testid: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <section class="card action-card" aria-labelledby=heading_id data-testid=testid>
            <h2 id=heading_id>{title}</h2>
            {children()}
        </section>
    }
}

/// The hidden fields of a form that changes a case: which case, and the version the page showed
/// (the server refuses a stale version as a conflict).
#[component]
pub fn CaseFields(#[prop(into)] case_id: String, version: i64) -> impl IntoView {
    view! {
        <input type="hidden" name="case_id" value=case_id/>
        <input type="hidden" name="version" value=version.to_string()/>
    }
}

/// The end of an action's form: the action's last error, then its submit button.
#[component]
pub fn Submit<T: Clone + Send + Sync + 'static>(
    #[prop(into)] result: Signal<Option<Result<T, AppError>>>,
    label: &'static str,
    #[prop(optional, into)] disabled: Signal<bool>,
    #[prop(default = "button")] class: &'static str,
) -> impl IntoView {
    view! {
        <ActionError result/>
        <button type="submit" class=class disabled=disabled>{label}</button>
    }
}

/// A field for choosing a password: its label, the input (named and identified `name`), a hint
/// that starts with the length rule and ends with `then`, and the field's error.
#[component]
pub fn NewPasswordField<T: Clone + Send + Sync + 'static>(
    #[prop(into)] result: Signal<Option<Result<T, AppError>>>,
    name: &'static str,
    label: &'static str,
    /// What follows the length rule in the hint.
    then: &'static str,
) -> impl IntoView {
    use crate::components::feedback::FieldError;
    use crate::domain::validate::PASSWORD_MIN_CHARS;
    let hint = format!("{name}-hint");
    let rule = crate::i18n::td_string!(
        crate::lang::current(),
        forms.password_rule,
        count = PASSWORD_MIN_CHARS
    );
    view! {
        <label for=name>{label}</label>
        <input id=name name=name type="password" autocomplete="new-password"
            required minlength=PASSWORD_MIN_CHARS.to_string() aria-describedby=hint.clone()/>
        <p class="hint" id=hint>{format!("{rule} {then}")}</p>
        <FieldError result field=name/>
    }
}
