//! The cluster test's pieces: two real server processes ([`Cluster`]), the signed-in people
//! ([`People`]), one case taken through the whole flow over HTTP ([`Flow`]), request timings
//! ([`Stats`]).
#![allow(dead_code, clippy::unwrap_used)]

use app::domain::document::samples;
use app::server::db::Db;
use app::server::storage::StorageSettings;
use app::server::testing::TestDb;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const PAYMENT_SECRET: &str = "whsec_cluster_test_secret";

/// Two app servers on the test's database and bucket, each with its own data folder.
pub struct Cluster {
    ports: [u16; 2],
    dirs: [PathBuf; 2],
    children: Mutex<[Option<Child>; 2]>,
    env: Vec<(String, String)>,
    pub http: reqwest::Client,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Cluster {
    /// Server 0 starts first and loads the demo data into the empty database; then server 1.
    pub async fn start(t: &TestDb) -> Cluster {
        let StorageSettings::Bucket(bucket) = &t.config.storage else {
            panic!("the cluster needs a bucket");
        };
        let ports = [free_port(), free_port()];
        let dirs = [0, 1].map(|i| t.config.data_dir.join(format!("server{i}")));
        let env = vec![
            ("DATABASE_URL".to_owned(), t.config.database_url.clone()),
            (
                "CONSILIUM_STORAGE_URL".to_owned(),
                format!("s3://{}/{}", bucket.bucket, bucket.prefix),
            ),
            ("CONSILIUM_DEMO_DATA".to_owned(), "1".to_owned()),
            (
                "CONSILIUM_PUBLIC_URL".to_owned(),
                format!("http://127.0.0.1:{}", ports[0]),
            ),
            (
                "CONSILIUM_TEST_PAYMENT_SECRET".to_owned(),
                PAYMENT_SECRET.to_owned(),
            ),
            ("LEPTOS_OUTPUT_NAME".to_owned(), "consilium".to_owned()),
            ("LEPTOS_SITE_PKG_DIR".to_owned(), "pkg".to_owned()),
            ("RUST_LOG".to_owned(), "error".to_owned()),
        ];
        let cluster = Cluster {
            ports,
            dirs,
            children: Mutex::new([None, None]),
            env,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap(),
        };
        cluster.restart(0).await;
        cluster.restart(1).await;
        cluster
    }

    pub fn base(&self, server: usize) -> String {
        format!("http://127.0.0.1:{}", self.ports[server])
    }

    /// SIGKILL: no shutdown, no flush, whatever it was doing.
    pub fn kill(&self, server: usize) {
        if let Some(mut child) = self.children.lock().unwrap()[server].take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    /// Starts `server` (again) and waits for `/healthz`.
    pub async fn restart(&self, server: usize) {
        let dir = &self.dirs[server];
        std::fs::create_dir_all(dir).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_consilium"))
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env("CONSILIUM_DATA_DIR", dir)
            .env("LEPTOS_SITE_ROOT", dir.join("site"))
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{}", self.ports[server]))
            // The server logs (errors only, see RUST_LOG) to stdout: into the test's output.
            .stdout(Stdio::inherit())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        self.children.lock().unwrap()[server] = Some(child);
        let url = format!("{}/healthz", self.base(server));
        for _ in 0..1200 {
            if let Ok(r) = self.http.get(&url).send().await {
                if r.status().is_success() {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("server {server} did not become healthy");
    }

    /// Where each server writes the email it sends (the folder transport).
    pub fn outboxes(&self) -> Vec<PathBuf> {
        self.dirs.iter().map(|d| d.join("outbox")).collect()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for child in self.children.get_mut().unwrap().iter_mut().flatten() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// One signed-in person: their id and session cookie (valid on both servers).
#[derive(Clone)]
pub struct Person {
    pub id: String,
    pub cookie: String,
}

/// The people the flows act as: one patient per flow, the admin, the cardiology coordinator and
/// its two specialists; and the catalog entries a case is filed under.
pub struct People {
    pub patients: Vec<Person>,
    pub admin: Person,
    pub coordinator: Person,
    pub specialists: [Person; 2],
    pub review_type: String,
    pub category: String,
}

impl People {
    /// Demo people, plus patients made with the demo password until there are `patients`; each
    /// signs in once, through alternating servers.
    pub async fn sign_in(cluster: &Cluster, t: &TestDb, patients: usize) -> People {
        let mut emails = vec![
            "maria.rossi@example.com".to_owned(),
            "tomasz.nowak@example.com".to_owned(),
        ];
        let hash: String = scalar(
            &t.db,
            "SELECT password_hash FROM users WHERE email = $1",
            &emails[0],
        )
        .await;
        let mut conn = t.db.pool().acquire().await.unwrap();
        for n in emails.len()..patients {
            let email = format!("patient{n}@example.com");
            let user = app::server::db::users::NewUser {
                email: &email,
                name: &format!("Patient {n}"),
                password_hash: &hash,
                role: app::domain::Role::Patient,
                language: app::lang::Locale::en,
            };
            app::server::db::users::insert(&mut conn, &user).await.unwrap();
            emails.push(email);
        }
        drop(conn);
        let mut people = Vec::new();
        let staff = [
            "admin@consilium.test",
            "zofia.wojcik@consilium.test",
            "henrik.larsen@consilium.test",
            "amara.nwosu@consilium.test",
        ];
        for (n, email) in staff
            .iter()
            .copied()
            .chain(emails.iter().map(String::as_str))
            .enumerate()
        {
            people.push(sign_in(cluster, t, n % 2, email).await);
        }
        let review_type = scalar(
            &t.db,
            "SELECT id FROM review_types WHERE name = $1",
            "Standard second opinion",
        )
        .await;
        let category = scalar(
            &t.db,
            "SELECT id FROM disease_categories WHERE name = $1",
            "Cardiology",
        )
        .await;
        let mut people = people.into_iter();
        let mut next = || people.next().unwrap();
        People {
            admin: next(),
            coordinator: next(),
            specialists: [next(), next()],
            patients: people.collect(),
            review_type,
            category,
        }
    }
}

async fn scalar(db: &Db, sql: &'static str, arg: &str) -> String {
    sqlx::query_scalar(sql)
        .bind(arg)
        .fetch_one(db.pool())
        .await
        .expect(sql)
}

/// Password, then (for staff) a code of their second factor computed from its secret.
async fn sign_in(cluster: &Cluster, t: &TestDb, server: usize, email: &str) -> Person {
    let base = cluster.base(server);
    let reply = cluster
        .http
        .post(format!("{base}/api/login"))
        .header("Accept", "application/json")
        .form(&[("email", email), ("password", app::server::demo::DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert!(
        reply.status().is_success(),
        "sign-in of {email}: {}",
        reply.status()
    );
    let mut cookie = cookie_of(&reply, "consilium_session");
    if let Some(challenge) = cookie_of(&reply, "consilium_sign_in") {
        let secret = scalar(&t.db, "SELECT totp_secret FROM users WHERE email = $1", email).await;
        let now = u64::try_from(app::server::db::now_ms() / 1000).unwrap();
        let code = app::server::auth::totp::code_at(&secret, now).unwrap();
        let reply = cluster
            .http
            .post(format!("{base}/api/verify_sign_in_code"))
            .header("Accept", "application/json")
            .header("Cookie", challenge)
            .form(&[("code", code)])
            .send()
            .await
            .unwrap();
        assert!(reply.status().is_success(), "code of {email}: {}", reply.status());
        cookie = cookie_of(&reply, "consilium_session");
    }
    Person {
        id: scalar(&t.db, "SELECT id FROM users WHERE email = $1", email).await,
        cookie: cookie.unwrap_or_else(|| panic!("{email} got no session")),
    }
}

fn cookie_of(reply: &reqwest::Response, name: &str) -> Option<String> {
    reply
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
        .find(|pair| pair.starts_with(&format!("{name}=")) && pair.len() > name.len() + 1)
}

/// The time of every request that got an answer, and how many attempts got none (or a 5xx) and
/// were sent again to the other server.
#[derive(Default)]
pub struct Stats {
    times: Mutex<Vec<Duration>>,
    pub unanswered: std::sync::atomic::AtomicUsize,
}

impl Stats {
    fn unanswered(&self) {
        self.unanswered.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    fn record(&self, took: Duration) {
        self.times.lock().unwrap().push(took);
    }

    /// "N requests in T: R requests/s, p50 …, p99 …".
    pub fn summary(&self, took: Duration) -> String {
        let mut times = self.times.lock().unwrap().clone();
        times.sort();
        let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
        format!(
            "{} requests in {:.1} s: {:.0} requests/s, p50 {:.1} ms, p99 {:.1} ms, {} unanswered and sent again",
            times.len(),
            took.as_secs_f64(),
            times.len() as f64 / took.as_secs_f64(),
            at(0.50).as_secs_f64() * 1000.0,
            at(0.99).as_secs_f64() * 1000.0,
            self.unanswered.load(std::sync::atomic::Ordering::SeqCst)
        )
    }
}

/// Requests of one flow, each to the next of `servers` in turn. A server that gives no answer
/// or a 5xx (killed, restarting) is tried again on the next one.
pub struct Driver<'a> {
    cluster: &'a Cluster,
    servers: &'a [usize],
    turn: usize,
    stats: &'a Stats,
}

impl<'a> Driver<'a> {
    pub fn new(cluster: &'a Cluster, servers: &'a [usize], first: usize, stats: &'a Stats) -> Self {
        Driver {
            cluster,
            servers,
            turn: first,
            stats,
        }
    }

    /// The server the next request goes to.
    pub fn next_server(&self) -> usize {
        self.servers[self.turn % self.servers.len()]
    }

    async fn send(&mut self, build: impl Fn(&str) -> reqwest::RequestBuilder) -> (u16, bytes::Bytes) {
        for _ in 0..600 {
            let base = self.cluster.base(self.next_server());
            self.turn += 1;
            let began = Instant::now();
            let Ok(reply) = build(&base).send().await else {
                self.stats.unanswered();
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            };
            let status = reply.status().as_u16();
            let Ok(body) = reply.bytes().await else {
                self.stats.unanswered();
                continue;
            };
            if status >= 500 {
                eprintln!("{status} from {base}: {}", String::from_utf8_lossy(&body));
                self.stats.unanswered();
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
            self.stats.record(began.elapsed());
            return (status, body);
        }
        panic!("no server answered");
    }

    /// A server function, form-encoded, as the browser's fallback forms call it.
    pub async fn call(&mut self, function: &str, cookie: &str, form: &[(&str, &str)]) -> (u16, String) {
        let http = self.cluster.http.clone();
        let (status, body) = self
            .send(|base| {
                http.post(format!("{base}/api/{function}"))
                    .header("Accept", "application/json")
                    .header("Cookie", cookie)
                    .form(form)
            })
            .await;
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    pub async fn get(&mut self, path: &str, cookie: &str) -> (u16, bytes::Bytes) {
        let http = self.cluster.http.clone();
        self.send(|base| http.get(format!("{base}{path}")).header("Cookie", cookie))
            .await
    }

    pub async fn upload(&mut self, case_id: &str, cookie: &str) -> (u16, String) {
        let http = self.cluster.http.clone();
        let (status, body) = self
            .send(|base| {
                http.post(format!("{base}/cases/{case_id}/documents?name=scan.pdf"))
                    .header("Accept", "application/json")
                    .header("Cookie", cookie)
                    .body(samples::pdf())
            })
            .await;
        (status, String::from_utf8_lossy(&body).into_owned())
    }
}

/// What the servers acknowledged for one case.
#[derive(Debug, Clone)]
pub struct Flow {
    pub case_id: String,
    pub documents: Vec<String>,
}

async fn status_and_version(db: &Db, case_id: &str) -> (String, i64) {
    sqlx::query_as("SELECT status, version FROM review_cases WHERE id = $1")
        .bind(case_id)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

/// Calls `function` as `cookie`'s owner with the form `form` makes from the case's current
/// version until the case's status is `reached`: a request whose answer was lost when a server
/// died may have done its work, and the case, not the answer, says so. A 409 (the case moved
/// meanwhile) is tried again; any other refusal fails the test.
async fn until_status(
    d: &mut Driver<'_>,
    db: &Db,
    case_id: &str,
    reached: &str,
    (function, cookie): (&str, &str),
    form: impl Fn(i64) -> Vec<(&'static str, String)>,
) {
    for _ in 0..50 {
        let (status, version) = status_and_version(db, case_id).await;
        if status == reached {
            return;
        }
        let form = form(version);
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (code, body) = d.call(function, cookie, &pairs).await;
        assert!(code < 400 || code == 409, "{function}: {code} {body}");
    }
    panic!("case {case_id} never reached {reached}");
}

impl Flow {
    /// One case from a new draft to its report, read back through the other server.
    pub async fn run(
        cluster: &Cluster,
        people: &People,
        db: &Db,
        servers: &[usize],
        n: usize,
        stats: &Stats,
    ) -> Flow {
        let mut d = Driver::new(cluster, servers, n, stats);
        let patient = &people.patients[n];
        let (case_id, documents) = Flow::submitted(&mut d, people, db, patient).await;
        Flow::to_awaiting_payment(&mut d, people, db, &case_id).await;
        Flow::pay(&mut d, db, patient, &case_id).await;
        Flow::staffed(&mut d, people, db, &case_id).await;
        Flow::reviewed(&mut d, people, db, &case_id).await;
        Flow::read_back(&mut d, patient, &case_id, &documents).await;
        Flow { case_id, documents }
    }

    pub async fn draft(d: &mut Driver<'_>, patient: &Person) -> String {
        let (code, body) = d.call("start_case", &patient.cookie, &[]).await;
        assert_eq!(code, 200, "start_case: {body}");
        serde_json::from_str(&body).unwrap()
    }

    /// A new case with one uploaded scan, submitted.
    pub async fn submitted(
        d: &mut Driver<'_>,
        people: &People,
        db: &Db,
        patient: &Person,
    ) -> (String, Vec<String>) {
        let case_id = Flow::draft(d, patient).await;
        let (code, body) = d.upload(&case_id, &patient.cookie).await;
        assert_eq!(code, 201, "upload: {body}");
        let document: app::model::DocumentInfo = serde_json::from_str(&body).unwrap();
        until_status(
            d,
            db,
            &case_id,
            "submitted",
            ("save_case", &patient.cookie),
            |version| {
                vec![
                    ("case_id", case_id.clone()),
                    ("version", version.to_string()),
                    ("intent", "submit".into()),
                    ("review_type_id", people.review_type.clone()),
                    ("category_id", people.category.clone()),
                    ("patient_age", "61".into()),
                    ("patient_sex", "female".into()),
                    (
                        "medical_history",
                        "Chest pain on exertion for three months.".into(),
                    ),
                    ("current_treatment", "Aspirin.".into()),
                    ("questions", "Is a bypass needed?".into()),
                ]
            },
        )
        .await;
        (case_id, vec![document.id])
    }

    pub async fn to_awaiting_payment(d: &mut Driver<'_>, people: &People, db: &Db, case_id: &str) {
        let admin = ("assign_coordinator", people.admin.cookie.as_str());
        until_status(d, db, case_id, "awaiting_payment", admin, |version| {
            vec![
                ("case_id", case_id.to_owned()),
                ("version", version.to_string()),
                ("coordinator_id", people.coordinator.id.clone()),
            ]
        })
        .await;
    }

    /// The patient pays on the test provider's checkout, which confirms through its webhook.
    pub async fn pay(d: &mut Driver<'_>, db: &Db, patient: &Person, case_id: &str) {
        let payment: String = scalar(db, "SELECT id FROM payments WHERE case_id = $1", case_id).await;
        let patient = ("complete_test_checkout", patient.cookie.as_str());
        until_status(d, db, case_id, "payment_successful", patient, |_| {
            vec![("payment_id", payment.clone()), ("outcome", "pay".into())]
        })
        .await;
    }

    pub async fn staffed(d: &mut Driver<'_>, people: &People, db: &Db, case_id: &str) {
        let coordinator = ("assign_specialists", people.coordinator.cookie.as_str());
        until_status(d, db, case_id, "doctors_assigned", coordinator, |version| {
            vec![
                ("case_id", case_id.to_owned()),
                ("version", version.to_string()),
                ("specialists[]", people.specialists[0].id.clone()),
                ("specialists[]", people.specialists[1].id.clone()),
            ]
        })
        .await;
    }

    /// Both opinions, then the coordinator's summary completes the case.
    pub async fn reviewed(d: &mut Driver<'_>, people: &People, db: &Db, case_id: &str) {
        for specialist in &people.specialists {
            for _ in 0..50 {
                let submitted: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM opinions WHERE case_id = $1 AND specialist_id = $2 AND submitted_at IS NOT NULL",
                )
                .bind(case_id)
                .bind(&specialist.id)
                .fetch_one(db.pool())
                .await
                .unwrap();
                if submitted == 1 {
                    break;
                }
                let form = [
                    ("case_id", case_id),
                    ("intent", "submit"),
                    ("assessment", "Two-vessel disease."),
                    ("recommendation", "Angiography."),
                    ("diagnosis", "Stable angina."),
                    ("treatment", "Statins."),
                ];
                let (code, body) = d.call("write_opinion", &specialist.cookie, &form).await;
                assert!(code < 400 || code == 409, "write_opinion: {code} {body}");
            }
        }
        let coordinator = ("submit_final_summary", people.coordinator.cookie.as_str());
        until_status(d, db, case_id, "completed", coordinator, |version| {
            vec![
                ("case_id", case_id.to_owned()),
                ("version", version.to_string()),
                ("summary", "Both specialists advise an angiography.".into()),
            ]
        })
        .await;
    }

    /// The report and the scan, downloaded (through whichever server is next) and checked.
    pub async fn read_back(d: &mut Driver<'_>, patient: &Person, case_id: &str, documents: &[String]) {
        let (code, pdf) = d
            .get(&format!("/cases/{case_id}/report.pdf"), &patient.cookie)
            .await;
        assert_eq!(code, 200);
        assert!(pdf.starts_with(b"%PDF-"));
        for document in documents {
            let (code, bytes) = d.get(&format!("/documents/{document}"), &patient.cookie).await;
            assert_eq!(code, 200);
            assert_eq!(bytes.as_ref(), samples::pdf().as_slice());
        }
    }
}

/// Three payments confirmed through server 0 while the coordinator's event stream is open on
/// server 1: how long each took to be heard there.
pub async fn payments_heard_across_servers(cluster: &Cluster, people: &People, t: &TestDb) -> Vec<Duration> {
    let stats = Stats::default();
    let only_first = [0];
    let mut d = Driver::new(cluster, &only_first, 0, &stats);
    let mut heard = Vec::new();
    for _ in 0..3 {
        let patient = &people.patients[0];
        let (case_id, _) = Flow::submitted(&mut d, people, &t.db, patient).await;
        Flow::to_awaiting_payment(&mut d, people, &t.db, &case_id).await;
        let mut stream = cluster
            .http
            .get(format!("{}/events", cluster.base(1)))
            .header("Cookie", &people.coordinator.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(stream.status(), 200);
        // The stream opens with the current count.
        next_event(&mut stream).await;
        let paid = Instant::now();
        Flow::pay(&mut d, &t.db, patient, &case_id).await;
        next_event(&mut stream).await;
        heard.push(paid.elapsed());
    }
    heard
}

/// Reads the stream until a `notifications` event arrives (keep-alive comments are skipped).
async fn next_event(stream: &mut reqwest::Response) {
    let mut seen = String::new();
    loop {
        let chunk = tokio::time::timeout(Duration::from_secs(20), stream.chunk())
            .await
            .expect("an event within 20 s")
            .unwrap()
            .expect("the stream stays open");
        seen.push_str(&String::from_utf8_lossy(&chunk));
        if seen.contains("event: notifications") {
            return;
        }
    }
}

/// Two drafts left untouched for two days and two reviews past their expected date: each is
/// due one reminder, which both servers' workers will find. Returns their case ids.
pub async fn leave_reminders_due(cluster: &Cluster, people: &People, t: &TestDb) -> Vec<String> {
    let stats = Stats::default();
    let both = [0, 1];
    let mut d = Driver::new(cluster, &both, 0, &stats);
    let mut due = Vec::new();
    for n in 0..2 {
        let draft = Flow::draft(&mut d, &people.patients[n]).await;
        sqlx::query("UPDATE review_cases SET updated_at = updated_at - 172800000 WHERE id = $1")
            .bind(&draft)
            .execute(t.db.pool())
            .await
            .unwrap();
        due.push(draft);
        let (case_id, _) = Flow::submitted(&mut d, people, &t.db, &people.patients[n]).await;
        Flow::to_awaiting_payment(&mut d, people, &t.db, &case_id).await;
        Flow::pay(&mut d, &t.db, &people.patients[n], &case_id).await;
        Flow::staffed(&mut d, people, &t.db, &case_id).await;
        sqlx::query("UPDATE review_cases SET expected_review_at = $1 WHERE id = $2")
            .bind(app::server::db::now_ms() - 1000)
            .bind(&case_id)
            .execute(t.db.pool())
            .await
            .unwrap();
        due.push(case_id);
    }
    due
}

/// Waits until both servers' workers have reminded every case in `due`, then looks for due
/// reminders once more as a third worker would: each reminder is claimed once, so there is
/// nothing left to send.
pub async fn wait_for_workers(t: &TestDb, due: &[String]) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let mut waiting = 0;
        for case_id in due {
            let reminded: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM review_cases WHERE id = $1 \
                 AND (draft_reminded_at IS NOT NULL OR overdue_notified_at IS NOT NULL)",
            )
            .bind(case_id)
            .fetch_one(t.db.pool())
            .await
            .unwrap();
            waiting += 1 - reminded;
        }
        if waiting == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "{waiting} reminders never went out");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let now = app::server::db::now_ms();
    let reminders = app::server::services::reminders::send_draft_waiting(&t.db, now)
        .await
        .unwrap()
        + app::server::services::reminders::send_overdue(&t.db, now)
            .await
            .unwrap();
    assert_eq!(reminders, 0, "a reminder already sent is not sent again");
}
