//! Sign-in throttling (quality A4), per account and per client address.
//!
//! Every attempt first *reserves* itself with one conditional upsert that counts it and returns
//! the count, before any password is checked. The statement refuses (returns no row) while the
//! key is blocked, so however many attempts arrive at once, only the free ones are ever
//! evaluated: the database serialises the reservations. Past the free attempts each further
//! one blocks the key for longer (1, 2, 4, 8, then 15 minutes): a guesser is slowed to a few
//! tries an hour, while the owner who mistyped waits minutes at most and is let in again by
//! the first right password. A day without attempts forgets the count.

use crate::server::db::now_ms;
use crate::server::db::run::{self, args};
use sqlx::{Any, Executor};

/// Attempts on one account before the delays start.
pub const ACCOUNT_FREE_ATTEMPTS: i64 = 5;
/// Attempts from one client address before the delays start: more, since a clinic or a
/// household shares one address.
pub const CLIENT_FREE_ATTEMPTS: i64 = 30;
/// Password-reset emails asked for one address before the delays start.
pub const RESET_FREE_REQUESTS: i64 = 3;
/// Password-reset requests from one client address before the delays start.
pub const RESET_CLIENT_FREE_REQUESTS: i64 = 10;
/// Codes tried on one waiting sign-in's account before the delays start.
pub const CODE_FREE_ATTEMPTS: i64 = 5;
/// A key with no attempt for this long starts again from zero.
pub const FORGET_AFTER_MS: i64 = 24 * 60 * 60 * 1000;
/// The delay after the last free attempt, doubling with each further one up to [`MAX_DELAY_MS`].
pub const FIRST_DELAY_MS: i64 = 60 * 1000;
pub const MAX_DELAY_MS: i64 = 15 * 60 * 1000;

/// What is throttled: sign-ins to one account (by a keyed hash of its email) or from one client
/// address, password-reset requests for one address or from one client, and second-factor codes
/// for one account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Key {
    Account(String),
    Client(String),
    Reset(String),
    ResetClient(String),
    /// Second-factor codes tried for one account (by its id).
    Code(String),
}

impl Key {
    fn stored(&self) -> String {
        match self {
            Key::Account(email_ref) => format!("account:{email_ref}"),
            Key::Client(address) => format!("client:{address}"),
            Key::Reset(email_ref) => format!("reset:{email_ref}"),
            Key::ResetClient(address) => format!("reset-client:{address}"),
            Key::Code(user_id) => format!("code:{user_id}"),
        }
    }

    fn free_attempts(&self) -> i64 {
        match self {
            Key::Account(_) => ACCOUNT_FREE_ATTEMPTS,
            Key::Client(_) => CLIENT_FREE_ATTEMPTS,
            Key::Reset(_) => RESET_FREE_REQUESTS,
            Key::ResetClient(_) => RESET_CLIENT_FREE_REQUESTS,
            Key::Code(_) => CODE_FREE_ATTEMPTS,
        }
    }
}

/// How long attempt number `n` blocks its key, given `free` attempts without delay: nothing
/// before the last free one, then 1, 2, 4, 8 minutes, then 15 minutes for every further one.
pub fn delay_after(n: i64, free: i64) -> i64 {
    if n < free {
        return 0;
    }
    let doublings = u32::try_from((n - free).min(10)).unwrap_or(10);
    (FIRST_DELAY_MS << doublings).min(MAX_DELAY_MS)
}

/// The delay in SQL, for the upsert: `CASE` over the new count (named `$n` by the caller).
fn delay_sql(count: &str) -> String {
    let mut arms = String::new();
    let mut step: i64 = 0;
    loop {
        let delay = delay_after(step, 0);
        if delay == MAX_DELAY_MS {
            arms.push_str(&format!("WHEN {count} >= $4 + {step} THEN {delay} "));
            break;
        }
        arms.push_str(&format!("WHEN {count} = $4 + {step} THEN {delay} "));
        step += 1;
    }
    format!("(CASE {arms}ELSE 0 END)")
}

/// Reserves one attempt for `key`. `Ok(true)`: the attempt may be evaluated (it is counted
/// already). `Ok(false)`: the key is blocked and the attempt must be refused unevaluated.
pub async fn reserve<'e>(ex: impl Executor<'e, Database = Any>, key: &Key) -> Result<bool, sqlx::Error> {
    let now = now_ms();
    let count =
        "(CASE WHEN login_throttle.last_attempt_at <= $3 THEN 1 ELSE login_throttle.attempts + 1 END)";
    // $1 key, $2 now, $3 forget-before, $4 free attempts. A first attempt (the INSERT) is never
    // blocked and blocks nothing, since every key allows more than one free attempt.
    let sql = format!(
        "INSERT INTO login_throttle (key, attempts, last_attempt_at, blocked_until) VALUES ($1, 1, $2, 0) \
         ON CONFLICT (key) DO UPDATE SET \
           attempts = {count}, \
           last_attempt_at = $2, \
           blocked_until = $2 + {delay} \
         WHERE login_throttle.blocked_until <= $2 \
         RETURNING attempts",
        delay = delay_sql(count),
    );
    let statement = sqlx::AssertSqlSafe(sql);
    let reserved: Option<i64> = run::scalar_optional(
        ex,
        statement,
        args![key.stored(), now, now - FORGET_AFTER_MS, key.free_attempts()],
    )
    .await?;
    Ok(reserved.is_some())
}

/// A right password: the account's count starts again from zero.
pub async fn clear<'e>(ex: impl Executor<'e, Database = Any>, key: &Key) -> Result<(), sqlx::Error> {
    run::execute(
        ex,
        "DELETE FROM login_throttle WHERE key = $1",
        args![key.stored()],
    )
    .await?;
    Ok(())
}

/// A successful sign-in from a client address gives its reserved attempt back, so people who
/// sign in correctly never use up their address's allowance.
pub async fn give_back<'e>(ex: impl Executor<'e, Database = Any>, key: &Key) -> Result<(), sqlx::Error> {
    const SQL: &str =
        "UPDATE login_throttle SET attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END \
         WHERE key = $1";
    run::execute(ex, SQL, args![key.stored()]).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_start_at_the_last_free_attempt_double_and_stop_at_fifteen_minutes() {
        let minute = 60 * 1000;
        let table = [
            (1, 0),
            (4, 0),
            (5, minute),
            (6, 2 * minute),
            (7, 4 * minute),
            (8, 8 * minute),
            (9, 15 * minute),
            (10, 15 * minute),
            (500, 15 * minute),
        ];
        for (n, expected) in table {
            assert_eq!(delay_after(n, ACCOUNT_FREE_ATTEMPTS), expected, "attempt {n}");
        }
    }

    #[test]
    fn the_sql_delay_names_the_same_steps_as_the_rule() {
        let sql = delay_sql("n");
        for step in 0..4 {
            let delay = delay_after(ACCOUNT_FREE_ATTEMPTS + step, ACCOUNT_FREE_ATTEMPTS);
            assert!(
                sql.contains(&format!("WHEN n = $4 + {step} THEN {delay} ")),
                "{sql}"
            );
        }
        assert!(
            sql.contains(&format!("WHEN n >= $4 + 4 THEN {MAX_DELAY_MS} ")),
            "{sql}"
        );
    }
}
