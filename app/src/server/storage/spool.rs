//! An upload on its way in: streamed to a temporary file while it is hashed, counted and its
//! first and last bytes kept, so memory does not grow with the file; once complete, its type is
//! checked from those bytes and its structure from the whole file (`file_check`). Only a file
//! that passed everything leaves the spool for storage.

use super::PutError;
use crate::domain::document::{sniff, MediaType, SNIFF_BYTES};
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use sha2::{Digest, Sha256};
use std::path::Path;
use tokio::io::AsyncWriteExt;

/// What the checks found in a spooled file.
pub(super) struct Checked {
    pub sha256: String,
    pub size: u64,
    pub media_type: MediaType,
}

/// Writes `body` to `temp` and checks it; on any failure `temp` is removed again.
pub(super) async fn write_checked<S, E>(temp: &Path, body: S, max_bytes: u64) -> Result<Checked, PutError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    if let Some(dir) = temp.parent() {
        tokio::fs::create_dir_all(dir).await?;
    }
    let result = write_and_check(temp, body, max_bytes).await;
    if result.is_err() {
        let _ = tokio::fs::remove_file(temp).await;
    }
    result
}

async fn write_and_check<S, E>(temp: &Path, mut body: S, max_bytes: u64) -> Result<Checked, PutError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let mut file = tokio::fs::File::create(temp).await?;
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    let mut head: Vec<u8> = Vec::with_capacity(SNIFF_BYTES);
    let mut tail: Vec<u8> = Vec::with_capacity(2 * SNIFF_BYTES);
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| PutError::Interrupted(e.to_string()))?;
        size += chunk.len() as u64;
        if size > max_bytes {
            return Err(PutError::TooLarge(max_bytes));
        }
        hasher.update(&chunk);
        if head.len() < SNIFF_BYTES {
            let take = (SNIFF_BYTES - head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
        }
        remember_tail(&mut tail, &chunk);
        file.write_all(&chunk).await?;
    }
    file.sync_all().await?;
    let media_type = sniff(&head, &tail, size).map_err(PutError::Rejected)?;
    drop(file);
    crate::server::file_check::check(temp, media_type)
        .await?
        .map_err(PutError::Rejected)?;
    Ok(Checked {
        sha256: hex::encode(hasher.finalize()),
        size,
        media_type,
    })
}

/// Keeps the last SNIFF_BYTES bytes seen, whatever the chunk sizes.
fn remember_tail(tail: &mut Vec<u8>, chunk: &[u8]) {
    if chunk.len() >= SNIFF_BYTES {
        tail.clear();
        tail.extend_from_slice(&chunk[chunk.len() - SNIFF_BYTES..]);
    } else {
        tail.extend_from_slice(chunk);
        if tail.len() > SNIFF_BYTES {
            tail.drain(..tail.len() - SNIFF_BYTES);
        }
    }
}
