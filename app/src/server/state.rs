use super::config::Config;
use super::db::Db;
use std::sync::Arc;

/// Passed to every request (axum state and Leptos context). No globals: each test builds its own.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
}

impl AppState {
    pub fn new(db: Db, config: Config) -> Self {
        Self {
            db,
            config: Arc::new(config),
        }
    }
}
