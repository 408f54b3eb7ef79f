//! Background work of every app server: deliver the email outbox, send overdue-review reminders,
//! send refunds the provider did not take at once, settle abandoned checkouts, drop expired
//! sessions, and (hourly) remove stored files no row names.

use app::server::db;
use app::server::mail::{self, Transport};
use app::server::services::{refunds, reminders, storage_sweep};
use app::server::AppState;
use std::time::Duration;

pub fn spawn(state: AppState) {
    spawn_storage_sweep(state.clone());
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
            if let Err(e) = refunds::send_due(&state.db, &state.config.payments, db::now_ms()).await {
                tracing::warn!(error = %e, "refund round failed");
            }
            // A pending checkout nobody touched for a day: the provider's session has expired.
            let day_ago = db::now_ms() - 24 * 3600 * 1000;
            if let Err(e) = db::payments::settle_stale_checkouts(state.db.pool(), day_ago, db::now_ms()).await
            {
                tracing::warn!(error = %e, "checkout settling failed");
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

/// Hourly, starting now (a restart after a crash is when leftovers are likeliest). Every server
/// sweeps; two deleting the same leftover is harmless.
fn spawn_storage_sweep(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60 * 60));
        loop {
            tick.tick().await;
            match storage_sweep::sweep(&state.db, &state.storage, db::now_ms()).await {
                Ok(swept) if swept != storage_sweep::Swept::default() => {
                    tracing::info!(?swept, "storage sweep removed leftovers");
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "storage sweep failed"),
            }
        }
    });
}
