//! Documents over HTTP: streamed uploads with their limits, and downloads with their headers.
#![allow(clippy::unwrap_used)]

mod common;

use app::domain::document::samples;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use bytes::Bytes;
use common::{harness, send, sign_in, Harness};

async fn draft(h: &Harness, cookie: &str) -> String {
    let reply = send(h, common::post("/api/start_case", "", Some(cookie))).await;
    assert!(reply.status.is_success(), "{} {}", reply.status, reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

fn upload_request(case_id: &str, name: &str, cookie: &str, body: Body, length: Option<u64>) -> Request<Body> {
    let mut builder = Request::post(format!("/cases/{case_id}/documents?name={name}"))
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::CONTENT_TYPE, "application/octet-stream")
        .header(header::COOKIE, cookie);
    if let Some(len) = length {
        builder = builder.header(header::CONTENT_LENGTH, len);
    }
    builder.body(body).unwrap()
}

fn resident_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_100_mb_upload_is_refused_with_413_without_the_server_holding_it() {
    let h = harness().await;
    let cookie = sign_in(&h, "maria.rossi@example.com").await;
    let case_id = draft(&h, &cookie).await;
    // 100 chunks of 1 MiB, made on the fly and sent without a Content-Length: the server has to
    // count while streaming.
    let big = |mib: usize| {
        let chunk = Bytes::from(vec![b'%'; 1024 * 1024]);
        Body::from_stream(futures_util::stream::iter(
            (0..mib).map(move |_| Ok::<_, std::io::Error>(chunk.clone())),
        ))
    };
    // A first refused upload warms up buffers and allocator arenas that later requests reuse.
    send(&h, upload_request(&case_id, "warm.pdf", &cookie, big(30), None)).await;
    let before = resident_kib();
    let reply = send(&h, upload_request(&case_id, "big.pdf", &cookie, big(100), None)).await;
    let grown_mib = resident_kib().saturating_sub(before) / 1024;
    println!("resident memory grew by {grown_mib} MiB while refusing a 100 MiB upload");
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", reply.body);
    assert!(grown_mib < 20, "memory grew by {grown_mib} MiB");
    // With a declared length the answer comes before any byte is read.
    let declared = upload_request(&case_id, "big.pdf", &cookie, Body::empty(), Some(100 << 20));
    assert_eq!(send(&h, declared).await.status, StatusCode::PAYLOAD_TOO_LARGE);
}

/// Two app servers on one PostgreSQL database and one bucket: a 24 MiB scan uploaded through
/// one goes into the bucket in parts without the server holding it, and comes back whole,
/// verified, through the other.
#[tokio::test]
#[cfg_attr(
    not(all(postgres_tests, s3_tests)),
    ignore = "CONSILIUM_TEST_POSTGRES_URL or CONSILIUM_TEST_S3_URL is not set"
)]
async fn a_document_uploaded_through_one_server_is_downloaded_through_another() {
    let t = app::server::testing::TestDb::postgres()
        .await
        .unwrap()
        .in_bucket()
        .unwrap();
    let h = common::harness_over(t).await;
    let other = common::second_server(&h).await;
    let cookie = sign_in(&h, "maria.rossi@example.com").await;
    let case_id = draft(&h, &cookie).await;
    // A PNG as far as the type check goes, made on the fly in 64 KiB chunks: the test holds
    // none of it, so what the process grows by is the server's doing.
    let (head, end) = {
        let small = samples::png();
        let (head, end) = small.split_at(small.len() - 12);
        (Bytes::copy_from_slice(head), Bytes::copy_from_slice(end))
    };
    let filler = Bytes::from(vec![0x5a; 64 * 1024]);
    let scan = |size: usize| {
        let fill = size - head.len() - end.len();
        let middle = (0..fill.div_ceil(filler.len())).map({
            let filler = filler.clone();
            move |i| Ok::<_, std::io::Error>(filler.slice(..filler.len().min(fill - i * filler.len())))
        });
        let chunks = std::iter::once(Ok(head.clone()))
            .chain(middle)
            .chain(std::iter::once(Ok(end.clone())));
        Body::from_stream(futures_util::stream::iter(chunks))
    };
    // A first upload warms up buffers and allocator arenas that later requests reuse.
    let warm = send(
        &h,
        upload_request(&case_id, "warm.png", &cookie, scan(12 << 20), None),
    )
    .await;
    assert_eq!(warm.status, StatusCode::CREATED, "{}", warm.body);
    let before = resident_kib();
    let reply = send(
        &h,
        upload_request(&case_id, "big.png", &cookie, scan(24 << 20), None),
    )
    .await;
    let grown_mib = resident_kib().saturating_sub(before) / 1024;
    println!("resident memory grew by {grown_mib} MiB while storing a 24 MiB upload in the bucket");
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert!(grown_mib < 16, "memory grew by {grown_mib} MiB");
    let info: app::model::DocumentInfo = serde_json::from_str(&reply.body).unwrap();
    let url = format!("/documents/{}", info.id);
    let request = common::get(&url, Some(&cookie));
    let response = tower::ServiceExt::oneshot(other, request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    assert_eq!(body.len(), 24 << 20);
    assert!(
        body.starts_with(&head) && body.ends_with(&end),
        "the other server serves the same bytes"
    );
    assert!(body[head.len()..body.len() - end.len()]
        .iter()
        .all(|b| *b == 0x5a));
}

#[tokio::test]
async fn uploads_answer_415_or_422_for_refused_files_and_201_for_good_ones() {
    let h = harness().await;
    let cookie = sign_in(&h, "maria.rossi@example.com").await;
    let case_id = draft(&h, &cookie).await;
    let exe = [b"MZ\x90\x00".as_slice(), &[0; 60]].concat();
    let reply = send(
        &h,
        upload_request(&case_id, "report.pdf", &cookie, Body::from(exe.clone()), None),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let error: app::error::AppError = serde_json::from_str(&reply.body).unwrap();
    assert!(error.to_string().contains("not accepted"));
    // The refusal is in the asker's language, as on the pages.
    let mut in_arabic = upload_request(&case_id, "report.pdf", &cookie, Body::from(exe.clone()), None);
    in_arabic
        .headers_mut()
        .insert(header::ACCEPT_LANGUAGE, "ar".parse().unwrap());
    let reply = send(&h, in_arabic).await;
    assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let error: app::error::AppError = serde_json::from_str(&reply.body).unwrap();
    assert!(
        error.to_string().starts_with("هذا النوع من الملفات غير مقبول"),
        "{error}"
    );
    let empty = send(
        &h,
        upload_request(&case_id, "empty.pdf", &cookie, Body::empty(), None),
    )
    .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ok = send(
        &h,
        upload_request(
            &case_id,
            "scan%20%C5%81%C3%B3d%C5%BA.pdf",
            &cookie,
            Body::from(samples::pdf()),
            None,
        ),
    )
    .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    let info: app::model::DocumentInfo = serde_json::from_str(&ok.body).unwrap();
    assert_eq!(info.name, "scan Łódź.pdf");
}

#[tokio::test]
async fn downloads_are_sandboxed_and_only_for_people_on_the_case() {
    let h = harness().await;
    let maria = sign_in(&h, "maria.rossi@example.com").await;
    let tomasz = sign_in(&h, "tomasz.nowak@example.com").await;
    let admin = sign_in(&h, "admin@consilium.test").await;
    let case_id = draft(&h, &maria).await;
    let reply = send(
        &h,
        upload_request(&case_id, "x%22.pdf", &maria, Body::from(samples::pdf()), None),
    )
    .await;
    let info: app::model::DocumentInfo = serde_json::from_str(&reply.body).unwrap();
    let url = format!("/documents/{}", info.id);

    let own = send(&h, common::get(&url, Some(&maria))).await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(own.headers[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(own.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(own.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .contains("sandbox"));
    assert!(own.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .starts_with("inline; filename=\"x.pdf\""));
    assert_eq!(own.body.as_bytes(), samples::pdf().as_slice());
    let download = send(&h, common::get(&format!("{url}?download=1"), Some(&maria))).await;
    assert!(download.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    // A draft is the patient's own: an admin gets the answer for a missing document.
    let admin_reply = send(&h, common::get(&url, Some(&admin))).await;
    assert_eq!(admin_reply.status, StatusCode::NOT_FOUND);

    let other = send(&h, common::get(&url, Some(&tomasz))).await;
    let missing = send(
        &h,
        common::get("/documents/00000000-0000-0000-0000-000000000000", Some(&tomasz)),
    )
    .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert_eq!((other.status, &other.body), (missing.status, &missing.body));
    assert_eq!(
        (admin_reply.status, &admin_reply.body),
        (missing.status, &missing.body)
    );
    assert_eq!(
        send(&h, common::get(&url, None)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

/// A download is offered under an extension that matches its detected type, whatever the
/// uploader named it, and without the bidirectional overrides a name could carry.
#[tokio::test]
async fn downloads_carry_the_extension_of_their_content() {
    let h = harness().await;
    let maria = sign_in(&h, "maria.rossi@example.com").await;
    let case_id = draft(&h, &maria).await;
    for (name, bytes, expected) in [
        ("lab-results.html", samples::heic(), "lab-results.heic"),
        ("report.html", samples::pdf(), "report.pdf"),
        ("scan%E2%80%AEfdp.exe", samples::pdf(), "scanfdp.pdf"),
    ] {
        let reply = send(
            &h,
            upload_request(&case_id, name, &maria, Body::from(bytes), None),
        )
        .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{name}: {}", reply.body);
        let info: app::model::DocumentInfo = serde_json::from_str(&reply.body).unwrap();
        let got = send(
            &h,
            common::get(&format!("/documents/{}?download=1", info.id), Some(&maria)),
        )
        .await;
        let disposition = got.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            disposition.contains(&format!("filename=\"{expected}\"")),
            "{name}: {disposition}"
        );
        assert!(
            disposition.ends_with(&format!("''{expected}")),
            "{name}: {disposition}"
        );
        assert!(!disposition.contains("E2%80%AE"), "{disposition}");
    }
}
