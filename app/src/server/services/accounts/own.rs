//! What signed-in people do to their own account: change their password, see where they are
//! signed in, and sign out one session or all of them.

use super::{audit_self, prove_password, tell_and_audit};
use crate::domain::audit::UseCase;
use crate::domain::validate;
use crate::error::AppError;
use crate::i18n::td_string;
use crate::lang::Locale;
use crate::model::{from_ms, SessionSummary};
use crate::server::auth::{password, token};
use crate::server::caller::Person;
use crate::server::config::Config;
use crate::server::db::{self, sessions, users, Db};

/// What a person sends to change their password.
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

/// Changes the password of `person`, who proves it is them with the current one; every other
/// session of the account ends (the one making the change stays signed in) and the owner is
/// told by email. Guesses at the current password count against the account's sign-in
/// throttle, so a stolen session cannot be used to find the password.
pub async fn change_password(
    db: &Db,
    config: &Config,
    person: &Person,
    session_token: &str,
    change: PasswordChange,
) -> Result<(), AppError> {
    let new =
        validate::new_password("new_password", &change.new).map_err(|e| AppError::Validation(vec![e]))?;
    let proven = prove_password(db, config, person, change.current).await?;
    let new_hash = {
        let _slot = config.hashing.enter().await?;
        if password::verify(new.clone(), Some(proven.user.password_hash.clone())).await? {
            return Err(AppError::validation(
                "new_password",
                td_string!(crate::lang::current(), account_errors.same_password),
            ));
        }
        password::hash(new).await?
    };
    let mut tx = db.begin().await?;
    users::set_password_hash(&mut tx, person.id(), &new_hash).await?;
    sessions::delete_others(&mut tx, person.id(), &token::hash(session_token)).await?;
    proven.done(&mut tx).await?;
    let locale = proven.user.language();
    let body = td_string!(locale, emails.password_changed_body, url = &config.public_url);
    let email = (td_string!(locale, emails.password_changed_subject), body.as_str());
    tell_and_audit(
        &mut tx,
        person,
        &proven.user.email,
        email,
        UseCase::ChangePassword,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The live sessions of `person`, most recently used first, the caller's own marked.
pub async fn list_sessions(
    db: &Db,
    config: &Config,
    person: &Person,
    session_token: &str,
) -> Result<Vec<SessionSummary>, AppError> {
    let idle_ms = i64::try_from(config.session_idle.as_millis()).unwrap_or(i64::MAX);
    let rows = sessions::list_live(db.pool(), person.id(), db::now_ms(), idle_ms).await?;
    let current = token::hash(session_token);
    Ok(rows
        .into_iter()
        .map(|row| SessionSummary {
            device: device(crate::lang::current(), &row.user_agent),
            current: row.token_hash == current,
            id: row.id,
            ip: row.ip,
            started_at: from_ms(row.created_at),
            last_used_at: from_ms(row.last_seen_at),
        })
        .collect())
}

/// Signs out one of `person`'s sessions. Someone else's session answers like a missing one.
pub async fn end_session(db: &Db, person: &Person, session_id: &str) -> Result<(), AppError> {
    if session_id.trim().is_empty() {
        return Err(AppError::validation(
            "session_id",
            td_string!(crate::lang::current(), account_errors.choose_session),
        ));
    }
    let mut tx = db.begin().await?;
    if sessions::delete_own(&mut tx, person.id(), session_id).await? == 0 {
        return Err(AppError::NotFound);
    }
    audit_self(
        &mut tx,
        person.id(),
        person.user.role,
        UseCase::EndSession,
        &person.ip,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Signs out every session of `person`, the caller's own included; how many ended.
pub async fn end_all_sessions(db: &Db, person: &Person) -> Result<u64, AppError> {
    let mut tx = db.begin().await?;
    let ended = sessions::delete_for_user(&mut tx, person.id()).await?;
    audit_self(
        &mut tx,
        person.id(),
        person.user.role,
        UseCase::EndAllSessions,
        &person.ip,
    )
    .await?;
    tx.commit().await?;
    Ok(ended)
}

/// "Firefox on Windows" from a user agent, or "Unknown device", in the reader's language.
fn device(locale: Locale, user_agent: &str) -> String {
    let unknown = || td_string!(locale, account.device_unknown).to_owned();
    let Some(ua) = woothee::parser::Parser::new().parse(user_agent) else {
        return unknown();
    };
    let known = |s: &str| !s.is_empty() && s != "UNKNOWN";
    match (known(ua.name), known(ua.os)) {
        (true, true) => td_string!(locale, account.device_on, browser = ua.name, system = ua.os),
        (true, false) => ua.name.to_owned(),
        (false, true) => ua.os.to_owned(),
        (false, false) => unknown(),
    }
}

#[cfg(test)]
mod tests {
    use super::device;
    use crate::lang::Locale;

    #[test]
    fn a_device_is_named_by_browser_and_system() {
        let table = [
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
                "Firefox on Windows 10",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 \
                 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
                "Safari on iPhone",
            ),
            ("", "Unknown device"),
            ("curl/8.5.0", "HTTP Library"),
        ];
        for (user_agent, expected) in table {
            assert_eq!(device(Locale::en, user_agent), expected, "{user_agent}");
        }
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 \
                      (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
        assert_eq!(device(Locale::ar, iphone), "Safari على iPhone");
        assert_eq!(device(Locale::ar, ""), "جهاز غير معروف");
    }
}
