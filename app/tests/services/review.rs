//! The specialist review: document requests answered item by item, opinions (drafts private,
//! submitted ones immutable), reminders, and the final summary that completes the case with a
//! stored, checkable PDF report that only the case's people can read.

use crate::support::scenario::{close, opinion};
use crate::support::{as_, Scenario};
use crate::{on_both_backends, on_every_store};
use app::domain::review::OpinionInput;
use app::domain::{CaseStatus, TimelineLabel};
use app::error::AppError;
use app::model::{CaseId, FormIntent};
use app::server::services::case_view;
use app::server::services::{assignment, cases, reminders, review, Person};
use app::server::storage::Storage;

fn labels(view: &app::model::CaseView) -> Vec<TimelineLabel> {
    view.timeline.iter().map(|e| e.label).collect()
}

on_both_backends!(
    a_document_request_is_answered_item_by_item_and_closes_with_the_last,
    |t| {
        let s = Scenario::staffed(&t).await;
        let id = s.case().under_review().await;
        let spec = &s.specialists[0];
        review::request_documents(
            &t.db,
            &as_(spec),
            &id,
            "For the angiography decision.",
            &["MRI report".into(), " ".into(), "ECG, last 3 months".into()],
        )
        .await
        .unwrap();
        assert_eq!(s.notified(&s.patient, TimelineLabel::DocumentsRequested).await, 1);
        let view = case_view::view(&t.db, &as_(&s.patient), &id).await.unwrap();
        let request = &view.requests[0];
        assert!(request.is_open());
        let items: Vec<_> = request.items.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(
            items,
            ["MRI report", "ECG, last 3 months"],
            "blank rows are skipped"
        );
        assert!(labels(&view).ends_with(&[TimelineLabel::DocumentsRequested]));

        // The case cannot complete while the request is open (opinions in or not).
        s.submit_opinion(&s.specialists[0], &id, "a").await;
        s.submit_opinion(&s.specialists[1], &id, "b").await;
        let v = s.version(&id).await;
        let err = review::submit_final_summary(&t.db, &s.storage, &as_(&s.coordinators[0]), &id, v, "Done")
            .await
            .unwrap_err();
        assert!(
            matches!(&err, AppError::Conflict(m) if m.contains("still open")),
            "{err:?}"
        );

        let first = s
            .upload_requested(&s.patient, &id, &request.items[0].id)
            .await
            .unwrap();
        let view = case_view::view(&t.db, &as_(&s.patient), &id).await.unwrap();
        assert!(view.requests[0].is_open(), "one item is still missing");
        assert_eq!(
            view.requests[0].items[0].document_id.as_deref(),
            Some(first.id.as_str())
        );
        assert!(!labels(&view).contains(&TimelineLabel::DocumentsProvided));
        let again = s.upload_requested(&s.patient, &id, &request.items[0].id).await;
        assert!(
            matches!(&again, Err(AppError::Conflict(m)) if m.contains("already been provided")),
            "{again:?}"
        );

        s.upload_requested(&s.patient, &id, &request.items[1].id)
            .await
            .unwrap();
        let view = case_view::view(&t.db, &as_(spec), &id).await.unwrap();
        assert!(!view.requests[0].is_open());
        assert!(labels(&view).ends_with(&[TimelineLabel::DocumentsProvided]));
        assert_eq!(
            s.notified(spec, TimelineLabel::DocumentsProvided).await,
            1,
            "the requester is told"
        );
        assert_eq!(
            s.notified(&s.specialists[1], TimelineLabel::DocumentsProvided)
                .await,
            0
        );
        assert_eq!(
            view.documents.len(),
            3,
            "the original scan and the two requested files"
        );

        // A second loop works the same way.
        review::request_documents(
            &t.db,
            &as_(&s.coordinators[0]),
            &id,
            "",
            &["Discharge letter".into()],
        )
        .await
        .unwrap();
        let view = case_view::view(&t.db, &as_(&s.patient), &id).await.unwrap();
        assert_eq!(view.requests.iter().filter(|r| r.is_open()).count(), 1);
    }
);

on_both_backends!(
    only_the_patient_answers_requests_and_staff_outside_the_case_cannot_ask,
    |t| {
        let s = Scenario::staffed(&t).await;
        let id = s.case().under_review().await;
        let err = review::request_documents(&t.db, &as_(&s.outsider), &id, "", &["x".into()])
            .await
            .unwrap_err();
        assert_eq!(
            err,
            AppError::NotFound,
            "an unrelated clinician does not learn the case exists"
        );
        let err = review::request_documents(&t.db, &as_(&s.patient), &id, "", &["x".into()])
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::Forbidden(_)), "{err:?}");
        let err = review::request_documents(&t.db, &as_(&s.specialists[0]), &id, "", &[])
            .await
            .unwrap_err();
        assert!(
            matches!(&err, AppError::Validation(f) if f[0].field == "items"),
            "{err:?}"
        );
        assert_eq!(s.rows("document_requests", &id).await, 0);

        review::request_documents(&t.db, &as_(&s.specialists[0]), &id, "", &["MRI".into()])
            .await
            .unwrap();
        let view = case_view::view(&t.db, &as_(&s.specialists[0]), &id)
            .await
            .unwrap();
        let item = view.requests[0].items[0].id.clone();
        let by_doctor = s.upload_requested(&s.specialists[0], &id, &item).await;
        assert!(matches!(by_doctor, Err(AppError::Forbidden(_))), "{by_doctor:?}");
        let unknown = s.upload_requested(&s.patient, &id, "no-such-item").await;
        assert_eq!(unknown.unwrap_err(), AppError::NotFound);
    }
);

on_both_backends!(
    drafts_stay_with_their_author_and_submitted_opinions_never_change,
    |t| {
        let s = Scenario::staffed(&t).await;
        let id = s.case().under_review().await;
        let (a, b, coordinator) = (&s.specialists[0], &s.specialists[1], &s.coordinators[0]);
        let before = s.version(&id).await;
        review::write_opinion(&t.db, &as_(a), &id, FormIntent::Save, &opinion("first thoughts"))
            .await
            .unwrap();
        review::write_opinion(&t.db, &as_(a), &id, FormIntent::Save, &opinion("second thoughts"))
            .await
            .unwrap();
        let mine = case_view::view(&t.db, &as_(a), &id).await.unwrap().opinions;
        assert_eq!(mine.len(), 1);
        assert!(mine[0].mine && mine[0].submitted_at.is_none());
        assert_eq!(mine[0].assessment, "second thoughts");
        for who in [b, coordinator, &s.admin, &s.patient] {
            let seen = case_view::view(&t.db, &as_(who), &id).await.unwrap().opinions;
            assert!(seen.is_empty(), "{} must not see a draft", who.email);
        }
        assert_eq!(
            s.version(&id).await,
            before,
            "a draft is not a change of the case"
        );

        let incomplete = OpinionInput {
            recommendation: String::new(),
            ..opinion("x")
        };
        let err = review::write_opinion(&t.db, &as_(a), &id, FormIntent::Submit, &incomplete)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, AppError::Validation(f) if f[0].field == "recommendation"),
            "{err:?}"
        );

        s.submit_opinion(a, &id, "final words").await;
        assert_eq!(s.notified(coordinator, TimelineLabel::OpinionSubmitted).await, 1);
        let again = review::write_opinion(&t.db, &as_(a), &id, FormIntent::Submit, &opinion("changed")).await;
        assert!(
            matches!(&again, Err(AppError::Conflict(m)) if m.contains("already submitted")),
            "{again:?}"
        );
        let edit = review::write_opinion(&t.db, &as_(a), &id, FormIntent::Save, &opinion("changed")).await;
        assert!(matches!(edit, Err(AppError::Conflict(_))), "{edit:?}");

        let coordinator_sees = case_view::view(&t.db, &as_(coordinator), &id)
            .await
            .unwrap()
            .opinions;
        assert_eq!(coordinator_sees.len(), 1);
        assert_eq!(coordinator_sees[0].assessment, "final words");
        assert!(
            case_view::view(&t.db, &as_(b), &id)
                .await
                .unwrap()
                .opinions
                .is_empty(),
            "peers wait for completion"
        );
        let timeline = case_view::view(&t.db, &as_(coordinator), &id)
            .await
            .unwrap()
            .timeline;
        let started: Vec<_> = timeline
            .iter()
            .filter(|e| e.label == TimelineLabel::ReviewStarted)
            .collect();
        assert_eq!(started.len(), 1, "the first draft starts the review, once");
        assert_eq!(started[0].actor_name.as_deref(), Some(a.name.as_str()));
        let last = timeline.last().unwrap();
        assert_eq!(last.label, TimelineLabel::OpinionSubmitted);
        assert_eq!(last.detail, format!("By Dr {}", a.name));

        let removal =
            assignment::remove_specialist(&t.db, &as_(coordinator), &id, s.version(&id).await, &a.id).await;
        assert!(
            matches!(&removal, Err(AppError::Conflict(m)) if m.contains("already submitted")),
            "{removal:?}"
        );
        let err = review::write_opinion(&t.db, &as_(coordinator), &id, FormIntent::Save, &opinion("x"))
            .await
            .unwrap_err();
        assert!(
            matches!(err, AppError::Forbidden(_)),
            "the coordinator does not write opinions: {err:?}"
        );
    }
);

on_both_backends!(a_reminder_reaches_only_the_specialists_still_writing, |t| {
    let s = Scenario::staffed(&t).await;
    let id = s.case().under_review().await;
    s.submit_opinion(&s.specialists[0], &id, "done").await;
    review::remind_specialists(&t.db, &as_(&s.coordinators[0]), &id)
        .await
        .unwrap();
    assert_eq!(
        s.notified(&s.specialists[0], TimelineLabel::OverdueReminder)
            .await,
        0
    );
    assert_eq!(
        s.notified(&s.specialists[1], TimelineLabel::OverdueReminder)
            .await,
        1
    );
    let err = review::remind_specialists(&t.db, &as_(&s.specialists[1]), &id)
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Forbidden(_)), "{err:?}");
    s.submit_opinion(&s.specialists[1], &id, "done too").await;
    let err = review::remind_specialists(&t.db, &as_(&s.coordinators[0]), &id)
        .await
        .unwrap_err();
    assert!(
        matches!(err, AppError::Conflict(_)),
        "nobody left to remind: {err:?}"
    );
});

on_every_store!(the_final_summary_completes_the_case_with_a_stored_report, |t| {
    let s = Scenario::staffed(&t).await;
    let id = s.case().under_review().await;
    s.submit_opinion(&s.specialists[0], &id, "Findings suggest two-vessel disease.")
        .await;
    let v = s.version(&id).await;
    let early = review::submit_final_summary(&t.db, &s.storage, &as_(&s.coordinators[0]), &id, v, "x").await;
    assert!(
        matches!(&early, Err(AppError::Conflict(m)) if m.contains(&s.specialists[1].name)),
        "names who is missing: {early:?}"
    );
    s.submit_opinion(&s.specialists[1], &id, "I agree.").await;
    let v = s.version(&id).await;
    let empty = review::submit_final_summary(&t.db, &s.storage, &as_(&s.coordinators[0]), &id, v, "  ").await;
    assert!(
        matches!(&empty, Err(AppError::Validation(f)) if f[0].field == "summary"),
        "{empty:?}"
    );
    s.complete(&id).await;

    assert_eq!(s.status(&id).await, CaseStatus::Completed);
    let view = case_view::view(&t.db, &as_(&s.patient), &id).await.unwrap();
    assert!(view.report_ready);
    assert!(labels(&view).ends_with(&[TimelineLabel::CaseCompleted]));
    assert_eq!(s.notified(&s.patient, TimelineLabel::CaseCompleted).await, 1);
    let report = review::report(&t.db, &as_(&s.patient), &id).await.unwrap();
    assert_eq!(report.reference, view.summary.reference);
    assert_eq!(report.opinions.len(), 2);
    assert_eq!(report.specialists.len(), 2);
    assert_eq!(report.summary, "Both specialists advise an angiography.");
    assert_eq!(report.question, "Is a bypass needed?\nAre stents an option?");
    assert_eq!(report.patient_sex.as_deref(), Some("Female"));

    // Peers read each other's opinions once the case is completed.
    let peer_view = case_view::view(&t.db, &as_(&s.specialists[1]), &id)
        .await
        .unwrap();
    assert_eq!(peer_view.opinions.len(), 2);

    let (name, file) = review::open_report_pdf(&t.db, &s.storage, &as_(&s.patient), &id)
        .await
        .unwrap();
    assert_eq!(name, format!("Consilium report {}.pdf", report.reference));
    let mut bytes = Vec::new();
    tokio::io::AsyncReadExt::read_to_end(&mut tokio::fs::File::from(file.into_std().await), &mut bytes)
        .await
        .unwrap();
    let text = crate::pdf_tools::checked_text(&bytes);
    for expected in [
        report.reference.as_str(),
        "Two-vessel",
        "I agree.",
        "angiography",
        "Disclaimer",
    ] {
        assert!(
            text.to_lowercase().contains(&expected.to_lowercase()),
            "the PDF text lacks {expected:?}"
        );
    }
    let again = review::submit_final_summary(
        &t.db,
        &s.storage,
        &as_(&s.coordinators[0]),
        &id,
        s.version(&id).await,
        "again",
    )
    .await;
    assert!(
        matches!(again, Err(AppError::Conflict(_))),
        "a completed case stays completed: {again:?}"
    );
});

on_every_store!(
    the_report_is_for_the_case_people_only_and_others_get_not_found,
    |t| {
        let s = Scenario::staffed(&t).await;
        let id = s.case().completed().await;
        for who in [
            &s.patient,
            &s.coordinators[0],
            &s.specialists[0],
            &s.specialists[1],
            &s.admin,
        ] {
            review::report(&t.db, &as_(who), &id).await.unwrap();
            review::open_report_pdf(&t.db, &s.storage, &as_(who), &id)
                .await
                .unwrap();
        }
        let other_patient =
            crate::support::user(&t.db, app::domain::Role::Patient, "other@example.com").await;
        for who in [&s.outsider, &other_patient, &s.coordinators[1], &s.specialists[2]] {
            let theirs = review::report(&t.db, &as_(who), &id).await.unwrap_err();
            let missing = review::report(
                &t.db,
                &as_(who),
                &CaseId::from("00000000-0000-0000-0000-000000000000"),
            )
            .await
            .unwrap_err();
            assert_eq!(
                theirs, missing,
                "{} sees a report exactly like a missing one",
                who.email
            );
            assert_eq!(theirs, AppError::NotFound);
            let pdf = review::open_report_pdf(&t.db, &s.storage, &as_(who), &id).await;
            assert_eq!(pdf.err(), Some(AppError::NotFound));
        }
        let reads = |outcome: &'static str| {
            let pool = t.db.pool().clone();
            let id = id.clone();
            async move {
                sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'read_report' AND case_id = $1 AND outcome = $2",
            )
            .bind(&id)
            .bind(outcome)
            .fetch_one(&pool)
            .await
            .unwrap()
            }
        };
        assert_eq!(reads("ok").await, 10, "every read is audited");
        assert_eq!(reads("denied").await, 8, "every refusal too");
    }
);

on_both_backends!(a_storage_failure_while_completing_changes_nothing, |t| {
    let s = Scenario::staffed(&t).await;
    let id = s.case().under_review().await;
    s.submit_opinion(&s.specialists[0], &id, "a").await;
    s.submit_opinion(&s.specialists[1], &id, "b").await;
    // A storage root that is a file: every write fails.
    let broken_root = std::env::temp_dir().join(format!("consilium-broken-{}", uuid::Uuid::new_v4()));
    std::fs::write(&broken_root, b"not a folder").unwrap();
    let broken = Storage::local(&broken_root);
    let v = s.version(&id).await;
    let err = review::submit_final_summary(&t.db, &broken, &as_(&s.coordinators[0]), &id, v, "Summary")
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Internal { .. }), "{err:?}");
    assert_eq!(s.status(&id).await, CaseStatus::DoctorsAssigned);
    assert_eq!(s.version(&id).await, v);
    assert_eq!(s.rows("case_reports", &id).await, 0);
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM case_timeline WHERE case_id = $1 AND label = 'case_completed'",
            &id
        )
        .await,
        0
    );
    std::fs::remove_file(&broken_root).unwrap();
    s.complete(&id).await;
});

on_every_store!(two_racing_summaries_complete_the_case_once, |t| {
    let s = Scenario::staffed(&t).await;
    let id = s.case().under_review().await;
    s.submit_opinion(&s.specialists[0], &id, "a").await;
    s.submit_opinion(&s.specialists[1], &id, "b").await;
    let v = s.version(&id).await;
    let db = std::sync::Arc::new(t.db.clone());
    let mut tasks = Vec::new();
    for n in 0..4 {
        let (db, storage, coordinator, id) = (
            db.clone(),
            s.storage.clone(),
            s.coordinators[0].clone(),
            id.clone(),
        );
        tasks.push(tokio::spawn(async move {
            review::submit_final_summary(
                &db,
                &storage,
                &Person::new(&coordinator, ""),
                &id,
                v,
                &format!("Summary {n}"),
            )
            .await
        }));
    }
    let mut ok = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(()) => ok += 1,
            Err(AppError::Conflict(_)) => {}
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(ok, 1);
    assert_eq!(s.rows("case_reports", &id).await, 1);
    assert_eq!(
        s.count(
            "SELECT COUNT(*) FROM case_timeline WHERE case_id = $1 AND label = 'case_completed'",
            &id
        )
        .await,
        1
    );
});

on_both_backends!(
    a_review_past_its_date_reminds_the_coordinator_and_those_still_writing_once,
    |t| {
        let s = Scenario::staffed(&t).await;
        let id = s.case().under_review().await;
        let other = s.case().under_review().await;
        s.submit_opinion(&s.specialists[0], &id, "done").await;
        let now = app::server::db::now_ms();
        sqlx::query("UPDATE review_cases SET expected_review_at = $1 WHERE id = $2")
            .bind(now - 1000)
            .bind(&id)
            .execute(t.db.pool())
            .await
            .unwrap();
        assert_eq!(
            reminders::send_overdue(&t.db, now).await.unwrap(),
            1,
            "only the case past its date"
        );
        assert_eq!(
            reminders::send_overdue(&t.db, now + 60_000).await.unwrap(),
            0,
            "once per case"
        );
        assert_eq!(
            s.notified(&s.coordinators[0], TimelineLabel::ReviewOverdue).await,
            1
        );
        assert_eq!(
            s.notified(&s.specialists[1], TimelineLabel::ReviewOverdue).await,
            1
        );
        assert_eq!(
            s.notified(&s.specialists[0], TimelineLabel::ReviewOverdue).await,
            0,
            "their opinion is in"
        );
        let timeline = case_view::view(&t.db, &as_(&s.coordinators[0]), &id)
            .await
            .unwrap()
            .timeline;
        let entry = timeline.last().unwrap();
        assert_eq!(
            (entry.label, entry.actor_role.as_str()),
            (TimelineLabel::ReviewOverdue, "system")
        );
        assert_eq!(
            s.count(
                "SELECT COUNT(*) FROM case_timeline WHERE case_id = $1 AND label = 'review_overdue'",
                &other
            )
            .await,
            0
        );
    }
);

on_both_backends!(a_draft_untouched_for_a_day_reminds_its_patient_once, |t| {
    let s = Scenario::staffed(&t).await;
    let draft = cases::create_draft(&t.db, &as_(&s.patient)).await.unwrap();
    let fresh = cases::create_draft(&t.db, &as_(&s.patient)).await.unwrap();
    let now = app::server::db::now_ms();
    let day = app::domain::case::DRAFT_REMINDER_AFTER_MS;
    sqlx::query("UPDATE review_cases SET updated_at = $1 WHERE id = $2")
        .bind(now - day - 1000)
        .bind(&draft)
        .execute(t.db.pool())
        .await
        .unwrap();
    assert_eq!(reminders::send_draft_waiting(&t.db, now).await.unwrap(), 1);
    assert_eq!(
        reminders::send_draft_waiting(&t.db, now + day + 1).await.unwrap(),
        1,
        "the other draft, a day later"
    );
    assert_eq!(
        reminders::send_draft_waiting(&t.db, now + 3 * day).await.unwrap(),
        0,
        "once per case"
    );
    assert_eq!(s.notified(&s.patient, TimelineLabel::DraftWaiting).await, 2);
    assert_eq!(s.rows("case_timeline", &draft).await, 0);
    // A reminded draft can still be deleted.
    cases::delete_draft(&t.db, &s.storage, &as_(&s.patient), &fresh, 1)
        .await
        .unwrap();
});

on_both_backends!(dashboards_say_what_each_person_has_to_do_next, |t| {
    let s = Scenario::staffed(&t).await;
    let id = s.case().under_review().await;
    let attention = |list: &[app::model::CaseSummary]| {
        list.iter()
            .find(|c| c.id == id)
            .and_then(|c| c.attention)
            .map(|a| app::lang::labels::attention(app::lang::Locale::en, a))
            .unwrap_or_default()
    };
    let coordinator = case_view::clinician_cases(&t.db, &as_(&s.coordinators[0]))
        .await
        .unwrap();
    assert_eq!(attention(&coordinator.coordinating), "Waiting for 2 opinions");
    let a = case_view::clinician_cases(&t.db, &as_(&s.specialists[0]))
        .await
        .unwrap();
    assert_eq!(attention(&a.reviewing), "Your opinion is due");
    review::request_documents(&t.db, &as_(&s.specialists[0]), &id, "", &["ECG".into()])
        .await
        .unwrap();
    assert_eq!(
        attention(&case_view::my_cases(&t.db, &as_(&s.patient)).await.unwrap()),
        "Your specialists asked for documents"
    );
    s.submit_opinion(&s.specialists[0], &id, "a").await;
    s.submit_opinion(&s.specialists[1], &id, "b").await;
    let a = case_view::clinician_cases(&t.db, &as_(&s.specialists[0]))
        .await
        .unwrap();
    assert_eq!(attention(&a.reviewing), "Your opinion is in");
    let coordinator = case_view::clinician_cases(&t.db, &as_(&s.coordinators[0]))
        .await
        .unwrap();
    assert_eq!(
        attention(&coordinator.coordinating),
        "Waiting for the patient's documents"
    );
    let item = case_view::view(&t.db, &as_(&s.patient), &id)
        .await
        .unwrap()
        .requests[0]
        .items[0]
        .id
        .clone();
    s.upload_requested(&s.patient, &id, &item).await.unwrap();
    let coordinator = case_view::clinician_cases(&t.db, &as_(&s.coordinators[0]))
        .await
        .unwrap();
    assert_eq!(attention(&coordinator.coordinating), "Ready for your summary");
});

// Quality A3: doctors receive no payment data, neither on the timeline nor in notifications;
// the patient and the coordinator still read every payment entry.
on_both_backends!(specialists_see_no_payment_entries_or_refund_details, |t| {
    let s = Scenario::staffed(&t).await;
    let id = s.case().under_review().await;
    let money = |entries: &[app::model::TimelineEntry]| {
        entries
            .iter()
            .filter(|e| {
                e.label.audience() == app::domain::case::Audience::Payment
                    || e.detail.contains("EUR")
                    || e.detail.contains("INV-")
            })
            .count()
    };
    let specialist = case_view::view(&t.db, &as_(&s.specialists[0]), &id)
        .await
        .unwrap();
    assert_eq!(money(&specialist.timeline), 0, "{:?}", specialist.timeline);
    assert!(specialist.payment.is_none());
    let coordinator = case_view::view(&t.db, &as_(&s.coordinators[0]), &id)
        .await
        .unwrap();
    assert!(money(&coordinator.timeline) >= 2, "{:?}", coordinator.timeline);
    let patient = case_view::view(&t.db, &as_(&s.patient), &id).await.unwrap();
    assert!(money(&patient.timeline) >= 2);

    // The patient cancels: the refund is told to the patient and the coordinator only.
    let v = s.version(&id).await;
    close(
        &t,
        &as_(&s.patient),
        &id,
        v,
        app::domain::CaseAction::Cancel,
        "Moved abroad",
    )
    .await
    .unwrap();
    for specialist in &s.specialists[..2] {
        let told = s.notices_on(&id, specialist, TimelineLabel::CaseCancelled).await;
        assert_eq!(told, ["Moved abroad"]);
    }
    let [body] = &s
        .notices_on(&id, &s.coordinators[0], TimelineLabel::CaseCancelled)
        .await[..]
    else {
        panic!("the coordinator is told once")
    };
    assert!(body.contains("Refund of EUR 450.00"), "{body}");
    let after = case_view::view(&t.db, &as_(&s.specialists[0]), &id)
        .await
        .unwrap();
    assert_eq!(money(&after.timeline), 0, "{:?}", after.timeline);
    assert_eq!(after.timeline.last().unwrap().label, TimelineLabel::CaseCancelled);
});

on_both_backends!(
    the_final_summary_waits_for_every_opinion_and_names_whose_is_missing,
    |t| {
        let s = Scenario::staffed(&t).await;
        let id = s.case().under_review().await;
        s.submit_opinion(&s.specialists[0], &id, "in").await;
        let v = s.version(&id).await;
        let err = review::submit_final_summary(&t.db, &s.storage, &as_(&s.coordinators[0]), &id, v, "Done")
            .await
            .unwrap_err();
        let AppError::Conflict(message) = &err else {
            panic!("expected a conflict, got {err:?}");
        };
        assert!(message.contains("Still waiting for"), "{message}");
        assert!(message.contains(&s.specialists[1].name), "{message}");
        assert!(!message.contains(&s.specialists[0].name), "{message}");
        assert_eq!(s.status(&id).await, CaseStatus::DoctorsAssigned);
        assert_eq!(s.version(&id).await, v, "a refused summary changes nothing");
    }
);
