//! Fresh, migrated databases for tests: a SQLite file in its own temporary folder, or a
//! throwaway PostgreSQL database created on the server named by `CONSILIUM_TEST_POSTGRES_URL`.
//! Both are removed when the value is dropped.

use super::config::Config;
use super::db::{audit, Backend, Db};
use super::storage::{Storage, StorageSettings};
use crate::domain::audit::{AuditAction, Outcome};
use std::path::PathBuf;

/// The environment variable naming a PostgreSQL server for tests, e.g.
/// `postgres://postgres@127.0.0.1:5432/postgres`. Each test creates its own database there.
pub const POSTGRES_URL_VAR: &str = "CONSILIUM_TEST_POSTGRES_URL";

/// The environment variable naming a bucket of an S3-compatible store for tests, e.g.
/// `s3://consilium-test`, reached with the usual `AWS_*` variables. Each database that asks
/// for it ([`TestDb::in_bucket`]) keeps its files under a prefix of its own there.
pub const S3_URL_VAR: &str = "CONSILIUM_TEST_S3_URL";

pub struct TestDb {
    pub db: Db,
    pub config: Config,
    /// Where this database's documents and reports are kept: as `config.storage` says.
    pub storage: Storage,
    dir: PathBuf,
    postgres: Option<(String, String)>,
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = temp_dir();
        let url = format!("sqlite://{}/test.db", dir.display());
        let db = Db::connect(&url).await.expect("open test SQLite database");
        db.migrate().await.expect("migrate test SQLite database");
        TestDb {
            db,
            config: Config::for_tests(&url, dir.clone()),
            storage: Storage::local(dir.join("documents")),
            dir,
            postgres: None,
        }
    }

    /// None when no PostgreSQL server is configured for tests.
    pub async fn postgres() -> Option<TestDb> {
        let admin_url = std::env::var(POSTGRES_URL_VAR).ok().filter(|v| !v.is_empty())?;
        let name = format!("consilium_test_{}", uuid::Uuid::new_v4().simple());
        let admin = Db::connect(&admin_url)
            .await
            .expect("connect to the PostgreSQL test server");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(admin.pool())
            .await
            .expect("create a throwaway PostgreSQL database");
        admin.close().await;
        let url = replace_database(&admin_url, &name);
        let db = Db::connect(&url)
            .await
            .expect("open the throwaway PostgreSQL database");
        db.migrate()
            .await
            .expect("migrate the throwaway PostgreSQL database");
        let dir = temp_dir();
        Some(TestDb {
            db,
            config: Config::for_tests(&url, dir.clone()),
            storage: Storage::local(dir.join("documents")),
            dir,
            postgres: Some((admin_url, name)),
        })
    }

    pub async fn open(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => Some(TestDb::sqlite().await),
            Backend::Postgres => TestDb::postgres().await,
        }
    }

    /// This database with its documents and reports in the test bucket ([`S3_URL_VAR`]) under
    /// a prefix of its own; `None` when no bucket is configured.
    pub fn in_bucket(mut self) -> Option<TestDb> {
        let bucket = std::env::var(S3_URL_VAR).ok().filter(|v| !v.is_empty())?;
        let url = format!(
            "{}/{}",
            bucket.trim_end_matches('/'),
            uuid::Uuid::new_v4().simple()
        );
        let var = |name: &str| match name {
            "CONSILIUM_STORAGE_URL" => Some(url.clone()),
            other => std::env::var(other).ok().filter(|v| !v.is_empty()),
        };
        self.config.storage = StorageSettings::from_vars(&var, &self.dir).expect("test bucket settings");
        self.storage = Storage::open(&self.config.storage, self.config.data_dir.join("spool"))
            .expect("open the test bucket");
        Some(self)
    }

    /// The one value `sql` answers (a count, usually), read outside any transaction.
    pub async fn scalar<T: Column>(&self, sql: &'static str) -> T {
        sqlx::query_scalar(sql)
            .fetch_one(self.db.pool())
            .await
            .expect(sql)
    }

    /// Like [`TestDb::scalar`], with `id` (of a case, usually) bound to `$1`.
    pub async fn scalar_for<T: Column>(&self, sql: &'static str, id: impl AsRef<str>) -> T {
        sqlx::query_scalar(sql)
            .bind(id.as_ref())
            .fetch_one(self.db.pool())
            .await
            .expect(sql)
    }

    /// How many audit entries record `action` ending in `outcome`.
    pub async fn audited(&self, action: impl Into<AuditAction>, outcome: Outcome) -> i64 {
        audit::count(self.db.pool(), action, outcome)
            .await
            .expect("count audit entries")
    }
}

/// What [`TestDb::scalar`] can read: any single column sqlx decodes on either backend.
pub trait Column: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any> + Send + Unpin {}
impl<T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any> + Send + Unpin> Column for T {}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        let Some((admin_url, name)) = self.postgres.take() else {
            return;
        };
        let pool = self.db.clone();
        // Drop runs outside async; a short-lived runtime on its own thread closes our pool and
        // drops the database (FORCE ends any connection still open).
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                return;
            };
            rt.block_on(async move {
                // Closing waits for every checked-out connection to come back; one held by a
                // task of the test's runtime (already gone) never does, so wait a little and
                // let FORCE end it.
                let _ = tokio::time::timeout(std::time::Duration::from_secs(2), pool.close()).await;
                if let Ok(admin) = Db::connect(&admin_url).await {
                    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    let _ = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(admin.pool()).await;
                    admin.close().await;
                }
            });
        })
        .join();
    }
}

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("consilium-test-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("create a temporary folder");
    dir
}

/// The same server URL with another database name (the path's last segment).
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let server_end = base[after_scheme..]
        .find('/')
        .map(|i| i + after_scheme)
        .unwrap_or(base.len());
    let mut out = format!("{}/{name}", &base[..server_end]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn replaces_the_database_name_and_keeps_the_rest() {
        assert_eq!(
            super::replace_database(
                "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable",
                "t1"
            ),
            "postgres://postgres@127.0.0.1:5432/t1?sslmode=disable"
        );
        assert_eq!(
            super::replace_database("postgres://h:5432", "t2"),
            "postgres://h:5432/t2"
        );
    }
}
