//! Account management, for admins only.
// Server functions take one argument per form field, so plain HTML forms work before hydration;
// the staff form has eight. The #[server] macro does not carry an item-level allow through.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::UserSummary;
use leptos::prelude::*;

#[server(endpoint = "list_accounts")]
pub async fn list_accounts() -> Result<Vec<UserSummary>, AppError> {
    use super::support::*;
    use crate::domain::Role;
    respond(async move {
        crate::server::auth::require_role(Role::Admin, "list_accounts").await?;
        Ok(crate::server::db::users::list(state()?.db.pool()).await?)
    })
    .await
}

/// Creates a clinician (with the profile patients see) or another admin.
#[server(endpoint = "create_staff")]
pub async fn create_staff(
    role: String,
    name: String,
    email: String,
    password: String,
    title: Option<String>,
    specialties: Option<String>,
    contact_email: Option<String>,
    contact_phone: Option<String>,
) -> Result<String, AppError> {
    use super::support::*;
    use crate::domain::Role;
    use crate::server::auth::RequestMeta;
    use crate::server::services::{accounts, Caller};
    respond(async move {
        let admin = crate::server::auth::require_role(Role::Admin, "create_account").await?;
        let meta = RequestMeta::current().await;
        let role: Role = role
            .parse()
            .map_err(|_| AppError::validation("role", "Choose clinician or admin."))?;
        let profile = (role == Role::Clinician).then(|| accounts::ProfileInput {
            title: title.unwrap_or_default(),
            specialties: specialties.unwrap_or_default(),
            contact_email: contact_email.unwrap_or_default(),
            contact_phone: contact_phone.unwrap_or_default(),
        });
        let input = accounts::NewStaff {
            role,
            name,
            email,
            password,
            profile,
        };
        accounts::create_staff(
            &state()?.db,
            &Caller {
                user: &admin,
                ip: &meta.ip,
            },
            input,
        )
        .await
    })
    .await
}

/// Deactivates (ending every session at once) or reactivates an account.
#[server(endpoint = "set_account_active")]
pub async fn set_account_active(user_id: String, active: bool) -> Result<(), AppError> {
    use super::support::*;
    use crate::domain::Role;
    use crate::server::auth::RequestMeta;
    use crate::server::services::{accounts, Caller};
    respond(async move {
        let admin = crate::server::auth::require_role(Role::Admin, "set_account_active").await?;
        let meta = RequestMeta::current().await;
        let state = state()?;
        accounts::set_active(
            &state.db,
            &Caller {
                user: &admin,
                ip: &meta.ip,
            },
            &user_id,
            active,
        )
        .await?;
        // Its open event streams see at once that their session has ended.
        state.live.announce(&user_id);
        Ok(())
    })
    .await
}
