//! Use cases. Each public function is one thing a person does, in one transaction: the change,
//! its timeline entries and its audit record commit together or not at all.

pub mod accounts;
pub mod assignment;
pub mod audit;
mod case_action;
pub mod cases;
pub mod catalog;
pub mod documents;
pub mod payments;
pub mod reminders;
pub mod review;
mod throttle;

/// Who is acting and from where: what every use case needs for authorization and the audit log.
pub struct Caller<'a> {
    pub user: &'a crate::model::CurrentUser,
    pub ip: &'a str,
}

/// Records a successful action of `caller` on a record other than a case (an account, a catalog
/// entry) in the audit log, inside the caller's transaction.
async fn audit_ok(
    conn: &mut sqlx::AnyConnection,
    caller: &Caller<'_>,
    action: &str,
    target: &str,
) -> Result<(), crate::error::AppError> {
    let entry = crate::server::db::audit::Entry {
        user_id: Some(&caller.user.id),
        role: caller.user.role.as_str(),
        action,
        case_id: None,
        target,
        outcome: "ok",
        ip: caller.ip,
    };
    crate::server::db::audit::record(conn, &entry).await?;
    Ok(())
}
