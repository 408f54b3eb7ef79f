//! D2: the server killed with SIGKILL at random moments while patients are submitting cases.
//! After each kill the server must start again on the same files, every write it acknowledged
//! must be there, the database must pass its integrity check, and no document row may point at
//! a file that is not in storage.
#![allow(clippy::unwrap_used)]

use app::server::db::Db;
use app::server::storage::Storage;
use rand::{Rng, SeedableRng};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const ROUNDS: u64 = 3;
const WRITERS: usize = 4;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(dir: &Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_consilium"))
        .env("DATABASE_URL", format!("sqlite://{}/consilium.db", dir.display()))
        .env("CONSILIUM_DATA_DIR", dir)
        .env("CONSILIUM_DEMO_DATA", "1")
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_OUTPUT_NAME", "consilium")
        .env("LEPTOS_SITE_ROOT", dir.join("site"))
        .env("LEPTOS_SITE_PKG_DIR", "pkg")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Polls `/healthz` until the child process answers (at most 30 s): a readiness wait for a
/// process we do not control, not a timing assumption; nothing is asserted about its speed.
async fn wait_healthy(client: &reqwest::Client, base: &str) {
    for _ in 0..600 {
        if let Ok(r) = client.get(format!("{base}/healthz")).send().await {
            if r.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not become healthy");
}

async fn sign_in(client: &reqwest::Client, base: &str) -> String {
    let r = client
        .post(format!("{base}/api/login"))
        .header("Accept", "application/json")
        .form(&[
            ("email", "maria.rossi@example.com"),
            ("password", "consilium-demo"),
        ])
        .send()
        .await
        .unwrap();
    let cookie = r.headers()["set-cookie"].to_str().unwrap();
    cookie.split(';').next().unwrap().to_owned()
}

/// What the server said it had done: cases created, documents stored, cases submitted.
#[derive(Default, Clone)]
struct Acknowledged {
    created: Vec<String>,
    documents: Vec<String>,
    submitted: Vec<String>,
}

async fn call(client: &reqwest::Client, url: String, cookie: &str, form: &[(&str, &str)]) -> Option<String> {
    let r = client
        .post(url)
        .header("Cookie", cookie)
        .header("Accept", "application/json")
        .form(form)
        .send()
        .await
        .ok()?;
    r.status().is_success().then_some(())?;
    r.text().await.ok()
}

/// One patient's tab, submitting cases as fast as the server answers, until the server dies.
async fn writer(
    client: reqwest::Client,
    base: String,
    cookie: String,
    catalog: (String, String),
    acks: Arc<Mutex<Acknowledged>>,
) {
    loop {
        let Some(created) = call(&client, format!("{base}/api/start_case"), &cookie, &[]).await else {
            return;
        };
        let id: String = serde_json::from_str(&created).unwrap();
        acks.lock().unwrap().created.push(id.clone());
        let Ok(upload) = client
            .post(format!("{base}/cases/{id}/documents?name=scan.pdf"))
            .header("Cookie", &cookie)
            .header("Accept", "application/json")
            .body(app::domain::document::samples::pdf())
            .send()
            .await
        else {
            return;
        };
        if upload.status() != 201 {
            return;
        }
        let Ok(document) = upload.json::<app::model::DocumentInfo>().await else {
            return;
        };
        acks.lock().unwrap().documents.push(document.id);
        let form = [
            ("case_id", id.as_str()),
            ("version", "1"),
            ("intent", "submit"),
            ("review_type_id", catalog.0.as_str()),
            ("category_id", catalog.1.as_str()),
            ("patient_age", "50"),
            ("patient_sex", "female"),
            ("medical_history", "History."),
            ("current_treatment", ""),
            ("questions", "A question?"),
        ];
        if call(&client, format!("{base}/api/save_case"), &cookie, &form)
            .await
            .is_none()
        {
            return;
        }
        acks.lock().unwrap().submitted.push(id);
    }
}

async fn catalog(client: &reqwest::Client, base: &str, cookie: &str) -> (String, String) {
    let text = call(client, format!("{base}/api/load_catalog"), cookie, &[])
        .await
        .unwrap();
    let catalog: app::model::Catalog = serde_json::from_str(&text).unwrap();
    (
        catalog.review_types[0].id.clone(),
        catalog.categories[0].id.clone(),
    )
}

/// The one value `sql` answers with `id` bound to `$1`.
async fn value<T: app::server::testing::Column>(db: &Db, sql: &'static str, id: &str) -> T {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(db.pool())
        .await
        .expect(sql)
}

async fn check(dir: &Path, acks: &Acknowledged) {
    let db = Db::connect(&format!("sqlite://{}/consilium.db", dir.display()))
        .await
        .unwrap();
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(integrity, "ok");
    for id in &acks.created {
        let found: i64 = value(&db, "SELECT COUNT(*) FROM review_cases WHERE id = $1", id).await;
        assert_eq!(found, 1, "acknowledged case {id} is gone");
    }
    for id in &acks.documents {
        let found: i64 = value(&db, "SELECT COUNT(*) FROM documents WHERE id = $1", id).await;
        assert_eq!(found, 1, "acknowledged document {id} is gone");
    }
    for id in &acks.submitted {
        let status: String = value(&db, "SELECT status FROM review_cases WHERE id = $1", id).await;
        assert_ne!(status, "draft", "acknowledged submission of {id} was lost");
    }
    let storage = Storage::local(dir.join("documents"));
    let keys: Vec<String> = sqlx::query_scalar("SELECT storage_key FROM documents")
        .fetch_all(db.pool())
        .await
        .unwrap();
    for key in keys {
        assert!(
            storage.read_raw(&key).await.unwrap().is_some(),
            "a document row points at a missing file: {key}"
        );
    }
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_writes_survive_kill_9_and_the_database_stays_sound() {
    let unique = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir: PathBuf = std::env::temp_dir().join(format!("consilium-crash-{}-{unique}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let client = reqwest::Client::new();
    let acks = Arc::new(Mutex::new(Acknowledged::default()));
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    for round in 0..ROUNDS {
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let mut server = start(&dir, port);
        wait_healthy(&client, &base).await;
        let cookie = sign_in(&client, &base).await;
        let ids = catalog(&client, &base, &cookie).await;
        let writers: Vec<_> = (0..WRITERS)
            .map(|_| {
                tokio::spawn(writer(
                    client.clone(),
                    base.clone(),
                    cookie.clone(),
                    ids.clone(),
                    acks.clone(),
                ))
            })
            .collect();
        // The random moment of the kill is the point of the test (seeded, so it replays).
        let delay = rng.gen_range(300..1500);
        tokio::time::sleep(Duration::from_millis(delay)).await;
        server.kill().unwrap(); // SIGKILL
        server.wait().unwrap();
        for w in writers {
            w.await.unwrap();
        }
        let acks = acks.lock().unwrap().clone();
        eprintln!(
            "round {round}: killed after {delay} ms; acknowledged so far: {} cases, {} documents, {} submissions",
            acks.created.len(),
            acks.documents.len(),
            acks.submitted.len()
        );
        assert!(!acks.created.is_empty(), "the writers never got going");
        check(&dir, &acks).await;
    }
    // The server starts again on what the last kill left.
    let port = free_port();
    let mut server = start(&dir, port);
    wait_healthy(&client, &format!("http://127.0.0.1:{port}")).await;
    server.kill().unwrap();
    server.wait().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}
