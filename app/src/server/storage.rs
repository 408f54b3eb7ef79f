//! Where document bytes live. One small interface with a local-folder implementation; another
//! backend (an S3-compatible store) is a new variant here and touches no caller.
//!
//! Writes stream to a temporary file while hashing and counting, so memory does not grow with
//! the file; the type is checked from the first and last bytes once the file is complete, then
//! its structure from the whole file (`file_check`); only then is the file moved under its
//! generated key. Reads re-hash the whole file before handing
//! it out, so a changed byte on disk is never served.

use crate::domain::document::{sniff, MediaType, Rejection, SNIFF_BYTES};
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

#[derive(Clone, Debug)]
pub enum Storage {
    Local { root: PathBuf },
}

/// A file now in storage.
#[derive(Clone, Debug)]
pub struct Stored {
    pub key: String,
    pub sha256: String,
    pub size: u64,
    pub media_type: MediaType,
}

#[derive(Debug, thiserror::Error)]
pub enum PutError {
    #[error("the file is larger than {0} bytes")]
    TooLarge(u64),
    #[error("the file was refused: {0:?}")]
    Rejected(Rejection),
    #[error("the upload was interrupted: {0}")]
    Interrupted(String),
    #[error("storage failure: {0}")]
    Io(#[from] std::io::Error),
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("the stored file is missing")]
    Missing,
    #[error("the stored file does not match its checksum")]
    Corrupt,
    #[error("storage failure: {0}")]
    Io(#[from] std::io::Error),
}

impl Storage {
    pub fn local(root: impl Into<PathBuf>) -> Self {
        Storage::Local { root: root.into() }
    }

    /// Streams `body` into storage, refusing it once it passes `max_bytes`.
    pub async fn put<S, E>(&self, body: S, max_bytes: u64) -> Result<Stored, PutError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        match self {
            Storage::Local { root } => {
                let key = uuid::Uuid::new_v4().simple().to_string();
                let temp_dir = root.join("tmp");
                tokio::fs::create_dir_all(&temp_dir).await?;
                let temp = temp_dir.join(format!("{key}.part"));
                let result = write_checked(&temp, body, max_bytes).await;
                let (sha256, size, media_type) = match result {
                    Ok(done) => done,
                    Err(e) => {
                        let _ = tokio::fs::remove_file(&temp).await;
                        return Err(e);
                    }
                };
                let path = local_path(root, &key);
                if let Some(parent) = path.parent() {
                    tokio::fs::create_dir_all(parent).await?;
                }
                tokio::fs::rename(&temp, &path).await?;
                Ok(Stored {
                    key,
                    sha256,
                    size,
                    media_type,
                })
            }
        }
    }

    /// Opens a stored file after checking its SHA-256 against `sha256`.
    pub async fn open_verified(&self, key: &str, sha256: &str) -> Result<tokio::fs::File, ReadError> {
        match self {
            Storage::Local { root } => {
                let path = local_path(root, key);
                let mut file = match tokio::fs::File::open(&path).await {
                    Ok(f) => f,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(ReadError::Missing),
                    Err(e) => return Err(e.into()),
                };
                let mut hasher = Sha256::new();
                let mut buf = vec![0u8; 64 * 1024];
                loop {
                    let n = file.read(&mut buf).await?;
                    if n == 0 {
                        break;
                    }
                    hasher.update(&buf[..n]);
                }
                if hex::encode(hasher.finalize()) != sha256 {
                    return Err(ReadError::Corrupt);
                }
                file.rewind().await?;
                Ok(file)
            }
        }
    }

    pub async fn delete(&self, key: &str) -> std::io::Result<()> {
        match self {
            Storage::Local { root } => match tokio::fs::remove_file(local_path(root, key)).await {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                other => other,
            },
        }
    }

    /// The path of a key on local storage, for tests and operators. Keys are generated hex, so a
    /// key can never climb out of the root; anything else is mapped to a harmless name.
    pub fn local_path_of(&self, key: &str) -> PathBuf {
        match self {
            Storage::Local { root } => local_path(root, key),
        }
    }
}

fn local_path(root: &Path, key: &str) -> PathBuf {
    let safe: String = key.chars().filter(|c| c.is_ascii_hexdigit()).collect();
    let shard = safe.get(..2).unwrap_or("00");
    root.join(shard).join(if safe.is_empty() {
        "invalid".to_owned()
    } else {
        safe
    })
}

async fn write_checked<S, E>(
    temp: &Path,
    mut body: S,
    max_bytes: u64,
) -> Result<(String, u64, MediaType), PutError>
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
    Ok((hex::encode(hasher.finalize()), size, media_type))
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
