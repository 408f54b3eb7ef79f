//! The language a signed-in person reads the service in.

use super::audit_self;
use crate::domain::audit::UseCase;
use crate::error::AppError;
use crate::lang::Locale;
use crate::server::caller::Person;
use crate::server::db::{users, Db};

/// Keeps the language `person` chose: their pages on every browser they sign in on, their
/// emails and their report.
pub async fn choose_language(db: &Db, person: &Person, language: Locale) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    users::set_language(&mut tx, person.id(), language).await?;
    audit_self(
        &mut tx,
        person.id(),
        person.user.role,
        UseCase::ChooseLanguage,
        &person.ip,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
