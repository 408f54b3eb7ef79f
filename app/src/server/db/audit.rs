use crate::domain::audit::{AuditAction, Outcome};
use crate::model::{CaseId, UserId};
use crate::server::db::run::{self, args};
use crate::server::db::{Executes, Result};

/// One audit record: who, in which role, did what to which record, from where, and how it ended.
/// Holds identifiers and outcomes only, never health data.
pub struct Entry<'a> {
    pub user_id: Option<&'a UserId>,
    pub role: &'a str,
    pub action: AuditAction,
    pub case_id: Option<&'a CaseId>,
    pub target: &'a str,
    pub outcome: Outcome,
    pub ip: &'a str,
}

pub async fn record<'e>(ex: impl Executes<'e>, entry: &Entry<'_>) -> Result<()> {
    const SQL: &str = "INSERT INTO audit_log (at, user_id, role, action, case_id, target, outcome, ip) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    run::execute(
        ex,
        SQL,
        args![
            super::now_ms(),
            entry.user_id,
            entry.role,
            entry.action.as_str(),
            entry.case_id,
            entry.target,
            entry.outcome,
            entry.ip
        ],
    )
    .await?;
    Ok(())
}

/// Counts entries for an action and outcome; used by tests and the admin overview.
pub async fn count<'e>(
    ex: impl Executes<'e>,
    action: impl Into<AuditAction>,
    outcome: Outcome,
) -> Result<i64> {
    const SQL: &str = "SELECT COUNT(*) FROM audit_log WHERE action = $1 AND outcome = $2";
    run::scalar_one(ex, SQL, args![action.into().as_str(), outcome]).await
}

/// What an admin searches the log by. Empty strings mean "any".
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Matched against the person's email and name, case-insensitively.
    pub who: String,
    pub action: String,
    pub outcome: String,
    /// A case reference (`C-…`), exactly.
    pub case_reference: String,
    /// UTC milliseconds, inclusive; None means unbounded.
    pub from: Option<i64>,
    pub to: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    at: i64,
    user_name: Option<String>,
    user_email: Option<String>,
    role: String,
    action: String,
    case_reference: Option<String>,
    target: String,
    outcome: String,
    ip: String,
}

macro_rules! filtered {
    ($select:literal, $($rest:literal)*) => {
        concat!(
            $select,
            " FROM audit_log a LEFT JOIN users u ON u.id = a.user_id ",
            "LEFT JOIN review_cases c ON c.id = a.case_id ",
            "WHERE ($1 = '%%' OR LOWER(u.email) LIKE $1 ESCAPE '\\' OR LOWER(u.name) LIKE $1 ESCAPE '\\') ",
            "AND ($2 = '' OR a.action = $2) AND ($3 = '' OR a.outcome = $3) ",
            "AND ($4 = '' OR c.reference = $4) AND a.at >= $5 AND a.at <= $6 ",
            $($rest),*
        )
    };
}

/// One page of matching entries, newest first, and how many match in all.
pub async fn search(
    conn: &mut sqlx::AnyConnection,
    filter: &Filter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<crate::model::AuditEntry>, i64)> {
    let who = super::like_pattern(&filter.who);
    let (from, to) = (filter.from.unwrap_or(0), filter.to.unwrap_or(i64::MAX));
    let reference = filter.case_reference.trim().to_uppercase();
    const SQL: &str = filtered!("SELECT COUNT(*)",);
    let total: i64 = run::scalar_one(
        &mut *conn,
        SQL,
        args![&who, &filter.action, &filter.outcome, &reference, from, to],
    )
    .await?;
    const SQL_2: &str = filtered!(
        "SELECT a.id, a.at, u.name AS user_name, u.email AS user_email, a.role, a.action, \
         c.reference AS case_reference, a.target, a.outcome, a.ip",
        "ORDER BY a.at DESC, a.id DESC LIMIT $7 OFFSET $8"
    );
    let rows: Vec<Row> = run::fetch_all(
        &mut *conn,
        SQL_2,
        args![
            &who,
            &filter.action,
            &filter.outcome,
            &reference,
            from,
            to,
            limit,
            offset
        ],
    )
    .await?;
    let entries = rows
        .into_iter()
        .map(|r| crate::model::AuditEntry {
            id: r.id,
            at: crate::model::from_ms(r.at),
            user_name: r.user_name,
            user_email: r.user_email,
            role: r.role,
            action: r.action,
            case_reference: r.case_reference,
            target: r.target,
            outcome: r.outcome,
            ip: r.ip,
        })
        .collect();
    Ok((entries, total))
}
