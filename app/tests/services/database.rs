use crate::on_both_backends;
use app::server::db::Db;
use app::server::demo;
use sqlx::Row;

#[tokio::test]
async fn sqlite_connections_use_wal_full_sync_foreign_keys_and_a_busy_timeout() {
    let t = crate::support::TestDb::sqlite().await;
    // A brand-new pool on the same file: the settings come from every new connection.
    let fresh = Db::connect(&t.config.database_url).await.unwrap();
    let mut conn = fresh.pool().acquire().await.unwrap();
    let mode: String = pragma(&mut conn, "PRAGMA journal_mode").await;
    let sync: i64 = pragma(&mut conn, "PRAGMA synchronous").await;
    let fks: i64 = pragma(&mut conn, "PRAGMA foreign_keys").await;
    let busy: i64 = pragma(&mut conn, "PRAGMA busy_timeout").await;
    assert_eq!(mode, "wal");
    assert_eq!(sync, 2, "synchronous=FULL");
    assert_eq!(fks, 1);
    assert!(busy >= 5000, "busy_timeout {busy}");
}

async fn pragma<T: app::server::testing::Column>(conn: &mut sqlx::AnyConnection, sql: &'static str) -> T {
    sqlx::query_scalar(sql).fetch_one(conn).await.expect(sql)
}

#[tokio::test]
async fn a_url_that_is_neither_sqlite_nor_postgres_is_refused_clearly() {
    let err = Db::connect("mysql://localhost/x").await.err().unwrap();
    assert!(err.to_string().contains("sqlite: or postgres://"), "{err}");
}

on_both_backends!(foreign_keys_are_enforced, |t| {
    let err = sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES ('x', 'nobody', 0, 0, 0)",
    )
    .execute(t.db.pool())
    .await;
    assert!(err.is_err(), "a session for a missing user must be refused");
});

on_both_backends!(demo_data_loads_once_with_every_role_and_pool, |t| {
    assert!(demo::load_if_empty(&t.db).await.unwrap());
    assert!(
        !demo::load_if_empty(&t.db).await.unwrap(),
        "second start loads nothing"
    );
    let roles = sqlx::query("SELECT role, COUNT(*) AS n FROM users GROUP BY role ORDER BY role")
        .fetch_all(t.db.pool())
        .await
        .unwrap();
    let counts: Vec<(String, i64)> = roles.iter().map(|r| (r.get("role"), r.get("n"))).collect();
    assert_eq!(
        counts,
        [
            ("admin".to_owned(), 1),
            ("clinician".to_owned(), 9),
            ("patient".to_owned(), 3)
        ]
    );
    let pool = t.db.pool().clone();
    let count = |sql: &'static str| {
        let pool = pool.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool).await.unwrap() }
    };
    assert_eq!(count("SELECT COUNT(*) FROM disease_categories").await, 3);
    assert_eq!(count("SELECT COUNT(*) FROM review_types").await, 2);
    assert_eq!(count("SELECT COUNT(*) FROM coordinator_pools").await, 6);
    assert_eq!(count("SELECT COUNT(*) FROM category_specialists").await, 6);
    assert_eq!(count("SELECT COUNT(*) FROM clinician_profiles").await, 9);
});

// The test payment provider's webhook secret and the key for email references are made for the
// deployment at its first start and kept in the database: every app server (here: two
// configurations resolved against one database) gets the same, random values; none is a value
// written in the source; a value set by the operator wins.
on_both_backends!(
    a_deployment_generates_its_secrets_once_and_every_server_shares_them,
    |t| {
        use app::server::config::{Config, TEST_WEBHOOK_SECRET};
        use app::server::secrets;
        let from_env = |vars: &'static [(&'static str, &'static str)]| {
            Config::from_lookup(|name| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            })
            .unwrap()
        };
        let mut first = from_env(&[]);
        let mut second = from_env(&[]);
        secrets::resolve(&t.db, &mut first).await.unwrap();
        secrets::resolve(&t.db, &mut second).await.unwrap();
        let secret = first.payments.webhook_secret().to_vec();
        assert!(secret.len() >= 32, "a random secret");
        assert_ne!(secret, TEST_WEBHOOK_SECRET.as_bytes());
        assert_eq!(secret, second.payments.webhook_secret());
        assert!(first.secret_key.len() >= 32);
        assert_eq!(first.secret_key, second.secret_key);
        let mut chosen = from_env(&[
            ("CONSILIUM_TEST_PAYMENT_SECRET", "whsec_set_by_operator"),
            ("CONSILIUM_SECRET_KEY", "operator key"),
        ]);
        secrets::resolve(&t.db, &mut chosen).await.unwrap();
        assert_eq!(chosen.payments.webhook_secret(), b"whsec_set_by_operator");
        assert_eq!(chosen.secret_key, "operator key");
        // Another deployment (another database) gets other values.
        let other = crate::support::TestDb::sqlite().await;
        let mut elsewhere = from_env(&[]);
        secrets::resolve(&other.db, &mut elsewhere).await.unwrap();
        assert_ne!(elsewhere.payments.webhook_secret(), secret.as_slice());
    }
);
