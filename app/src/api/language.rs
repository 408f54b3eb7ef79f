//! The language switch: open to everyone, since visitors read the sign-in page too.

use crate::error::AppError;
use leptos::prelude::*;

/// Answers this browser in `language` from now on (a cookie) and, for a signed-in person, keeps
/// the choice on the account. Without script the form's POST comes back to the page it was on.
#[server(endpoint = "choose_language")]
pub async fn choose_language(language: String) -> Result<(), AppError> {
    use super::support::*;
    let asked_in = crate::lang::choice::of_request(&parts()?);
    let locale = crate::lang::parse(language.trim()).ok_or_else(|| {
        AppError::validation("language", crate::i18n::td_string!(asked_in, language.unknown))
    })?;
    let state = state()?;
    if let Some(person) = person().await? {
        crate::server::services::accounts::choose_language(&state.db, &person, locale).await?;
    }
    set_cookie(&crate::lang::choice::set_cookie(
        locale,
        state.config.secure_cookies,
    ))?;
    Ok(())
}
