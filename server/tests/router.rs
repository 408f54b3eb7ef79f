//! Requests through the whole router, without a port: security headers, cross-site writes,
//! server functions' authorization and status codes, sessions ended by logout.
#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{get, harness, post, send, sign_in};

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let h = harness().await;
    for path in ["/", "/healthz", "/login", "/no-such-page"] {
        let reply = send(&h, get(path, None)).await;
        assert_eq!(reply.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
        assert_eq!(reply.headers[header::X_FRAME_OPTIONS], "DENY", "{path}");
        let csp = reply.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
    }
}

#[tokio::test]
async fn pages_have_a_nonce_csp_and_are_never_cached() {
    let h = harness().await;
    let reply = send(&h, get("/login", None)).await;
    assert_eq!(reply.status, StatusCode::OK);
    let csp = reply.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap();
    assert!(nonce.len() >= 16, "{csp}");
    assert!(
        reply.body.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the nonce"
    );
    assert_eq!(reply.headers[header::CACHE_CONTROL], "no-store");
}

#[tokio::test]
async fn the_health_check_reaches_the_database() {
    let h = harness().await;
    let reply = send(&h, get("/healthz", None)).await;
    assert_eq!((reply.status, reply.body.as_str()), (StatusCode::OK, "ok"));
}

/// The demo admin's sign-in, as posted by a page whose origin is `origin`.
fn admin_sign_in_from(origin: &str) -> Request<Body> {
    let form = "email=admin@consilium.test&password=consilium-demo";
    let mut request = post("/api/login", form, None);
    request
        .headers_mut()
        .insert(header::ORIGIN, origin.parse().unwrap());
    request
}

#[tokio::test]
async fn a_cross_site_post_is_refused_before_any_handler_runs() {
    let h = harness().await;
    let reply = send(&h, admin_sign_in_from("https://evil.example")).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(reply.headers.get(header::SET_COOKIE).is_none());
    let same = admin_sign_in_from("http://127.0.0.1:3000");
    assert!(send(&h, same).await.headers.get(header::SET_COOKIE).is_some());
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_answer_identically() {
    let h = harness().await;
    let wrong = send(
        &h,
        post(
            "/api/login",
            "email=admin@consilium.test&password=not-the-password",
            None,
        ),
    )
    .await;
    let unknown = send(
        &h,
        post(
            "/api/login",
            "email=nobody@consilium.test&password=not-the-password",
            None,
        ),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!((wrong.status, &wrong.body), (unknown.status, &unknown.body));
}

#[tokio::test]
async fn server_functions_answer_by_role_with_typed_errors() {
    let h = harness().await;
    let patient = sign_in(&h, "maria.rossi@example.com").await;
    let admin = sign_in(&h, "admin@consilium.test").await;
    let queue = "query[status]=&query[search]=&query[page]=1";
    let anonymous = send(&h, post("/api/case_queue", queue, None)).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let refused = send(&h, post("/api/case_queue", queue, Some(&patient))).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let error: app::error::AppError = serde_json::from_str(&refused.body).unwrap();
    assert!(matches!(error, app::error::AppError::Forbidden(_)), "{error:?}");
    let allowed = send(&h, post("/api/case_queue", queue, Some(&admin))).await;
    assert_eq!(allowed.status, StatusCode::OK, "{}", allowed.body);
    let missing = send(&h, post("/api/load_case", "case_id=nope", Some(&patient))).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn after_logout_the_old_cookie_no_longer_works() {
    let h = harness().await;
    let cookie = sign_in(&h, "admin@consilium.test").await;
    let queue = "query[status]=&query[search]=&query[page]=1";
    assert_eq!(
        send(&h, post("/api/case_queue", queue, Some(&cookie)))
            .await
            .status,
        StatusCode::OK
    );
    let out = send(&h, post("/api/logout", "", Some(&cookie))).await;
    assert!(out.status.is_success() || out.status.is_redirection());
    let after = send(&h, post("/api/case_queue", queue, Some(&cookie))).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_signed_out_visitor_is_sent_to_sign_in_and_a_patient_is_refused_the_admin_queue() {
    let h = harness().await;
    let anonymous = send(&h, get("/admin", None)).await;
    assert_eq!(anonymous.status, StatusCode::FOUND);
    assert_eq!(anonymous.headers[header::LOCATION], "/login");
    let patient = sign_in(&h, "maria.rossi@example.com").await;
    let refused = send(&h, get("/admin", Some(&patient))).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("Not allowed"));
}

#[tokio::test]
async fn a_malformed_server_function_call_is_a_422_not_a_server_fault() {
    let h = harness().await;
    let patient = sign_in(&h, "maria.rossi@example.com").await;
    let reply = send(
        &h,
        post(
            "/api/close_case",
            "case_id=x&version=not-a-number",
            Some(&patient),
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    let error: app::error::AppError = serde_json::from_str(&reply.body).unwrap();
    assert!(error.field("request").is_some(), "{error:?}");
}

#[tokio::test]
async fn payment_webhooks_answer_400_unless_genuinely_signed_and_acknowledge_redeliveries() {
    use app::server::config::TEST_WEBHOOK_SECRET;
    use app::server::payments::signature;
    let h = harness().await;
    let body = r#"{"id":"evt_http_1","type":"checkout.session.completed","data":{"object":{"id":"cs_1","client_reference_id":"no-such-payment","amount_total":1,"currency":"eur","payment_status":"paid"}}}"#;
    let now = chrono::Utc::now().timestamp();
    let webhook = |header: Option<String>, payload: &str| {
        let mut builder = axum::http::Request::post("/webhooks/payments")
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(value) = header {
            builder = builder.header("stripe-signature", value);
        }
        builder.body(axum::body::Body::from(payload.to_owned())).unwrap()
    };
    let good = signature::sign(TEST_WEBHOOK_SECRET.as_bytes(), now, body.as_bytes());
    let forged = signature::sign(b"guess", now, body.as_bytes());
    let stale = signature::sign(TEST_WEBHOOK_SECRET.as_bytes(), now - 400, body.as_bytes());
    let altered = body.replace("\"amount_total\":1", "\"amount_total\":2");
    assert_eq!(
        send(&h, webhook(None, body)).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        send(&h, webhook(Some(forged), body)).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        send(&h, webhook(Some(stale), body)).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        send(&h, webhook(Some(good.clone()), &altered)).await.status,
        StatusCode::BAD_REQUEST
    );
    let first = send(&h, webhook(Some(good.clone()), body)).await;
    assert_eq!(
        (first.status, first.body.as_str()),
        (StatusCode::OK, "ignored"),
        "unknown payment: recorded, ignored"
    );
    let again = send(&h, webhook(Some(good), body)).await;
    assert_eq!((again.status, again.body.as_str()), (StatusCode::OK, "duplicate"));
}

/// Thirty sign-ins for one account at once through the router (twenty-nine wrong, one right):
/// at most five are evaluated, the rest answer 429, and the right password, arriving in the
/// burst, is refused with them; the account stays throttled afterwards.
#[tokio::test]
async fn a_burst_of_concurrent_sign_ins_evaluates_at_most_five() {
    let h = std::sync::Arc::new(harness().await);
    let mut burst = Vec::new();
    for i in 0..30 {
        let h = h.clone();
        let password = if i == 29 {
            app::server::demo::DEMO_PASSWORD
        } else {
            "wrong-password-123"
        };
        burst.push(tokio::spawn(async move {
            let form = format!("email=maria.rossi@example.com&password={password}");
            send(&h, post("/api/login", &form, None)).await.status
        }));
    }
    let mut statuses = Vec::new();
    for request in burst {
        statuses.push(request.await.unwrap());
    }
    let evaluated = statuses
        .iter()
        .filter(|s| **s != StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!(evaluated <= 5, "{evaluated} evaluated: {statuses:?}");
    assert!(
        statuses.iter().all(|s| *s == StatusCode::TOO_MANY_REQUESTS
            || *s == StatusCode::UNAUTHORIZED
            || s.is_redirection()
            || s.is_success()),
        "{statuses:?}"
    );
    let form = format!(
        "email=maria.rossi@example.com&password={}",
        app::server::demo::DEMO_PASSWORD
    );
    let after = send(&h, post("/api/login", &form, None)).await;
    assert_eq!(after.status, StatusCode::TOO_MANY_REQUESTS, "{}", after.body);
    assert!(after.headers.get(header::SET_COOKIE).is_none());
}

/// A state-changing request is accepted only from the configured public origin, whatever Host
/// the request names (a rebinding attacker controls both Origin and Host).
#[tokio::test]
async fn writes_are_accepted_only_from_the_public_url_not_from_whatever_host_is_named() {
    let h = harness().await;
    let mut rebound = admin_sign_in_from("http://evil.example");
    rebound
        .headers_mut()
        .insert(header::HOST, "evil.example".parse().unwrap());
    let reply = send(&h, rebound).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(reply.headers.get(header::SET_COOKIE).is_none());
    let other_port = admin_sign_in_from("http://127.0.0.1:3999");
    assert_eq!(send(&h, other_port).await.status, StatusCode::FORBIDDEN);
}

/// Server functions may answer with health data: their responses are never stored by a cache.
#[tokio::test]
async fn server_function_responses_are_never_cached() {
    let h = harness().await;
    let patient = sign_in(&h, "tomasz.nowak@example.com").await;
    let reply = send(&h, post("/api/load_current_user", "", Some(&patient))).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.headers[header::CACHE_CONTROL], "no-store");
}

/// Over https the browser is told to use nothing else (HSTS); over http it is not.
#[tokio::test]
async fn hsts_is_sent_when_the_public_url_is_https() {
    let plain = harness().await;
    let reply = send(&plain, get("/login", None)).await;
    assert!(reply.headers.get(header::STRICT_TRANSPORT_SECURITY).is_none());
    let secure = common::harness_with(|c| {
        c.public_url = "https://consilium.example".into();
        c.secure_cookies = true;
    })
    .await;
    let reply = send(&secure, get("/healthz", None)).await;
    let hsts = reply.headers[header::STRICT_TRANSPORT_SECURITY].to_str().unwrap();
    assert!(hsts.starts_with("max-age=31536000"), "{hsts}");
}

/// A server-function body over the limit is "too large" (413), not a gateway failure.
#[tokio::test]
async fn an_oversized_server_function_body_is_a_413() {
    let h = harness().await;
    let patient = sign_in(&h, "maria.rossi@example.com").await;
    let huge = format!(
        "case_id=x&version=1&medical_history={}",
        "a".repeat(3 * 1024 * 1024)
    );
    let reply = send(&h, post("/api/save_case", &huge, Some(&patient))).await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        &reply.body[..reply.body.len().min(300)]
    );
    let error: app::error::AppError = serde_json::from_str(&reply.body).unwrap();
    assert!(matches!(error, app::error::AppError::TooLarge(_)), "{error:?}");
}

/// With the test payment provider every page says so in its header, in the server's HTML and
/// in the meta tag the browser reads back when it hydrates.
#[tokio::test]
async fn pages_say_test_mode_when_payments_are_simulated() {
    let h = harness().await;
    let reply = send(&h, get("/login", None)).await;
    assert!(
        reply.body.contains(r#"data-testid="test-mode""#),
        "banner missing"
    );
    assert!(reply
        .body
        .contains(r#"<meta name="consilium-payments" content="test""#));
    let real = common::harness_with(|c| {
        c.payments = app::server::payments::Provider::Stripe {
            api_key: "sk_test_x".into(),
            webhook_secret: "whsec_x".into(),
            api_base: "http://127.0.0.1:9".into(),
            timeout: std::time::Duration::from_secs(5),
        };
    })
    .await;
    let reply = send(&real, get("/login", None)).await;
    assert!(
        !reply.body.contains("test-mode"),
        "no banner with a real provider"
    );
}

/// An open event stream lives only as long as its session: after sign-out (and after the
/// account is deactivated) it ends by itself, with no event delivered after the end.
#[tokio::test]
async fn an_open_event_stream_ends_with_its_session() {
    use http_body_util::BodyExt;
    let h = harness().await;
    for ending in ["logout", "deactivate"] {
        let patient = sign_in(&h, "maria.rossi@example.com").await;
        let response = tower::ServiceExt::oneshot(h.router.clone(), get("/events", Some(&patient)))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let mut body = response.into_body();
        let first = tokio::time::timeout(std::time::Duration::from_secs(10), body.frame())
            .await
            .expect("the first event arrives")
            .unwrap()
            .unwrap();
        assert!(first.is_data());
        match ending {
            "logout" => {
                let reply = send(&h, post("/api/logout", "", Some(&patient))).await;
                assert!(
                    reply.status.is_success() || reply.status.is_redirection(),
                    "{}",
                    reply.status
                );
            }
            _ => {
                let admin = sign_in(&h, "admin@consilium.test").await;
                let maria: String =
                    sqlx::query_scalar("SELECT id FROM users WHERE email = 'maria.rossi@example.com'")
                        .fetch_one(h.t.db.pool())
                        .await
                        .unwrap();
                let form = format!("user_id={maria}&active=false");
                let reply = send(&h, post("/api/set_account_active", &form, Some(&admin))).await;
                assert!(reply.status.is_success(), "{} {}", reply.status, reply.body);
            }
        }
        // Frames may still be in flight (keep-alive comments); the stream must then end.
        let ended = tokio::time::timeout(std::time::Duration::from_secs(10), async {
            while let Some(frame) = body.frame().await {
                let frame = frame.unwrap();
                if let Some(data) = frame.data_ref() {
                    assert!(
                        !String::from_utf8_lossy(data).contains("event: notifications"),
                        "an event after the end"
                    );
                }
            }
        })
        .await;
        assert!(ended.is_ok(), "the stream outlived its session ({ending})");
        if ending == "deactivate" {
            sqlx::query("UPDATE users SET active = 1 WHERE email = 'maria.rossi@example.com'")
                .execute(h.t.db.pool())
                .await
                .unwrap();
        }
    }
}
