//! Two app servers (the real binary) on one PostgreSQL database and one S3-compatible bucket,
//! under load from concurrent patients, admins, coordinators and specialists taking cases
//! through the whole flow, each request going to the other server than the last. Midway one
//! server is killed with SIGKILL and started again. Afterwards every acknowledged action is in
//! the database, each email went out exactly once, each reminder fired once, rows and objects
//! match (after the sweep for uncommitted uploads), and the database passes its checks. A
//! coordinator's event stream on one server hears payments confirmed through the other.
//! Prints the workload's throughput and p99 with one server and with two.
#![allow(clippy::unwrap_used)]

mod cluster_support;

use app::server::storage::{Storage, StorageSettings};
use app::server::testing::TestDb;
use cluster_support::{Cluster, Flow, People, Stats};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Concurrent case flows in each phase, and cases each flow takes through.
const FLOWS: usize = 6;
const CASES_PER_FLOW: usize = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[cfg_attr(
    not(all(postgres_tests, s3_tests)),
    ignore = "CONSILIUM_TEST_POSTGRES_URL or CONSILIUM_TEST_S3_URL is not set"
)]
async fn two_servers_under_load_with_one_killed_lose_nothing_and_repeat_nothing() {
    let t = TestDb::postgres().await.unwrap().in_bucket().unwrap();
    let cluster = Arc::new(Cluster::start(&t).await);
    let people = Arc::new(People::sign_in(&cluster, &t, FLOWS).await);

    let heard = cluster_support::payments_heard_across_servers(&cluster, &people, &t).await;
    println!("a payment confirmed through server 0 reached a coordinator's stream on server 1 in {heard:?}");
    assert!(heard.iter().all(|d| *d < Duration::from_secs(2)), "{heard:?}");

    let one = run_phase(&cluster, &people, &t, &[0], None).await;
    let two = run_phase(&cluster, &people, &t, &[0, 1], None).await;
    let killed = run_phase(&cluster, &people, &t, &[0, 1], Some(0)).await;
    println!("one server:  {}", one.stats.summary(one.took));
    println!("two servers: {}", two.stats.summary(two.took));
    println!(
        "two servers, server 0 killed with SIGKILL midway and restarted: {}",
        killed.stats.summary(killed.took)
    );
    let unanswered = killed.stats.unanswered.load(std::sync::atomic::Ordering::SeqCst);
    assert!(unanswered > 0, "the kill came while requests were on their way");

    let mut acknowledged = one.acknowledged;
    acknowledged.extend(two.acknowledged);
    acknowledged.extend(killed.acknowledged);
    assert_everything_acknowledged_is_there(&t, &acknowledged).await;
    let waiting = cluster_support::leave_reminders_due(&cluster, &people, &t).await;
    cluster_support::wait_for_workers(&t, &waiting).await;
    assert_each_reminder_fired_once(&t, &waiting).await;
    assert_each_email_sent_once(&cluster, &t).await;
    assert_rows_and_objects_match(&t).await;
    assert_database_checks_pass(&t).await;
}

/// What one phase did: its acknowledged actions and request timings.
struct Phase {
    acknowledged: Vec<Flow>,
    stats: Stats,
    took: Duration,
}

/// `FLOWS` concurrent flows over `servers`; with `kill`, that server is killed once a third of
/// the cases are done and started again a second later.
async fn run_phase(
    cluster: &Arc<Cluster>,
    people: &Arc<People>,
    t: &TestDb,
    servers: &[usize],
    kill: Option<usize>,
) -> Phase {
    let stats = Arc::new(Stats::default());
    let done = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut flows = Vec::new();
    for n in 0..FLOWS {
        let (cluster, people, stats, done) = (cluster.clone(), people.clone(), stats.clone(), done.clone());
        let (db, servers) = (t.db.clone(), servers.to_vec());
        flows.push(tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            for _ in 0..CASES_PER_FLOW {
                let flow = Flow::run(&cluster, &people, &db, &servers, n, &stats).await;
                acknowledged.push(flow);
                done.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
            acknowledged
        }));
    }
    if let Some(victim) = kill {
        while done.load(std::sync::atomic::Ordering::SeqCst) < FLOWS * CASES_PER_FLOW / 3 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        cluster.kill(victim);
        tokio::time::sleep(Duration::from_secs(1)).await;
        cluster.restart(victim).await;
    }
    let mut acknowledged = Vec::new();
    for flow in flows {
        acknowledged.extend(flow.await.unwrap());
    }
    let took = started.elapsed();
    Phase {
        acknowledged,
        stats: Arc::try_unwrap(stats).unwrap_or_default(),
        took,
    }
}

async fn count(t: &TestDb, sql: &'static str, id: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(t.db.pool())
        .await
        .unwrap()
}

async fn assert_everything_acknowledged_is_there(t: &TestDb, flows: &[Flow]) {
    assert_eq!(flows.len(), 3 * FLOWS * CASES_PER_FLOW);
    for flow in flows {
        let status: String = sqlx::query_scalar("SELECT status FROM review_cases WHERE id = $1")
            .bind(&flow.case_id)
            .fetch_one(t.db.pool())
            .await
            .unwrap();
        assert_eq!(status, "completed", "case {}", flow.case_id);
        for document in &flow.documents {
            let found = count(t, "SELECT COUNT(*) FROM documents WHERE id = $1", document).await;
            assert_eq!(found, 1, "acknowledged document {document} is gone");
        }
        let opinions = count(
            t,
            "SELECT COUNT(*) FROM opinions WHERE case_id = $1 AND submitted_at IS NOT NULL",
            &flow.case_id,
        )
        .await;
        assert_eq!(opinions, 2, "case {}", flow.case_id);
        let invoices = count(
            t,
            "SELECT COUNT(*) FROM invoices i JOIN payments p ON p.id = i.payment_id WHERE p.case_id = $1",
            &flow.case_id,
        )
        .await;
        assert_eq!(invoices, 1, "one invoice for case {}", flow.case_id);
        let reports = count(
            t,
            "SELECT COUNT(*) FROM case_reports WHERE case_id = $1",
            &flow.case_id,
        )
        .await;
        assert_eq!(reports, 1, "one report for case {}", flow.case_id);
    }
}

async fn assert_each_reminder_fired_once(t: &TestDb, waiting: &[String]) {
    let fired: Vec<(String, i64)> = sqlx::query_as(
        "SELECT case_id, COUNT(*) FROM audit_log WHERE action IN ('remind_draft_waiting', 'remind_review_overdue') \
         AND outcome = 'ok' GROUP BY case_id",
    )
    .fetch_all(t.db.pool())
    .await
    .unwrap();
    let fired: HashMap<String, i64> = fired.into_iter().collect();
    for case_id in waiting {
        assert_eq!(
            fired.get(case_id),
            Some(&1),
            "the reminder of case {case_id} fired once"
        );
    }
}

/// Every message in the outbox was sent, and exactly one `.eml` file exists for each, across
/// both servers' outbox folders.
async fn assert_each_email_sent_once(cluster: &Cluster, t: &TestDb) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let unsent: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM email_outbox WHERE sent_at IS NULL")
            .fetch_one(t.db.pool())
            .await
            .unwrap();
        if unsent == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "{unsent} emails still unsent");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM email_outbox")
        .fetch_all(t.db.pool())
        .await
        .unwrap();
    let mut files: HashMap<String, usize> = HashMap::new();
    for dir in cluster.outboxes() {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(id) = name.strip_suffix(".eml") {
                *files.entry(id.to_owned()).or_default() += 1;
            }
        }
    }
    println!("{} emails, each sent once", ids.len());
    assert!(!ids.is_empty());
    for id in &ids {
        assert_eq!(files.get(id), Some(&1), "email {id} was sent once");
    }
    assert_eq!(
        files.len(),
        ids.len(),
        "no file for a message the outbox does not hold"
    );
}

/// Every document and report row has its object; after the sweep that removes what
/// uncommitted uploads left, every object has its row.
async fn assert_rows_and_objects_match(t: &TestDb) {
    let StorageSettings::Bucket(_) = &t.config.storage else {
        panic!("the cluster runs on a bucket");
    };
    let storage: &Storage = &t.storage;
    let rows: HashSet<String> = app::server::db::documents::all_stored_keys(t.db.pool())
        .await
        .unwrap()
        .into_iter()
        .collect();
    let objects = || async {
        storage
            .list()
            .await
            .unwrap()
            .into_iter()
            .map(|o| o.key)
            .collect::<HashSet<String>>()
    };
    let before = objects().await;
    assert!(
        rows.is_subset(&before),
        "rows without objects: {:?}",
        rows.difference(&before).collect::<Vec<_>>()
    );
    let later = app::server::db::now_ms() + 2 * 3_600_000;
    let swept = app::server::services::storage_sweep::sweep(&t.db, storage, later)
        .await
        .unwrap();
    println!(
        "{} rows, {} objects, {} left by interrupted uploads swept",
        rows.len(),
        before.len(),
        swept.orphans
    );
    assert_eq!(objects().await, rows, "every object has its row");
}

/// PostgreSQL's own checks of every B-tree index (amcheck), and the rules the schema cannot
/// state: a payment per staffed case, one invoice per succeeded payment, no pending checkout
/// beside a recorded payment, a report per completed case.
async fn assert_database_checks_pass(t: &TestDb) {
    sqlx::query("CREATE EXTENSION IF NOT EXISTS amcheck")
        .execute(t.db.pool())
        .await
        .unwrap();
    let checked: i64 = sqlx::query_scalar(
        "SELECT COUNT(bt_index_check(c.oid::regclass)) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
         JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE a.amname = 'btree' AND n.nspname = 'public'",
    )
    .fetch_one(t.db.pool())
    .await
    .unwrap();
    assert!(checked > 10, "{checked} indexes checked");
    for (rule, sql) in [
        (
            "a staffed case without its payment",
            "SELECT COUNT(*) FROM review_cases c WHERE c.status NOT IN ('draft', 'submitted', 'cancelled', 'rejected') \
             AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.case_id = c.id)",
        ),
        (
            "a paid case without one invoice",
            "SELECT COUNT(*) FROM payments p WHERE p.status = 'succeeded' \
             AND (SELECT COUNT(*) FROM invoices i WHERE i.payment_id = p.id) <> 1",
        ),
        (
            "a pending checkout for a case that has its payment",
            "SELECT COUNT(*) FROM checkout_intents ci WHERE ci.status = 'pending' \
             AND EXISTS (SELECT 1 FROM payments p WHERE p.case_id = ci.case_id)",
        ),
        (
            "a completed case without its report",
            "SELECT COUNT(*) FROM review_cases c WHERE c.status = 'completed' \
             AND NOT EXISTS (SELECT 1 FROM case_reports r WHERE r.case_id = c.id)",
        ),
    ] {
        let broken: i64 = sqlx::query_scalar(sql).fetch_one(t.db.pool()).await.unwrap();
        assert_eq!(broken, 0, "{rule}");
    }
}
