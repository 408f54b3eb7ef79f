//! First load: the browser's assets are served precompressed (made once, not per request) with
//! a year's caching under hashed names; pages and server functions are compressed on the fly
//! when large and never cached; the event stream is never compressed.
#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{harness, harness_with_site, post, send, sign_in, Harness};
use http_body_util::BodyExt;
use std::io::Read;
use tower::ServiceExt;

struct Raw {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

/// The router's answer to a request without a body, its body not yet read.
async fn respond(h: &Harness, request: axum::http::request::Builder) -> axum::response::Response {
    h.router
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap()
}

async fn get_with(h: &Harness, path: &str, accept_encoding: Option<&str>, cookie: Option<&str>) -> Raw {
    let mut builder = Request::get(path).header(header::HOST, "127.0.0.1:3000");
    if let Some(encodings) = accept_encoding {
        builder = builder.header(header::ACCEPT_ENCODING, encodings);
    }
    if let Some(c) = cookie {
        builder = builder.header(header::COOKIE, c);
    }
    let response = respond(h, builder).await;
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes().to_vec();
    Raw {
        status,
        headers,
        body,
    }
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::Decompressor::new(bytes, 4096)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn ungzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).unwrap();
    out
}

/// The name cargo-leptos gives a file: its stem, the MD5 of its content (unpadded base64url) and
/// its extension.
fn content_name(stem: &str, ext: &str, bytes: &[u8]) -> String {
    use base64::Engine;
    use md5::Digest;
    let hash = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(md5::Md5::digest(bytes));
    format!("{stem}.{hash}.{ext}")
}

/// A site folder as a split build leaves it, precompressed the way the server does at start: a
/// WASM and JS file named by their content, and a split part whose content changed after it was
/// named (what `cargo leptos --split` does when it points the parts at the renamed loader).
struct Site {
    root: std::path::PathBuf,
    wasm: Vec<u8>,
    wasm_path: String,
    js_path: String,
    rewritten_path: String,
}

fn site() -> Site {
    let root = std::env::temp_dir().join(format!("consilium-site-{}", uuid_like()));
    let pkg = root.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    // Compressible like a real module: repetitive, but not trivially so.
    let wasm: Vec<u8> = (0..200_000u32).flat_map(|i| (i % 251).to_le_bytes()).collect();
    let wasm_name = content_name("consilium", "wasm", &wasm);
    std::fs::write(pkg.join(&wasm_name), &wasm).unwrap();
    let js = "export function hydrate() {}\n".repeat(200);
    let js_name = content_name("consilium", "js", js.as_bytes());
    std::fs::write(pkg.join(&js_name), &js).unwrap();
    let rewritten_name = content_name("part_1", "wasm", b"imports __wasm_split.______.js");
    std::fs::write(pkg.join(&rewritten_name), b"imports __wasm_split.AbCdEf.js").unwrap();
    assert_eq!(server::assets::precompress(&pkg).unwrap(), 3);
    assert_eq!(
        server::assets::precompress(&pkg).unwrap(),
        0,
        "fresh files are not compressed again"
    );
    Site {
        root,
        wasm,
        wasm_path: format!("/pkg/{wasm_name}"),
        js_path: format!("/pkg/{js_name}"),
        rewritten_path: format!("/pkg/{rewritten_name}"),
    }
}

fn uuid_like() -> String {
    format!(
        "{:x}{:x}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    )
}

#[tokio::test]
async fn assets_are_served_precompressed_with_a_year_of_caching() {
    let Site {
        root,
        wasm,
        wasm_path,
        js_path,
        ..
    } = site();
    let h = harness_with_site(&root, true).await;
    let path = wasm_path.as_str();

    let br = get_with(&h, path, Some("gzip, deflate, br"), None).await;
    assert_eq!(br.status, StatusCode::OK);
    assert_eq!(br.headers[header::CONTENT_ENCODING], "br");
    assert_eq!(br.headers[header::CONTENT_TYPE], "application/wasm");
    assert_eq!(
        br.headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert!(br.headers[header::VARY]
        .to_str()
        .unwrap()
        .to_lowercase()
        .contains("accept-encoding"));
    assert!(
        br.body.len() < wasm.len() / 4,
        "{} of {}",
        br.body.len(),
        wasm.len()
    );
    assert_eq!(unbrotli(&br.body), wasm);

    let gz = get_with(&h, path, Some("gzip"), None).await;
    assert_eq!(gz.headers[header::CONTENT_ENCODING], "gzip");
    assert_eq!(ungzip(&gz.body), wasm);

    let plain = get_with(&h, path, None, None).await;
    assert!(plain.headers.get(header::CONTENT_ENCODING).is_none());
    assert_eq!(plain.body, wasm);
    assert_eq!(
        plain.headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );

    let js = get_with(&h, &js_path, Some("br"), None).await;
    assert_eq!(js.headers[header::CONTENT_ENCODING], "br");

    // A missing asset is not cached for a year.
    let missing = get_with(&h, "/pkg/consilium.ffffffff.wasm", Some("br"), None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_ne!(
        missing.headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let _ = std::fs::remove_dir_all(root);
}

#[tokio::test]
async fn a_file_whose_name_is_not_its_content_hash_is_revalidated() {
    let site = site();
    let h = harness_with_site(&site.root, true).await;
    let rewritten = get_with(&h, &site.rewritten_path, Some("br"), None).await;
    assert_eq!(rewritten.status, StatusCode::OK);
    assert_eq!(rewritten.headers[header::CACHE_CONTROL], "no-cache");
    assert!(
        rewritten.headers.contains_key(header::LAST_MODIFIED),
        "a revalidated file can be answered with 304"
    );
    let _ = std::fs::remove_dir_all(site.root);
}

#[tokio::test]
async fn without_hashed_names_assets_are_revalidated() {
    let site = site();
    let pkg = site.root.join("pkg");
    std::fs::write(pkg.join("consilium.wasm"), &site.wasm).unwrap();
    let h = harness_with_site(&site.root, false).await;
    let reply = get_with(&h, "/pkg/consilium.wasm", Some("br"), None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers[header::CACHE_CONTROL], "no-cache");
    let _ = std::fs::remove_dir_all(site.root);
}

#[tokio::test]
async fn pages_and_server_functions_are_compressed_on_the_fly_and_never_cached() {
    let h = harness().await;
    let patient = sign_in(&h, "tomasz.nowak@example.com").await;
    let page = get_with(&h, "/cases", Some("br, gzip"), Some(&patient)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.headers[header::CONTENT_ENCODING], "br");
    assert_eq!(page.headers[header::CACHE_CONTROL], "no-store");
    let html = String::from_utf8(unbrotli(&page.body)).unwrap();
    assert!(html.contains("My cases"), "{}", &html[..html.len().min(300)]);

    let mut call = post("/api/my_cases", "", Some(&patient));
    call.headers_mut()
        .insert(header::ACCEPT_ENCODING, "gzip".parse().unwrap());
    let response = h.router.clone().oneshot(call).await.unwrap();
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
    let encoded = response.headers().get(header::CONTENT_ENCODING).cloned();
    let body = response.into_body().collect().await.unwrap().to_bytes().to_vec();
    let json = match encoded {
        Some(e) if e == "gzip" => ungzip(&body),
        None if body.len() < 1024 => body,
        other => panic!(
            "a large answer must be compressed, got {other:?} for {} bytes",
            body.len()
        ),
    };
    let _: serde_json::Value = serde_json::from_slice(&json).unwrap();

    // Small answers are sent as they are.
    let small = send(&h, post("/api/unread_count", "", Some(&patient))).await;
    assert!(small.headers.get(header::CONTENT_ENCODING).is_none());
}

#[tokio::test]
async fn the_event_stream_is_never_compressed() {
    let h = harness().await;
    let patient = sign_in(&h, "tomasz.nowak@example.com").await;
    let mut request = Request::get("/events").header(header::HOST, "127.0.0.1:3000");
    request = request
        .header(header::ACCEPT_ENCODING, "br, gzip")
        .header(header::COOKIE, &patient);
    let response = respond(&h, request).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get(header::CONTENT_ENCODING).is_none());
    let mut body = response.into_body();
    let first = tokio::time::timeout(std::time::Duration::from_secs(5), body.frame())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let text = String::from_utf8(first.into_data().unwrap().to_vec()).unwrap();
    assert!(text.contains("event: notifications"), "{text}");
}

#[tokio::test]
async fn an_unknown_page_is_a_404_rendered_with_the_app() {
    let h = harness().await;
    let reply = get_with(&h, "/no-such-page", None, None).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let html = String::from_utf8(reply.body).unwrap();
    assert!(
        html.contains("data-testid=\"test-mode\""),
        "rendered with the app's state"
    );
}
