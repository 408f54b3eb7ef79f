use app::domain::Role;
use app::model::{CaseId, CurrentUser};
use app::server::auth::password;
use app::server::db::users::{self, ClinicianProfile, NewUser};
use app::server::db::Db;
use app::server::services::{cases, Person};
pub use app::server::testing::TestDb;
pub use scenario::{as_, Scenario};

pub mod scenario;

/// Defines one test per backend: `name::sqlite` and `name::postgres`. Without a PostgreSQL
/// server configured (`CONSILIUM_TEST_POSTGRES_URL`, read when the tests are built) the
/// PostgreSQL variant is reported as ignored; CI always configures one.
#[macro_export]
macro_rules! on_both_backends {
    ($name:ident, |$t:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            async fn run($t: $crate::support::TestDb) $body

            $crate::backend_variants!();
        }
    };
}

/// The `sqlite` and `postgres` tests of a module whose `run` takes the database.
#[macro_export]
macro_rules! backend_variants {
    () => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn sqlite() {
            run($crate::support::TestDb::sqlite().await).await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        #[cfg_attr(not(postgres_tests), ignore = "CONSILIUM_TEST_POSTGRES_URL is not set")]
        async fn postgres() {
            let t = $crate::support::TestDb::open(app::server::db::Backend::Postgres).await;
            run(t.expect("CONSILIUM_TEST_POSTGRES_URL was set when the tests were built")).await;
        }
    };
}

/// Like [`on_both_backends!`], and twice more with the files in the S3-compatible test bucket
/// (`CONSILIUM_TEST_S3_URL`): `name::sqlite`, `name::postgres`, `name::sqlite_bucket` and
/// `name::postgres_bucket`. Without a bucket configured when the tests were built, the bucket
/// variants are reported as ignored; CI always starts one.
#[macro_export]
macro_rules! on_every_store {
    ($name:ident, |$t:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            async fn run($t: $crate::support::TestDb) $body

            $crate::backend_variants!();

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            #[cfg_attr(not(s3_tests), ignore = "CONSILIUM_TEST_S3_URL is not set")]
            async fn sqlite_bucket() {
                let t = $crate::support::TestDb::sqlite().await.in_bucket();
                run(t.expect("CONSILIUM_TEST_S3_URL was set when the tests were built")).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            #[cfg_attr(
                not(all(postgres_tests, s3_tests)),
                ignore = "CONSILIUM_TEST_POSTGRES_URL or CONSILIUM_TEST_S3_URL is not set"
            )]
            async fn postgres_bucket() {
                let t = $crate::support::TestDb::open(app::server::db::Backend::Postgres).await;
                let t = t.expect("CONSILIUM_TEST_POSTGRES_URL was set when the tests were built");
                run(t.in_bucket().expect("CONSILIUM_TEST_S3_URL was set when the tests were built")).await;
            }
        }
    };
}

/// Waits for racing attempts at one change and answers how many won; a loser must have been
/// told of a conflict, nothing else.
pub async fn winners(racers: Vec<tokio::task::JoinHandle<Result<(), app::error::AppError>>>) -> usize {
    let mut won = 0;
    for racer in racers {
        match racer.await.unwrap() {
            Ok(()) => won += 1,
            Err(app::error::AppError::Conflict(_)) => {}
            Err(other) => panic!("a loser must get a conflict, got {other:?}"),
        }
    }
    won
}

/// A new draft of `owner`'s, and `owner` as the person acting on it.
pub async fn draft_of(db: &Db, owner: &CurrentUser) -> (Person, CaseId) {
    let caller = Person::new(owner, "");
    let id = cases::create_draft(db, &caller).await.unwrap();
    (caller, id)
}

/// The (subject, body) of every email queued for `to`, oldest first.
pub async fn emails_to(t: &TestDb, to: &str) -> Vec<(String, String)> {
    sqlx::query_as("SELECT subject, body FROM email_outbox WHERE to_address = $1 ORDER BY created_at")
        .bind(to)
        .fetch_all(t.db.pool())
        .await
        .unwrap()
}

pub const PASSWORD: &str = "correct horse battery";

/// Hashing is slow by design; tests share one hash of [`PASSWORD`].
pub async fn password_hash() -> String {
    static HASH: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    HASH.get_or_init(|| async { password::hash(PASSWORD.to_owned()).await.unwrap() })
        .await
        .clone()
}

pub async fn user(db: &Db, role: Role, email: &str) -> CurrentUser {
    let hash = password_hash().await;
    let mut conn = db.pool().acquire().await.unwrap();
    let new = NewUser {
        email,
        name: email.split('@').next().unwrap(),
        password_hash: &hash,
        role,
        language: app::lang::Locale::en,
    };
    let id = users::insert(&mut conn, &new).await.unwrap();
    if role == Role::Clinician {
        let profile = ClinicianProfile {
            title: "Dr",
            specialties: "Cardiology",
            contact_email: email,
            contact_phone: "+1 555 0100",
        };
        users::insert_profile(&mut conn, &id, &profile).await.unwrap();
    }
    CurrentUser {
        id,
        name: new.name.to_owned(),
        email: email.to_owned(),
        role,
        next_step: None,
    }
}

/// Signs in to `email` from the client address `ip` (none when empty), with no session to
/// replace: a session, or the wait for a second-factor code.
pub async fn log_in(
    t: &TestDb,
    email: &str,
    password: &str,
    ip: &str,
) -> Result<app::server::services::accounts::SignIn, app::error::AppError> {
    let client = app::server::services::accounts::Client::at(ip);
    app::server::services::accounts::login(&t.db, &t.config, email, password.into(), None, &client).await
}
