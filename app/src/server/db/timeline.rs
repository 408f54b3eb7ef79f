use crate::domain::TimelineLabel;
use crate::model::{from_ms, TimelineEntry};
use sqlx::{Any, AnyConnection, Executor, FromRow};

/// Who did something on a case: a person, or the system (payment provider, scheduled job).
pub struct Actor<'a> {
    pub user_id: Option<&'a str>,
    pub role: &'a str,
}

pub async fn append(
    conn: &mut AnyConnection,
    case_id: &str,
    actor: &Actor<'_>,
    label: TimelineLabel,
    detail: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO case_timeline (case_id, at, actor_id, actor_role, label, detail) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(case_id)
    .bind(at)
    .bind(actor.user_id)
    .bind(actor.role)
    .bind(label.as_str())
    .bind(detail)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(FromRow)]
struct Row {
    at: i64,
    actor_name: Option<String>,
    actor_role: String,
    label: String,
    detail: String,
}

/// The case's timeline, oldest first.
pub async fn list<'e>(
    ex: impl Executor<'e, Database = Any>,
    case_id: &str,
) -> Result<Vec<TimelineEntry>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT t.at, u.name AS actor_name, t.actor_role, t.label, t.detail \
         FROM case_timeline t LEFT JOIN users u ON u.id = t.actor_id \
         WHERE t.case_id = $1 ORDER BY t.id",
    )
    .bind(case_id)
    .fetch_all(ex)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(TimelineEntry {
                at: from_ms(r.at),
                actor_name: r.actor_name,
                actor_role: r.actor_role,
                label: r
                    .label
                    .parse()
                    .map_err(|e: String| sqlx::Error::Decode(e.into()))?,
                detail: r.detail,
            })
        })
        .collect()
}
