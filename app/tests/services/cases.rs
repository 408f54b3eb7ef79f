use crate::on_both_backends;
use crate::support::scenario::close;
use crate::support::{draft_of, user, winners, Scenario, TestDb};
use app::domain::audit::Outcome;
use app::domain::{CaseAction, CaseStatus, Role};
use app::error::AppError;
use app::model::CaseId;
use app::model::{CaseSummary, Page, QueueQuery};
use app::server::db::cases as case_rows;
use app::server::services::case_view;
use app::server::services::{cases, Person};
use std::sync::Arc;

/// A new patient's first draft, and the patient as the person acting on it.
async fn anas_draft(t: &TestDb) -> (Person, CaseId) {
    let ana = user(&t.db, Role::Patient, "ana@example.com").await;
    draft_of(&t.db, &ana).await
}

on_both_backends!(a_patient_opens_a_draft_and_sees_it, |t| {
    let (caller, id) = anas_draft(&t).await;
    let mine = case_view::my_cases(&t.db, &caller).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].id, id);
    assert_eq!(mine[0].status, CaseStatus::Draft);
    assert!(mine[0].reference.starts_with("C-"));
    let view = case_view::view(&t.db, &caller, &id).await.unwrap();
    assert!(view.actions.contains(&CaseAction::Cancel));
    assert!(view.actions.contains(&CaseAction::Submit));
});

on_both_backends!(another_patient_gets_the_same_answer_as_for_a_missing_case, |t| {
    let ana = user(&t.db, Role::Patient, "ana@example.com").await;
    let bob = user(&t.db, Role::Patient, "bob@example.com").await;
    let doc = user(&t.db, Role::Clinician, "doc@example.com").await;
    let id = cases::create_draft(&t.db, &Person::new(&ana, "")).await.unwrap();
    for outsider in [&bob, &doc] {
        let caller = Person::new(outsider, "");
        let hidden = case_view::view(&t.db, &caller, &id).await.unwrap_err();
        let missing = case_view::view(&t.db, &caller, &CaseId::from("no-such-case"))
            .await
            .unwrap_err();
        assert_eq!(hidden, AppError::NotFound);
        assert_eq!(hidden, missing);
        let cancel = close(&t, &caller, &id, 1, CaseAction::Cancel, "mine now")
            .await
            .unwrap_err();
        assert_eq!(cancel, AppError::NotFound);
    }
    assert_eq!(t.audited(CaseAction::Cancel, Outcome::Denied).await, 2);
});

on_both_backends!(a_visible_case_acted_on_by_the_wrong_role_is_forbidden, |t| {
    let ana = user(&t.db, Role::Patient, "ana@example.com").await;
    let id = cases::create_draft(&t.db, &Person::new(&ana, "")).await.unwrap();
    let err = close(&t, &Person::new(&ana, ""), &id, 1, CaseAction::Reject, "no")
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Forbidden(_)), "{err:?}");
    assert_eq!(err.status(), 403);
});

on_both_backends!(cancelling_needs_a_reason_and_a_bad_request_changes_nothing, |t| {
    let (caller, id) = anas_draft(&t).await;
    let err = close(&t, &caller, &id, 1, CaseAction::Cancel, "   ")
        .await
        .unwrap_err();
    assert!(err.field("reason").is_some());
    let row = case_rows::find(t.db.pool(), &id).await.unwrap().unwrap();
    assert_eq!((row.status, row.version), (CaseStatus::Draft, 1));
    assert!(case_view::view(&t.db, &caller, &id)
        .await
        .unwrap()
        .timeline
        .is_empty());
});

on_both_backends!(cancelling_records_status_timeline_audit_and_who_closed_it, |t| {
    let ana = user(&t.db, Role::Patient, "ana@example.com").await;
    let caller = Person::new(&ana, "192.0.2.7");
    let id = cases::create_draft(&t.db, &caller).await.unwrap();
    close(&t, &caller, &id, 1, CaseAction::Cancel, "I found a clinic nearby")
        .await
        .unwrap();
    let view = case_view::view(&t.db, &caller, &id).await.unwrap();
    assert_eq!(view.summary.status, CaseStatus::Cancelled);
    assert_eq!(view.summary.version, 2);
    assert_eq!(view.timeline.len(), 1);
    assert_eq!(view.timeline[0].detail, "I found a clinic nearby");
    assert!(view.actions.is_empty(), "a cancelled case allows nothing");
    let closed_by: Option<String> = t
        .scalar_for("SELECT closed_by FROM review_cases WHERE id = $1", &id)
        .await;
    assert_eq!(closed_by.as_deref(), Some(ana.id.as_str()));
    assert_eq!(t.audited(CaseAction::Cancel, Outcome::Ok).await, 1);
    let again = close(&t, &caller, &id, 2, CaseAction::Cancel, "again")
        .await
        .unwrap_err();
    assert!(matches!(again, AppError::Conflict(_)), "{again:?}");
});

on_both_backends!(a_stale_version_is_a_conflict_and_changes_nothing, |t| {
    let (caller, id) = anas_draft(&t).await;
    let err = close(&t, &caller, &id, 7, CaseAction::Cancel, "why")
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Conflict(_)));
    assert_eq!(
        case_rows::find(t.db.pool(), &id).await.unwrap().unwrap().status,
        CaseStatus::Draft
    );
});

on_both_backends!(racing_closers_end_in_exactly_one_transition, |t| {
    let ana = user(&t.db, Role::Patient, "ana@example.com").await;
    let id = cases::create_draft(&t.db, &Person::new(&ana, "")).await.unwrap();
    let db = Arc::new(t.db.clone());
    let mut racers = Vec::new();
    // The owner closes the same draft at version 1 eight times at once (from eight tabs; a
    // draft is hers alone, so nobody else may close it).
    for actor in std::iter::repeat_n(ana.clone(), 8) {
        let (db, id, provider) = (db.clone(), id.clone(), t.config.payments.clone());
        racers.push(tokio::spawn(async move {
            cases::close(
                &db,
                &provider,
                &Person::new(&actor, ""),
                &id,
                1,
                CaseAction::Cancel,
                "race",
            )
            .await
        }));
    }
    assert_eq!(winners(racers).await, 1);
    let timeline: i64 = t
        .scalar_for("SELECT COUNT(*) FROM case_timeline WHERE case_id = $1", &id)
        .await;
    assert_eq!(timeline, 1);
    let row = case_rows::find(t.db.pool(), &id).await.unwrap().unwrap();
    assert_eq!((row.status.as_str(), row.version), ("cancelled", 2));
});

on_both_backends!(the_admin_queue_filters_searches_and_pages, |t| {
    let ana = user(&t.db, Role::Patient, "ana@example.com").await;
    let bob = user(&t.db, Role::Patient, "bob@example.com").await;
    let mut ids = Vec::new();
    for _ in 0..23 {
        let id = cases::create_draft(&t.db, &Person::new(&ana, "")).await.unwrap();
        // Submitted as far as the queue is concerned: drafts are the patient's own and stay out
        // of it (and a patient holds only a few drafts at once).
        sqlx::query("UPDATE review_cases SET status = 'submitted' WHERE id = $1")
            .bind(&id)
            .execute(t.db.pool())
            .await
            .unwrap();
        ids.push(id);
    }
    let unsubmitted = cases::create_draft(&t.db, &Person::new(&ana, "")).await.unwrap();
    let bobs = cases::create_draft(&t.db, &Person::new(&bob, "")).await.unwrap();
    close(&t, &Person::new(&bob, ""), &bobs, 1, CaseAction::Cancel, "x")
        .await
        .unwrap();
    let search = |text: &str| QueueQuery {
        search: text.into(),
        ..Default::default()
    };
    let first = queue_page(&t, QueueQuery::default(), 1).await;
    assert_eq!((first.items.len(), first.total, first.page_count()), (20, 24, 2));
    assert!(
        first.items.iter().all(|c| c.id != unsubmitted),
        "a draft is not in the queue"
    );
    let second = queue_page(&t, QueueQuery::default(), 2).await;
    assert_eq!(second.items.len(), 4);
    let cancelled = QueueQuery {
        status: "cancelled".into(),
        ..Default::default()
    };
    let page = queue_page(&t, cancelled, 1).await;
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].id, bobs);
    assert_eq!(queue_page(&t, search("BOB"), 1).await.total, 1);
    let reference = case_view::view(&t.db, &Person::new(&ana, ""), &ids[3])
        .await
        .unwrap()
        .summary
        .reference;
    let found = queue_page(&t, search(&reference.to_lowercase()), 1).await;
    assert_eq!((found.total, found.items[0].id.as_str()), (1, ids[3].as_str()));
    let literal = queue_page(&t, search("%"), 1).await;
    assert_eq!(literal.total, 0, "% is matched literally");
});

// A patient holds at most a few drafts at once; the next one is refused with the reason, and
// nothing is written. Submitting or deleting one makes room again.
on_both_backends!(a_patient_holds_a_limited_number_of_open_drafts, |t| {
    let ana = user(&t.db, Role::Patient, "ana@example.com").await;
    let caller = Person::new(&ana, "");
    let mut drafts = Vec::new();
    for _ in 0..app::domain::intake::MAX_OPEN_DRAFTS {
        drafts.push(cases::create_draft(&t.db, &caller).await.unwrap());
    }
    let refused = cases::create_draft(&t.db, &caller).await.unwrap_err();
    assert!(
        matches!(&refused, AppError::Conflict(m) if m.contains("unfinished drafts")),
        "{refused:?}"
    );
    let count: i64 = t
        .scalar_for("SELECT COUNT(*) FROM review_cases WHERE patient_id = $1", &ana.id)
        .await;
    assert_eq!(count, app::domain::intake::MAX_OPEN_DRAFTS);
    let storage = t.storage.clone();
    cases::delete_draft(&t.db, &storage, &caller, &drafts[0], 1)
        .await
        .unwrap();
    cases::create_draft(&t.db, &caller).await.unwrap();
});

on_both_backends!(the_admin_queue_filters_by_medical_area_and_review_type, |t| {
    let w = Scenario::new(&t).await;
    let first = w.case().submitted().await;
    let second = w.case().submitted().await;
    // The second case moves to another area and another type of review.
    let (other_type, other_area) = w.another_type_and_area().await;
    sqlx::query("UPDATE review_cases SET category_id = $1, review_type_id = $2 WHERE id = $3")
        .bind(&other_area)
        .bind(&other_type)
        .bind(&second)
        .execute(t.db.pool())
        .await
        .unwrap();
    let found = |query: QueueQuery| async {
        let page = queue_page(&t, query, 1).await;
        page.items.into_iter().map(|c| c.id).collect::<Vec<_>>()
    };
    let by_area = QueueQuery {
        category_id: w.category.clone(),
        ..QueueQuery::default()
    };
    assert_eq!(found(by_area).await, vec![first.clone()]);
    let by_type = QueueQuery {
        review_type_id: other_type.clone(),
        ..QueueQuery::default()
    };
    assert_eq!(found(by_type).await, vec![second.clone()]);
    let both = QueueQuery {
        category_id: w.category.clone(),
        review_type_id: other_type,
        ..QueueQuery::default()
    };
    assert!(found(both).await.is_empty(), "filters combine");
    assert_eq!(found(QueueQuery::default()).await.len(), 2);
});

/// One page of the admin queue for a query.
async fn queue_page(t: &TestDb, query: QueueQuery, page: u32) -> Page<CaseSummary> {
    case_view::queue(&t.db, &QueueQuery { page, ..query })
        .await
        .unwrap()
}
