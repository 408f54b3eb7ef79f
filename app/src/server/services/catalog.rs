//! The catalog admins configure: review types, disease categories and their staff pools.
//! Deactivating an entry hides it from new cases and never changes cases that already use it.

use super::audit::{self, On};
use super::Person;
use crate::domain::audit::{Outcome, UseCase};
use crate::domain::money::{parse_amount, parse_currency};
use crate::domain::{validate, Role};
use crate::error::{AppError, FieldError};
use crate::i18n::td_string;
use crate::lang;
use crate::model::Catalog;
use crate::model::UserId;
use crate::server::db::catalog::{self, CatalogKind, NewReviewType, Pool};
use crate::server::db::Db;
use crate::server::failure::is_unique_violation;

/// Admins see everything, with the clinicians for the pool pickers; everyone else sees only
/// what a patient may choose now.
pub async fn catalog(db: &Db, caller: &Person) -> Result<Catalog, AppError> {
    let admin = caller.user.role == Role::Admin;
    let mut conn = db.pool().acquire().await?;
    Ok(Catalog {
        review_types: catalog::review_types(&mut conn, !admin).await?,
        categories: catalog::categories(&mut conn, !admin).await?,
        clinicians: if admin {
            catalog::clinicians(&mut conn).await?
        } else {
            Vec::new()
        },
    })
}

/// Every review type and category, active or not, for the admin queue's filters.
pub async fn queue_filters(db: &Db) -> Result<Catalog, AppError> {
    let mut conn = db.pool().acquire().await?;
    Ok(Catalog {
        review_types: catalog::review_types(&mut conn, false).await?,
        categories: catalog::category_names(&mut conn).await?,
        clinicians: Vec::new(),
    })
}

pub use crate::model::ReviewTypeInput;

struct ValidReviewType {
    name: String,
    description: String,
    price_minor: i64,
    currency: String,
    expected_days: i64,
}

fn validate_review_type(input: &ReviewTypeInput) -> Result<ValidReviewType, AppError> {
    let locale = lang::current();
    let mut checks = validate::Checks::default();
    let enter_name = td_string!(locale, errors.enter_name);
    let name = checks.check(validate::required_text("name", &input.name, 80, enter_name));
    let description = input.description.trim().to_owned();
    if description.chars().count() > 500 {
        let too_long = td_string!(locale, errors.max_chars, count = 500usize);
        checks.check::<()>(Err(FieldError::new("description", too_long)));
    }
    let price = checks.check(parse_amount(&input.price).map_err(|m| FieldError::new("price", m)));
    let currency = checks.check(parse_currency(&input.currency).map_err(|m| FieldError::new("currency", m)));
    let days = checks.check(
        input
            .expected_days
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|d| (1..=90).contains(d))
            .ok_or_else(|| FieldError::new("expected_days", td_string!(locale, errors.expected_days_range))),
    );
    checks.finish().map_err(AppError::Validation)?;
    match (name, price, currency, days) {
        (Some(name), Some(price_minor), Some(currency), Some(expected_days)) => Ok(ValidReviewType {
            name,
            description,
            price_minor,
            currency,
            expected_days,
        }),
        _ => Err(AppError::validation(
            "name",
            td_string!(locale, errors.fill_every_field),
        )),
    }
}

/// Creates a review type (`id` None) or updates one. Existing cases keep the price they were
/// created with only once payments record it; the catalog row itself is what changes here.
pub async fn save_review_type(
    db: &Db,
    caller: &Person,
    id: Option<&str>,
    input: ReviewTypeInput,
) -> Result<String, AppError> {
    require_admin(caller)?;
    let valid = validate_review_type(&input)?;
    let rt = NewReviewType {
        name: &valid.name,
        description: &valid.description,
        price_minor: valid.price_minor,
        currency: &valid.currency,
        expected_days: valid.expected_days,
    };
    let mut tx = db.begin().await?;
    let saved = match id {
        None => catalog::insert_review_type(&mut tx, &rt).await.map(Some),
        Some(id) => catalog::update_review_type(&mut tx, id, &rt)
            .await
            .map(|found| found.then(|| id.to_owned())),
    };
    let id = saved_id(saved, td_string!(lang::current(), errors.review_type_name_taken))?;
    audit::succeeded(&mut *tx, &caller.into(), UseCase::SaveReviewType, On::record(&id)).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn set_active(
    db: &Db,
    caller: &Person,
    kind: CatalogKind,
    id: &str,
    active: bool,
) -> Result<(), AppError> {
    require_admin(caller)?;
    let mut tx = db.begin().await?;
    if !catalog::set_active(&mut tx, kind, id, active).await? {
        return Err(AppError::NotFound);
    }
    let action = match (kind, active) {
        (CatalogKind::ReviewType, true) => UseCase::ActivateReviewType,
        (CatalogKind::ReviewType, false) => UseCase::DeactivateReviewType,
        (CatalogKind::Category, true) => UseCase::ActivateCategory,
        (CatalogKind::Category, false) => UseCase::DeactivateCategory,
    };
    audit::record(&mut *tx, &caller.into(), action, On::record(id), Outcome::Ok).await?;
    tx.commit().await?;
    Ok(())
}

pub struct CategoryInput {
    pub name: String,
    pub specialists: Vec<UserId>,
    pub coordinators: Vec<UserId>,
}

/// Creates a category (`id` None) or renames one, and sets both of its pools. Pool members must
/// be active clinicians.
pub async fn save_category(
    db: &Db,
    caller: &Person,
    id: Option<&str>,
    input: CategoryInput,
) -> Result<String, AppError> {
    require_admin(caller)?;
    let locale = lang::current();
    let name = validate::required_text("name", &input.name, 80, td_string!(locale, errors.enter_name))
        .map_err(|e| AppError::Validation(vec![e]))?;
    let mut tx = db.begin().await?;
    let clinicians: Vec<UserId> = catalog::clinicians(&mut tx)
        .await?
        .into_iter()
        .map(|c| UserId::from(c.id))
        .collect();
    for (field, members) in [
        ("specialists", &input.specialists),
        ("coordinators", &input.coordinators),
    ] {
        if members.iter().any(|m| !clinicians.contains(m)) {
            return Err(AppError::validation(
                field,
                td_string!(locale, errors.active_clinicians_only),
            ));
        }
    }
    let saved = match id {
        None => catalog::insert_category(&mut tx, &name).await.map(Some),
        Some(id) => catalog::rename_category(&mut tx, id, &name)
            .await
            .map(|found| found.then(|| id.to_owned())),
    };
    let id = saved_id(saved, td_string!(locale, errors.category_name_taken))?;
    catalog::replace_pool(&mut tx, Pool::Specialists, &id, &dedup(input.specialists)).await?;
    catalog::replace_pool(&mut tx, Pool::Coordinators, &id, &dedup(input.coordinators)).await?;
    audit::succeeded(&mut *tx, &caller.into(), UseCase::SaveCategory, On::record(&id)).await?;
    tx.commit().await?;
    Ok(id)
}

/// The id of a saved entry: "not found" for an update of a missing one, a message beside the
/// name field when the name is taken.
fn saved_id(saved: Result<Option<String>, sqlx::Error>, name_taken: &str) -> Result<String, AppError> {
    match saved {
        Ok(Some(id)) => Ok(id),
        Ok(None) => Err(AppError::NotFound),
        Err(e) if is_unique_violation(&e) => Err(AppError::validation("name", name_taken)),
        Err(e) => Err(e.into()),
    }
}

fn dedup(mut ids: Vec<UserId>) -> Vec<UserId> {
    ids.sort();
    ids.dedup();
    ids
}

fn require_admin(caller: &Person) -> Result<(), AppError> {
    if caller.user.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::forbidden(td_string!(
            lang::current(),
            errors.only_admins_catalog
        )))
    }
}
