//! Objects in a bucket of an S3-compatible store, through `object_store`. Every app server
//! reads and writes the same bucket, so a document uploaded through one is served by another.
//!
//! A request that cannot reach the store fails within seconds (short connect timeout, two
//! retries), so an unreachable store answers 503 instead of holding requests for minutes.

use super::settings::BucketSettings;
use super::{ReadError, StoredObject};
use crate::server::config::ConfigError;
use futures_util::StreamExt;
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as ObjectPath;
use object_store::{BackoffConfig, ClientOptions, ObjectStore, ObjectStoreExt, RetryConfig, WriteMultipart};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

/// Files up to this size go up in one request; larger ones in parts of this size (S3 wants
/// parts of at least 5 MiB).
const PART_BYTES: usize = 5 * 1024 * 1024;

#[derive(Clone)]
pub struct Bucket {
    store: Arc<dyn ObjectStore>,
    /// `s3://bucket/prefix`, for messages.
    name: String,
    prefix: String,
    /// This server's folder for uploads being checked and downloads being verified.
    spool: PathBuf,
}

impl std::fmt::Debug for Bucket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bucket")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl Bucket {
    pub(super) fn open(settings: &BucketSettings, spool: PathBuf) -> Result<Bucket, ConfigError> {
        let client = ClientOptions::new()
            .with_connect_timeout(Duration::from_secs(3))
            .with_timeout(Duration::from_secs(60))
            .with_allow_http(
                settings
                    .endpoint
                    .as_deref()
                    .is_some_and(|e| e.starts_with("http://")),
            );
        let retry = RetryConfig {
            backoff: BackoffConfig::default(),
            max_retries: 2,
            retry_timeout: Duration::from_secs(10),
        };
        // `from_env` brings the rest of the AWS credential chain (web identity, container and
        // instance credentials); what was configured explicitly overrides it.
        let mut builder = AmazonS3Builder::from_env()
            .with_bucket_name(&settings.bucket)
            .with_region(&settings.region)
            .with_virtual_hosted_style_request(!settings.path_style)
            .with_client_options(client)
            .with_retry(retry);
        if let Some(endpoint) = &settings.endpoint {
            builder = builder.with_endpoint(endpoint);
        }
        if let (Some(id), Some(secret)) = (&settings.access_key_id, &settings.secret_access_key) {
            builder = builder.with_access_key_id(id).with_secret_access_key(secret);
        }
        if let Some(token) = &settings.session_token {
            builder = builder.with_token(token);
        }
        let store = builder
            .build()
            .map_err(|e| ConfigError(format!("CONSILIUM_STORAGE_URL: {e}")))?;
        Ok(Bucket {
            store: Arc::new(store),
            name: format!("s3://{}/{}", settings.bucket, settings.prefix),
            prefix: settings.prefix.clone(),
            spool,
        })
    }

    pub(super) fn spool(&self) -> &Path {
        &self.spool
    }

    /// Sends a checked spool file up under `key`: in one request up to [`PART_BYTES`], else as a
    /// multipart upload with two parts in flight at most (so about 10 MiB is held whatever the
    /// file's size); a multipart upload that fails is aborted.
    pub(super) async fn upload(&self, temp: &Path, key: &str) -> Result<(), String> {
        let path = self.path_of(key);
        let size = tokio::fs::metadata(temp).await.map_err(|e| e.to_string())?.len();
        if size <= PART_BYTES as u64 {
            let bytes = tokio::fs::read(temp).await.map_err(|e| e.to_string())?;
            return self
                .store
                .put(&path, bytes.into())
                .await
                .map(|_| ())
                .map_err(|e| self.unreachable(e));
        }
        let upload = self
            .store
            .put_multipart(&path)
            .await
            .map_err(|e| self.unreachable(e))?;
        let mut parts = WriteMultipart::new_with_chunk_size(upload, PART_BYTES);
        match send_parts(&mut parts, temp).await {
            Ok(()) => parts.finish().await.map(|_| ()).map_err(|e| self.unreachable(e)),
            Err(e) => {
                let _ = parts.abort().await;
                Err(self.unreachable(e))
            }
        }
    }

    /// Downloads the object into an unnamed spool file while hashing it, and hands that file out
    /// only when the hash matches: what is served is exactly what was verified.
    pub(super) async fn open_verified(&self, key: &str, sha256: &str) -> Result<tokio::fs::File, ReadError> {
        let got = match self.store.get(&self.path_of(key)).await {
            Ok(got) => got,
            Err(object_store::Error::NotFound { .. }) => return Err(ReadError::Missing),
            Err(e) => return Err(ReadError::Unavailable(self.unreachable(e))),
        };
        tokio::fs::create_dir_all(&self.spool).await?;
        let temp = self
            .spool
            .join(format!("read-{}.part", uuid::Uuid::new_v4().simple()));
        let mut file = tokio::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&temp)
            .await?;
        // Unlinked at once: the open handle is all that is left, so nothing lingers on disk
        // whatever happens next.
        tokio::fs::remove_file(&temp).await?;
        let mut hasher = Sha256::new();
        let mut chunks = got.into_stream();
        while let Some(chunk) = chunks.next().await {
            let chunk = chunk.map_err(|e| ReadError::Unavailable(self.unreachable(e)))?;
            hasher.update(&chunk);
            file.write_all(&chunk).await?;
        }
        file.flush().await?;
        if hex::encode(hasher.finalize()) != sha256 {
            return Err(ReadError::Corrupt);
        }
        file.rewind().await?;
        Ok(file)
    }

    pub(super) async fn delete(&self, key: &str) -> std::io::Result<()> {
        match self.store.delete(&self.path_of(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(std::io::Error::other(self.unreachable(e))),
        }
    }

    pub(super) async fn list(&self) -> std::io::Result<Vec<StoredObject>> {
        let prefix = (!self.prefix.is_empty()).then(|| ObjectPath::from(self.prefix.as_str()));
        let mut listing = self.store.list(prefix.as_ref());
        let mut found = Vec::new();
        while let Some(meta) = listing.next().await {
            let meta = meta.map_err(|e| std::io::Error::other(self.unreachable(e)))?;
            if let Some(key) = meta.location.filename() {
                found.push(StoredObject {
                    key: key.to_owned(),
                    modified_ms: meta.last_modified.timestamp_millis(),
                });
            }
        }
        Ok(found)
    }

    /// The raw bytes under `key`, unchecked (for tests and repair tools).
    pub(super) async fn read_raw(&self, key: &str) -> Result<Option<Vec<u8>>, String> {
        match self.store.get(&self.path_of(key)).await {
            Ok(got) => Ok(Some(got.bytes().await.map_err(|e| self.unreachable(e))?.to_vec())),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(self.unreachable(e)),
        }
    }

    /// Replaces the bytes under `key`, bypassing every check (for tests and repair tools).
    pub(super) async fn write_raw(&self, key: &str, bytes: Vec<u8>) -> Result<(), String> {
        self.store
            .put(&self.path_of(key), bytes.into())
            .await
            .map(|_| ())
            .map_err(|e| self.unreachable(e))
    }

    /// Keys are generated hex; anything else maps to a harmless name, as on local disk.
    fn path_of(&self, key: &str) -> ObjectPath {
        let safe: String = key.chars().filter(|c| c.is_ascii_hexdigit()).collect();
        let name = if safe.is_empty() {
            "invalid".to_owned()
        } else {
            safe
        };
        if self.prefix.is_empty() {
            ObjectPath::from(name)
        } else {
            ObjectPath::from(format!("{}/{name}", self.prefix))
        }
    }

    fn unreachable(&self, e: impl std::fmt::Display) -> String {
        format!("{}: {e}", self.name)
    }
}

/// Feeds the file to the multipart upload, waiting whenever two parts are already in flight.
async fn send_parts(parts: &mut WriteMultipart, temp: &Path) -> Result<(), String> {
    let mut file = tokio::fs::File::open(temp).await.map_err(|e| e.to_string())?;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf).await.map_err(|e| e.to_string())?;
        if n == 0 {
            return Ok(());
        }
        parts.wait_for_capacity(2).await.map_err(|e| e.to_string())?;
        parts.write(&buf[..n]);
    }
}
