use crate::domain::CaseStatus;
use crate::model::{CaseId, UserId};
use crate::server::db::run::{self, args};
use crate::server::db::{Executes, Result};
use sqlx::{AnyConnection, FromRow};

pub async fn insert(
    conn: &mut AnyConnection,
    case_id: &CaseId,
    clinician_id: &UserId,
    is_coordinator: bool,
    created_by: &UserId,
    now: i64,
) -> Result<()> {
    const SQL: &str = "INSERT INTO case_assignments (id, case_id, clinician_id, is_coordinator, active, created_at, created_by) \
         VALUES ($1, $2, $3, $4, 1, $5, $6)";
    run::execute(
        conn,
        SQL,
        args![
            super::new_id(),
            case_id,
            clinician_id,
            i64::from(is_coordinator),
            now,
            created_by
        ],
    )
    .await?;
    Ok(())
}

/// Deactivates a clinician's active assignment on a case (kept, with when and by whom).
pub async fn deactivate(
    conn: &mut AnyConnection,
    case_id: &CaseId,
    clinician_id: &UserId,
    by: &UserId,
    now: i64,
) -> Result<bool> {
    const SQL: &str = "UPDATE case_assignments SET active = 0, deactivated_at = $1, deactivated_by = $2 \
         WHERE case_id = $3 AND clinician_id = $4 AND active = 1";
    let done = run::execute(conn, SQL, args![now, by, case_id, clinician_id]).await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_coordinator(
    conn: &mut AnyConnection,
    case_id: &CaseId,
    clinician_id: &UserId,
) -> Result<()> {
    const SQL: &str = "UPDATE review_cases SET coordinator_id = $1 WHERE id = $2";
    run::execute(conn, SQL, args![clinician_id, case_id]).await?;
    Ok(())
}

pub async fn set_expected_review(conn: &mut AnyConnection, case_id: &CaseId, at: i64) -> Result<()> {
    const SQL: &str =
        "UPDATE review_cases SET expected_review_at = $1 WHERE id = $2 AND expected_review_at IS NULL";
    run::execute(conn, SQL, args![at, case_id]).await?;
    Ok(())
}

/// Active specialists on a case.
pub async fn active_specialists<'e>(ex: impl Executes<'e>, case_id: &CaseId) -> Result<Vec<UserId>> {
    const SQL: &str =
        "SELECT clinician_id FROM case_assignments WHERE case_id = $1 AND active = 1 AND is_coordinator = 0";
    run::scalar_all(ex, SQL, args![case_id]).await
}

/// A clinician's name and profile, as the case page and the staffing choices read it.
#[derive(FromRow, serde::Deserialize, Clone, Debug)]
pub struct Profile {
    pub id: String,
    pub name: String,
    pub title: String,
    pub specialties: String,
    pub contact_email: String,
    pub contact_phone: String,
}

#[derive(FromRow, Clone, Debug)]
pub struct PoolMember {
    #[sqlx(flatten)]
    pub profile: Profile,
    pub open_cases: i64,
}

/// Members of a category's pool who can take work, with how many open cases each holds now.
pub async fn pool_members<'e>(
    ex: impl Executes<'e>,
    category_id: &str,
    coordinators: bool,
) -> Result<Vec<PoolMember>> {
    let sql = if coordinators {
        POOL_SQL_COORDINATORS
    } else {
        POOL_SQL_SPECIALISTS
    };
    // Open cases are the ones that are not over yet.
    let [completed, cancelled, rejected] = CaseStatus::TERMINAL;
    run::fetch_all(ex, sql, args![category_id, completed, cancelled, rejected]).await
}

macro_rules! pool_sql {
    ($table:literal) => {
        concat!(
            "SELECT u.id, u.name, p.title, p.specialties, p.contact_email, p.contact_phone, ",
            "(SELECT COUNT(*) FROM case_assignments a JOIN review_cases c ON c.id = a.case_id ",
            " WHERE a.clinician_id = u.id AND a.active = 1 ",
            " AND c.status NOT IN ($2, $3, $4)) AS open_cases ",
            "FROM ",
            $table,
            " m JOIN users u ON u.id = m.clinician_id ",
            "JOIN clinician_profiles p ON p.user_id = u.id ",
            "WHERE m.category_id = $1 AND u.active = 1 ORDER BY open_cases, u.name"
        )
    };
}

const POOL_SQL_COORDINATORS: &str = pool_sql!("coordinator_pools");
const POOL_SQL_SPECIALISTS: &str = pool_sql!("category_specialists");
