use crate::lang::Locale;
use crate::model::{joined_details, CaseId, Detail, UserId};
use crate::server::db::run::{self, args};
use crate::server::db::Result;
use sqlx::AnyConnection;

/// The PostgreSQL channel on which a committed notification names its recipient.
pub const CHANNEL: &str = "consilium_notifications";

pub struct NewNotification<'a> {
    pub user_id: &'a UserId,
    pub case_id: Option<&'a CaseId>,
    pub kind: &'a str,
    pub title: &'a str,
    /// What it says beside the event; stored as keys and, in English, as text.
    pub body: &'a [Detail],
}

pub async fn insert(conn: &mut AnyConnection, n: &NewNotification<'_>, now: i64) -> Result<()> {
    const SQL: &str =
        "INSERT INTO notifications (id, user_id, case_id, kind, title, body, body_parts, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    let parts = (!n.body.is_empty())
        .then(|| super::details_json(n.body))
        .transpose()?;
    run::execute(
        conn,
        SQL,
        args![
            super::new_id(),
            n.user_id,
            n.case_id,
            n.kind,
            n.title,
            joined_details(n.body, Locale::en),
            parts,
            now
        ],
    )
    .await?;
    Ok(())
}

/// The clinicians holding an active assignment on a case.
pub async fn assigned_clinicians(conn: &mut AnyConnection, case_id: &CaseId) -> Result<Vec<UserId>> {
    const SQL: &str = "SELECT clinician_id FROM case_assignments WHERE case_id = $1 AND active = 1";
    run::scalar_all(conn, SQL, args![case_id]).await
}

pub async fn unread_count(conn: &mut AnyConnection, user_id: &UserId) -> Result<i64> {
    const SQL: &str = "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL";
    run::scalar_one(conn, SQL, args![user_id]).await
}

/// The sign-in email and language of each of the given users who is active, for emails.
pub async fn contacts(conn: &mut AnyConnection, ids: &[UserId]) -> Result<Vec<(String, Locale)>> {
    let mut out = Vec::new();
    for id in ids {
        const SQL: &str = "SELECT email, language FROM users WHERE id = $1 AND active = 1";
        let row: Option<(String, String)> = run::fetch_optional(&mut *conn, SQL, args![id]).await?;
        out.extend(row.map(|(email, language)| (email, crate::lang::parse(&language).unwrap_or_default())));
    }
    Ok(out)
}

/// (unread count, newest notification time) for one user: what live pages watch for.
pub async fn watermark<'e>(
    ex: impl sqlx::Executor<'e, Database = sqlx::Any>,
    user_id: &UserId,
) -> Result<(i64, i64)> {
    const SQL: &str =
        "SELECT COUNT(CASE WHEN read_at IS NULL THEN 1 END), CAST(COALESCE(MAX(created_at), 0) AS BIGINT) \
         FROM notifications WHERE user_id = $1";
    run::fetch_one(ex, SQL, args![user_id]).await
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    case_id: Option<CaseId>,
    kind: String,
    case_reference: Option<String>,
    title: String,
    body: String,
    body_parts: Option<String>,
    created_at: i64,
    read_at: Option<i64>,
}

pub async fn recent<'e>(
    ex: impl sqlx::Executor<'e, Database = sqlx::Any>,
    user_id: &UserId,
    limit: i64,
) -> Result<Vec<crate::model::Notification>> {
    const SQL: &str =
        "SELECT n.id, n.case_id, n.kind, c.reference AS case_reference, n.title, n.body, n.body_parts, \
         n.created_at, n.read_at FROM notifications n LEFT JOIN review_cases c ON c.id = n.case_id \
         WHERE n.user_id = $1 ORDER BY n.created_at DESC, n.id LIMIT $2";
    let rows: Vec<Row> = run::fetch_all(ex, SQL, args![user_id, limit]).await?;
    Ok(rows
        .into_iter()
        .map(|r| crate::model::Notification {
            id: r.id,
            case_id: r.case_id,
            event: r.kind.parse().ok(),
            case_reference: r.case_reference,
            title: r.title,
            body: r.body,
            body_parts: r
                .body_parts
                .as_deref()
                .and_then(super::parse_details)
                .unwrap_or_default(),
            created_at: crate::model::from_ms(r.created_at),
            read: r.read_at.is_some(),
        })
        .collect())
}

pub async fn mark_all_read<'e>(
    ex: impl sqlx::Executor<'e, Database = sqlx::Any>,
    user_id: &UserId,
    now: i64,
) -> Result<()> {
    const SQL: &str = "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL";
    run::execute(ex, SQL, args![now, user_id]).await?;
    Ok(())
}
