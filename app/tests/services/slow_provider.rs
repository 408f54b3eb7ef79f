//! Calls to the payment provider hold no lock. While a stand-in for Stripe's API takes 5 s to
//! answer a checkout, and then a refund, other patients' writes on SQLite go on, each in under
//! 200 ms. A provider that times out leaves the case as it was, and the admin's retry reaches
//! the provider under the same idempotency key, so no second checkout is ever opened.

use crate::support::{as_, draft_of, user, Scenario, TestDb};
use app::domain::{CaseAction, CaseStatus, Role};
use app::error::AppError;
use app::model::CaseId;
use app::server::config::Config;
use app::server::payments::Provider;
use app::server::services::{assignment, cases};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use axum::{Json, Router};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A stand-in for Stripe's API that answers after `delay`, remembering each call's path and
/// idempotency key.
#[derive(Clone, Default)]
struct Stub {
    delay: Arc<Mutex<Duration>>,
    calls: Arc<Mutex<Vec<(String, String)>>>,
}

impl Stub {
    fn set_delay(&self, delay: Duration) {
        *self.delay.lock().unwrap() = delay;
    }

    fn calls(&self) -> Vec<(String, String)> {
        self.calls.lock().unwrap().clone()
    }

    async fn answer(
        &self,
        path: &str,
        headers: &HeaderMap,
        body: serde_json::Value,
    ) -> Json<serde_json::Value> {
        let key = headers["idempotency-key"].to_str().unwrap().to_owned();
        self.calls.lock().unwrap().push((path.to_owned(), key));
        let delay = *self.delay.lock().unwrap();
        tokio::time::sleep(delay).await;
        Json(body)
    }
}

async fn checkout(State(stub): State<Stub>, headers: HeaderMap) -> Json<serde_json::Value> {
    let session = serde_json::json!({ "id": "cs_slow", "url": "https://checkout.stripe.com/c/pay/cs_slow" });
    stub.answer("/v1/checkout/sessions", &headers, session).await
}

async fn refund(State(stub): State<Stub>, headers: HeaderMap) -> Json<serde_json::Value> {
    let refund = serde_json::json!({ "id": "re_slow", "status": "succeeded" });
    stub.answer("/v1/refunds", &headers, refund).await
}

/// The stub on a free port, and a Stripe provider pointed at it that waits `timeout`.
async fn slow_stripe(timeout: Duration) -> (Stub, Provider) {
    let stub = Stub::default();
    let app = Router::new()
        .route("/v1/checkout/sessions", post(checkout))
        .route("/v1/refunds", post(refund))
        .with_state(stub.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let provider = Provider::Stripe {
        api_key: "sk_test_slow".into(),
        webhook_secret: "whsec_slow".into(),
        api_base: format!("http://{address}"),
        timeout,
    };
    (stub, provider)
}

fn with_provider(t: &TestDb, provider: &Provider) -> Config {
    Config {
        payments: provider.clone(),
        ..t.config.clone()
    }
}

/// While `slow` runs, other patients keep writing (new drafts); answers the longest of their
/// writes and how many there were. Starts once the stub has the call in hand.
async fn others_write_during<F>(t: &TestDb, stub: &Stub, slow: F) -> (Duration, usize, Duration)
where
    F: std::future::Future<Output = Result<(), AppError>> + Send + 'static,
{
    let started = Instant::now();
    let slow = tokio::spawn(slow);
    let calls_before = stub.calls().len();
    while stub.calls().len() == calls_before && !slow.is_finished() {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut longest = Duration::ZERO;
    let mut writes = 0;
    let mut n = 0;
    while !slow.is_finished() {
        n += 1;
        let other = user(
            &t.db,
            Role::Patient,
            &format!("other{n}-{}@example.com", uuid::Uuid::new_v4()),
        )
        .await;
        let began = Instant::now();
        draft_of(&t.db, &other).await;
        longest = longest.max(began.elapsed());
        writes += 1;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    slow.await.unwrap().unwrap();
    (longest, writes, started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn other_patients_write_while_the_provider_takes_five_seconds() {
    let t = TestDb::sqlite().await;
    let s = Scenario::staffed(&t).await;
    let (stub, provider) = slow_stripe(Duration::from_secs(15)).await;
    stub.set_delay(Duration::from_secs(5));
    let config = with_provider(&t, &provider);

    let id = s.case().submitted().await;
    let (db, admin, coordinator, v) = (
        t.db.clone(),
        as_(&s.admin),
        s.coordinators[0].id.clone(),
        s.version(&id).await,
    );
    let case = id.clone();
    let assign =
        async move { assignment::assign_coordinator(&db, &config, &admin, &case, v, &coordinator).await };
    let (longest, writes, took) = others_write_during(&t, &stub, assign).await;
    println!("checkout: {writes} other writes while it took {took:?}; the longest {longest:?}");
    assert!(
        took >= Duration::from_secs(5),
        "the checkout waited for the provider"
    );
    assert!(writes >= 10, "{writes} writes");
    assert!(longest < Duration::from_millis(200), "a write waited {longest:?}");
    assert_eq!(s.status(&id).await, CaseStatus::AwaitingPayment);

    let paid = paid_with_intent(&s).await;
    let (db, patient, v) = (t.db.clone(), as_(&s.patient), s.version(&paid).await);
    let case = paid.clone();
    let close = async move {
        cases::close(
            &db,
            &provider,
            &patient,
            &case,
            v,
            CaseAction::Cancel,
            "Found a doctor nearby",
        )
        .await
    };
    let (longest, writes, took) = others_write_during(&t, &stub, close).await;
    println!("refund: {writes} other writes while it took {took:?}; the longest {longest:?}");
    assert!(
        took >= Duration::from_secs(5),
        "the refund waited for the provider"
    );
    assert!(writes >= 10, "{writes} writes");
    assert!(longest < Duration::from_millis(200), "a write waited {longest:?}");
    let status: String = t.scalar("SELECT status FROM refunds").await;
    assert_eq!(status, "succeeded");
}

/// A paid case whose payment has a PaymentIntent, as Stripe's refunds need.
async fn paid_with_intent(s: &Scenario<'_>) -> CaseId {
    let id = s.case().paid().await;
    sqlx::query("UPDATE payments SET provider_payment_ref = 'pi_slow' WHERE case_id = $1")
        .bind(&id)
        .execute(s.t.db.pool())
        .await
        .unwrap();
    id
}

crate::on_both_backends!(
    a_provider_timeout_leaves_the_case_for_the_admin_to_retry_with_the_same_key,
    |t| {
        let s = Scenario::staffed(&t).await;
        let (stub, provider) = slow_stripe(Duration::from_secs(1)).await;
        stub.set_delay(Duration::from_secs(3));
        let config = with_provider(&t, &provider);
        let id = s.case().submitted().await;
        let v = s.version(&id).await;
        let admin = as_(&s.admin);
        let coordinator = &s.coordinators[0].id;

        let err = assignment::assign_coordinator(&t.db, &config, &admin, &id, v, coordinator).await;
        assert_eq!(err.err(), Some(AppError::PaymentProviderUnavailable));
        assert_eq!(
            (s.status(&id).await, s.version(&id).await),
            (CaseStatus::Submitted, v)
        );
        assert_eq!(s.rows("payments", &id).await, 0);
        assert_eq!(s.rows("case_assignments", &id).await, 0);
        let attempts: i64 = t
            .scalar_for("SELECT attempts FROM checkout_intents WHERE case_id = $1", &id)
            .await;
        assert_eq!(attempts, 1, "the attempt is recorded on the intent");

        stub.set_delay(Duration::ZERO);
        assignment::assign_coordinator(&t.db, &config, &admin, &id, v, coordinator)
            .await
            .unwrap();
        assert_eq!(s.status(&id).await, CaseStatus::AwaitingPayment);
        let calls = stub.calls();
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0], calls[1], "the retry used the same idempotency key");
        let payment = s.payment_id(&id).await;
        assert_eq!(calls[0].1, payment.as_str(), "the key is the payment's id");
        let status: String = t
            .scalar_for("SELECT status FROM checkout_intents WHERE case_id = $1", &id)
            .await;
        assert_eq!(status, "done");
    }
);
