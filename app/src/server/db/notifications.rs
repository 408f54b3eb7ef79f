use sqlx::AnyConnection;

pub struct NewNotification<'a> {
    pub user_id: &'a str,
    pub case_id: Option<&'a str>,
    pub kind: &'a str,
    pub title: &'a str,
    pub body: &'a str,
}

pub async fn insert(conn: &mut AnyConnection, n: &NewNotification<'_>, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO notifications (id, user_id, case_id, kind, title, body, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(super::new_id())
    .bind(n.user_id)
    .bind(n.case_id)
    .bind(n.kind)
    .bind(n.title)
    .bind(n.body)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The clinicians holding an active assignment on a case.
pub async fn assigned_clinicians(
    conn: &mut AnyConnection,
    case_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT clinician_id FROM case_assignments WHERE case_id = $1 AND active = 1")
        .bind(case_id)
        .fetch_all(conn)
        .await
}

pub async fn unread_count(conn: &mut AnyConnection, user_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
        .bind(user_id)
        .fetch_one(conn)
        .await
}

/// Names and sign-in emails of the given users, for email notifications.
pub async fn contacts(
    conn: &mut AnyConnection,
    ids: &[String],
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let mut out = Vec::new();
    for id in ids {
        let row: Option<(String, String)> =
            sqlx::query_as("SELECT id, email FROM users WHERE id = $1 AND active = 1")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
        out.extend(row);
    }
    Ok(out)
}
