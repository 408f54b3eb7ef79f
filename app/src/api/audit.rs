//! The audit log for admins (the CSV export is the plain route `/admin/audit.csv`).

use crate::error::AppError;
use crate::model::{AuditEntry, AuditQuery, Page};
use leptos::prelude::*;

#[server(endpoint = "audit_log")]
pub async fn audit_log(query: AuditQuery) -> Result<Page<AuditEntry>, AppError> {
    let call = super::support::signed_in().await?;
    crate::server::services::audit::search(&call.state.db, &call.person, &query).await
}
