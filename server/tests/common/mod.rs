//! Shared test harness: the whole router over a fresh SQLite database with demo data.
#![allow(dead_code, clippy::unwrap_used)]

use app::server::testing::TestDb;
use app::server::{demo, AppState};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use tower::ServiceExt;

/// Two tests of one check over the whole router: `$sqlite` on SQLite and `$postgres` on a
/// throwaway PostgreSQL database (reported as ignored when none was configured at build time).
#[macro_export]
macro_rules! on_both_backends {
    ($sqlite:ident, $postgres:ident, $check:ident) => {
        #[tokio::test]
        async fn $sqlite() {
            $check($crate::common::harness().await).await;
        }

        #[tokio::test]
        #[cfg_attr(not(postgres_tests), ignore = "CONSILIUM_TEST_POSTGRES_URL is not set")]
        async fn $postgres() {
            let h = $crate::common::harness_on_postgres().await;
            $check(h.expect("CONSILIUM_TEST_POSTGRES_URL was set when the tests were built")).await;
        }
    };
}

pub struct Harness {
    pub router: Router,
    pub t: TestDb,
}

pub async fn harness() -> Harness {
    harness_with(|_| {}).await
}

/// The harness with some settings changed (an https public URL, another payment provider).
pub async fn harness_with(change: impl FnOnce(&mut app::server::config::Config)) -> Harness {
    let options = LeptosOptions::builder()
        .output_name("consilium")
        .site_root("target/site")
        .build();
    harness_with_options(change, options).await
}

/// The harness serving static files from a given site root (with or without hashed names).
pub async fn harness_with_site(site_root: &std::path::Path, hash_files: bool) -> Harness {
    let options = LeptosOptions::builder()
        .output_name("consilium")
        .site_root(site_root.display().to_string())
        .hash_files(hash_files)
        .build();
    harness_with_options(|_| {}, options).await
}

async fn harness_with_options(
    change: impl FnOnce(&mut app::server::config::Config),
    options: LeptosOptions,
) -> Harness {
    let mut t = TestDb::sqlite().await;
    change(&mut t.config);
    harness_on(t, options).await
}

/// The harness on a throwaway PostgreSQL database, when `CONSILIUM_TEST_POSTGRES_URL` names a
/// server; None otherwise (the caller reports itself skipped).
pub async fn harness_on_postgres() -> Option<Harness> {
    let t = TestDb::postgres().await?;
    let options = LeptosOptions::builder()
        .output_name("consilium")
        .site_root("target/site")
        .build();
    Some(harness_on(t, options).await)
}

/// The harness over a database made by the caller (in a bucket, say), with demo data.
pub async fn harness_over(t: TestDb) -> Harness {
    let options = LeptosOptions::builder()
        .output_name("consilium")
        .site_root("target/site")
        .build();
    harness_on(t, options).await
}

/// A second app server beside `h`: its own pool on the same database, its own state, the same
/// storage settings.
pub async fn second_server(h: &Harness) -> Router {
    let db = app::server::db::Db::connect(&h.t.config.database_url)
        .await
        .unwrap();
    let state = AppState::new(db, h.t.config.clone()).expect("storage settings");
    let options = LeptosOptions::builder()
        .output_name("consilium")
        .site_root("target/site")
        .build();
    server::router::build(state, options)
}

async fn harness_on(t: TestDb, options: LeptosOptions) -> Harness {
    demo::load_if_empty(&t.db).await.unwrap();
    let state = AppState::new(t.db.clone(), t.config.clone()).expect("storage settings");
    Harness {
        router: server::router::build(state, options),
        t,
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

pub async fn send(h: &Harness, request: Request<Body>) -> Reply {
    let response = h.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

pub fn post(path: &str, form: &str, cookie: Option<&str>) -> Request<Body> {
    let mut builder = Request::post(path)
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json");
    if let Some(c) = cookie {
        builder = builder.header(header::COOKIE, c);
    }
    builder.body(Body::from(form.to_owned())).unwrap()
}

pub fn get(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut builder = Request::get(path)
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ACCEPT, "text/html,application/xhtml+xml");
    if let Some(c) = cookie {
        builder = builder.header(header::COOKIE, c);
    }
    builder.body(Body::empty()).unwrap()
}

/// Signs in with the demo password (and, for an account with a second factor, a code made from
/// its secret) and returns the `name=value` of the session cookie.
pub async fn sign_in(h: &Harness, email: &str) -> String {
    let form = format!("email={email}&password={}", demo::DEMO_PASSWORD);
    let reply = send(h, post("/api/login", &form, None)).await;
    let Some(challenge) = cookie_named(&reply, "consilium_sign_in") else {
        return session_cookie(&reply);
    };
    let code = next_code(h, email).await;
    let reply = send(
        h,
        post(
            "/api/verify_sign_in_code",
            &format!("code={code}"),
            Some(&challenge),
        ),
    )
    .await;
    session_cookie(&reply)
}

/// A code of `email`'s second factor that has not been used yet: now's or the next step's,
/// whichever is later than the last one used, waiting for the next step if both are.
async fn next_code(h: &Harness, email: &str) -> String {
    use app::server::auth::totp;
    let (secret, last): (String, i64) =
        sqlx::query_as("SELECT totp_secret, totp_last_step FROM users WHERE email = $1")
            .bind(email)
            .fetch_one(h.t.db.pool())
            .await
            .unwrap();
    loop {
        let now = u64::try_from(app::server::db::now_ms() / 1000).unwrap() / totp::STEP_SECONDS;
        // Never the step before now: the clock may pass into the next step meanwhile.
        let step = now.max(u64::try_from(last).unwrap() + 1);
        if step <= now + totp::SKEW_STEPS {
            return totp::code_at(&secret, step * totp::STEP_SECONDS).unwrap();
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
}

/// The `name=value` of the cookie called `name` that a reply set, if it set one.
pub fn cookie_named(reply: &Reply, name: &str) -> Option<String> {
    reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
        .find(|pair| pair.starts_with(&format!("{name}=")) && pair.len() > name.len() + 1)
}

/// The `name=value` of the session cookie a successful sign-in set.
pub fn session_cookie(reply: &Reply) -> String {
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{} {}",
        reply.status,
        reply.body
    );
    let set_cookie = reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("consilium_session=") && !v.starts_with("consilium_session=;"))
        .unwrap_or_else(|| panic!("no session cookie: {} {}", reply.status, reply.body));
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
        "{set_cookie}"
    );
    set_cookie.split(';').next().unwrap().to_owned()
}
