//! Files in a folder on this server's disk: the embedded default. Keys are spread over 256
//! subfolders by their first two hex digits.

use super::{hash_all, ReadError, StoredObject};
use std::path::{Path, PathBuf};

/// Moves a checked spool file under its key. The spool lives inside the root, so this is a
/// rename on one file system: a file is either wholly there under its key or not at all.
pub(super) async fn place(root: &Path, temp: &Path, key: &str) -> std::io::Result<()> {
    let path = path_of(root, key);
    if let Some(parent) = path.parent() {
        tokio::fs::create_dir_all(parent).await?;
    }
    tokio::fs::rename(temp, &path).await
}

/// The file under `key`, after its SHA-256 matched, positioned at its start.
pub(super) async fn open_verified(
    root: &Path,
    key: &str,
    sha256: &str,
) -> Result<tokio::fs::File, ReadError> {
    let mut file = match tokio::fs::File::open(path_of(root, key)).await {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(ReadError::Missing),
        Err(e) => return Err(e.into()),
    };
    if hash_all(&mut file).await? != sha256 {
        return Err(ReadError::Corrupt);
    }
    use tokio::io::AsyncSeekExt;
    file.rewind().await?;
    Ok(file)
}

pub(super) async fn delete(root: &Path, key: &str) -> std::io::Result<()> {
    match tokio::fs::remove_file(path_of(root, key)).await {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Every stored file (not the spool), with its modification time.
pub(super) async fn list(root: &Path) -> std::io::Result<Vec<StoredObject>> {
    let mut found = Vec::new();
    let mut shards = match tokio::fs::read_dir(root).await {
        Ok(dir) => dir,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(found),
        Err(e) => return Err(e),
    };
    while let Some(shard) = shards.next_entry().await? {
        let name = shard.file_name();
        let is_shard = name.len() == 2 && name.to_string_lossy().chars().all(|c| c.is_ascii_hexdigit());
        if !is_shard || !shard.file_type().await?.is_dir() {
            continue;
        }
        let mut files = tokio::fs::read_dir(shard.path()).await?;
        while let Some(file) = files.next_entry().await? {
            let modified = file.metadata().await?.modified()?;
            found.push(StoredObject {
                key: file.file_name().to_string_lossy().into_owned(),
                modified_ms: super::ms_since_epoch(modified),
            });
        }
    }
    Ok(found)
}

/// Keys are generated hex, so a key can never climb out of the root; anything else is mapped
/// to a harmless name.
pub(super) fn path_of(root: &Path, key: &str) -> PathBuf {
    let safe: String = key.chars().filter(|c| c.is_ascii_hexdigit()).collect();
    let shard = safe.get(..2).unwrap_or("00");
    root.join(shard).join(if safe.is_empty() {
        "invalid".to_owned()
    } else {
        safe
    })
}
