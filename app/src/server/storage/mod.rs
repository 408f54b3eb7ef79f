//! Where document and report bytes live: a folder on this server's disk (the embedded default)
//! or a bucket of an S3-compatible store, which several app servers share. Callers see one
//! interface whichever is configured (`settings`).
//!
//! Writes stream into a spool file while hashing and counting, so memory does not grow with the
//! file, and are checked there (`spool`); only a file that passed goes under its generated key.
//! Reads re-hash the whole file before handing it out, so a changed byte is never served.
//!
//! A key is written before its database row and deleted by the caller when the row does not
//! commit; what a crash leaves in between is removed by `services::storage_sweep` (files older
//! than any transaction that no row names).

mod bucket;
mod local;
mod settings;
mod spool;

pub use settings::{BucketSettings, StorageSettings};

use crate::domain::document::{MediaType, Rejection};
use crate::server::config::ConfigError;
use bytes::Bytes;
use futures_util::Stream;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use tokio::io::AsyncReadExt;

#[derive(Clone, Debug)]
pub enum Storage {
    Local { root: PathBuf },
    Bucket(bucket::Bucket),
}

/// A file now in storage.
#[derive(Clone, Debug)]
pub struct Stored {
    pub key: String,
    pub sha256: String,
    pub size: u64,
    pub media_type: MediaType,
}

/// One key in storage and when it was last written (UTC milliseconds).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredObject {
    pub key: String,
    pub modified_ms: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum PutError {
    #[error("the file is larger than {0} bytes")]
    TooLarge(u64),
    #[error("the file was refused: {0:?}")]
    Rejected(Rejection),
    #[error("the upload was interrupted: {0}")]
    Interrupted(String),
    /// The object store did not answer or refused the write; nothing was stored.
    #[error("storage is unavailable: {0}")]
    Unavailable(String),
    #[error("storage failure: {0}")]
    Io(#[from] std::io::Error),
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("the stored file is missing")]
    Missing,
    #[error("the stored file does not match its checksum")]
    Corrupt,
    #[error("storage is unavailable: {0}")]
    Unavailable(String),
    #[error("storage failure: {0}")]
    Io(#[from] std::io::Error),
}

impl Storage {
    pub fn local(root: impl Into<PathBuf>) -> Self {
        Storage::Local { root: root.into() }
    }

    /// The storage `settings` describe; `spool` is this server's own folder for files on their
    /// way into or out of a bucket (a local root keeps its spool inside itself).
    pub fn open(settings: &StorageSettings, spool: PathBuf) -> Result<Self, ConfigError> {
        Ok(match settings {
            StorageSettings::Local { root } => Storage::local(root.clone()),
            StorageSettings::Bucket(b) => Storage::Bucket(bucket::Bucket::open(b, spool)?),
        })
    }

    /// Streams `body` into storage, refusing it once it passes `max_bytes`.
    pub async fn put<S, E>(&self, body: S, max_bytes: u64) -> Result<Stored, PutError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        let key = uuid::Uuid::new_v4().simple().to_string();
        let temp = self.spool_dir().join(format!("{key}.part"));
        let checked = spool::write_checked(&temp, body, max_bytes).await?;
        let placed = match self {
            Storage::Local { root } => local::place(root, &temp, &key).await.map_err(PutError::from),
            Storage::Bucket(b) => b.upload(&temp, &key).await.map_err(PutError::Unavailable),
        };
        // Gone already after a successful rename; a bucket's copy is done with either way.
        let _ = tokio::fs::remove_file(&temp).await;
        placed?;
        Ok(Stored {
            key,
            sha256: checked.sha256,
            size: checked.size,
            media_type: checked.media_type,
        })
    }

    /// Opens a stored file after checking its SHA-256 against `sha256`.
    pub async fn open_verified(&self, key: &str, sha256: &str) -> Result<tokio::fs::File, ReadError> {
        match self {
            Storage::Local { root } => local::open_verified(root, key, sha256).await,
            Storage::Bucket(b) => b.open_verified(key, sha256).await,
        }
    }

    /// Removes a key; one that is already gone is not an error.
    pub async fn delete(&self, key: &str) -> std::io::Result<()> {
        match self {
            Storage::Local { root } => local::delete(root, key).await,
            Storage::Bucket(b) => b.delete(key).await,
        }
    }

    /// Every key in storage.
    pub async fn list(&self) -> std::io::Result<Vec<StoredObject>> {
        match self {
            Storage::Local { root } => local::list(root).await,
            Storage::Bucket(b) => b.list().await,
        }
    }

    /// The bytes under `key` as they are, unchecked; `None` when there is no such key. For
    /// tests and repair tools.
    pub async fn read_raw(&self, key: &str) -> std::io::Result<Option<Vec<u8>>> {
        match self {
            Storage::Local { root } => match tokio::fs::read(local::path_of(root, key)).await {
                Ok(bytes) => Ok(Some(bytes)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
            },
            Storage::Bucket(b) => b.read_raw(key).await.map_err(std::io::Error::other),
        }
    }

    /// Replaces the bytes under `key`, bypassing every check. For tests and repair tools.
    pub async fn write_raw(&self, key: &str, bytes: Vec<u8>) -> std::io::Result<()> {
        match self {
            Storage::Local { root } => tokio::fs::write(local::path_of(root, key), bytes).await,
            Storage::Bucket(b) => b.write_raw(key, bytes).await.map_err(std::io::Error::other),
        }
    }

    /// Removes spool files last written before `cutoff_ms` (UTC milliseconds): what a server
    /// killed mid-upload left. Answers how many.
    pub async fn sweep_spool(&self, cutoff_ms: i64) -> std::io::Result<usize> {
        let mut entries = match tokio::fs::read_dir(self.spool_dir()).await {
            Ok(dir) => dir,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e),
        };
        let mut removed = 0;
        while let Some(entry) = entries.next_entry().await? {
            let stale = ms_since_epoch(entry.metadata().await?.modified()?) < cutoff_ms;
            if stale && entry.file_name().to_string_lossy().ends_with(".part") {
                tokio::fs::remove_file(entry.path()).await?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// Where files wait while they are checked: inside a local root (so placing one is a
    /// rename), or this server's own spool for a bucket.
    pub fn spool_dir(&self) -> PathBuf {
        match self {
            Storage::Local { root } => root.join("tmp"),
            Storage::Bucket(b) => b.spool().to_path_buf(),
        }
    }
}

/// The SHA-256 of everything left in `file`, in hex.
async fn hash_all(file: &mut tokio::fs::File) -> std::io::Result<String> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

fn ms_since_epoch(time: std::time::SystemTime) -> i64 {
    time.duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
