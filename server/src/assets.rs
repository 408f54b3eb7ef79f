//! The browser's assets under `/pkg` (the WASM, its JS glue and the stylesheet).
//!
//! They are compressed once, when the server starts (brotli at its best setting and gzip beside
//! each file, written atomically; a file already compressed since it last changed is skipped),
//! and served precompressed by the browser's `Accept-Encoding`; nothing under `/pkg` is ever
//! compressed per request.
//!
//! A file whose name carries its content's hash may be kept by browsers and proxies for a year
//! (`immutable`): a new build has new names. The hash is checked, not assumed: `cargo leptos
//! --split` names the WASM files first and then rewrites them to point at the renamed split
//! loader, so such a name can stay the same while what it serves changes. Those files, and names
//! without a hash, are revalidated on every use instead (a 304 when unchanged).

use axum::body::Body;
use axum::http::{header, HeaderValue, Request, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use md5::{Digest, Md5};
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::ServiceExt;
use tower_http::services::ServeDir;

/// The file types worth compressing (images are compressed already).
const COMPRESSIBLE: [&str; 3] = ["wasm", "js", "css"];

/// How long browsers keep a hashed asset; names without a hash must be revalidated.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

/// Writes `<file>.br` and `<file>.gz` beside each compressible file in `dir` that lacks a fresh
/// one. Returns how many files it compressed.
pub fn precompress(dir: &Path) -> std::io::Result<usize> {
    let mut done = 0;
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let compressible = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| COMPRESSIBLE.contains(&e));
        if !compressible || !path.is_file() {
            continue;
        }
        let br = with_suffix(&path, "br");
        let gz = with_suffix(&path, "gz");
        if is_fresh(&path, &br) && is_fresh(&path, &gz) {
            continue;
        }
        let bytes = std::fs::read(&path)?;
        write_atomically(&br, &brotli(&bytes)?)?;
        write_atomically(&gz, &gzip(&bytes)?)?;
        done += 1;
    }
    Ok(done)
}

/// Compresses the assets on a blocking thread and logs what it did; the server answers
/// meanwhile (uncompressed, for the few seconds this takes after a new build).
pub fn precompress_in_background(dir: PathBuf) {
    tokio::task::spawn_blocking(move || {
        let started = std::time::Instant::now();
        match precompress(&dir) {
            Ok(0) => {}
            Ok(n) => tracing::info!(
                files = n,
                ms = started.elapsed().as_millis() as u64,
                "precompressed the assets"
            ),
            Err(e) => {
                tracing::warn!(error = %e, dir = %dir.display(), "could not precompress the assets; serving them uncompressed")
            }
        }
    });
}

/// The names of the files in `dir` that contain their content's hash the way cargo-leptos writes
/// it (`<stem>.<hash>.<ext>`, the MD5 in unpadded base64url): the only ones served as immutable.
/// An unreadable folder has none.
pub fn content_named(dir: &Path) -> HashSet<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return HashSet::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let bytes = std::fs::read(entry.path()).ok()?;
            let hash = URL_SAFE_NO_PAD.encode(Md5::digest(&bytes));
            name.contains(&format!(".{hash}.")).then_some(name)
        })
        .collect()
}

/// Serves `dir` with the precompressed variants, `Vary: Accept-Encoding`, and a year's caching
/// for successful answers from the files named by their content (see [`content_named`]).
pub async fn serve(dir: PathBuf, immutable: Arc<HashSet<String>>, request: Request<Body>) -> Response<Body> {
    let name = request.uri().path().rsplit('/').next().unwrap_or_default();
    let hashed = immutable.contains(name);
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    let mut response = match files.oneshot(request).await {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    };
    let h = response.headers_mut();
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if response.status().is_success() || response.status() == axum::http::StatusCode::NOT_MODIFIED {
        let policy = if hashed { IMMUTABLE } else { REVALIDATE };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    } else {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn is_fresh(source: &Path, derived: &Path) -> bool {
    let modified = |p: &Path| p.metadata().and_then(|m| m.modified()).ok();
    matches!((modified(source), modified(derived)), (Some(s), Some(d)) if d >= s)
}

/// Readers never see half a file: write beside it, then rename over.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let temp = with_suffix(path, "tmp");
    std::fs::write(&temp, bytes)?;
    std::fs::rename(&temp, path)
}

fn brotli(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() / 3);
    // The best setting for what people download; a debug build's WASM is five times larger and
    // only ever served locally, so it gets a quick setting instead of minutes of compression.
    let params = brotli::enc::BrotliEncoderParams {
        quality: if cfg!(debug_assertions) { 5 } else { 11 },
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out)
}

fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder =
        flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 2), flate2::Compression::best());
    encoder.write_all(bytes)?;
    encoder.finish()
}
