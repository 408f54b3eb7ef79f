//! Background work of every app server: deliver the email outbox, send overdue-review reminders,
//! and drop expired sessions.

use app::server::db;
use app::server::mail::{self, Transport};
use app::server::services::reminders;
use app::server::AppState;
use std::time::Duration;

pub fn spawn(state: AppState) {
    tokio::spawn(async move {
        let folder = state.config.data_dir.join("outbox");
        let transport =
            match Transport::from_settings(state.config.smtp_url.as_deref(), &state.config.mail_from, folder)
            {
                Ok(t) => t,
                Err(e) => {
                    tracing::error!("{e}; email will not be sent");
                    return;
                }
            };
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            if let Err(e) = mail::deliver_due(&state.db, &transport).await {
                tracing::warn!(error = %e, "outbox delivery round failed");
            }
            if let Err(e) = reminders::send_overdue(&state.db, db::now_ms()).await {
                tracing::warn!(error = %e, "overdue reminder round failed");
            }
            if let Err(e) = reminders::send_draft_waiting(&state.db, db::now_ms()).await {
                tracing::warn!(error = %e, "draft reminder round failed");
            }
            let idle = i64::try_from(state.config.session_idle.as_millis()).unwrap_or(i64::MAX);
            if let Err(e) = db::sessions::delete_expired(state.db.pool(), db::now_ms(), idle).await {
                tracing::warn!(error = %e, "session cleanup failed");
            }
            if let Err(e) = db::second_factor::delete_expired_challenges(state.db.pool(), db::now_ms()).await
            {
                tracing::warn!(error = %e, "sign-in challenge cleanup failed");
            }
        }
    });
}
