//! One pool type for both backends: sqlx's `Any` driver, chosen by the URL at run time. Queries
//! are portable SQL (`$n` placeholders, `RETURNING`, `ON CONFLICT`); ids are UUID text, times are
//! UTC milliseconds in BIGINT, flags are 0/1 BIGINT, because those decode the same on both.

pub mod assignments;
pub mod audit;
pub mod case_page;
pub mod cases;
pub mod catalog;
pub mod documents;
pub mod email_tokens;
pub mod migrations;
pub mod notifications;
pub mod outbox;
pub mod payments;
pub mod review;
pub mod run;
pub mod second_factor;
pub mod sessions;
pub mod settings;
pub mod timeline;
pub mod users;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, Executor, Transaction};
use std::str::FromStr;
use std::time::Duration;

pub type Tx = Transaction<'static, Any>;

/// What every repository function answers.
pub type Result<T, E = sqlx::Error> = std::result::Result<T, E>;

/// Anything a statement runs on: the pool, a connection or a transaction.
pub trait Executes<'e>: Executor<'e, Database = Any> {}

impl<'e, T: Executor<'e, Database = Any>> Executes<'e> for T {}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

/// Per-connection SQLite settings (quality D1). WAL lets readers run beside the one writer;
/// synchronous=FULL makes every acknowledged commit durable; the busy timeout makes a second
/// writer wait instead of failing at once.
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;";

impl Db {
    pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(sqlx::Error::Configuration(
                "DATABASE_URL must start with sqlite: or postgres://".into(),
            ));
        };
        let url = match backend {
            Backend::Sqlite => sqlite_url_creating_file(url)?,
            Backend::Postgres => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool_options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(30));
        let pool = match backend {
            Backend::Sqlite => {
                pool_options
                    .max_connections(8)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            conn.execute(SQLITE_PRAGMAS).await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?
            }
            Backend::Postgres => pool_options.max_connections(16).connect_with(options).await?,
        };
        Ok(Db { pool, backend })
    }

    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        migrations::migrator(self.backend).run(&self.pool).await
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Starts a write transaction. On SQLite it takes the write lock up front (BEGIN IMMEDIATE),
    /// so two writers queue instead of both reading and one failing to upgrade its lock.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// `sqlite://path` opened read-write, creating the file and its folder when missing.
fn sqlite_url_creating_file(url: &str) -> Result<String, sqlx::Error> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    if let Some(parent) = std::path::Path::new(path).parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent).map_err(sqlx::Error::Io)?;
        }
    }
    Ok(if url.contains("mode=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    })
}

/// Current time as stored: UTC milliseconds.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// `%term%`, lower-cased, with LIKE's wildcards in the term escaped so they match literally.
pub(crate) fn like_pattern(term: &str) -> String {
    let escaped: String = term
        .trim()
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("%{escaped}%")
}

/// What a timeline entry or notification says (a `Detail`, or a list of them) as stored: JSON.
pub fn details_json<T: serde::Serialize + ?Sized>(details: &T) -> Result<String> {
    serde_json::to_string(details).map_err(|e| sqlx::Error::Encode(Box::new(e)))
}

/// A stored detail (or list); None for one this version cannot read, whose English text is then
/// shown instead.
pub fn parse_details<T: serde::de::DeserializeOwned>(json: &str) -> Option<T> {
    serde_json::from_str(json).ok()
}
