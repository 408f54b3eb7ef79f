//! The audit log: every use case records what its caller did and how it ended ([`record`]);
//! admins search it page by page and export what a search finds as CSV (both admins only, an
//! export itself recorded).

use crate::domain::audit::{AuditAction, Outcome, UseCase};
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::td_string;
use crate::model::CaseId;
use crate::model::{AuditEntry, AuditQuery as Query, Page, PageRequest};
use crate::server::caller::{Caller, Person};
use crate::server::db::{audit, Db};
use crate::server::failure::internal;
use chrono::{NaiveDate, NaiveTime};
use sqlx::{Any, Executor};

pub const PAGE_SIZE: u32 = 50;
/// An export holds at most this many entries; narrow the search for more.
pub const EXPORT_LIMIT: i64 = 100_000;

/// What an audited action was done to: a case (`target` is the case too, or the provider's
/// event), or another record (an account, a catalog entry, the audit log itself).
#[derive(Clone, Copy, Debug)]
pub struct On<'a> {
    pub case_id: Option<&'a CaseId>,
    pub target: &'a str,
}

impl<'a> On<'a> {
    pub fn case(case_id: &'a CaseId) -> On<'a> {
        On {
            case_id: Some(case_id),
            target: case_id.as_str(),
        }
    }

    pub fn record(target: &'a str) -> On<'a> {
        On {
            case_id: None,
            target,
        }
    }
}

/// Appends one entry: who (from the caller), what, on what, how it ended.
pub async fn record<'e>(
    ex: impl Executor<'e, Database = Any>,
    caller: &Caller,
    action: impl Into<AuditAction>,
    on: On<'_>,
    outcome: Outcome,
) -> Result<(), AppError> {
    let entry = audit::Entry {
        user_id: caller.user_id(),
        role: caller.audit_role(),
        action: action.into(),
        case_id: on.case_id,
        target: on.target,
        outcome,
        ip: caller.ip(),
    };
    audit::record(ex, &entry).await?;
    Ok(())
}

/// [`record`] for a use case that succeeded, the common case.
pub async fn succeeded<'e>(
    ex: impl Executor<'e, Database = Any>,
    caller: &Caller,
    action: impl Into<AuditAction>,
    on: On<'_>,
) -> Result<(), AppError> {
    record(ex, caller, action, on, Outcome::Ok).await
}

/// Records that `caller` was refused `action` for their role, outside any transaction.
pub async fn record_refusal(db: &Db, caller: &Caller, action: UseCase) -> Result<(), AppError> {
    record(db.pool(), caller, action, On::record(""), Outcome::Denied).await
}

/// How a refused or failed use case ended, for its audit entry.
pub fn outcome_of(err: &AppError) -> Outcome {
    match err {
        AppError::NotFound | AppError::Forbidden(_) => Outcome::Denied,
        AppError::Conflict(_) => Outcome::Conflict,
        AppError::Validation(_) => Outcome::Invalid,
        _ => Outcome::Error,
    }
}

/// Admins only; a refusal is itself recorded.
async fn admin_only(db: &Db, person: &Person, action: UseCase) -> Result<(), AppError> {
    if person.user.role == Role::Admin {
        return Ok(());
    }
    record(
        db.pool(),
        &person.into(),
        action,
        On::record("audit_log"),
        Outcome::Denied,
    )
    .await?;
    Err(AppError::forbidden(td_string!(
        crate::lang::current(),
        errors.only_admins_audit
    )))
}

/// Start of `from`'s day and end of `to`'s day, in UTC milliseconds.
fn parse(query: &Query) -> Result<audit::Filter, AppError> {
    let day = |field: &str, raw: &str, end: bool| -> Result<Option<i64>, AppError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| {
            AppError::validation(field, td_string!(crate::lang::current(), errors.date_shape))
        })?;
        let time = if end {
            NaiveTime::from_hms_milli_opt(23, 59, 59, 999)
        } else {
            NaiveTime::from_hms_opt(0, 0, 0)
        };
        Ok(time.map(|t| date.and_time(t).and_utc().timestamp_millis()))
    };
    Ok(audit::Filter {
        who: query.who.clone(),
        action: query.action.trim().to_owned(),
        outcome: query.outcome.trim().to_owned(),
        case_reference: query.case.clone(),
        from: day("from", &query.from, false)?,
        to: day("to", &query.to, true)?,
    })
}

pub async fn search(db: &Db, caller: &Person, query: &Query) -> Result<Page<AuditEntry>, AppError> {
    admin_only(db, caller, UseCase::SearchAudit).await?;
    let filter = parse(query)?;
    let asked = PageRequest::new(query.page, PAGE_SIZE);
    let mut conn = db.pool().acquire().await?;
    let (items, total) = audit::search(&mut conn, &filter, asked.limit(), asked.offset()).await?;
    Ok(asked.answer(items, total))
}

/// Every entry the search finds (up to [`EXPORT_LIMIT`]), as CSV with a header row.
pub async fn export_csv(db: &Db, caller: &Person, query: &Query) -> Result<Vec<u8>, AppError> {
    admin_only(db, caller, UseCase::ExportAudit).await?;
    let filter = parse(query)?;
    let mut conn = db.pool().acquire().await?;
    let (entries, _) = audit::search(&mut conn, &filter, EXPORT_LIMIT, 0).await?;
    let count = format!("{} entries", entries.len());
    succeeded(
        &mut *conn,
        &caller.into(),
        UseCase::ExportAudit,
        On::record(&count),
    )
    .await?;
    to_csv(&entries)
}

fn to_csv(entries: &[AuditEntry]) -> Result<Vec<u8>, AppError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = [
        "id",
        "at_utc",
        "user_name",
        "user_email",
        "role",
        "action",
        "case",
        "target",
        "outcome",
        "ip",
    ];
    writer
        .write_record(header)
        .map_err(|e| internal("audit export", e))?;
    for e in entries {
        let at = e.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let record = [
            e.id.to_string(),
            at,
            e.user_name.clone().unwrap_or_default(),
            e.user_email.clone().unwrap_or_default(),
            e.role.clone(),
            e.action.clone(),
            e.case_reference.clone().unwrap_or_default(),
            e.target.clone(),
            e.outcome.clone(),
            e.ip.clone(),
        ];
        writer
            .write_record(record.iter().map(|cell| spreadsheet_safe(cell)))
            .map_err(|e| internal("audit export", e))?;
    }
    writer.into_inner().map_err(|e| internal("audit export", e))
}

/// Names come from people: a cell starting with `=`, `+`, `-`, `@` (or a tab/CR) would run as a
/// formula when the export is opened in a spreadsheet, so it gets a leading apostrophe.
fn spreadsheet_safe(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_defused_and_plain_ones_kept() {
        for (cell, expected) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+1", "'+1"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("Maria Rossi", "Maria Rossi"),
            ("", ""),
        ] {
            assert_eq!(spreadsheet_safe(cell), expected);
        }
    }

    #[test]
    fn dates_cover_whole_days_and_bad_ones_are_named() {
        let query = Query {
            from: "2026-11-27".into(),
            to: "2026-11-27".into(),
            ..Query::default()
        };
        let filter = parse(&query).expect("valid dates");
        let (from, to) = (filter.from.expect("from"), filter.to.expect("to"));
        assert_eq!(to - from, 24 * 3600 * 1000 - 1);
        let bad = Query {
            to: "27/11/2026".into(),
            ..Query::default()
        };
        assert!(matches!(parse(&bad), Err(AppError::Validation(f)) if f[0].field == "to"));
    }
}
