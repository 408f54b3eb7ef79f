use crate::on_both_backends;
use crate::support::{user, TestDb};
use app::domain::document::samples;
use app::domain::intake::DraftInput;
use app::domain::{CaseStatus, Role, TimelineLabel};
use app::error::AppError;
use app::model::CurrentUser;
use app::server::db::catalog::CatalogKind;
use app::server::services::case_view;
use app::server::services::catalog::{self, CategoryInput, ReviewTypeInput};
use app::server::services::{cases, documents, Person};
use app::server::storage::Storage;

pub struct World {
    pub admin: CurrentUser,
    pub patient: CurrentUser,
    pub review_type: String,
    pub category: String,
    pub storage: Storage,
}

/// An admin, a patient, one review type and one category.
pub async fn world(t: &TestDb) -> World {
    let admin = user(&t.db, Role::Admin, "admin@example.com").await;
    let patient = user(&t.db, Role::Patient, "ana@example.com").await;
    let caller = Person::new(&admin, "");
    let rt = ReviewTypeInput {
        name: "Standard".into(),
        description: "Two specialists".into(),
        price: "450".into(),
        currency: "EUR".into(),
        expected_days: "10".into(),
    };
    let review_type = catalog::save_review_type(&t.db, &caller, None, rt).await.unwrap();
    let category = catalog::save_category(
        &t.db,
        &caller,
        None,
        CategoryInput {
            name: "Cardiology".into(),
            specialists: vec![],
            coordinators: vec![],
        },
    )
    .await
    .unwrap();
    World {
        admin,
        patient,
        review_type,
        category,
        storage: Storage::local(t.config.data_dir.join("documents")),
    }
}

pub fn complete_form(w: &World) -> DraftInput {
    DraftInput {
        review_type_id: w.review_type.clone(),
        category_id: w.category.clone(),
        patient_age: "54".into(),
        patient_sex: "female".into(),
        medical_history: "Chest pain on exertion since March; stress test abnormal.".into(),
        current_treatment: "Bisoprolol 5 mg".into(),
        questions: "Is a bypass needed?\nAre stents an option?".into(),
    }
}

pub async fn upload(
    t: &TestDb,
    w: &World,
    who: &CurrentUser,
    case_id: &str,
    name: &str,
    bytes: Vec<u8>,
) -> Result<app::model::DocumentInfo, AppError> {
    let body = futures_util::stream::iter(vec![Ok::<_, std::io::Error>(bytes::Bytes::from(bytes))]);
    let up = documents::Upload {
        case_id,
        name,
        replaces: None,
        declared_len: None,
        request_item: None,
    };
    documents::upload(&t.db, &w.storage, &Person::new(who, ""), up, body).await
}

/// Where a document's bytes are stored (its generated key).
pub async fn storage_key(t: &TestDb, document_id: &str) -> String {
    sqlx::query_scalar("SELECT storage_key FROM documents WHERE id = $1")
        .bind(document_id)
        .fetch_one(t.db.pool())
        .await
        .unwrap()
}

/// A submitted case with one document.
pub async fn submitted_case(t: &TestDb, w: &World) -> String {
    let caller = Person::new(&w.patient, "");
    let id = cases::create_draft(&t.db, &caller).await.unwrap();
    upload(t, w, &w.patient, &id, "scan.pdf", samples::pdf())
        .await
        .unwrap();
    cases::submit(&t.db, &caller, &id, 1, &complete_form(w))
        .await
        .unwrap();
    id
}

on_both_backends!(a_draft_saves_incomplete_and_resumes_where_it_was_left, |t| {
    let w = world(&t).await;
    let caller = Person::new(&w.patient, "");
    let id = cases::create_draft(&t.db, &caller).await.unwrap();
    let partial = DraftInput {
        medical_history: "Palpitations".into(),
        patient_age: "41".into(),
        ..Default::default()
    };
    cases::save_draft(&t.db, &caller, &id, 1, &partial).await.unwrap();
    let view = case_view::view(&t.db, &caller, &id).await.unwrap();
    assert_eq!(view.summary.status, CaseStatus::Draft);
    assert_eq!(view.summary.version, 2);
    assert_eq!(view.details.as_input(), partial);
    assert!(view.timeline.is_empty(), "saving a draft is not a timeline event");
});

on_both_backends!(
    submitting_an_incomplete_case_names_every_gap_and_changes_nothing,
    |t| {
        let w = world(&t).await;
        let caller = Person::new(&w.patient, "");
        let id = cases::create_draft(&t.db, &caller).await.unwrap();
        let err = cases::submit(&t.db, &caller, &id, 1, &DraftInput::default())
            .await
            .err()
            .unwrap();
        for field in [
            "review_type_id",
            "category_id",
            "medical_history",
            "questions",
            "documents",
        ] {
            assert!(err.field(field).is_some(), "{field}: {err:?}");
        }
        let err = cases::submit(&t.db, &caller, &id, 1, &complete_form(&w))
            .await
            .err()
            .unwrap();
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
    let w = world(&t).await;
    let id = submitted_case(&t, &w).await;
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
    let err = cases::save_draft(&t.db, &caller, &id, 2, &complete_form(&w))
        .await
        .err()
        .unwrap();
    assert!(matches!(err, AppError::Conflict(_)), "{err:?}");
    let err = upload(&t, &w, &w.patient, &id, "late.pdf", samples::pdf())
        .await
        .err()
        .unwrap();
    assert!(matches!(err, AppError::Conflict(_)), "{err:?}");
});

on_both_backends!(
    a_deactivated_review_type_cannot_be_chosen_but_cases_using_it_keep_it,
    |t| {
        let w = world(&t).await;
        let id = submitted_case(&t, &w).await;
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
        let err = cases::save_draft(&t.db, &patient, &draft, 1, &complete_form(&w))
            .await
            .err()
            .unwrap();
        assert!(err.field("review_type_id").is_some());
        let kept = case_view::view(&t.db, &admin, &id).await.unwrap();
        assert_eq!(kept.summary.review_type.as_deref(), Some("Standard"));
    }
);

on_both_backends!(deleting_a_draft_removes_it_with_its_documents_and_files, |t| {
    let w = world(&t).await;
    let caller = Person::new(&w.patient, "");
    let id = cases::create_draft(&t.db, &caller).await.unwrap();
    let doc = upload(&t, &w, &w.patient, &id, "scan.pdf", samples::pdf())
        .await
        .unwrap();
    let key = storage_key(&t, &doc.id).await;
    assert!(w.storage.local_path_of(&key).exists());
    cases::delete_draft(&t.db, &w.storage, &caller, &id, 1)
        .await
        .unwrap();
    assert_eq!(
        case_view::view(&t.db, &caller, &id).await.err(),
        Some(AppError::NotFound)
    );
    assert!(!w.storage.local_path_of(&key).exists());
    let submitted = submitted_case(&t, &w).await;
    let err = cases::delete_draft(&t.db, &w.storage, &caller, &submitted, 2)
        .await
        .err()
        .unwrap();
    assert!(matches!(err, AppError::Conflict(_)));
});
