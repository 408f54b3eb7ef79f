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
    clinician_id: &str,
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
