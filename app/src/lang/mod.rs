//! The reader's language. The translations live in `app/locales/{en,ar}.json` and are compiled by
//! `app/build.rs` into the typed keys of [`crate::i18n`] (a missing key fails the build); this
//! module adds what the pages, emails and the report need around them: the names of the domain's
//! statuses, roles and timeline entries ([`labels`]), dates ([`format`]), and the choice of the
//! language for a request ([`choice`]).
//!
//! Pages translate with `t!(i18n, section.key)`; code without a reactive owner (emails, the
//! report, the server's answers) with `td_string!(locale, section.key)`.

pub mod choice;
pub mod format;
pub mod labels;

pub use crate::i18n::{use_i18n, Locale};
use leptos_i18n::Locale as _;

/// The cookie that carries a visitor's choice (the account keeps its own copy). The same name is
/// given to the translation context, which reads it on the server and writes it in the browser.
pub const COOKIE: &str = "consilium_lang";

/// The stored and wire name of a language (`en`, `ar`).
pub fn code(locale: Locale) -> &'static str {
    locale.as_str()
}

/// A stored or submitted language name; anything else is refused.
pub fn parse(code: &str) -> Option<Locale> {
    code.parse().ok()
}

/// The reader's language where the code runs: the page being rendered (the translation
/// context), else on the server the request a server function or a plain route (an upload, a
/// download) is answering (its cookie or Accept-Language), else English (background jobs, tests
/// calling services directly; emails take their recipient's language explicitly).
pub fn current() -> Locale {
    use leptos::prelude::use_context;
    if let Some(i18n) = use_context::<leptos_i18n::I18nContext<Locale>>() {
        return i18n.get_locale_untracked();
    }
    #[cfg(feature = "ssr")]
    if let Some(parts) = use_context::<http::request::Parts>() {
        return choice::of_request(&parts);
    }
    #[cfg(feature = "ssr")]
    if let Ok(locale) = REQUEST_LANGUAGE.try_with(|locale| *locale) {
        return locale;
    }
    Locale::default()
}

#[cfg(feature = "ssr")]
tokio::task_local! {
    /// The language of a request answered outside Leptos (the plain routes have no reactive
    /// context to carry it).
    static REQUEST_LANGUAGE: Locale;
}

/// Runs `answer` with `locale` as the language [`current`] gives: how the plain routes answer in
/// the asker's language.
#[cfg(feature = "ssr")]
pub async fn answering_in<F: std::future::Future>(locale: Locale, answer: F) -> F::Output {
    REQUEST_LANGUAGE.scope(locale, answer).await
}

/// The language the switch offers: the one not being read.
pub fn other(locale: Locale) -> Locale {
    match locale {
        Locale::en => Locale::ar,
        Locale::ar => Locale::en,
    }
}

/// Whether the language is written right to left.
pub fn is_rtl(locale: Locale) -> bool {
    matches!(locale, Locale::ar)
}

#[cfg(test)]
mod tests;
