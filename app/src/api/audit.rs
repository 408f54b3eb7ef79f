//! The audit log for admins (the CSV export is the plain route `/admin/audit.csv`).

use crate::error::AppError;
use crate::model::{AuditEntry, AuditQuery, Page};
use leptos::prelude::*;

#[server(endpoint = "audit_log")]
pub async fn audit_log(query: AuditQuery) -> Result<Page<AuditEntry>, AppError> {
    use super::support::*;
    use crate::server::services::{audit, Caller};
    respond(async move {
        let (user, meta) = caller().await?;
        let caller = Caller {
            user: &user,
            ip: &meta.ip,
        };
        audit::search(&state()?.db, &caller, &query).await
    })
    .await
}
