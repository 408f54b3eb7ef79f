//! The storage interface itself, on local disk and on the S3-compatible test bucket: a file
//! larger than one part goes up in parts and comes back verified; the sweep removes exactly
//! what an interrupted write left; an unreachable store answers 503 and changes nothing.

use crate::support::{as_, draft_of, Scenario, TestDb};
use crate::{on_both_backends, on_every_store};
use app::domain::document::{samples, MAX_FILE_BYTES};
use app::domain::CaseStatus;
use app::error::AppError;
use app::server::db;
use app::server::services::storage_sweep::{sweep, Swept, GRACE};
use app::server::services::{documents, review};
use app::server::storage::{BucketSettings, ReadError, Storage, StorageSettings};
use bytes::Bytes;
use tokio::io::AsyncReadExt;

/// A PNG (as far as the type check goes) of `size` bytes.
fn large_png(size: usize) -> Vec<u8> {
    let small = samples::png();
    let (head, end) = small.split_at(small.len() - 12);
    let mut png = head.to_vec();
    png.resize(size - end.len(), 0x5a);
    png.extend_from_slice(end);
    png
}

/// `bytes` as a browser sends them: in 64 KiB chunks.
fn chunked(bytes: &[u8]) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Unpin {
    let chunks: Vec<_> = bytes
        .chunks(64 * 1024)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    futures_util::stream::iter(chunks)
}

async fn read_all(mut file: tokio::fs::File) -> Vec<u8> {
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).await.unwrap();
    bytes
}

on_every_store!(
    a_file_larger_than_one_part_goes_up_in_parts_and_comes_back_verified,
    |t| {
        let png = large_png(12 * 1024 * 1024 + 123);
        let stored = t.storage.put(chunked(&png), MAX_FILE_BYTES).await.unwrap();
        assert_eq!(stored.size, png.len() as u64);
        let file = t
            .storage
            .open_verified(&stored.key, &stored.sha256)
            .await
            .unwrap();
        assert!(read_all(file).await == png, "the same bytes come back");
        let listed: Vec<String> = t
            .storage
            .list()
            .await
            .unwrap()
            .into_iter()
            .map(|o| o.key)
            .collect();
        assert_eq!(listed, std::slice::from_ref(&stored.key));

        let wrong = "0".repeat(64);
        let corrupt = t.storage.open_verified(&stored.key, &wrong).await;
        assert!(matches!(corrupt, Err(ReadError::Corrupt)), "{corrupt:?}");
        t.storage.delete(&stored.key).await.unwrap();
        t.storage.delete(&stored.key).await.unwrap();
        let gone = t.storage.open_verified(&stored.key, &stored.sha256).await;
        assert!(matches!(gone, Err(ReadError::Missing)), "{gone:?}");
        assert!(t.storage.list().await.unwrap().is_empty());
        assert_eq!(spool_files(&t), 0, "nothing is left in the spool");
    }
);

on_every_store!(the_sweep_removes_only_old_files_that_no_row_names, |t| {
    let s = Scenario::staffed(&t).await;
    let completed = s.case().completed().await;
    let (_, draft) = draft_of(&t.db, &s.patient).await;
    let kept = s
        .upload(&s.patient, &draft, "scan.png", samples::png())
        .await
        .unwrap();
    // What a server killed between writing a file and committing its row leaves: the file, and
    // a half-written spool file.
    let orphan = t
        .storage
        .put(chunked(&samples::pdf()), MAX_FILE_BYTES)
        .await
        .unwrap();
    let spool = t.storage.spool_dir();
    std::fs::create_dir_all(&spool).unwrap();
    std::fs::write(spool.join("0123abcd.part"), b"half an upload").unwrap();

    let now = db::now_ms();
    assert_eq!(
        sweep(&t.db, &t.storage, now).await.unwrap(),
        Swept::default(),
        "nothing is old enough yet"
    );
    let grace = i64::try_from(GRACE.as_millis()).unwrap();
    let swept = sweep(&t.db, &t.storage, now + grace + 60_000).await.unwrap();
    assert_eq!(
        swept,
        Swept {
            orphans: 1,
            spool_files: 1
        }
    );
    assert_eq!(t.storage.read_raw(&orphan.key).await.unwrap(), None);
    assert!(documents::open(&t.db, &s.storage, &as_(&s.patient), &kept.id)
        .await
        .is_ok());
    assert!(
        review::open_report_pdf(&t.db, &s.storage, &as_(&s.patient), &completed)
            .await
            .is_ok()
    );
    let later = sweep(&t.db, &t.storage, now + 2 * grace).await.unwrap();
    assert_eq!(later, Swept::default(), "the rest is named by rows");
});

/// A bucket on a port nothing listens on.
fn unreachable(t: &TestDb) -> Storage {
    let settings = StorageSettings::Bucket(BucketSettings {
        bucket: "consilium-unreachable".into(),
        prefix: String::new(),
        endpoint: Some("http://127.0.0.1:9".into()),
        region: "us-east-1".into(),
        access_key_id: Some("test".into()),
        secret_access_key: Some("test".into()),
        session_token: None,
        path_style: true,
    });
    Storage::open(&settings, t.config.data_dir.join("spool")).unwrap()
}

on_both_backends!(an_unreachable_store_answers_503_and_changes_nothing, |t| {
    let mut s = Scenario::staffed(&t).await;
    let id = s.case().under_review().await;
    s.submit_opinion(&s.specialists[0], &id, "a").await;
    s.submit_opinion(&s.specialists[1], &id, "b").await;
    let (_, draft) = draft_of(&t.db, &s.patient).await;
    let scan: String = t
        .scalar_for("SELECT id FROM documents WHERE case_id = $1", &id)
        .await;
    s.storage = unreachable(&t);

    let upload = s.upload(&s.patient, &draft, "scan.pdf", samples::pdf()).await;
    assert_eq!(upload.err(), Some(AppError::StorageUnavailable));
    assert_eq!(s.rows("documents", &draft).await, 0);
    let read = documents::open(&t.db, &s.storage, &as_(&s.patient), &scan).await;
    assert_eq!(read.err(), Some(AppError::StorageUnavailable));
    let v = s.version(&id).await;
    let summary =
        review::submit_final_summary(&t.db, &s.storage, &as_(&s.coordinators[0]), &id, v, "S").await;
    assert_eq!(summary.err(), Some(AppError::StorageUnavailable));
    assert_eq!(
        (s.status(&id).await, s.version(&id).await),
        (CaseStatus::DoctorsAssigned, v)
    );
    assert_eq!(s.rows("case_reports", &id).await, 0);
    assert_eq!(
        AppError::StorageUnavailable.status(),
        http::StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(spool_files(&t), 0, "a refused upload leaves nothing in the spool");

    s.storage = t.storage.clone();
    s.complete(&id).await;
});

fn spool_files(t: &TestDb) -> usize {
    std::fs::read_dir(t.storage.spool_dir()).map_or(0, |d| d.count())
}
