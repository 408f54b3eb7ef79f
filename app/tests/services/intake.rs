use crate::on_both_backends;
use crate::support::{draft_of, Scenario};
use app::domain::document::samples;
use app::domain::intake::DraftInput;
use app::domain::{CaseStatus, TimelineLabel};
use app::error::AppError;
use app::model::FormIntent;
use app::server::db::catalog::CatalogKind;
use app::server::services::case_view;
use app::server::services::catalog;
use app::server::services::{cases, Person};

on_both_backends!(a_draft_saves_incomplete_and_resumes_where_it_was_left, |t| {
    let w = Scenario::new(&t).await;
    let (caller, id) = draft_of(&t.db, &w.patient).await;
    let partial = DraftInput {
        medical_history: "Palpitations".into(),
        patient_age: "41".into(),
        ..Default::default()
    };
    cases::save(&t.db, &caller, &id, 1, FormIntent::Save, &partial)
        .await
        .unwrap();
    let view = case_view::view(&t.db, &caller, &id).await.unwrap();
    assert_eq!(view.summary.status, CaseStatus::Draft);
    assert_eq!(view.summary.version, 2);
    assert_eq!(view.details.as_input(), partial);
    assert!(view.timeline.is_empty(), "saving a draft is not a timeline event");
});

on_both_backends!(
    submitting_an_incomplete_case_names_every_gap_and_changes_nothing,
    |t| {
        let w = Scenario::new(&t).await;
        let (caller, id) = draft_of(&t.db, &w.patient).await;
        let err = cases::save(&t.db, &caller, &id, 1, FormIntent::Submit, &DraftInput::default())
            .await
            .unwrap_err();
        for field in [
            "review_type_id",
            "category_id",
            "medical_history",
            "questions",
            "documents",
        ] {
            assert!(err.field(field).is_some(), "{field}: {err:?}");
        }
        let err = cases::save(&t.db, &caller, &id, 1, FormIntent::Submit, &w.complete_form())
            .await
            .unwrap_err();
        assert_eq!(
            err.field("documents").as_deref(),
            Some("Upload at least one medical document.")
        );
        let view = case_view::view(&t.db, &caller, &id).await.unwrap();
        assert_eq!(
            (view.summary.status, view.summary.version),
            (CaseStatus::Draft, 1)
        );
        assert_eq!(view.details.medical_history, "", "a refused submit saves nothing");
    }
);

on_both_backends!(a_complete_case_is_submitted_with_its_timeline_entry, |t| {
    let w = Scenario::new(&t).await;
    let id = w.case().submitted().await;
    let view = case_view::view(&t.db, &Person::new(&w.admin, ""), &id)
        .await
        .unwrap();
    assert_eq!(view.summary.status, CaseStatus::Submitted);
    assert_eq!(view.summary.review_type.as_deref(), Some("Standard"));
    assert_eq!(view.summary.category.as_deref(), Some("Cardiology"));
    assert!(view.details.submitted_at.is_some());
    let labels: Vec<_> = view.timeline.iter().map(|e| e.label).collect();
    assert_eq!(labels, [TimelineLabel::CaseSubmitted]);
    assert_eq!(view.timeline[0].actor_name.as_deref(), Some("ana"));
    assert_eq!(view.documents.len(), 1);
    // Once submitted, the patient can no longer edit it, nor change its documents.
    let caller = Person::new(&w.patient, "");
    let err = cases::save(&t.db, &caller, &id, 2, FormIntent::Save, &w.complete_form())
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Conflict(_)), "{err:?}");
    let err = w
        .upload(&w.patient, &id, "late.pdf", samples::pdf())
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Conflict(_)), "{err:?}");
});

on_both_backends!(
    a_deactivated_review_type_cannot_be_chosen_but_cases_using_it_keep_it,
    |t| {
        let w = Scenario::new(&t).await;
        let id = w.case().submitted().await;
        let admin = Person::new(&w.admin, "");
        catalog::set_active(&t.db, &admin, CatalogKind::ReviewType, &w.review_type, false)
            .await
            .unwrap();
        let patient = Person::new(&w.patient, "");
        assert!(catalog::catalog(&t.db, &patient)
            .await
            .unwrap()
            .review_types
            .is_empty());
        let draft = cases::create_draft(&t.db, &patient).await.unwrap();
        let err = cases::save(&t.db, &patient, &draft, 1, FormIntent::Save, &w.complete_form())
            .await
            .unwrap_err();
        assert!(err.field("review_type_id").is_some());
        let kept = case_view::view(&t.db, &admin, &id).await.unwrap();
        assert_eq!(kept.summary.review_type.as_deref(), Some("Standard"));
    }
);

crate::on_every_store!(deleting_a_draft_removes_it_with_its_documents_and_files, |t| {
    let w = Scenario::new(&t).await;
    let caller = Person::new(&w.patient, "");
    let (id, doc) = w.draft_with_scan().await;
    let key = w.storage_key(&doc.id).await;
    assert!(w.storage.read_raw(&key).await.unwrap().is_some());
    cases::delete_draft(&t.db, &w.storage, &caller, &id, 1)
        .await
        .unwrap();
    assert_eq!(
        case_view::view(&t.db, &caller, &id).await.err(),
        Some(AppError::NotFound)
    );
    assert_eq!(w.storage.read_raw(&key).await.unwrap(), None);
    let submitted = w.case().submitted().await;
    let err = cases::delete_draft(&t.db, &w.storage, &caller, &submitted, 2)
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Conflict(_)));
});
