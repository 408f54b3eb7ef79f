//! The catalog: read by everyone signed in (patients see only what they may choose), changed by
//! admins only.
// Server functions take one argument per form field, so plain HTML forms work before hydration.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::Catalog;
use leptos::prelude::*;

#[server(endpoint = "catalog")]
pub async fn load_catalog() -> Result<Catalog, AppError> {
    use super::support::*;
    use crate::server::services::{catalog, Caller};
    respond(async move {
        let (user, meta) = caller().await?;
        catalog::catalog(
            &state()?.db,
            &Caller {
                user: &user,
                ip: &meta.ip,
            },
        )
        .await
    })
    .await
}

/// What the admin queue filters by: every review type and category, without the staff pools
/// the catalog page also needs (two statements instead of six).
#[server(endpoint = "queue_filters")]
pub async fn load_queue_filters() -> Result<Catalog, AppError> {
    use super::support::*;
    use crate::domain::Role;
    use crate::server::services::catalog;
    respond(async move {
        crate::server::auth::require_role(Role::Admin, "queue_filters").await?;
        catalog::queue_filters(&state()?.db).await
    })
    .await
}

/// Creates (empty `id`) or updates a review type.
#[server(endpoint = "save_review_type")]
pub async fn save_review_type(
    id: String,
    name: String,
    description: String,
    price: String,
    currency: String,
    expected_days: String,
) -> Result<String, AppError> {
    use super::support::*;
    use crate::domain::Role;
    use crate::server::auth::RequestMeta;
    use crate::server::services::catalog::{self, ReviewTypeInput};
    use crate::server::services::Caller;
    respond(async move {
        let admin = crate::server::auth::require_role(Role::Admin, "save_review_type").await?;
        let meta = RequestMeta::current().await;
        let input = ReviewTypeInput {
            name,
            description,
            price,
            currency,
            expected_days,
        };
        let id = (!id.is_empty()).then_some(id);
        catalog::save_review_type(
            &state()?.db,
            &Caller {
                user: &admin,
                ip: &meta.ip,
            },
            id.as_deref(),
            input,
        )
        .await
    })
    .await
}

/// Activates or deactivates a review type (`kind` = `review_type`) or category (`category`).
#[server(endpoint = "set_catalog_active")]
pub async fn set_catalog_active(kind: String, id: String, active: bool) -> Result<(), AppError> {
    use super::support::*;
    use crate::domain::Role;
    use crate::server::auth::RequestMeta;
    use crate::server::db::catalog::Entry;
    use crate::server::services::{catalog, Caller};
    respond(async move {
        let admin = crate::server::auth::require_role(Role::Admin, "set_catalog_active").await?;
        let meta = RequestMeta::current().await;
        let kind = match kind.as_str() {
            "review_type" => Entry::ReviewType,
            "category" => Entry::Category,
            _ => return Err(AppError::validation("kind", "Unknown catalog entry.")),
        };
        catalog::set_active(
            &state()?.db,
            &Caller {
                user: &admin,
                ip: &meta.ip,
            },
            kind,
            &id,
            active,
        )
        .await
    })
    .await
}

/// Creates (empty `id`) or renames a category and sets its two pools.
#[server(endpoint = "save_category")]
pub async fn save_category(
    id: String,
    name: String,
    #[server(default)] specialists: Vec<String>,
    #[server(default)] coordinators: Vec<String>,
) -> Result<String, AppError> {
    use super::support::*;
    use crate::domain::Role;
    use crate::server::auth::RequestMeta;
    use crate::server::services::catalog::{self, CategoryInput};
    use crate::server::services::Caller;
    respond(async move {
        let admin = crate::server::auth::require_role(Role::Admin, "save_category").await?;
        let meta = RequestMeta::current().await;
        let input = CategoryInput {
            name,
            specialists,
            coordinators,
        };
        let id = (!id.is_empty()).then_some(id);
        catalog::save_category(
            &state()?.db,
            &Caller {
                user: &admin,
                ip: &meta.ip,
            },
            id.as_deref(),
            input,
        )
        .await
    })
    .await
}
