use crate::domain::{account, Role};
use crate::model::CurrentUser;
use crate::model::UserId;
use crate::model::UserSummary;
use crate::server::db::run::{self, args};
use crate::server::db::{Executes, Result};
use sqlx::{AnyConnection, FromRow};

/// A user row as stored. Holds the password hash, so it has neither Serialize nor Debug.
#[derive(FromRow)]
pub struct UserRow {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: String,
    pub active: i64,
    /// 0 until the owner of a self-registered account opened the link sent to the address.
    pub email_verified: i64,
    /// 1 while the password is the one an admin set when creating the account.
    pub must_change_password: i64,
    /// The base32 TOTP secret once two-factor sign-in is set up.
    pub totp_secret: Option<String>,
    /// The time step of the last code accepted (none is accepted twice).
    pub totp_last_step: i64,
    /// The language the person reads the service in (`en`, `ar`).
    pub language: String,
}

impl UserRow {
    /// The stored language; the CHECK constraint admits only ours.
    pub fn language(&self) -> crate::lang::Locale {
        crate::lang::parse(&self.language).unwrap_or_default()
    }

    pub fn role(&self) -> Role {
        // The CHECK constraint admits only known roles; an unknown one is treated as the least
        // privileged rather than crashing the request.
        self.role.parse().unwrap_or(Role::Patient)
    }

    /// The account as the pages see the signed-in person.
    pub fn into_current(self) -> CurrentUser {
        CurrentUser {
            role: self.role(),
            next_step: account::next_step(
                self.role(),
                self.must_change_password == 1,
                self.totp_secret.is_some(),
            ),
            id: self.id,
            name: self.name,
            email: self.email,
        }
    }
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub language: crate::lang::Locale,
}

pub struct ClinicianProfile<'a> {
    pub title: &'a str,
    pub specialties: &'a str,
    pub contact_email: &'a str,
    pub contact_phone: &'a str,
}

pub async fn insert(conn: &mut AnyConnection, user: &NewUser<'_>) -> Result<UserId> {
    let id = UserId::from(super::new_id());
    const SQL: &str =
        "INSERT INTO users (id, email, name, password_hash, role, active, created_at, language) \
         VALUES ($1, $2, $3, $4, $5, 1, $6, $7)";
    run::execute(
        conn,
        SQL,
        args![
            &id,
            user.email,
            user.name,
            user.password_hash,
            user.role.as_str(),
            super::now_ms(),
            crate::lang::code(user.language)
        ],
    )
    .await?;
    Ok(id)
}

pub async fn insert_profile(
    conn: &mut AnyConnection,
    user_id: &UserId,
    profile: &ClinicianProfile<'_>,
) -> Result<()> {
    const SQL: &str =
        "INSERT INTO clinician_profiles (user_id, title, specialties, contact_email, contact_phone) \
         VALUES ($1, $2, $3, $4, $5)";
    run::execute(
        conn,
        SQL,
        args![
            user_id,
            profile.title,
            profile.specialties,
            profile.contact_email,
            profile.contact_phone
        ],
    )
    .await?;
    Ok(())
}

pub async fn find_by_email<'e>(ex: impl Executes<'e>, email: &str) -> Result<Option<UserRow>> {
    const SQL: &str =
        "SELECT id, email, name, password_hash, role, active, email_verified, must_change_password, \
         totp_secret, totp_last_step, language FROM users WHERE email = $1";
    run::fetch_optional(ex, SQL, args![email]).await
}

pub async fn find_by_id<'e>(ex: impl Executes<'e>, id: &UserId) -> Result<Option<UserRow>> {
    const SQL: &str =
        "SELECT id, email, name, password_hash, role, active, email_verified, must_change_password, \
         totp_secret, totp_last_step, language FROM users WHERE id = $1";
    run::fetch_optional(ex, SQL, args![id]).await
}

/// Keeps the language a person chose; whether they exist is the caller's to know.
pub async fn set_language(
    conn: &mut AnyConnection,
    id: &UserId,
    language: crate::lang::Locale,
) -> Result<()> {
    const SQL: &str = "UPDATE users SET language = $1 WHERE id = $2";
    run::execute(conn, SQL, args![crate::lang::code(language), id]).await?;
    Ok(())
}

pub async fn set_active(conn: &mut AnyConnection, id: &UserId, active: bool) -> Result<u64> {
    const SQL: &str = "UPDATE users SET active = $1 WHERE id = $2";
    let done = run::execute(conn, SQL, args![i64::from(active), id]).await?;
    Ok(done.rows_affected())
}

pub async fn count<'e>(ex: impl Executes<'e>) -> Result<i64> {
    run::scalar_one(ex, "SELECT COUNT(*) FROM users", args![]).await
}

#[derive(FromRow)]
struct SummaryRow {
    id: String,
    name: String,
    email: String,
    role: String,
    active: i64,
    title: Option<String>,
    specialties: Option<String>,
    second_factor: i64,
}

/// Staff and patients for the admin's account list, staff first.
pub async fn list<'e>(ex: impl Executes<'e>) -> Result<Vec<UserSummary>> {
    const SQL: &str = "SELECT u.id, u.name, u.email, u.role, u.active, p.title, p.specialties, \
         CASE WHEN u.totp_secret IS NULL THEN 0 ELSE 1 END AS second_factor \
         FROM users u LEFT JOIN clinician_profiles p ON p.user_id = u.id \
         ORDER BY CASE u.role WHEN 'admin' THEN 0 WHEN 'clinician' THEN 1 ELSE 2 END, u.name";
    let rows: Vec<SummaryRow> = run::fetch_all(ex, SQL, args![]).await?;
    Ok(rows
        .into_iter()
        .map(|r| UserSummary {
            role: r.role.parse().unwrap_or(Role::Patient),
            id: r.id,
            name: r.name,
            email: r.email,
            active: r.active == 1,
            title: r.title,
            specialties: r.specialties,
            second_factor: r.second_factor == 1,
        })
        .collect())
}

/// A self-registered account starts unverified.
pub async fn mark_unverified(conn: &mut AnyConnection, user_id: &UserId) -> Result<()> {
    run::execute(
        conn,
        "UPDATE users SET email_verified = 0 WHERE id = $1",
        args![user_id],
    )
    .await?;
    Ok(())
}

pub async fn mark_verified(conn: &mut AnyConnection, user_id: &UserId) -> Result<()> {
    run::execute(
        conn,
        "UPDATE users SET email_verified = 1 WHERE id = $1",
        args![user_id],
    )
    .await?;
    Ok(())
}

/// The owner's new password: it is their own from now on.
pub async fn set_password_hash(conn: &mut AnyConnection, user_id: &UserId, hash: &str) -> Result<()> {
    const SQL: &str = "UPDATE users SET password_hash = $1, must_change_password = 0 WHERE id = $2";
    run::execute(conn, SQL, args![hash, user_id]).await?;
    Ok(())
}

/// An account created with a password someone else chose: its owner must choose their own.
pub async fn require_password_change(conn: &mut AnyConnection, user_id: &UserId) -> Result<()> {
    const SQL: &str = "UPDATE users SET must_change_password = 1 WHERE id = $1";
    run::execute(conn, SQL, args![user_id]).await?;
    Ok(())
}

#[derive(FromRow)]
pub struct ProfileRow {
    pub id: UserId,
    pub role: String,
    pub email: String,
    pub name: String,
    pub phone: String,
    pub title: Option<String>,
    pub specialties: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
}

pub async fn find_profile<'e>(ex: impl Executes<'e>, id: &UserId) -> Result<Option<ProfileRow>> {
    const SQL: &str = "SELECT u.id, u.role, u.email, u.name, u.phone, p.title, p.specialties, \
         p.contact_email, p.contact_phone FROM users u LEFT JOIN clinician_profiles p ON p.user_id = u.id \
         WHERE u.id = $1";
    run::fetch_optional(ex, SQL, args![id]).await
}

pub async fn update_name_and_phone(
    conn: &mut AnyConnection,
    id: &UserId,
    name: &str,
    phone: &str,
) -> Result<()> {
    const SQL: &str = "UPDATE users SET name = $1, phone = $2 WHERE id = $3";
    run::execute(conn, SQL, args![name, phone, id]).await?;
    Ok(())
}

pub async fn update_profile(
    conn: &mut AnyConnection,
    id: &UserId,
    profile: &ClinicianProfile<'_>,
) -> Result<()> {
    const SQL: &str = "UPDATE clinician_profiles SET title = $1, specialties = $2, contact_email = $3, \
         contact_phone = $4 WHERE user_id = $5";
    let args = args![
        profile.title,
        profile.specialties,
        profile.contact_email,
        profile.contact_phone,
        id
    ];
    run::execute(conn, SQL, args).await?;
    Ok(())
}

/// Changes the sign-in email (confirmed by a link sent to it): the address counts as verified.
pub async fn set_email(conn: &mut AnyConnection, id: &UserId, email: &str) -> Result<()> {
    const SQL: &str = "UPDATE users SET email = $1, email_verified = 1 WHERE id = $2";
    run::execute(conn, SQL, args![email, id]).await?;
    Ok(())
}
