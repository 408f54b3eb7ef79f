use super::config::Config;
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
    /// Documents are stored under `<data dir>/documents`.
    pub fn new(db: Db, config: Config) -> Self {
        let storage = Storage::local(config.data_dir.join("documents"));
        Self {
            db,
            storage,
            live: super::live::LiveHub::new(),
            config: Arc::new(config),
        }
    }
}
