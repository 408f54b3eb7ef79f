//! Delivers the email outbox: over SMTP when configured, otherwise (the embedded default) as a
//! file per message under `<data dir>/outbox`, where a person can read it. Failures are retried
//! with backoff. Messages are leased before delivery, so several app servers can run this together.

use super::db::{self, outbox, Db};
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::{Path, PathBuf};

const LEASE_MS: i64 = 60_000;
const BATCH: i64 = 50;

#[derive(Clone)]
pub enum Transport {
    /// One `.eml` file per message in this folder.
    Folder(PathBuf),
    /// An SMTP server, from `CONSILIUM_SMTP_URL` (`smtp://user:pass@host:587?tls=required`,
    /// `smtps://…` for implicit TLS, `smtp://host:25` for a trusted relay).
    Smtp {
        relay: Box<AsyncSmtpTransport<Tokio1Executor>>,
        from: Box<Mailbox>,
    },
}

impl Transport {
    /// SMTP when `smtp_url` is set, otherwise a folder.
    pub fn from_settings(smtp_url: Option<&str>, from: &str, folder: PathBuf) -> Result<Transport, String> {
        let Some(url) = smtp_url else {
            return Ok(Transport::Folder(folder));
        };
        let relay = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("CONSILIUM_SMTP_URL is not usable: {e}"))?
            .build();
        let from = from
            .parse()
            .map_err(|e| format!("CONSILIUM_MAIL_FROM is not an address: {e}"))?;
        Ok(Transport::Smtp {
            relay: Box::new(relay),
            from: Box::new(from),
        })
    }
}

/// Delivers what is due now; returns how many messages were sent.
pub async fn deliver_due(db: &Db, transport: &Transport) -> Result<usize, sqlx::Error> {
    let now = db::now_ms();
    let mut conn = db.pool().acquire().await?;
    let due = outbox::lease_due(&mut conn, now, LEASE_MS, BATCH).await?;
    drop(conn);
    let mut sent = 0;
    for message in due {
        match send(transport, &message).await {
            Ok(()) => {
                outbox::mark_sent(db.pool(), &message.id, db::now_ms()).await?;
                sent += 1;
            }
            Err(e) => {
                let retry_at = db::now_ms() + backoff_ms(message.attempts);
                tracing::warn!(message = message.id, error = %e, "email delivery failed; will retry");
                outbox::mark_failed(db.pool(), &message.id, &e.to_string(), retry_at).await?;
            }
        }
    }
    Ok(sent)
}

/// 30 s, 1 min, 2 min, … capped at one hour.
fn backoff_ms(attempts: i64) -> i64 {
    let exponent = u32::try_from(attempts.clamp(0, 7)).unwrap_or(7);
    (30_000_i64 * 2_i64.pow(exponent)).min(3_600_000)
}

async fn send(transport: &Transport, message: &outbox::Message) -> Result<(), String> {
    match transport {
        Transport::Folder(dir) => write_file(dir, message).await.map_err(|e| e.to_string()),
        Transport::Smtp { relay, from } => {
            let email = Message::builder()
                .from(Mailbox::clone(from))
                .to(message
                    .to_address
                    .parse()
                    .map_err(|e| format!("bad recipient: {e}"))?)
                .subject(message.subject.replace(['\r', '\n'], " "))
                .header(ContentType::TEXT_PLAIN)
                .body(message.body.clone())
                .map_err(|e| e.to_string())?;
            relay.send(email).await.map(|_| ()).map_err(|e| e.to_string())
        }
    }
}

async fn write_file(dir: &Path, message: &outbox::Message) -> std::io::Result<()> {
    tokio::fs::create_dir_all(dir).await?;
    let text = format!(
        "To: {}\r\nFrom: Consilium <no-reply@consilium.invalid>\r\nSubject: {}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{}",
        message.to_address,
        message.subject.replace(['\r', '\n'], " "),
        message.body
    );
    let temp = dir.join(format!(".{}.tmp", message.id));
    tokio::fs::write(&temp, text).await?;
    tokio::fs::rename(&temp, dir.join(format!("{}.eml", message.id))).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn retries_back_off_up_to_an_hour() {
        assert_eq!(super::backoff_ms(0), 30_000);
        assert_eq!(super::backoff_ms(1), 60_000);
        assert_eq!(super::backoff_ms(20), 3_600_000);
    }
}
