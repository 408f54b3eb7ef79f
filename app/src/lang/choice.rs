//! Which language a request is answered in: the visitor's cookie (set by the language switch,
//! and from the account at sign-in), else the browser's `Accept-Language`, else English. The
//! translation context makes the same choice when it renders a page; server functions and plain
//! routes (the report PDF) ask here.

use super::{Locale, COOKIE};
use leptos_i18n::Locale as _;

/// The language of a request with these `Cookie` and `Accept-Language` header values.
pub fn of_headers(cookie: Option<&str>, accept_language: Option<&str>) -> Locale {
    cookie
        .and_then(from_cookie_header)
        .or_else(|| accept_language.map(from_accept_language))
        .unwrap_or_default()
}

/// The choice this browser's cookie holds now (it may have been set by a server answer since
/// the page loaded).
#[cfg(feature = "hydrate")]
pub fn in_browser() -> Option<Locale> {
    use wasm_bindgen::JsCast;
    let document = leptos::prelude::document()
        .dyn_into::<web_sys::HtmlDocument>()
        .ok()?;
    from_cookie_header(&document.cookie().ok()?)
}

/// The server renders with the context's own choice; nothing to take from a cookie there.
#[cfg(not(feature = "hydrate"))]
pub fn in_browser() -> Option<Locale> {
    None
}

fn from_cookie_header(header: &str) -> Option<Locale> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .and_then(|(_, value)| super::parse(value.trim()))
}

/// The best of our languages for an `Accept-Language` value ("ar-EG,ar;q=0.9,en;q=0.8"),
/// by the browser's order of preference; English when none matches.
pub fn from_accept_language(header: &str) -> Locale {
    let mut ranges: Vec<(&str, f32)> = header
        .split(',')
        .filter_map(|part| {
            let mut fields = part.split(';');
            let tag = fields.next()?.trim();
            let q = fields
                .find_map(|f| f.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
            (!tag.is_empty() && q > 0.0).then_some((tag, q))
        })
        .collect();
    // Stable: equal weights keep the browser's order.
    ranges.sort_by(|a, b| b.1.total_cmp(&a.1));
    let tags: Vec<&str> = ranges.into_iter().map(|(tag, _)| tag).collect();
    Locale::find_locale(&tags)
}

/// The Set-Cookie value that keeps a choice for a year on this browser. Readable by the page's
/// script (the translation context reads it back), so not HttpOnly; it holds no secret.
#[cfg(feature = "ssr")]
pub fn set_cookie(locale: Locale, secure: bool) -> String {
    cookie::Cookie::build((COOKIE, super::code(locale)))
        .path("/")
        .same_site(cookie::SameSite::Lax)
        .secure(secure)
        .max_age(cookie::time::Duration::days(365))
        .build()
        .to_string()
}

/// The language of the request a server function or route is answering.
#[cfg(feature = "ssr")]
pub fn of_request(parts: &http::request::Parts) -> Locale {
    let header = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
    of_headers(
        header(http::header::COOKIE),
        header(http::header::ACCEPT_LANGUAGE),
    )
}
