//! A1: the authorization table. Every server function and every plain route is listed below
//! with who may call it, by role and relation to the case: the case's patient (owner), its
//! coordinator, one of its active specialists, an admin, a patient and a clinician with no link
//! to the case, and nobody signed in. The test calls each one as each of them, through the
//! whole router, and compares: 0 unexpected allows, 0 unexpected denies. A server function
//! missing from the table fails the test.
//!
//! "Denied" is 401, 403 or 404; anything else short of a server error means the caller got past
//! authorization (the request may still be refused for its content or the case's state: the
//! probes are chosen so that allowed calls change as little as possible).
#![allow(clippy::unwrap_used)]

mod common;

use app::server::{demo_cases, AppState};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{send, sign_in, Harness};
use std::collections::BTreeSet;
use tower::ServiceExt;

/// Declares the callers, each tried on every endpoint, and [`EVERYONE`]: all of them, in order.
macro_rules! callers {
    ($($who:ident),+) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
        enum Who {
            $($who),+
        }

        const EVERYONE: &[Who] = &[$(Who::$who),+];
    };
}

callers!(
    Owner,
    Coordinator,
    Specialist,
    Admin,
    OtherPatient,
    OtherClinician,
    Anonymous
);

use Who::*;

/// Everyone but the anonymous caller, who comes last in [`EVERYONE`].
const SIGNED_IN: &[Who] = EVERYONE.split_last().unwrap().1;
const CASE_PEOPLE: &[Who] = &[Owner, Coordinator, Specialist, Admin];
const PATIENTS: &[Who] = &[Owner, OtherPatient];
const CLINICIANS: &[Who] = &[Coordinator, Specialist, OtherClinician];

/// The ids the probes refer to: Tomasz Nowak's demo cases (one under review, one completed).
struct Ctx {
    review_case: String,
    completed_case: String,
    version: i64,
    document: String,
    payment: String,
    item: String,
    clinician: String,
    /// A clinician who is none of the callers (an admin's probe resets their second factor).
    spare_clinician: String,
    review_type: String,
}

enum Call {
    /// `POST /api/<name>` with a form body.
    Fn(&'static str, String),
    Get(String),
    Post(String, Vec<u8>),
}

/// The table: each endpoint, a request that reaches its authorization check, who may pass.
fn table(c: &Ctx) -> Vec<(Call, &'static [Who])> {
    let (case, v) = (&c.review_case, c.version);
    let f = |name, body: String| Call::Fn(name, body);
    vec![
        (f("load_current_user", String::new()), EVERYONE),
        // Public. (A malformed form: real attempts would trip the sign-in throttle across probes.)
        (f("login", "email=x".into()), EVERYONE),
        (f("register", "name=X&email=not-an-email&password=short".into()), EVERYONE),
        (f("verify_email", "token=not-a-token".into()), EVERYONE),
        (f("request_password_reset", "email=not-an-email".into()), EVERYONE),
        (f("reset_password", "token=not-a-token&password=short".into()), EVERYONE),
        // One's own account: also open to someone with a step to take first (see below).
        (f("change_password", "current_password=x&new_password=short".into()), SIGNED_IN),
        (f("load_sessions", String::new()), SIGNED_IN),
        (f("end_session", "session_id=".into()), SIGNED_IN),
        (f("load_second_factor", String::new()), SIGNED_IN),
        (f("start_second_factor", String::new()), SIGNED_IN),
        (f("confirm_second_factor", "code=x".into()), SIGNED_IN),
        (f("turn_off_second_factor", "current_password=".into()), PATIENTS),
        (f("load_profile", "user_id=".into()), SIGNED_IN),
        (f("load_profile", format!("user_id={}", c.clinician)), &[Admin, OtherClinician]),
        (f("save_profile", "user_id=&name=".into()), SIGNED_IN),
        (f("save_profile", format!("user_id={}&name=", c.clinician)), &[Admin, OtherClinician]),
        (f("request_email_change", "new_email=not-an-email&current_password=x".into()), SIGNED_IN),
        (f("confirm_email_change", "token=not-a-token".into()), EVERYONE),
        (f("reset_second_factor", format!("user_id={}", c.spare_clinician)), &[Admin]),
        (f("verify_sign_in_code", "code=123456".into()), EVERYONE),
        // The language switch: visitors read the sign-in page too. (An unknown language, so the
        // probes change nothing.)
        (f("choose_language", "language=xx".into()), EVERYONE),
        (f("list_accounts", String::new()), &[Admin]),
        (f("create_staff", "role=clinician&name=&email=bad&password=x".into()), &[Admin]),
        (f("set_account_active", format!("user_id={}&active=true", c.clinician)), &[Admin]),
        (f("load_catalog", String::new()), SIGNED_IN),
        (f("load_queue_filters", String::new()), &[Admin]),
        (f("save_review_type", "id=&name=&description=&price=x&currency=EUR&expected_days=x".into()), &[Admin]),
        (f("save_category", "id=&name=".into()), &[Admin]),
        (f("set_catalog_active", format!("kind=review_type&id={}&active=true", c.review_type)), &[Admin]),
        (f("my_cases", String::new()), PATIENTS),
        (f("load_clinician_cases", String::new()), CLINICIANS),
        (f("case_queue", "query[search]=C-".into()), &[Admin]),
        (f("start_case", String::new()), PATIENTS),
        (f("load_case", format!("case_id={case}")), CASE_PEOPLE),
        (f("load_documents", format!("case_id={case}")), CASE_PEOPLE),
        (f("save_case", format!("case_id={case}&version={v}&intent=save&review_type_id=&category_id=&patient_age=&patient_sex=&medical_history=&current_treatment=&questions=")), &[Owner]),
        (f("delete_draft", format!("case_id={case}&version={v}")), &[Owner]),
        (f("remove_document", format!("document_id={}", c.document)), &[Owner]),
        (f("close_case", format!("case_id={case}&version={v}&action=cancel&reason=Changed+my+mind")), &[Owner, Admin]),
        (f("assign_coordinator", format!("case_id={case}&version={v}&coordinator_id=x")), &[Admin]),
        (f("assign_specialists", format!("case_id={case}&version={v}&specialists[]=x")), &[Coordinator]),
        (f("remove_specialist", format!("case_id={case}&version={v}&specialist_id=x")), &[Coordinator]),
        (f("retry_payment", format!("case_id={case}&version={v}")), &[Owner]),
        (f("load_test_checkout", format!("payment_id={}", c.payment)), &[Owner]),
        (f("complete_test_checkout", format!("payment_id={}&outcome=pay", c.payment)), &[Owner]),
        (f("request_documents", format!("case_id={case}&note=&items[]=Blood+tests")), &[Coordinator, Specialist]),
        (f("write_opinion", format!("case_id={case}&assessment=a&recommendation=r&diagnosis=&treatment=&intent=save")), &[Specialist]),
        (f("remind_specialists", format!("case_id={case}")), &[Coordinator]),
        (f("submit_final_summary", format!("case_id={case}&version={v}&summary=Done")), &[Coordinator]),
        (f("load_report", format!("case_id={}", c.completed_case)), CASE_PEOPLE),
        (f("audit_log", "query[who]=a".into()), &[Admin]),
        (f("unread_count", String::new()), SIGNED_IN),
        (f("load_notifications", String::new()), SIGNED_IN),
        (f("mark_notifications_read", String::new()), SIGNED_IN),
        (Call::Get(format!("/documents/{}", c.document)), CASE_PEOPLE),
        (Call::Post(format!("/cases/{case}/documents?name=x.pdf"), b"%PDF-1.4\n%%EOF\n".to_vec()), &[Owner]),
        (Call::Post(format!("/cases/{case}/documents?name=x.pdf&item={}", c.item), b"%PDF-1.4\n%%EOF\n".to_vec()), &[Owner]),
        (Call::Get(format!("/cases/{}/report.pdf", c.completed_case)), CASE_PEOPLE),
        (Call::Get("/events".into()), SIGNED_IN),
        (Call::Get("/admin/audit.csv?who=a".into()), &[Admin]),
        // Public: the payment provider authenticates by signature, not by session (an unsigned
        // body gets 400 here; forged and stale signatures are the router tests' subject).
        (Call::Post("/webhooks/payments".into(), b"{}".to_vec()), EVERYONE),
        // Last: it signs each caller out of every session.
        (f("end_all_sessions", String::new()), SIGNED_IN),
    ]
}

fn request(call: &Call, cookie: Option<&str>) -> Request<Body> {
    let (method, path, body, content_type) = match call {
        Call::Fn(name, form) => (
            "POST",
            format!("/api/{name}"),
            form.clone().into_bytes(),
            "application/x-www-form-urlencoded",
        ),
        Call::Get(path) => ("GET", path.clone(), Vec::new(), "text/plain"),
        Call::Post(path, bytes) => ("POST", path.clone(), bytes.clone(), "application/octet-stream"),
    };
    let mut builder = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::CONTENT_TYPE, content_type)
        .header(header::ACCEPT, "application/json");
    if let Some(c) = cookie {
        builder = builder.header(header::COOKIE, c);
    }
    builder.body(Body::from(body)).unwrap()
}

/// The status only: `/events` never ends its body.
async fn status_of(h: &Harness, call: &Call, cookie: Option<&str>) -> StatusCode {
    h.router
        .clone()
        .oneshot(request(call, cookie))
        .await
        .unwrap()
        .status()
}

fn name_of(call: &Call) -> String {
    match call {
        Call::Fn(name, _) => format!("/api/{name}"),
        Call::Get(path) => format!("GET {path}"),
        Call::Post(path, _) => format!("POST {path}"),
    }
}

async fn context(h: &Harness) -> Ctx {
    let state = AppState::new(h.t.db.clone(), h.t.config.clone()).expect("storage settings");
    demo_cases::load(&state).await.unwrap();
    let pool = h.t.db.pool();
    let cases: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT c.id, c.status, c.version FROM review_cases c JOIN users u ON u.id = c.patient_id \
         WHERE u.email = 'tomasz.nowak@example.com'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let find = |status: &str| cases.iter().find(|c| c.1 == status).unwrap().clone();
    let (review_case, _, version) = find("doctors_assigned");
    let completed_case = find("completed").0;
    let one = |sql: &'static str, arg: String| async move {
        sqlx::query_scalar::<_, String>(sql)
            .bind(arg)
            .fetch_one(pool)
            .await
            .unwrap()
    };
    // An open request on the case under review, so the patient's answer to it can be probed.
    let henrik = sign_in(h, "henrik.larsen@consilium.test").await;
    let asked = send(
        h,
        common::post(
            "/api/request_documents",
            &format!("case_id={review_case}&note=&items[]=ECG"),
            Some(&henrik),
        ),
    )
    .await;
    assert!(asked.status.is_success(), "{}", asked.body);
    Ctx {
        document: one("SELECT id FROM documents WHERE case_id = $1", review_case.clone()).await,
        payment: one("SELECT id FROM payments WHERE case_id = $1", review_case.clone()).await,
        item: one(
            "SELECT i.id FROM document_request_items i JOIN document_requests r ON r.id = i.request_id WHERE r.case_id = $1",
            review_case.clone(),
        )
        .await,
        clinician: one("SELECT id FROM users WHERE email = $1", "mei.chen@consilium.test".into()).await,
        spare_clinician: one("SELECT id FROM users WHERE email = $1", "priya.raman@consilium.test".into()).await,
        review_type: one("SELECT id FROM review_types WHERE name <> $1 ORDER BY id LIMIT 1", String::new()).await,
        review_case,
        completed_case,
        version,
    }
}

on_both_backends!(
    every_endpoint_answers_exactly_the_callers_the_table_allows,
    every_endpoint_answers_exactly_the_callers_the_table_allows_on_postgres,
    walk_the_table
);

async fn walk_the_table(h: Harness) {
    let ctx = context(&h).await;
    let mut cookies = Vec::new();
    for (who, email) in [
        (Owner, Some("tomasz.nowak@example.com")),
        (Coordinator, Some("zofia.wojcik@consilium.test")),
        (Specialist, Some("henrik.larsen@consilium.test")),
        (Admin, Some("admin@consilium.test")),
        (OtherPatient, Some("maria.rossi@example.com")),
        (OtherClinician, Some("mei.chen@consilium.test")),
        (Anonymous, None),
    ] {
        let cookie = match email {
            Some(e) => Some(sign_in(&h, e).await),
            None => None,
        };
        cookies.push((who, cookie));
    }
    let table = table(&ctx);
    let mut surprises = Vec::new();
    for (call, allowed) in &table {
        for (who, cookie) in &cookies {
            let status = status_of(&h, call, cookie.as_deref()).await;
            assert!(
                !status.is_server_error(),
                "{} as {who:?}: {status}",
                name_of(call)
            );
            let passed = !matches!(status.as_u16(), 401 | 403 | 404);
            let expected = allowed.contains(who);
            if passed != expected {
                surprises.push(format!(
                    "{} as {who:?}: {status} ({})",
                    name_of(call),
                    if passed {
                        "unexpected allow"
                    } else {
                        "unexpected deny"
                    }
                ));
            }
        }
    }
    assert!(surprises.is_empty(), "{}", surprises.join("\n"));

    // Logging out works for everyone (last: it ends the sessions used above).
    for (who, cookie) in &cookies {
        let status = status_of(&h, &Call::Fn("logout", String::new()), cookie.as_deref()).await;
        assert!(
            !matches!(status.as_u16(), 403 | 404) && !status.is_server_error(),
            "logout as {who:?}: {status}"
        );
    }

    // Completeness: every registered server function is in the table.
    let listed: BTreeSet<String> = table
        .iter()
        .map(|(call, _)| name_of(call))
        .chain(["/api/logout".to_owned()])
        .collect();
    let registered: BTreeSet<String> = server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    let missing: Vec<&String> = registered.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "server functions missing from the authorization table: {missing:?}"
    );
    let stale: Vec<&String> = listed
        .iter()
        .filter(|p| p.starts_with("/api/") && !registered.contains(*p))
        .collect();
    assert!(
        stale.is_empty(),
        "the table names server functions that do not exist: {stale:?}"
    );
}

/// A staff account an admin just created may choose its password, see its sessions and sign
/// out, and nothing else until it has chosen one: pages' data, plain routes and the event
/// stream all answer 403.
#[tokio::test]
async fn a_new_staff_account_must_choose_its_own_password_before_anything_else() {
    let h = common::harness().await;
    let state = AppState::new(h.t.db.clone(), h.t.config.clone()).expect("storage settings");
    demo_cases::load(&state).await.unwrap();
    let admin = sign_in(&h, "admin@consilium.test").await;
    let form = "role=clinician&name=Ines+Duarte&email=ines%40consilium.test\
                &password=first-password-from-admin&title=Dr&specialties=Neurology\
                &contact_email=ines%40consilium.test&contact_phone=%2B351+21+000+0000";
    let created = send(&h, common::post("/api/create_staff", form, Some(&admin))).await;
    assert_eq!(created.status, 200, "{}", created.body);
    let login = "email=ines%40consilium.test&password=first-password-from-admin";
    let signed = send(&h, common::post("/api/login", login, None)).await;
    let ines = common::session_cookie(&signed);
    let blocked = [
        Call::Fn("load_clinician_cases", String::new()),
        Call::Fn("load_catalog", String::new()),
        Call::Get("/events".into()),
    ];
    for call in &blocked {
        let status = status_of(&h, call, Some(&ines)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}", name_of(call));
    }
    let sessions = status_of(&h, &Call::Fn("load_sessions", String::new()), Some(&ines)).await;
    assert_eq!(sessions, StatusCode::OK);
    let same = "current_password=first-password-from-admin&new_password=first-password-from-admin";
    let refused = send(&h, common::post("/api/change_password", same, Some(&ines))).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let own = "current_password=first-password-from-admin&new_password=ines-chose-this-one";
    let changed = send(&h, common::post("/api/change_password", own, Some(&ines))).await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    // Then the second factor a clinician must have, before anything else still.
    let still = send(&h, common::post("/api/load_clinician_cases", "", Some(&ines))).await;
    assert_eq!(still.status, StatusCode::FORBIDDEN);
    assert!(still.body.contains("two-factor"), "{}", still.body);
    let started = send(&h, common::post("/api/start_second_factor", "", Some(&ines))).await;
    assert_eq!(started.status, 200, "{}", started.body);
    let secret = serde_json::from_str::<serde_json::Value>(&started.body).unwrap()["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let now = u64::try_from(app::server::db::now_ms() / 1000).unwrap();
    let code = app::server::auth::totp::code_at(&secret, now).unwrap();
    let confirmed = send(
        &h,
        common::post("/api/confirm_second_factor", &format!("code={code}"), Some(&ines)),
    )
    .await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    for call in &blocked {
        let status = status_of(&h, call, Some(&ines)).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "{} once both steps are taken",
            name_of(call)
        );
    }
}
