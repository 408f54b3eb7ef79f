use crate::domain::money::Money;
use crate::model::UserId;
use crate::model::{Category, ClinicianChoice, ReviewType};
use crate::server::db::run::{self, args};
use crate::server::db::Result;
use sqlx::AnyConnection;

pub struct NewReviewType<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub price_minor: i64,
    pub currency: &'a str,
    pub expected_days: i64,
}

pub async fn insert_review_type(conn: &mut AnyConnection, rt: &NewReviewType<'_>) -> Result<String> {
    let id = super::new_id();
    const SQL: &str = "INSERT INTO review_types (id, name, description, price_minor, currency, expected_days, active, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7)";
    run::execute(
        conn,
        SQL,
        args![
            &id,
            rt.name,
            rt.description,
            rt.price_minor,
            rt.currency,
            rt.expected_days,
            super::now_ms()
        ],
    )
    .await?;
    Ok(id)
}

pub async fn insert_category(conn: &mut AnyConnection, name: &str) -> Result<String> {
    let id = super::new_id();
    const SQL: &str = "INSERT INTO disease_categories (id, name, active, created_at) VALUES ($1, $2, 1, $3)";
    run::execute(conn, SQL, args![&id, name, super::now_ms()]).await?;
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
) -> Result<()> {
    let sql = match pool {
        Pool::Specialists => {
            "INSERT INTO category_specialists (category_id, clinician_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
        }
        Pool::Coordinators => {
            "INSERT INTO coordinator_pools (category_id, clinician_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
        }
    };
    run::execute(conn, sql, args![category_id, clinician_id]).await?;
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
pub async fn review_types(conn: &mut AnyConnection, only_active: bool) -> Result<Vec<ReviewType>> {
    const SQL: &str =
        "SELECT id, name, description, price_minor, currency, expected_days, active FROM review_types \
         WHERE active = 1 OR $1 = 0 ORDER BY price_minor, name";
    let rows: Vec<ReviewTypeRow> = run::fetch_all(conn, SQL, args![i64::from(only_active)]).await?;
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

pub async fn categories(conn: &mut AnyConnection, only_active: bool) -> Result<Vec<Category>> {
    const SQL: &str =
        "SELECT id, name, active FROM disease_categories WHERE active = 1 OR $1 = 0 ORDER BY name";
    let rows: Vec<(String, String, i64)> =
        run::fetch_all(&mut *conn, SQL, args![i64::from(only_active)]).await?;
    const SQL_2: &str = "SELECT category_id, clinician_id FROM category_specialists";
    let specialists: Vec<(String, UserId)> = run::fetch_all(&mut *conn, SQL_2, args![]).await?;
    const SQL_3: &str = "SELECT category_id, clinician_id FROM coordinator_pools";
    let coordinators: Vec<(String, UserId)> = run::fetch_all(&mut *conn, SQL_3, args![]).await?;
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
pub async fn category_names(conn: &mut AnyConnection) -> Result<Vec<Category>> {
    const SQL: &str = "SELECT id, name, active FROM disease_categories ORDER BY name";
    let rows: Vec<(String, String, i64)> = run::fetch_all(&mut *conn, SQL, args![]).await?;
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
pub async fn clinicians(conn: &mut AnyConnection) -> Result<Vec<ClinicianChoice>> {
    const SQL: &str = "SELECT u.id, u.name, p.title, p.specialties FROM users u JOIN clinician_profiles p ON p.user_id = u.id \
         WHERE u.role = 'clinician' AND u.active = 1 ORDER BY u.name";
    let rows: Vec<(String, String, String, String)> = run::fetch_all(conn, SQL, args![]).await?;
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

pub async fn update_review_type(conn: &mut AnyConnection, id: &str, rt: &NewReviewType<'_>) -> Result<bool> {
    const SQL: &str = "UPDATE review_types SET name = $1, description = $2, price_minor = $3, currency = $4, expected_days = $5 \
         WHERE id = $6";
    let done = run::execute(
        conn,
        SQL,
        args![
            rt.name,
            rt.description,
            rt.price_minor,
            rt.currency,
            rt.expected_days,
            id
        ],
    )
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Activates or deactivates a review type or category. Cases that use it keep it.
pub async fn set_active(conn: &mut AnyConnection, kind: CatalogKind, id: &str, active: bool) -> Result<bool> {
    let sql = match kind {
        CatalogKind::ReviewType => "UPDATE review_types SET active = $1 WHERE id = $2",
        CatalogKind::Category => "UPDATE disease_categories SET active = $1 WHERE id = $2",
    };
    let done = run::execute(conn, sql, args![i64::from(active), id]).await?;
    Ok(done.rows_affected() == 1)
}

pub use crate::model::CatalogKind;

pub async fn rename_category(conn: &mut AnyConnection, id: &str, name: &str) -> Result<bool> {
    const SQL: &str = "UPDATE disease_categories SET name = $1 WHERE id = $2";
    let done = run::execute(conn, SQL, args![name, id]).await?;
    Ok(done.rows_affected() == 1)
}

/// Replaces the members of one of a category's pools.
pub async fn replace_pool(
    conn: &mut AnyConnection,
    pool: Pool,
    category_id: &str,
    members: &[UserId],
) -> Result<()> {
    let sql = match pool {
        Pool::Specialists => "DELETE FROM category_specialists WHERE category_id = $1",
        Pool::Coordinators => "DELETE FROM coordinator_pools WHERE category_id = $1",
    };
    run::execute(&mut *conn, sql, args![category_id]).await?;
    for member in members {
        add_to_pool(conn, pool, category_id, member).await?;
    }
    Ok(())
}

/// Whether an id names an active review type / category (for intake).
pub async fn is_active(conn: &mut AnyConnection, kind: CatalogKind, id: &str) -> Result<bool> {
    let sql = match kind {
        CatalogKind::ReviewType => "SELECT COUNT(*) FROM review_types WHERE id = $1 AND active = 1",
        CatalogKind::Category => "SELECT COUNT(*) FROM disease_categories WHERE id = $1 AND active = 1",
    };
    let n: i64 = run::scalar_one(conn, sql, args![id]).await?;
    Ok(n == 1)
}
