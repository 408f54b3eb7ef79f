use super::config::{Config, ConfigError};
use super::db::Db;
use super::storage::Storage;
use std::sync::Arc;

/// Passed to every request (axum state and Leptos context). No globals: each test builds its own.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub storage: Storage,
    pub live: super::live::LiveHub,
    pub config: Arc<Config>,
}

impl AppState {
    /// Documents and reports are kept where `config.storage` says; a bucket's files pass
    /// through `<data dir>/spool` on their way in and out.
    pub fn new(db: Db, config: Config) -> Result<Self, ConfigError> {
        let storage = Storage::open(&config.storage, config.data_dir.join("spool"))?;
        Ok(Self {
            db,
            storage,
            live: super::live::LiveHub::new(),
            config: Arc::new(config),
        })
    }
}
