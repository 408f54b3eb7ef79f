//! Email over real SMTP: the outbox is delivered to aiosmtpd (a real SMTP server from PyPI,
//! installed by scripts/setup.sh) listening on loopback, and we read what arrived.

use crate::support::{user, TestDb};
use app::domain::Role;
use app::server::db::{self, outbox};
use app::server::mail::{deliver_due, Transport};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct SmtpServer {
    child: Child,
    port: u16,
    maildir: std::path::PathBuf,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn smtp_server(dir: &std::path::Path) -> SmtpServer {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let maildir = dir.join("maildir");
    let child = Command::new("python3")
        .args([
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            &format!("127.0.0.1:{port}"),
            "-c",
            "aiosmtpd.handlers.Mailbox",
        ])
        .arg(&maildir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start aiosmtpd (scripts/setup.sh installs it)");
    // From here on, dropping the value stops the server, whatever happens.
    let server = SmtpServer { child, port, maildir };
    // Wait until it accepts connections (it starts in well under a second).
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("aiosmtpd did not start on port {port}");
}

#[tokio::test]
async fn the_outbox_is_delivered_over_smtp_when_configured() {
    let t = TestDb::sqlite().await;
    let server = smtp_server(&t.config.data_dir).await;
    let ana = user(&t.db, Role::Patient, "ana@example.com").await;
    let mut conn = t.db.pool().acquire().await.unwrap();
    outbox::enqueue(
        &mut conn,
        &ana.email,
        "C-ABC123 · Coordinator assigned",
        "Sign in to see it.",
        db::now_ms(),
    )
    .await
    .unwrap();
    drop(conn);
    let url = format!("smtp://127.0.0.1:{}", server.port);
    let transport = Transport::from_settings(
        Some(&url),
        "Consilium <no-reply@consilium.test>",
        t.config.data_dir.join("unused"),
    )
    .unwrap();
    assert_eq!(deliver_due(&t.db, &transport).await.unwrap(), 1);
    let arrived: Vec<String> = std::fs::read_dir(server.maildir.join("new"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert_eq!(arrived.len(), 1);
    assert!(arrived[0].contains("To: ana@example.com"), "{}", arrived[0]);
    assert!(arrived[0].contains("Subject: C-ABC123"), "{}", arrived[0]);
    assert!(arrived[0].contains("Sign in to see it."));
    assert!(
        !t.config.data_dir.join("unused").exists(),
        "nothing written to the folder transport"
    );
}

#[tokio::test]
async fn a_failed_delivery_is_kept_and_retried_later() {
    let t = TestDb::sqlite().await;
    let mut conn = t.db.pool().acquire().await.unwrap();
    outbox::enqueue(&mut conn, "ana@example.com", "Subject", "Body", db::now_ms())
        .await
        .unwrap();
    drop(conn);
    // Nothing listens on this port: the delivery fails and the message waits for its retry.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let transport = Transport::from_settings(
        Some(&format!("smtp://127.0.0.1:{closed}")),
        "a@b.test",
        t.config.data_dir.clone(),
    )
    .unwrap();
    assert_eq!(deliver_due(&t.db, &transport).await.unwrap(), 0);
    let (attempts, sent, error): (i64, Option<i64>, Option<String>) =
        sqlx::query_as("SELECT attempts, sent_at, last_error FROM email_outbox")
            .fetch_one(t.db.pool())
            .await
            .unwrap();
    assert_eq!((attempts, sent), (1, None));
    assert!(error.is_some());
    assert_eq!(
        deliver_due(&t.db, &transport).await.unwrap(),
        0,
        "not due again before its backoff"
    );
}
