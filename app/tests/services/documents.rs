use crate::on_every_store;
use crate::support::{draft_of, user, Scenario, TestDb};
use app::domain::audit::Outcome;
use app::domain::audit::UseCase;
use app::domain::document::{samples, MAX_FILES_PER_CASE};
use app::domain::{MediaType, Role};
use app::error::AppError;
use app::server::services::case_view;
use app::server::services::{cases, documents, Person};

on_every_store!(
    documents_are_stored_under_generated_keys_with_their_checksum,
    |t| {
        let w = Scenario::new(&t).await;
        let (_, id) = draft_of(&t.db, &w.patient).await;
        let doc = w
            .upload(&w.patient, &id, "../../etc/passwd", samples::png())
            .await
            .unwrap();
        assert_eq!((doc.name.as_str(), doc.media_type), ("passwd", MediaType::Png));
        let (key, sha): (String, String) =
            sqlx::query_as("SELECT storage_key, sha256 FROM documents WHERE id = $1")
                .bind(&doc.id)
                .fetch_one(t.db.pool())
                .await
                .unwrap();
        assert!(key.chars().all(|c| c.is_ascii_hexdigit()), "{key}");
        assert_eq!(w.storage.read_raw(&key).await.unwrap(), Some(samples::png()));
        assert_eq!(sha.len(), 64);
        // Nothing was written anywhere near the traversal target.
        assert!(!t.config.data_dir.join("etc").exists());
    }
);

on_every_store!(hostile_files_are_refused_and_leave_nothing_behind, |t| {
    let w = Scenario::new(&t).await;
    let (_, id) = draft_of(&t.db, &w.patient).await;
    for (what, bytes, unsupported) in samples::hostile() {
        let err = w
            .upload(&w.patient, &id, "innocent.pdf", bytes)
            .await
            .unwrap_err();
        let status = err.status().as_u16();
        assert_eq!(status, if unsupported { 415 } else { 422 }, "{what}: {err:?}");
    }
    assert_nothing_stored(&t).await;
});

// Quality F2: files that borrow a PDF's or a HEIC image's first bytes and end marker (an HTML
// page, an executable, a ZIP body) are refused after the full structure check, with nothing
// stored; real ones of both types still go in, under names whose bidi overrides are gone.
on_every_store!(files_that_only_look_like_a_pdf_or_heic_are_refused, |t| {
    let w = Scenario::new(&t).await;
    let (_, id) = draft_of(&t.db, &w.patient).await;
    for (what, bytes) in samples::structurally_hostile() {
        let err = w
            .upload(&w.patient, &id, "lab-results.html", bytes)
            .await
            .err()
            .unwrap_or_else(|| panic!("{what} was stored"));
        assert_eq!(err.status().as_u16(), 422, "{what}: {err:?}");
    }
    assert_nothing_stored(&t).await;
    let heic = w
        .upload(&w.patient, &id, "IMG_0001.HEIC", samples::heic())
        .await
        .unwrap();
    assert_eq!(heic.media_type, MediaType::Heic);
    let pdf = w
        .upload(&w.patient, &id, "scan\u{202E}fdp.exe", samples::pdf())
        .await
        .unwrap();
    assert_eq!(pdf.media_type, MediaType::Pdf);
    assert_eq!(pdf.name, "scanfdp.exe");
    assert_eq!(
        app::domain::document::download_name(&pdf.name, pdf.media_type),
        "scanfdp.pdf"
    );
});

/// No document row, no stored file and nothing left in a spool.
async fn assert_nothing_stored(t: &TestDb) {
    let count: i64 = t.scalar("SELECT COUNT(*) FROM documents").await;
    let stored = t.storage.list().await.unwrap();
    let spooled: Vec<_> = walk(&t.config.data_dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "part"))
        .collect();
    assert_eq!(
        (count, stored, spooled),
        (0, vec![], Vec::<std::path::PathBuf>::new()),
        "nothing is left behind"
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return vec![];
    };
    entries
        .flatten()
        .flat_map(|e| {
            if e.path().is_dir() {
                walk(&e.path())
            } else {
                vec![e.path()]
            }
        })
        .collect()
}

on_every_store!(a_flipped_byte_in_storage_is_detected_and_never_served, |t| {
    let w = Scenario::new(&t).await;
    let caller = Person::new(&w.patient, "");
    let (_, doc) = w.draft_with_scan().await;
    assert!(documents::open(&t.db, &w.storage, &caller, &doc.id).await.is_ok());
    let key = w.storage_key(&doc.id).await;
    let mut bytes = w.storage.read_raw(&key).await.unwrap().unwrap();
    bytes[12] ^= 0x01;
    w.storage.write_raw(&key, bytes).await.unwrap();
    let err = documents::open(&t.db, &w.storage, &caller, &doc.id)
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Internal { .. }), "{err:?}");
    assert_eq!(
        t.audited(UseCase::ReadDocument, Outcome::IntegrityFailure).await,
        1
    );
    assert_eq!(t.audited(UseCase::ReadDocument, Outcome::Ok).await, 1);
});

on_every_store!(another_patients_document_answers_like_a_missing_one, |t| {
    let w = Scenario::new(&t).await;
    let bob = user(&t.db, Role::Patient, "bob@example.com").await;
    let doc_user = user(&t.db, Role::Clinician, "doc@example.com").await;
    let (id, doc) = w.draft_with_scan().await;
    for outsider in [&bob, &doc_user] {
        let caller = Person::new(outsider, "");
        let hidden = documents::open(&t.db, &w.storage, &caller, &doc.id)
            .await
            .unwrap_err();
        let missing = documents::open(&t.db, &w.storage, &caller, "no-such-document")
            .await
            .unwrap_err();
        assert_eq!(hidden, AppError::NotFound);
        assert_eq!(hidden, missing);
        let upload_err = w
            .upload(outsider, &id, "x.pdf", samples::pdf())
            .await
            .unwrap_err();
        assert_eq!(upload_err, AppError::NotFound);
        let remove = documents::remove(&t.db, &w.storage, &caller, &doc.id)
            .await
            .unwrap_err();
        assert_eq!(remove, AppError::NotFound);
    }
    // A draft is the patient's own: not even an admin reads it, and the answer is the one for
    // a missing document. Once submitted, the admin may read it; every read is audited.
    let admin = Person::new(&w.admin, "");
    let draft = documents::open(&t.db, &w.storage, &admin, &doc.id)
        .await
        .unwrap_err();
    assert_eq!(draft, AppError::NotFound);
    assert_eq!(
        case_view::view(&t.db, &admin, &id).await.err(),
        Some(AppError::NotFound)
    );
    let submitted = w.case().submitted().await;
    let submitted_doc: String = t
        .scalar_for("SELECT id FROM documents WHERE case_id = $1", &submitted)
        .await;
    assert!(documents::open(&t.db, &w.storage, &admin, &submitted_doc)
        .await
        .is_ok());
    assert!(case_view::view(&t.db, &admin, &submitted).await.is_ok());
    assert_eq!(t.audited(UseCase::ReadDocument, Outcome::Denied).await, 5);
});

on_every_store!(
    a_case_holds_a_limited_number_of_files_and_a_draft_can_replace_them,
    |t| {
        let w = Scenario::new(&t).await;
        let (caller, id) = draft_of(&t.db, &w.patient).await;
        let mut first = None;
        for n in 0..MAX_FILES_PER_CASE {
            let doc = w
                .upload(&w.patient, &id, &format!("scan-{n}.jpg"), samples::jpeg())
                .await
                .unwrap();
            first.get_or_insert(doc);
        }
        let err = w
            .upload(&w.patient, &id, "one-more.jpg", samples::jpeg())
            .await
            .unwrap_err();
        assert!(err.field("file").is_some(), "{err:?}");
        let first = first.unwrap();
        let body =
            futures_util::stream::iter(vec![Ok::<_, std::io::Error>(bytes::Bytes::from(samples::webp()))]);
        let replace = documents::Upload {
            case_id: &id,
            name: "better.webp",
            replaces: Some(&first.id),
            declared_len: None,
            request_item: None,
        };
        let new = documents::upload(&t.db, &w.storage, &caller, replace, body)
            .await
            .unwrap();
        let view = case_view::view(&t.db, &caller, &id).await.unwrap();
        assert_eq!(view.documents.len(), MAX_FILES_PER_CASE as usize);
        assert!(view.documents.iter().any(|d| d.id == new.id));
        assert!(!view.documents.iter().any(|d| d.id == first.id));
        documents::remove(&t.db, &w.storage, &caller, &new.id)
            .await
            .unwrap();
        assert_eq!(
            case_view::view(&t.db, &caller, &id)
                .await
                .unwrap()
                .documents
                .len(),
            MAX_FILES_PER_CASE as usize - 1
        );
    }
);

on_every_store!(a_file_over_the_limit_is_refused_while_streaming, |t| {
    let w = Scenario::new(&t).await;
    let (caller, id) = draft_of(&t.db, &w.patient).await;
    // 30 chunks of 1 MiB, produced lazily: the file never exists in memory as a whole.
    let chunks = (0..30).map(|i| {
        let mut chunk = vec![0x20u8; 1024 * 1024];
        if i == 0 {
            chunk[..5].copy_from_slice(b"%PDF-");
        }
        Ok::<_, std::io::Error>(bytes::Bytes::from(chunk))
    });
    let up = documents::Upload {
        case_id: &id,
        name: "huge.pdf",
        replaces: None,
        declared_len: None,
        request_item: None,
    };
    let err = documents::upload(&t.db, &w.storage, &caller, up, futures_util::stream::iter(chunks))
        .await
        .unwrap_err();
    assert_eq!(err.status().as_u16(), 413, "{err:?}");
    let declared = documents::Upload {
        case_id: &id,
        name: "huge.pdf",
        replaces: None,
        declared_len: Some(100 << 20),
        request_item: None,
    };
    let empty = futures_util::stream::iter(Vec::<Result<bytes::Bytes, std::io::Error>>::new());
    let err = documents::upload(&t.db, &w.storage, &caller, declared, empty)
        .await
        .unwrap_err();
    assert_eq!(err.status().as_u16(), 413);
});

// All of one patient's cases together hold at most MAX_PATIENT_BYTES: with the account nearly
// full (documents already in an earlier case), a new file in another draft is refused as too
// large, with the reason, and nothing is stored.
on_every_store!(a_patient_s_cases_together_hold_a_limited_number_of_bytes, |t| {
    use app::domain::document::MAX_PATIENT_BYTES;
    let w = Scenario::new(&t).await;
    let caller = Person::new(&w.patient, "");
    let (_, doc) = w.draft_with_scan().await;
    // As if that case held nearly the whole allowance (the stored bytes are not needed here).
    let nearly_full = i64::try_from(MAX_PATIENT_BYTES).unwrap() - 100;
    sqlx::query("UPDATE documents SET size_bytes = $1 WHERE id = $2")
        .bind(nearly_full)
        .bind(&doc.id)
        .execute(t.db.pool())
        .await
        .unwrap();
    let id = cases::create_draft(&t.db, &caller).await.unwrap();
    let err = w
        .upload(&w.patient, &id, "more.pdf", samples::pdf())
        .await
        .unwrap_err();
    assert_eq!(err.status().as_u16(), 413, "{err:?}");
    assert!(err.to_string().contains("the most one account can keep"), "{err}");
    let count: i64 = t
        .scalar_for("SELECT COUNT(*) FROM documents WHERE case_id = $1", &id)
        .await;
    assert_eq!(count, 0);
    // Another patient is not affected.
    let other = crate::support::user(&t.db, Role::Patient, "other@example.com").await;
    let theirs = cases::create_draft(&t.db, &Person::new(&other, ""))
        .await
        .unwrap();
    w.upload(&other, &theirs, "scan.pdf", samples::pdf())
        .await
        .unwrap();
});
