//! The catalog: read by everyone signed in (patients see only what they may choose), changed by
//! admins only.
// Server functions take one argument per form field, so plain HTML forms work before hydration.
#![allow(clippy::too_many_arguments)]

#[cfg(feature = "ssr")]
use crate::domain::{audit::UseCase, Role};
use crate::error::AppError;
use crate::model::UserId;
use crate::model::{Catalog, CatalogKind, ReviewTypeInput};
use leptos::prelude::*;

#[server(endpoint = "load_catalog")]
pub async fn load_catalog() -> Result<Catalog, AppError> {
    let call = super::support::signed_in().await?;
    crate::server::services::catalog::catalog(&call.state.db, &call.person).await
}

/// What the admin queue filters by: every review type and category, without the staff pools
/// the catalog page also needs (two statements instead of six).
#[server(endpoint = "load_queue_filters")]
pub async fn load_queue_filters() -> Result<Catalog, AppError> {
    let call = super::support::signed_in_as(Role::Admin, UseCase::LoadQueueFilters).await?;
    crate::server::services::catalog::queue_filters(&call.state.db).await
}

/// Creates (empty `id`) or updates a review type.
#[server(endpoint = "save_review_type")]
pub async fn save_review_type(
    id: String,
    #[server(flatten)] input: ReviewTypeInput,
) -> Result<String, AppError> {
    let call = super::support::signed_in_as(Role::Admin, UseCase::SaveReviewType).await?;
    let id = Some(id.as_str()).filter(|i| !i.is_empty());
    crate::server::services::catalog::save_review_type(&call.state.db, &call.person, id, input).await
}

/// Activates or deactivates a review type or a category.
#[server(endpoint = "set_catalog_active")]
pub async fn set_catalog_active(kind: CatalogKind, id: String, active: bool) -> Result<(), AppError> {
    let call = super::support::signed_in_as(Role::Admin, UseCase::SetCatalogActive).await?;
    crate::server::services::catalog::set_active(&call.state.db, &call.person, kind, &id, active).await
}

/// Creates (empty `id`) or renames a category and sets its two pools.
#[server(endpoint = "save_category")]
pub async fn save_category(
    id: String,
    name: String,
    #[server(default)] specialists: Vec<UserId>,
    #[server(default)] coordinators: Vec<UserId>,
) -> Result<String, AppError> {
    use crate::server::services::catalog::{self, CategoryInput};
    let call = super::support::signed_in_as(Role::Admin, UseCase::SaveCategory).await?;
    let input = CategoryInput {
        name,
        specialists,
        coordinators,
    };
    catalog::save_category(
        &call.state.db,
        &call.person,
        Some(id.as_str()).filter(|i| !i.is_empty()),
        input,
    )
    .await
}
