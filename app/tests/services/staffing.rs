//! From submission to review: coordinator assignment with the payment link, reassignment before payment,
//! payment by signed webhook, specialists by the case's coordinator.

use crate::on_both_backends;
use crate::support::scenario::{signed, webhook_event};
use crate::support::{as_, user, winners, Scenario, TestDb};
use app::domain::{CaseAction, CaseStatus, Relation, Role, TimelineLabel};
use app::error::AppError;
use app::model::CaseId;
use app::model::CurrentUser;
use app::server::config::TEST_WEBHOOK_SECRET;
use app::server::db;
use app::server::payments::signature;
use app::server::services::case_view;
use app::server::services::payments::{handle_webhook, Outcome, WebhookError};
use app::server::services::{assignment, cases, refunds, Person};
use std::sync::Arc;

on_both_backends!(
    assigning_a_coordinator_opens_the_payment_and_tells_everyone,
    |t| {
        let s = Scenario::staffed(&t).await;
        let id = s.case().assigned().await;
        let view = case_view::view(&t.db, &as_(&s.patient), &id).await.unwrap();
        assert_eq!(view.summary.status, CaseStatus::AwaitingPayment);
        let labels: Vec<_> = view.timeline.iter().map(|e| e.label).collect();
        assert_eq!(
            labels,
            [
                TimelineLabel::CaseSubmitted,
                TimelineLabel::CoordinatorAssigned,
                TimelineLabel::AwaitingPayment
            ]
        );
        let payment = view.payment.unwrap();
        assert_eq!(
            (
                payment.amount.minor,
                payment.amount.currency.as_str(),
                payment.status.as_str()
            ),
            (45_000, "EUR", "open")
        );
        assert!(payment.checkout_url.starts_with("/pay/test/"));
        // The coordinator and the patient are told, in the app and by email.
        for who in [&s.coordinators[0], &s.patient] {
            let n: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND case_id = $2")
                    .bind(&who.id)
                    .bind(&id)
                    .fetch_one(t.db.pool())
                    .await
                    .unwrap();
            assert_eq!(n, 1, "{}", who.email);
            let mail: i64 = t
                .scalar_for(
                    "SELECT COUNT(*) FROM email_outbox WHERE to_address = $1",
                    &who.email,
                )
                .await;
            assert_eq!(mail, 1);
        }
        let home = case_view::clinician_cases(&t.db, &as_(&s.coordinators[0]))
            .await
            .unwrap();
        assert_eq!(home.coordinating.len(), 1);
        let coord_view = case_view::view(&t.db, &as_(&s.coordinators[0]), &id)
            .await
            .unwrap();
        assert_eq!(coord_view.relation, Relation::Coordinator);
        assert!(coord_view.payment.is_none(), "doctors never receive payment data");
    }
);

on_both_backends!(
    only_pool_coordinators_can_be_assigned_and_a_refusal_changes_nothing,
    |t| {
        let s = Scenario::staffed(&t).await;
        let id = s.case().submitted().await;
        let v = s.version(&id).await;
        let err = assignment::assign_coordinator(&t.db, &t.config, &as_(&s.admin), &id, v, &s.outsider.id)
            .await
            .unwrap_err();
        assert!(err.field("coordinator_id").is_some(), "{err:?}");
        assert_eq!(
            (s.status(&id).await, s.version(&id).await),
            (CaseStatus::Submitted, v)
        );
        assert_eq!(s.rows("payments", &id).await, 0);
        let patient =
            assignment::assign_coordinator(&t.db, &t.config, &as_(&s.patient), &id, v, &s.coordinators[0].id)
                .await;
        assert!(matches!(patient, Err(AppError::Forbidden(_))));
    }
);

on_both_backends!(eight_admins_assigning_at_once_make_exactly_one_assignment, |t| {
    let s = Scenario::staffed(&t).await;
    let id = s.case().submitted().await;
    let v = s.version(&id).await;
    let mut admins = Vec::new();
    for n in 0..8 {
        admins.push(user(&t.db, Role::Admin, &format!("admin-race{n}@example.com")).await);
    }
    let (db, config) = (Arc::new(t.db.clone()), Arc::new(t.config.clone()));
    let mut racers = Vec::new();
    for (n, admin) in admins.into_iter().enumerate() {
        let (db, config, id) = (db.clone(), config.clone(), id.clone());
        let coordinator = s.coordinators[n % 2].id.clone();
        racers.push(tokio::spawn(async move {
            assignment::assign_coordinator(&db, &config, &Person::new(&admin, ""), &id, v, &coordinator).await
        }));
    }
    assert_eq!(winners(racers).await, 1);
    assert_eq!(s.rows("payments", &id).await, 1);
    assert_eq!(s.rows("case_assignments", &id).await, 1);
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM case_timeline WHERE case_id = $1 AND label = 'coordinator_assigned'",
            &id
        )
        .await,
        1
    );
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM case_timeline WHERE case_id = $1 AND label = 'awaiting_payment'",
            &id
        )
        .await,
        1
    );
});

on_both_backends!(reassigning_before_payment_keeps_the_link_and_history, |t| {
    let s = Scenario::staffed(&t).await;
    let id = s.case().assigned().await;
    let link_before = s.payment_id(&id).await;
    let v = s.version(&id).await;
    let same = assignment::reassign_coordinator(&t.db, &as_(&s.admin), &id, v, &s.coordinators[0].id)
        .await
        .unwrap_err();
    assert!(same.field("coordinator_id").is_some());
    assignment::reassign_coordinator(&t.db, &as_(&s.admin), &id, v, &s.coordinators[1].id)
        .await
        .unwrap();
    assert_eq!(
        s.payment_id(&id).await,
        link_before,
        "the same payment link stays on the case"
    );
    let rows: Vec<(String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT clinician_id, active, deactivated_at FROM case_assignments WHERE case_id = $1 ORDER BY created_at, active",
    )
    .bind(&id)
    .fetch_all(t.db.pool())
    .await
    .unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows
        .iter()
        .any(|(c, a, d)| s.coordinators[0].id == c.as_str() && *a == 0 && d.is_some()));
    assert!(rows
        .iter()
        .any(|(c, a, _)| s.coordinators[1].id == c.as_str() && *a == 1));
    assert_eq!(s.status(&id).await, CaseStatus::AwaitingPayment);
    // Both coordinators are told; the previous one no longer sees the case.
    for who in [&s.coordinators[0], &s.coordinators[1]] {
        let n = s.notified(who, TimelineLabel::CoordinatorReassigned).await;
        assert_eq!(n, 1);
    }
    assert_eq!(
        case_view::view(&t.db, &as_(&s.coordinators[0]), &id).await.err(),
        Some(AppError::NotFound)
    );
});

on_both_backends!(
    a_signed_success_records_the_payment_once_however_often_it_arrives,
    |t| {
        let s = Scenario::staffed(&t).await;
        let id = s.case().assigned().await;
        let pid = s.payment_id(&id).await;
        let body = Arc::new(webhook_event(
            "evt_1",
            "checkout.session.completed",
            &pid,
            45_000,
            true,
        ));
        let db = Arc::new(t.db.clone());
        let config = Arc::new(t.config.clone());
        let mut deliveries = Vec::new();
        for _ in 0..5 {
            let (db, config, body) = (db.clone(), config.clone(), body.clone());
            deliveries.push(tokio::spawn(async move {
                let header = signed(&body);
                handle_webhook(&db, &config.payments, &body, Some(&header)).await
            }));
        }
        let mut applied = 0;
        for d in deliveries {
            match d.await.unwrap() {
                Ok(Outcome::Applied) => applied += 1,
                Ok(Outcome::Duplicate) => {}
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(applied, 1);
        assert_eq!(s.status(&id).await, CaseStatus::PaymentSuccessful);
        assert_eq!(
            s.count(
                "SELECT COUNT(*) FROM invoices i JOIN payments p ON p.id = i.payment_id WHERE p.case_id = $1",
                &id
            )
            .await,
            1
        );
        assert_eq!(
            s.count(
                "SELECT COUNT(*) FROM case_timeline WHERE case_id = $1 AND label = 'payment_received'",
                &id
            )
            .await,
            1
        );
        for who in [&s.patient, &s.coordinators[0]] {
            let n = s.notified(who, TimelineLabel::PaymentReceived).await;
            assert_eq!(n, 1, "one notification per recipient");
        }
    }
);

on_both_backends!(forged_stale_altered_or_unsigned_webhooks_change_nothing, |t| {
    let s = Scenario::staffed(&t).await;
    let id = s.case().assigned().await;
    let pid = s.payment_id(&id).await;
    let body = webhook_event("evt_2", "checkout.session.completed", &pid, 45_000, true);
    let now = db::now_ms() / 1000;
    let forged = signature::sign(b"not our secret", now, &body);
    let stale = signature::sign(TEST_WEBHOOK_SECRET.as_bytes(), now - 301, &body);
    let mut altered = body.clone();
    let at = altered.iter().position(|b| *b == b'4').unwrap();
    altered[at] = b'1';
    let valid_for_original = signed(&body);
    let attempts: [(&[u8], Option<&str>); 4] = [
        (&body, Some(&forged)),
        (&body, Some(&stale)),
        (&altered, Some(&valid_for_original)),
        (&body, None),
    ];
    for (payload, header) in attempts {
        let err = handle_webhook(&t.db, &t.config.payments, payload, header)
            .await
            .unwrap_err();
        assert!(matches!(err, WebhookError::Signature(_)), "{err:?}");
    }
    assert_eq!(s.status(&id).await, CaseStatus::AwaitingPayment);
    assert_eq!(
        s.count("SELECT COUNT(*) FROM webhook_events WHERE payment_id = $1", &pid)
            .await,
        0
    );
    // A genuine event replayed after it was applied changes nothing either.
    assert_eq!(s.deliver(&body).await.unwrap(), Outcome::Applied);
    assert_eq!(s.deliver(&body).await.unwrap(), Outcome::Duplicate);
    // An amount that differs from what we asked is never taken as payment.
    let id2 = s.case().assigned().await;
    let pid2 = s.payment_id(&id2).await;
    let cheap = webhook_event("evt_3", "checkout.session.completed", &pid2, 1, true);
    assert_eq!(
        s.deliver(&cheap).await.unwrap(),
        Outcome::Ignored("amount_mismatch")
    );
    assert_eq!(s.status(&id2).await, CaseStatus::AwaitingPayment);
});

on_both_backends!(payment_events_in_any_order_end_in_the_right_state, |t| {
    let s = Scenario::staffed(&t).await;
    let orders: [(&[&str], CaseStatus); 4] = [
        (&["fail"], CaseStatus::PaymentFailed),
        (&["ok"], CaseStatus::PaymentSuccessful),
        (&["fail", "ok"], CaseStatus::PaymentSuccessful),
        (&["ok", "fail"], CaseStatus::PaymentSuccessful),
    ];
    for (n, (order, expected)) in orders.iter().enumerate() {
        let id = s.case().assigned().await;
        let pid = s.payment_id(&id).await;
        for (k, step) in order.iter().enumerate() {
            let (kind, paid) = match *step {
                "ok" => ("checkout.session.completed", true),
                _ => ("checkout.session.async_payment_failed", false),
            };
            s.deliver(&webhook_event(
                &format!("evt_order_{n}_{k}"),
                kind,
                &pid,
                45_000,
                paid,
            ))
            .await
            .unwrap();
        }
        assert_eq!(s.status(&id).await, *expected, "{order:?}");
    }
});

on_both_backends!(after_a_failure_the_patient_retries_on_the_same_case, |t| {
    let s = Scenario::staffed(&t).await;
    let id = s.case().assigned().await;
    let pid = s.payment_id(&id).await;
    s.deliver(&webhook_event(
        "evt_f",
        "checkout.session.async_payment_failed",
        &pid,
        45_000,
        false,
    ))
    .await
    .unwrap();
    let v = s.version(&id).await;
    app::server::services::payments::retry(&t.db, &as_(&s.patient), &id, v)
        .await
        .unwrap();
    assert_eq!(s.status(&id).await, CaseStatus::AwaitingPayment);
    assert_eq!(s.payment_id(&id).await, pid);
    s.deliver(&webhook_event(
        "evt_s",
        "checkout.session.completed",
        &pid,
        45_000,
        true,
    ))
    .await
    .unwrap();
    assert_eq!(s.status(&id).await, CaseStatus::PaymentSuccessful);
});

on_both_backends!(reassignment_is_refused_once_the_patient_has_paid, |t| {
    let s = Scenario::staffed(&t).await;
    let id = s.case().paid().await;
    let v = s.version(&id).await;
    let err = assignment::reassign_coordinator(&t.db, &as_(&s.admin), &id, v, &s.coordinators[1].id)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AppError::Conflict(m) if m.contains("already paid")),
        "{err:?}"
    );
    assert_eq!(s.version(&id).await, v);
});

on_both_backends!(
    only_the_cases_coordinator_assigns_specialists_and_others_cannot_see_it,
    |t| {
        let s = Scenario::staffed(&t).await;
        let id = s.case().paid().await;
        let v = s.version(&id).await;
        let chosen = vec![s.specialists[0].id.clone(), s.specialists[1].id.clone()];
        for intruder in [&s.coordinators[1], &s.outsider] {
            let err = assignment::assign_specialists(&t.db, &as_(intruder), &id, v, &chosen)
                .await
                .unwrap_err();
            assert_eq!(
                err,
                AppError::NotFound,
                "not on the case: it does not exist for them"
            );
            assert_eq!(
                case_view::view(&t.db, &as_(intruder), &id).await.err(),
                Some(AppError::NotFound)
            );
        }
        let admin = assignment::assign_specialists(&t.db, &as_(&s.admin), &id, v, &chosen)
            .await
            .unwrap_err();
        assert!(matches!(admin, AppError::Forbidden(_)));
        let coordinator = &s.coordinators[0];
        let own = vec![coordinator.id.clone()];
        assert!(
            assignment::assign_specialists(&t.db, &as_(coordinator), &id, v, &own)
                .await
                .is_err()
        );
        let outsider = vec![s.outsider.id.clone()];
        assert!(
            assignment::assign_specialists(&t.db, &as_(coordinator), &id, v, &outsider)
                .await
                .is_err()
        );
        assert_eq!(s.status(&id).await, CaseStatus::PaymentSuccessful);
        let twice = vec![chosen[0].clone(), chosen[1].clone(), chosen[0].clone()];
        assignment::assign_specialists(&t.db, &as_(coordinator), &id, v, &twice)
            .await
            .unwrap();
        let view = case_view::view(&t.db, &as_(&s.patient), &id).await.unwrap();
        assert_eq!(view.summary.status, CaseStatus::DoctorsAssigned);
        let expected = view.summary.expected_review_at.unwrap();
        let days = (expected - chrono::Utc::now()).num_hours() as f64 / 24.0;
        assert!((9.9..=10.1).contains(&days), "{days}");
        let coord = view.team.iter().find(|m| m.is_coordinator).unwrap();
        assert_eq!(
            coord.contact_email.as_deref(),
            Some("coord0@example.com"),
            "the patient sees the coordinator's contact"
        );
        assert_eq!(view.team.iter().filter(|m| !m.is_coordinator).count(), 2);
        assert!(view
            .team
            .iter()
            .filter(|m| !m.is_coordinator)
            .all(|m| m.contact_email.is_none()));
        for specialist in &s.specialists[..2] {
            let home = case_view::clinician_cases(&t.db, &as_(specialist)).await.unwrap();
            assert_eq!(home.reviewing.len(), 1);
            assert_eq!(
                case_view::view(&t.db, &as_(specialist), &id)
                    .await
                    .unwrap()
                    .relation,
                Relation::Specialist
            );
        }
        // Adding a third, then removing one: the removed doctor loses access at once.
        let v = s.version(&id).await;
        assignment::assign_specialists(&t.db, &as_(coordinator), &id, v, &[s.specialists[2].id.clone()])
            .await
            .unwrap();
        let v = s.version(&id).await;
        assignment::remove_specialist(&t.db, &as_(coordinator), &id, v, &s.specialists[0].id)
            .await
            .unwrap();
        assert_eq!(
            case_view::view(&t.db, &as_(&s.specialists[0]), &id).await.err(),
            Some(AppError::NotFound)
        );
        assert_eq!(
            s.count(
                "SELECT COUNT(*) FROM case_timeline WHERE case_id = $1 AND label = 'doctors_assigned'",
                &id
            )
            .await,
            1
        );
    }
);

on_both_backends!(
    emails_leave_through_the_outbox_once_and_never_for_a_rolled_back_change,
    |t| {
        use app::server::mail::{deliver_due, Transport};
        let s = Scenario::staffed(&t).await;
        let id = s.case().submitted().await;
        let v = s.version(&id).await;
        // A refused assignment queues nothing.
        assert!(
            assignment::assign_coordinator(&t.db, &t.config, &as_(&s.admin), &id, v, &s.outsider.id)
                .await
                .is_err()
        );
        let queued: i64 = t.scalar("SELECT COUNT(*) FROM email_outbox").await;
        assert_eq!(queued, 0);
        assignment::assign_coordinator(&t.db, &t.config, &as_(&s.admin), &id, v, &s.coordinators[0].id)
            .await
            .unwrap();
        let folder = t.config.data_dir.join("outbox");
        let transport = Transport::Folder(folder.clone());
        assert_eq!(deliver_due(&t.db, &transport).await.unwrap(), 2);
        assert_eq!(
            deliver_due(&t.db, &transport).await.unwrap(),
            0,
            "sent messages are not sent again"
        );
        let mut texts: Vec<String> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect();
        texts.sort();
        assert_eq!(texts.len(), 2);
        assert!(texts.iter().any(|m| m.contains("To: coord0@example.com")));
        assert!(texts
            .iter()
            .all(|m| m.contains("Coordinator assigned") && !m.contains("Chest pain")));
    }
);

on_both_backends!(each_person_is_told_in_their_own_language, |t| {
    let s = Scenario::staffed(&t).await;
    let id = s.case().submitted().await;
    let v = s.version(&id).await;
    sqlx::query("UPDATE users SET language = 'ar' WHERE id = $1")
        .bind(s.patient.id.as_str())
        .execute(t.db.pool())
        .await
        .unwrap();
    assignment::assign_coordinator(&t.db, &t.config, &as_(&s.admin), &id, v, &s.coordinators[0].id)
        .await
        .unwrap();
    let mail: Vec<(String, String, String)> =
        sqlx::query_as("SELECT to_address, subject, body FROM email_outbox ORDER BY to_address")
            .fetch_all(t.db.pool())
            .await
            .unwrap();
    let to = |address: &str| mail.iter().find(|(a, _, _)| a == address).unwrap().clone();
    let (_, subject, body) = to(&s.patient.email);
    assert!(subject.ends_with(" · عُيّن الطبيب المنسِّق"), "{subject}");
    assert!(
        body.starts_with("عُيّن الطبيب المنسِّق\n\nسجّل الدخول إلى Consilium"),
        "{body}"
    );
    let (_, subject, body) = to("coord0@example.com");
    assert!(subject.ends_with(" · Coordinator assigned"), "{subject}");
    assert!(body.contains("Sign in to Consilium to see case"), "{body}");
    // The notification centre names the same event in whichever language its reader reads.
    let mut conn = t.db.pool().acquire().await.unwrap();
    let patients = db::notifications::recent(&mut *conn, &s.patient.id, 10)
        .await
        .unwrap();
    let event = patients.first().unwrap();
    assert!(event
        .heading(app::lang::Locale::ar)
        .ends_with("عُيّن الطبيب المنسِّق"));
    assert!(event
        .heading(app::lang::Locale::en)
        .ends_with("Coordinator assigned"));
    // So does what it says beside the event: kept as a key, put into words when read.
    assert_eq!(event.body, "Payment of EUR 450.00 requested");
    assert_eq!(
        event.body_in(app::lang::Locale::en),
        "Payment of EUR 450.00 requested"
    );
    assert_eq!(event.body_in(app::lang::Locale::ar), "طُلب دفع مبلغ 450.00 EUR");
    drop(conn);
    let view = case_view::view(&t.db, &as_(&s.patient), &id).await.unwrap();
    let last = view.timeline.last().unwrap();
    assert_eq!(last.detail, "Payment of EUR 450.00 requested");
    assert!(last.detail_in(app::lang::Locale::ar).starts_with("طُلب دفع مبلغ"));
});

/// PostgreSQL only: what other app servers hear. A committed change announces each recipient
/// with NOTIFY; a refused one announces nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(postgres_tests), ignore = "CONSILIUM_TEST_POSTGRES_URL is not set")]
async fn on_postgres_each_committed_notification_is_announced_to_every_listener() {
    let t = TestDb::postgres()
        .await
        .expect("CONSILIUM_TEST_POSTGRES_URL was set when the tests were built");
    let s = Scenario::staffed(&t).await;
    let mut listener = sqlx::postgres::PgListener::connect(&t.config.database_url)
        .await
        .unwrap();
    listener.listen(db::notifications::CHANNEL).await.unwrap();
    let id = s.case().submitted().await;
    let v = s.version(&id).await;
    assert!(
        assignment::assign_coordinator(&t.db, &t.config, &as_(&s.admin), &id, v, &s.outsider.id)
            .await
            .is_err()
    );
    assignment::assign_coordinator(&t.db, &t.config, &as_(&s.admin), &id, v, &s.coordinators[0].id)
        .await
        .unwrap();
    let mut heard = Vec::new();
    for _ in 0..2 {
        let n = tokio::time::timeout(std::time::Duration::from_secs(10), listener.recv())
            .await
            .unwrap()
            .unwrap();
        heard.push(n.payload().to_owned());
    }
    heard.sort();
    let mut expected = vec![s.coordinators[0].id.to_string(), s.patient.id.to_string()];
    expected.sort();
    assert_eq!(heard, expected);
    let nothing_more = tokio::time::timeout(std::time::Duration::from_millis(300), listener.recv()).await;
    assert!(nothing_more.is_err(), "the refused assignment announced nothing");
}

/// `who` closes the case at its current version, refunds through the test provider.
async fn close_as(
    s: &Scenario<'_>,
    who: &CurrentUser,
    case_id: &CaseId,
    action: CaseAction,
    reason: &str,
) -> Result<(), AppError> {
    crate::support::scenario::close(s.t, &as_(who), case_id, s.version(case_id).await, action, reason).await
}

async fn refunds_of(t: &TestDb, case_id: &CaseId) -> Vec<(i64, String, Option<String>)> {
    sqlx::query_as(
        "SELECT r.amount_minor, r.status, r.provider_ref FROM refunds r JOIN payments p ON p.id = r.payment_id \
         WHERE p.case_id = $1",
    )
    .bind(case_id)
    .fetch_all(t.db.pool())
    .await
    .unwrap()
}

on_both_backends!(cancelling_or_rejecting_a_paid_case_refunds_it_once, |t| {
    let s = Scenario::staffed(&t).await;
    // The patient cancels after paying.
    let id = s.case().paid().await;
    close_as(&s, &s.patient, &id, CaseAction::Cancel, "Found a doctor nearby")
        .await
        .unwrap();
    assert_eq!(s.status(&id).await, CaseStatus::Cancelled);
    let refunds = refunds_of(&t, &id).await;
    assert_eq!(refunds.len(), 1);
    assert_eq!((refunds[0].0, refunds[0].1.as_str()), (45_000, "succeeded"));
    assert!(refunds[0].2.is_some(), "the provider's refund id is kept");
    let payment_status: String = t
        .scalar_for("SELECT status FROM payments WHERE case_id = $1", &id)
        .await;
    assert_eq!(payment_status, "refunded");
    let view = case_view::view(&t.db, &as_(&s.patient), &id).await.unwrap();
    // The closing entry carries the reason; the refund has its own entry, for the patient,
    // the coordinator and admins only.
    let n = view.timeline.len();
    let (closing, refund) = (&view.timeline[n - 2], &view.timeline[n - 1]);
    assert_eq!(closing.label, TimelineLabel::CaseCancelled);
    assert_eq!(closing.detail, "Found a doctor nearby");
    assert_eq!(refund.label, TimelineLabel::PaymentRefunded);
    assert_eq!(refund.detail, "Refund of EUR 450.00 issued");
    assert_eq!(
        refund.detail_in(app::lang::Locale::en),
        "Refund of EUR 450.00 issued"
    );
    assert_eq!(
        refund.detail_in(app::lang::Locale::ar),
        "تم استرداد مبلغ 450.00 EUR"
    );
    assert_eq!(
        closing.detail_in(app::lang::Locale::ar),
        "Found a doctor nearby",
        "as written"
    );
    let told = s
        .notices_on(&id, &s.coordinators[0], TimelineLabel::CaseCancelled)
        .await;
    assert_eq!(told, ["Found a doctor nearby · Refund of EUR 450.00 issued"]);
    assert_eq!(view.payment.unwrap().status.as_str(), "refunded");
    let again = close_as(&s, &s.admin, &id, CaseAction::Reject, "x").await;
    assert!(matches!(again, Err(AppError::Conflict(_))), "{again:?}");
    assert_eq!(refunds_of(&t, &id).await.len(), 1, "never refunded twice");

    // An admin rejects another paid case: refunded too, and the coordinator is told.
    let other = s.case().paid().await;
    close_as(&s, &s.admin, &other, CaseAction::Reject, "Outside our scope")
        .await
        .unwrap();
    assert_eq!(s.status(&other).await, CaseStatus::Rejected);
    assert_eq!(refunds_of(&t, &other).await.len(), 1);
    let told = s
        .notices_on(&other, &s.coordinators[0], TimelineLabel::CaseRejected)
        .await;
    assert_eq!(told.len(), 1);
});

on_both_backends!(
    a_refund_the_provider_cannot_take_now_is_sent_again_until_it_goes_through,
    |t| {
        let s = Scenario::staffed(&t).await;
        let id = s.case().paid().await;
        sqlx::query("UPDATE payments SET provider_payment_ref = 'pi_123' WHERE case_id = $1")
            .bind(&id)
            .execute(t.db.pool())
            .await
            .unwrap();
        // Stripe without a reachable API: the refund cannot be sent now.
        let unreachable = app::server::payments::Provider::Stripe {
            api_key: "sk_test".into(),
            webhook_secret: "whsec".into(),
            api_base: "http://127.0.0.1:9".into(),
            timeout: std::time::Duration::from_secs(5),
        };
        let v = s.version(&id).await;
        cases::close(
            &t.db,
            &unreachable,
            &as_(&s.patient),
            &id,
            v,
            CaseAction::Cancel,
            "Changed my mind",
        )
        .await
        .unwrap();
        assert_eq!(s.status(&id).await, CaseStatus::Cancelled, "the decision stands");
        assert_eq!(
            refunds_of(&t, &id).await,
            [(45_000, "requested".to_owned(), None)]
        );
        let attempts: i64 = t.scalar("SELECT attempts FROM refunds").await;
        assert_eq!(attempts, 1);
        // Not due again yet; then due, still unreachable; then the provider answers.
        let now = app::server::db::now_ms();
        let due = refunds::send_due(&t.db, &unreachable, now).await.unwrap();
        assert_eq!(due, 0);
        assert_eq!(
            t.scalar::<i64>("SELECT attempts FROM refunds").await,
            1,
            "not due yet"
        );
        let later = now + 3_600_000;
        assert_eq!(refunds::send_due(&t.db, &unreachable, later).await.unwrap(), 0);
        assert_eq!(t.scalar::<i64>("SELECT attempts FROM refunds").await, 2);
        assert_eq!(
            refunds::send_due(&t.db, &t.config.payments, later + 3_600_000)
                .await
                .unwrap(),
            1
        );
        let refunds = refunds_of(&t, &id).await;
        assert_eq!((refunds.len(), refunds[0].1.as_str()), (1, "succeeded"));
        assert!(refunds[0].2.is_some(), "the provider's refund id is kept");
        assert_eq!(
            refunds::send_due(&t.db, &t.config.payments, later * 2)
                .await
                .unwrap(),
            0,
            "sent once"
        );
    }
);

on_both_backends!(
    money_arriving_for_a_case_cancelled_meanwhile_goes_back_once,
    |t| {
        let s = Scenario::staffed(&t).await;
        let id = s.case().assigned().await;
        let pid = s.payment_id(&id).await;
        // The patient cancels while the provider is still taking the money.
        close_as(&s, &s.patient, &id, CaseAction::Cancel, "Changed my mind")
            .await
            .unwrap();
        assert!(refunds_of(&t, &id).await.is_empty(), "nothing was paid yet");
        let failed = webhook_event(
            "evt_fail_late",
            "checkout.session.async_payment_failed",
            &pid,
            45_000,
            false,
        );
        assert!(matches!(s.deliver(&failed).await, Ok(Outcome::Ignored(_))));
        let paid = webhook_event("evt_paid_late", "checkout.session.completed", &pid, 45_000, true);
        assert_eq!(s.deliver(&paid).await.unwrap(), Outcome::RefundedLate);
        assert_eq!(s.deliver(&paid).await.unwrap(), Outcome::Duplicate);
        assert_eq!(
            s.status(&id).await,
            CaseStatus::Cancelled,
            "the case stays closed"
        );
        assert_eq!(refunds_of(&t, &id).await.len(), 1, "refunded exactly once");
        let view = case_view::view(&t.db, &as_(&s.patient), &id).await.unwrap();
        let last = view.timeline.last().unwrap();
        assert_eq!(last.label, TimelineLabel::PaymentRefunded);
        assert_eq!(
            last.detail,
            "A payment arrived after the case was closed; EUR 450.00 refunded."
        );
        assert_eq!(view.payment.unwrap().status.as_str(), "refunded");
        // A second success for the same payment (another event id) refunds nothing more.
        let again = webhook_event(
            "evt_paid_late_2",
            "checkout.session.completed",
            &pid,
            45_000,
            true,
        );
        assert!(matches!(s.deliver(&again).await, Ok(Outcome::Ignored(_))));
        assert_eq!(refunds_of(&t, &id).await.len(), 1);
    }
);

// Found by the two-server test: invoice numbers were the year's count plus one, so payments
// confirmed at the same moment on PostgreSQL got the same number and all but one failed.
on_both_backends!(payments_confirmed_at_once_get_consecutive_invoice_numbers, |t| {
    let s = Scenario::staffed(&t).await;
    let mut events = Vec::new();
    for n in 0..8 {
        let id = s.case().assigned().await;
        let pid = s.payment_id(&id).await;
        events.push(webhook_event(
            &format!("evt_at_once_{n}"),
            "checkout.session.completed",
            &pid,
            45_000,
            true,
        ));
    }
    let racers: Vec<_> = events
        .into_iter()
        .map(|body| {
            let (db, provider) = (t.db.clone(), t.config.payments.clone());
            tokio::spawn(async move { handle_webhook(&db, &provider, &body, Some(&signed(&body))).await })
        })
        .collect();
    for racer in racers {
        assert_eq!(racer.await.unwrap().unwrap(), Outcome::Applied);
    }
    let mut numbers: Vec<String> = sqlx::query_scalar("SELECT number FROM invoices")
        .fetch_all(t.db.pool())
        .await
        .unwrap();
    numbers.sort();
    let year = chrono::Datelike::year(&chrono::Utc::now());
    let expected: Vec<String> = (1..=8).map(|n| format!("INV-{year}-{n:06}")).collect();
    assert_eq!(numbers, expected);
});
