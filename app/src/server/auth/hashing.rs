//! A bound on password hashing in flight (quality A4). Each argon2 run takes about 19 MiB and a
//! core for tens of milliseconds, so a flood of sign-ins or registrations would otherwise
//! exhaust memory and CPU. A request waits briefly for a slot; when none frees up in time it is
//! answered "busy" (503) at once instead of queueing without end.

use crate::error::AppError;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

#[derive(Clone, Debug)]
pub struct HashGate {
    slots: Arc<Semaphore>,
    wait: Duration,
}

impl HashGate {
    pub fn new(slots: usize, wait: Duration) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(slots.max(1))),
            wait,
        }
    }

    /// A slot for one hash or verification, held until the permit is dropped.
    pub async fn enter(&self) -> Result<OwnedSemaphorePermit, AppError> {
        let acquire = self.slots.clone().acquire_owned();
        match tokio::time::timeout(self.wait, acquire).await {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(_)) | Err(_) => Err(AppError::Busy),
        }
    }
}

impl Default for HashGate {
    /// Four at once (about 76 MiB), each request waiting up to two seconds.
    fn default() -> Self {
        Self::new(4, Duration::from_secs(2))
    }
}
