//! Files no row names. A file is written before its row, and the normal failure path deletes it
//! at once when the row does not commit; a server killed in between leaves it behind. The worker
//! removes such files once they are older than any upload or report takes to commit, and the
//! spool files a killed server left half-written.

use crate::server::db::{documents, Db};
use crate::server::storage::Storage;
use std::collections::HashSet;
use std::time::Duration;

/// Far longer than a transaction lives: a file this old without a row will never get one.
pub const GRACE: Duration = Duration::from_secs(60 * 60);

/// What one sweep removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub orphans: usize,
    pub spool_files: usize,
}

/// Deletes the stored files older than [`GRACE`] at `now_ms` that no row names, and the spool
/// files that old. The listing is taken before the rows are read, so a file whose row commits
/// meanwhile is seen with its row.
pub async fn sweep(db: &Db, storage: &Storage, now_ms: i64) -> std::io::Result<Swept> {
    let cutoff = now_ms - i64::try_from(GRACE.as_millis()).unwrap_or(i64::MAX);
    let old: Vec<String> = storage
        .list()
        .await?
        .into_iter()
        .filter(|o| o.modified_ms < cutoff)
        .map(|o| o.key)
        .collect();
    let mut swept = Swept {
        spool_files: storage.sweep_spool(cutoff).await?,
        ..Swept::default()
    };
    if old.is_empty() {
        return Ok(swept);
    }
    let named: HashSet<String> = documents::all_stored_keys(db.pool())
        .await
        .map_err(std::io::Error::other)?
        .into_iter()
        .collect();
    for key in old.into_iter().filter(|k| !named.contains(k)) {
        storage.delete(&key).await?;
        tracing::info!(
            key,
            "deleted a stored file no row names (left by an interrupted write)"
        );
        swept.orphans += 1;
    }
    Ok(swept)
}
