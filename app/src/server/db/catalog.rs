use crate::domain::money::Money;
use crate::model::UserId;
use crate::model::{Category, ClinicianChoice, ReviewType};
use sqlx::AnyConnection;

pub struct NewReviewType<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub price_minor: i64,
    pub currency: &'a str,
    pub expected_days: i64,
}

pub async fn insert_review_type(
    conn: &mut AnyConnection,
    rt: &NewReviewType<'_>,
) -> Result<String, sqlx::Error> {
    let id = super::new_id();
    sqlx::query(
        "INSERT INTO review_types (id, name, description, price_minor, currency, expected_days, active, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7)",
    )
    .bind(&id)
    .bind(rt.name)
    .bind(rt.description)
    .bind(rt.price_minor)
    .bind(rt.currency)
    .bind(rt.expected_days)
    .bind(super::now_ms())
    .execute(conn)
    .await?;
    Ok(id)
}

pub async fn insert_category(conn: &mut AnyConnection, name: &str) -> Result<String, sqlx::Error> {
    let id = super::new_id();
    sqlx::query("INSERT INTO disease_categories (id, name, active, created_at) VALUES ($1, $2, 1, $3)")
        .bind(&id)
        .bind(name)
        .bind(super::now_ms())
        .execute(conn)
        .await?;
    Ok(id)
}

/// Which staff pool of a category a clinician joins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pool {
    Specialists,
    Coordinators,
}

pub async fn add_to_pool(
    conn: &mut AnyConnection,
    pool: Pool,
    category_id: &str,
    clinician_id: &UserId,
) -> Result<(), sqlx::Error> {
    let sql = match pool {
        Pool::Specialists => {
            "INSERT INTO category_specialists (category_id, clinician_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
        }
        Pool::Coordinators => {
            "INSERT INTO coordinator_pools (category_id, clinician_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
        }
    };
    sqlx::query(sql)
        .bind(category_id)
        .bind(clinician_id)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ReviewTypeRow {
    id: String,
    name: String,
    description: String,
    price_minor: i64,
    currency: String,
    expected_days: i64,
    active: i64,
}

/// All review types (`only_active`: the ones patients may pick), by name.
pub async fn review_types(
    conn: &mut AnyConnection,
    only_active: bool,
) -> Result<Vec<ReviewType>, sqlx::Error> {
    let rows: Vec<ReviewTypeRow> = sqlx::query_as(
        "SELECT id, name, description, price_minor, currency, expected_days, active FROM review_types \
         WHERE active = 1 OR $1 = 0 ORDER BY price_minor, name",
    )
    .bind(i64::from(only_active))
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ReviewType {
            id: r.id,
            name: r.name,
            description: r.description,
            price: Money {
                minor: r.price_minor,
                currency: r.currency,
            },
            expected_days: u32::try_from(r.expected_days).unwrap_or(0),
            active: r.active == 1,
        })
        .collect())
}

pub async fn categories(conn: &mut AnyConnection, only_active: bool) -> Result<Vec<Category>, sqlx::Error> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT id, name, active FROM disease_categories WHERE active = 1 OR $1 = 0 ORDER BY name",
    )
    .bind(i64::from(only_active))
    .fetch_all(&mut *conn)
    .await?;
    let specialists: Vec<(String, UserId)> =
        sqlx::query_as("SELECT category_id, clinician_id FROM category_specialists")
            .fetch_all(&mut *conn)
            .await?;
    let coordinators: Vec<(String, UserId)> =
        sqlx::query_as("SELECT category_id, clinician_id FROM coordinator_pools")
            .fetch_all(&mut *conn)
            .await?;
    let members = |pairs: &[(String, UserId)], id: &str| -> Vec<UserId> {
        pairs
            .iter()
            .filter(|(c, _)| c == id)
            .map(|(_, m)| m.clone())
            .collect()
    };
    Ok(rows
        .into_iter()
        .map(|(id, name, active)| Category {
            specialists: members(&specialists, &id),
            coordinators: members(&coordinators, &id),
            id,
            name,
            active: active == 1,
        })
        .collect())
}

/// Every category with its name and state only (no pools): what filters need.
pub async fn category_names(conn: &mut AnyConnection) -> Result<Vec<Category>, sqlx::Error> {
    let rows: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT id, name, active FROM disease_categories ORDER BY name")
            .fetch_all(&mut *conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, active)| Category {
            id,
            name,
            active: active == 1,
            specialists: Vec::new(),
            coordinators: Vec::new(),
        })
        .collect())
}

/// Active clinician accounts with their profiles, for the pool pickers.
pub async fn clinicians(conn: &mut AnyConnection) -> Result<Vec<ClinicianChoice>, sqlx::Error> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.name, p.title, p.specialties FROM users u JOIN clinician_profiles p ON p.user_id = u.id \
         WHERE u.role = 'clinician' AND u.active = 1 ORDER BY u.name",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, title, specialties)| ClinicianChoice {
            id,
            name,
            title,
            specialties,
        })
        .collect())
}

pub async fn update_review_type(
    conn: &mut AnyConnection,
    id: &str,
    rt: &NewReviewType<'_>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE review_types SET name = $1, description = $2, price_minor = $3, currency = $4, expected_days = $5 \
         WHERE id = $6",
    )
    .bind(rt.name)
    .bind(rt.description)
    .bind(rt.price_minor)
    .bind(rt.currency)
    .bind(rt.expected_days)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Activates or deactivates a review type or category. Cases that use it keep it.
pub async fn set_active(
    conn: &mut AnyConnection,
    kind: CatalogKind,
    id: &str,
    active: bool,
) -> Result<bool, sqlx::Error> {
    let sql = match kind {
        CatalogKind::ReviewType => "UPDATE review_types SET active = $1 WHERE id = $2",
        CatalogKind::Category => "UPDATE disease_categories SET active = $1 WHERE id = $2",
    };
    let done = sqlx::query(sql)
        .bind(i64::from(active))
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub use crate::model::CatalogKind;

pub async fn rename_category(conn: &mut AnyConnection, id: &str, name: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE disease_categories SET name = $1 WHERE id = $2")
        .bind(name)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Replaces the members of one of a category's pools.
pub async fn replace_pool(
    conn: &mut AnyConnection,
    pool: Pool,
    category_id: &str,
    members: &[UserId],
) -> Result<(), sqlx::Error> {
    let sql = match pool {
        Pool::Specialists => "DELETE FROM category_specialists WHERE category_id = $1",
        Pool::Coordinators => "DELETE FROM coordinator_pools WHERE category_id = $1",
    };
    sqlx::query(sql).bind(category_id).execute(&mut *conn).await?;
    for member in members {
        add_to_pool(conn, pool, category_id, member).await?;
    }
    Ok(())
}

/// Whether an id names an active review type / category (for intake).
pub async fn is_active(conn: &mut AnyConnection, kind: CatalogKind, id: &str) -> Result<bool, sqlx::Error> {
    let sql = match kind {
        CatalogKind::ReviewType => "SELECT COUNT(*) FROM review_types WHERE id = $1 AND active = 1",
        CatalogKind::Category => "SELECT COUNT(*) FROM disease_categories WHERE id = $1 AND active = 1",
    };
    let n: i64 = sqlx::query_scalar(sql).bind(id).fetch_one(conn).await?;
    Ok(n == 1)
}
