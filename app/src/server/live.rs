//! Live delivery across app servers. On PostgreSQL every committed notification is announced
//! with NOTIFY (see `case_action::notify`); each app server LISTENs and relays the recipient's id
//! to its open `/events` streams through this hub. On SQLite (one server) the streams poll.

use tokio::sync::broadcast;

#[derive(Clone)]
pub struct LiveHub {
    sender: broadcast::Sender<String>,
}

impl Default for LiveHub {
    fn default() -> Self {
        Self::new()
    }
}

impl LiveHub {
    pub fn new() -> Self {
        Self {
            sender: broadcast::channel(1024).0,
        }
    }

    /// Wakes this server's open streams of `user_id` at once (after a sign-out or a
    /// deactivation, so they see that their session has ended). Other servers' streams notice
    /// within their next check.
    pub fn announce(&self, user_id: &str) {
        let _ = self.sender.send(user_id.to_owned());
    }

    /// Ids of users whose notifications changed, as they are announced.
    pub fn subscribe(&self) -> broadcast::Receiver<String> {
        self.sender.subscribe()
    }

    /// Listens on PostgreSQL for the notification channel and relays each payload; reconnects
    /// after a failure. Meant to run once per app server.
    pub fn spawn_postgres_listener(&self, database_url: String) {
        let sender = self.sender.clone();
        tokio::spawn(async move {
            loop {
                if let Err(e) = relay(&database_url, &sender).await {
                    tracing::warn!(error = %e, "live-update listener stopped; reconnecting");
                }
                // Back off before reconnecting, so a database that is down is not hammered.
                tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            }
        });
    }
}

async fn relay(database_url: &str, sender: &broadcast::Sender<String>) -> Result<(), sqlx::Error> {
    let mut listener = sqlx::postgres::PgListener::connect(database_url).await?;
    listener.listen(super::db::notifications::CHANNEL).await?;
    loop {
        let notification = listener.recv().await?;
        // No open stream is not an error.
        let _ = sender.send(notification.payload().to_owned());
    }
}
