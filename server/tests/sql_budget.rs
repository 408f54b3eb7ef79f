//! The SQL budget: the main page of every role, rendered through the whole router, runs at most
//! `BUDGET` SQL statements, and the count does not grow with the number of rows shown (no N+1).
//! Statements are counted from sqlx's own statement log (target `sqlx::query`, one event per
//! statement executed), so nothing in the application is instrumented for the test.
#![allow(clippy::unwrap_used)]

mod common;

use common::{get, send, sign_in, Harness};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::Layer;

const BUDGET: usize = 5;

static STATEMENTS: AtomicUsize = AtomicUsize::new(0);
static SHOWN: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

struct CountStatements;

impl<S: tracing::Subscriber> Layer<S> for CountStatements {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            let mut text = Statement(String::new());
            event.record(&mut text);
            // A connection the pool opens meanwhile runs its SQLite settings: set-up of the
            // connection, not a statement of the page.
            if text.0.contains("PRAGMA") {
                return;
            }
            STATEMENTS.fetch_add(1, Ordering::SeqCst);
            // SQL_BUDGET_SHOW=1 prints each statement, to see where a page's count comes from.
            if std::env::var_os("SQL_BUDGET_SHOW").is_some() {
                SHOWN.lock().unwrap_or_else(|e| e.into_inner()).push(text.0);
            }
        }
    }
}

struct Statement(String);

impl tracing::field::Visit for Statement {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "summary" || field.name() == "db.statement" {
            let text = format!("{value:?}");
            self.0.push_str(&text[..text.len().min(160)]);
            self.0.push(' ');
        }
    }
}

fn count_statements() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let only_sqlx =
            tracing_subscriber::filter::Targets::new().with_target("sqlx::query", tracing::Level::TRACE);
        let subscriber = tracing_subscriber::registry().with(CountStatements.with_filter(only_sqlx));
        tracing::subscriber::set_global_default(subscriber).unwrap();
    });
}

/// The statements one page render runs (the test binary runs one test at a time).
async fn statements_for(h: &Harness, path: &str, cookie: &str) -> usize {
    // Once first, so that one-off work (a session's idle clock, caches) is not what is measured.
    let warm = send(h, get(path, Some(cookie))).await;
    assert_eq!(
        warm.status.as_u16(),
        200,
        "{path}: {}",
        &warm.body[..warm.body.len().min(200)]
    );
    STATEMENTS.store(0, Ordering::SeqCst);
    SHOWN.lock().unwrap_or_else(|e| e.into_inner()).clear();
    let reply = send(h, get(path, Some(cookie))).await;
    assert_eq!(reply.status.as_u16(), 200, "{path}");
    let count = STATEMENTS.load(Ordering::SeqCst);
    if std::env::var_os("SQL_BUDGET_SHOW").is_some() {
        println!("  {path}: {count}");
        for text in SHOWN.lock().unwrap_or_else(|e| e.into_inner()).iter() {
            println!(
                "    {}",
                text.split("\\n")
                    .find(|l| !l.trim().is_empty() && !l.starts_with('"'))
                    .unwrap_or(text)
            );
        }
    }
    count
}

async fn case_of(h: &Harness, status: &str) -> String {
    sqlx::query_scalar("SELECT id FROM review_cases WHERE status = $1 ORDER BY created_at LIMIT 1")
        .bind(status)
        .fetch_one(h.t.db.pool())
        .await
        .unwrap()
}

async fn pages(h: &Harness) -> Vec<(&'static str, &'static str, String)> {
    let review = case_of(h, "doctors_assigned").await;
    let done = case_of(h, "completed").await;
    vec![
        ("patient", "tomasz.nowak@example.com", "/cases".to_owned()),
        ("patient", "tomasz.nowak@example.com", format!("/cases/{review}")),
        (
            "patient",
            "tomasz.nowak@example.com",
            format!("/cases/{done}/report"),
        ),
        (
            "coordinator",
            "zofia.wojcik@consilium.test",
            "/clinician".to_owned(),
        ),
        (
            "coordinator",
            "zofia.wojcik@consilium.test",
            format!("/cases/{review}"),
        ),
        (
            "specialist",
            "henrik.larsen@consilium.test",
            "/clinician".to_owned(),
        ),
        (
            "specialist",
            "henrik.larsen@consilium.test",
            format!("/cases/{review}"),
        ),
        ("admin", "admin@consilium.test", "/admin".to_owned()),
        ("admin", "admin@consilium.test", format!("/cases/{review}")),
    ]
}

async fn demo_cases(h: &Harness) {
    let state = app::server::AppState::new(h.t.db.clone(), h.t.config.clone()).expect("storage settings");
    app::server::demo_cases::load(&state).await.unwrap();
}

on_both_backends!(
    every_main_page_stays_within_the_sql_budget_and_does_not_grow_with_rows,
    every_main_page_stays_within_the_sql_budget_on_postgres,
    within_budget
);

async fn within_budget(h: Harness) {
    count_statements();
    demo_cases(&h).await;
    // One sign-in per person: a staff account's second-factor code is accepted once, so
    // signing in again within its 30 seconds would wait for the next one.
    let mut cookies = std::collections::HashMap::new();
    let mut before = Vec::new();
    for (who, email, path) in pages(&h).await {
        if !cookies.contains_key(email) {
            cookies.insert(email, sign_in(&h, email).await);
        }
        let cookie = &cookies[email];
        before.push((who, path.clone(), statements_for(&h, &path, cookie).await));
    }
    // Twice the cases (with their documents, timelines, opinions, reports): the same count.
    demo_cases(&h).await;
    let mut report = String::new();
    let mut over = Vec::new();
    for ((who, email, path), (_, _, first)) in pages(&h).await.into_iter().zip(&before) {
        let cookie = &cookies[email];
        let again = statements_for(&h, &path, cookie).await;
        report.push_str(&format!("{who:<12} {path:<52} {first:>3} {again:>3}\n"));
        if *first > BUDGET || again != *first {
            over.push(format!(
                "{who} {path}: {first} statements, {again} with twice the rows"
            ));
        }
    }
    println!("role         page                                                 SQL SQLx2\n{report}");
    assert!(
        over.is_empty(),
        "over the budget of {BUDGET} or growing with rows:\n{}\n{report}",
        over.join("\n")
    );
}
