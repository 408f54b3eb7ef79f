//! The reader's language over HTTP: chosen from the cookie, else Accept-Language; `<html lang
//! dir>` follow it; the switch keeps the choice on the account and the sign-in brings it back.
#![allow(clippy::unwrap_used)]

mod common;

use app::domain::audit::{Outcome, UseCase};
use axum::body::Body;
use axum::http::{header, Request};
use common::{cookie_named, harness, post, send, sign_in, Harness};

fn page(path: &str, cookie: Option<&str>, accept_language: Option<&str>) -> Request<Body> {
    let mut builder = Request::get(path)
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ACCEPT, "text/html");
    if let Some(c) = cookie {
        builder = builder.header(header::COOKIE, c);
    }
    if let Some(l) = accept_language {
        builder = builder.header(header::ACCEPT_LANGUAGE, l);
    }
    builder.body(Body::empty()).unwrap()
}

/// The opening `<html …>` tag of a page.
async fn html_tag(h: &Harness, request: Request<Body>) -> (String, String) {
    let reply = send(h, request).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let start = reply.body.find("<html").unwrap();
    let end = start + reply.body[start..].find('>').unwrap();
    (reply.body[start..=end].to_owned(), reply.body)
}

#[tokio::test]
async fn a_browser_asking_for_arabic_reads_arabic_right_to_left() {
    let h = harness().await;
    let (tag, body) = html_tag(&h, page("/login", None, Some("ar-EG,ar;q=0.9,en;q=0.5"))).await;
    assert!(
        tag.contains(r#"lang="ar""#) && tag.contains(r#"dir="rtl""#),
        "{tag}"
    );
    assert!(body.contains("تسجيل الدخول"), "the sign-in page is in Arabic");
    assert!(!body.contains(">Forgot your password?<"));
    let (tag, body) = html_tag(&h, page("/login", None, Some("de-DE,en;q=0.8"))).await;
    assert!(
        tag.contains(r#"lang="en""#) && tag.contains(r#"dir="ltr""#),
        "{tag}"
    );
    assert!(body.contains("Forgot your password?"));
}

#[tokio::test]
async fn the_cookie_outranks_the_browser() {
    let h = harness().await;
    let (tag, _) = html_tag(&h, page("/login", Some("consilium_lang=en"), Some("ar"))).await;
    assert!(tag.contains(r#"lang="en""#), "{tag}");
    let (tag, _) = html_tag(&h, page("/", Some("consilium_lang=ar"), Some("en"))).await;
    assert!(tag.contains(r#"lang="ar""#), "{tag}");
}

#[tokio::test]
async fn a_visitors_choice_is_a_cookie_and_a_signed_in_choice_is_kept_on_the_account() {
    let h = harness().await;
    let visitor = send(&h, post("/api/choose_language", "language=ar", None)).await;
    assert_eq!(visitor.status, 200, "{}", visitor.body);
    assert_eq!(
        cookie_named(&visitor, "consilium_lang").as_deref(),
        Some("consilium_lang=ar")
    );

    let patient = sign_in(&h, "maria.rossi@example.com").await;
    let chosen = send(&h, post("/api/choose_language", "language=ar", Some(&patient))).await;
    assert_eq!(chosen.status, 200, "{}", chosen.body);
    let stored: String =
        h.t.scalar("SELECT language FROM users WHERE email = 'maria.rossi@example.com'")
            .await;
    assert_eq!(stored, "ar");
    assert_eq!(h.t.audited(UseCase::ChooseLanguage, Outcome::Ok).await, 1);

    // Signing in on another browser (no cookie) brings the account's language along.
    let login = send(
        &h,
        post(
            "/api/login",
            &format!(
                "email=maria.rossi@example.com&password={}",
                app::server::demo::DEMO_PASSWORD
            ),
            None,
        ),
    )
    .await;
    assert_eq!(
        cookie_named(&login, "consilium_lang").as_deref(),
        Some("consilium_lang=ar")
    );
}

#[tokio::test]
async fn an_unknown_language_is_refused_in_the_askers_language_and_changes_nothing() {
    let h = harness().await;
    let patient = sign_in(&h, "maria.rossi@example.com").await;
    let mut request = post("/api/choose_language", "language=fr", Some(&patient));
    request
        .headers_mut()
        .insert(header::ACCEPT_LANGUAGE, "ar".parse().unwrap());
    let refused = send(&h, request).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("اختر العربية أو الإنجليزية"),
        "{}",
        refused.body
    );
    assert!(cookie_named(&refused, "consilium_lang").is_none());
    let stored: String =
        h.t.scalar("SELECT language FROM users WHERE email = 'maria.rossi@example.com'")
            .await;
    assert_eq!(stored, "en");
}
