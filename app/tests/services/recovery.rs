//! Password reset: the same answer for every address, a single-use link that expires, every
//! session ended, throttling per address and per client.

use crate::on_both_backends;
use crate::support::{emails_to, user, TestDb, PASSWORD};
use app::domain::audit::{Outcome, UseCase};
use app::domain::Role;
use app::error::AppError;
use app::server::db;
use app::server::services::accounts::{self, Client, RESET_LINK_MINUTES};

const NEW_PASSWORD: &str = "a brand new passphrase";

/// The token from the link in the latest reset email to `to`.
async fn reset_token(t: &TestDb, to: &str) -> String {
    let emails = emails_to(t, to).await;
    let (_, body) = emails
        .iter()
        .rev()
        .find(|(subject, _)| subject == "Reset your Consilium password")
        .expect("a reset email");
    let after = body.split("/reset-password#").nth(1).expect("a reset link");
    after.split_whitespace().next().unwrap().to_owned()
}

async fn ask(t: &TestDb, email: &str, ip: &str) -> Result<(), AppError> {
    accounts::request_password_reset(&t.db, &t.config, email, ip).await
}

async fn reset(t: &TestDb, token: &str, password: &str) -> Result<(), AppError> {
    accounts::reset_password(&t.db, &t.config, token, password, "")
        .await
        .map(|_| ())
}

async fn signs_in(t: &TestDb, email: &str, password: &str) -> bool {
    accounts::login(&t.db, &t.config, email, password.into(), None, &Client::default())
        .await
        .is_ok()
}

fn is_invalid(result: &Result<(), AppError>, field: &str) -> bool {
    matches!(result, Err(e @ AppError::Validation(_)) if e.field(field).is_some())
}

on_both_backends!(asking_answers_alike_and_emails_only_an_existing_account, |t| {
    user(&t.db, Role::Patient, "ana@example.com").await;
    assert_eq!(ask(&t, "Ana@Example.com ", "").await, Ok(()));
    assert_eq!(ask(&t, "nobody@example.com", "").await, Ok(()));
    assert_eq!(emails_to(&t, "ana@example.com").await.len(), 1);
    assert!(emails_to(&t, "nobody@example.com").await.is_empty());
    assert!(!reset_token(&t, "ana@example.com").await.is_empty());
    assert_eq!(t.audited(UseCase::RequestPasswordReset, Outcome::Ok).await, 1);
    assert_eq!(
        t.audited(UseCase::RequestPasswordReset, Outcome::NoAccount).await,
        1
    );
    let stored: i64 = t
        .scalar("SELECT COUNT(*) FROM audit_log WHERE target LIKE '%@%'")
        .await;
    assert_eq!(stored, 0, "the audit log names addresses by keyed reference only");
    assert!(is_invalid(&ask(&t, "not an address", "").await, "email"));
});

on_both_backends!(the_link_sets_the_password_once_and_ends_every_session, |t| {
    let ana = user(&t.db, Role::Patient, "ana@example.com").await;
    assert!(signs_in(&t, &ana.email, PASSWORD).await);
    assert!(signs_in(&t, &ana.email, PASSWORD).await);
    ask(&t, &ana.email, "").await.unwrap();
    let token = reset_token(&t, &ana.email).await;
    // A refused password changes nothing and keeps the link.
    assert!(is_invalid(&reset(&t, &token, "short").await, "password"));
    assert!(signs_in(&t, &ana.email, PASSWORD).await);
    let sessions = "SELECT COUNT(*) FROM sessions WHERE user_id = $1";
    assert_eq!(t.scalar_for::<i64>(sessions, &ana.id).await, 3);

    assert_eq!(reset(&t, &token, NEW_PASSWORD).await, Ok(()));
    assert_eq!(
        t.scalar_for::<i64>(sessions, &ana.id).await,
        0,
        "every session ended"
    );
    assert!(!signs_in(&t, &ana.email, PASSWORD).await);
    assert!(signs_in(&t, &ana.email, NEW_PASSWORD).await);
    assert!(is_invalid(
        &reset(&t, &token, "yet another passphrase").await,
        "token"
    ));
    assert!(
        signs_in(&t, &ana.email, NEW_PASSWORD).await,
        "a used link changes nothing"
    );
    let subjects: Vec<String> = emails_to(&t, &ana.email)
        .await
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    assert!(
        subjects.contains(&"Your password was changed".to_owned()),
        "{subjects:?}"
    );
    assert_eq!(t.audited(UseCase::ResetPassword, Outcome::Ok).await, 1);
});

on_both_backends!(
    a_link_expires_after_thirty_minutes_and_a_newer_one_ends_the_older,
    |t| {
        let ana = user(&t.db, Role::Patient, "ana@example.com").await;
        let before = db::now_ms();
        ask(&t, &ana.email, "").await.unwrap();
        let expires: i64 = t.scalar("SELECT MAX(expires_at) FROM email_tokens").await;
        let lifetime = RESET_LINK_MINUTES * 60 * 1000;
        assert!((before + lifetime..=db::now_ms() + lifetime).contains(&expires));
        let first = reset_token(&t, &ana.email).await;
        ask(&t, &ana.email, "").await.unwrap();
        let second = reset_token(&t, &ana.email).await;
        assert_ne!(first, second);
        sqlx::query("UPDATE email_tokens SET expires_at = $1")
            .bind(db::now_ms() - 1)
            .execute(t.db.pool())
            .await
            .unwrap();
        assert!(is_invalid(&reset(&t, &second, NEW_PASSWORD).await, "token"));
        assert!(
            signs_in(&t, &ana.email, PASSWORD).await,
            "an expired link changes nothing"
        );

        // With fresh links (a day later, as far as the throttle knows), using one ends the other.
        sqlx::query("DELETE FROM login_throttle")
            .execute(t.db.pool())
            .await
            .unwrap();
        ask(&t, &ana.email, "").await.unwrap();
        let third = reset_token(&t, &ana.email).await;
        ask(&t, &ana.email, "").await.unwrap();
        let fourth = reset_token(&t, &ana.email).await;
        assert_eq!(reset(&t, &fourth, NEW_PASSWORD).await, Ok(()));
        assert!(is_invalid(
            &reset(&t, &third, "yet another passphrase").await,
            "token"
        ));
    }
);

on_both_backends!(asking_is_throttled_per_address_and_per_client, |t| {
    user(&t.db, Role::Patient, "ana@example.com").await;
    let per_address = accounts::RESET_FREE_REQUESTS;
    for _ in 0..per_address {
        assert_eq!(ask(&t, "ana@example.com", "").await, Ok(()));
    }
    assert_eq!(
        ask(&t, "ana@example.com", "").await,
        Err(AppError::TooManyRequests)
    );
    assert_eq!(
        emails_to(&t, "ana@example.com").await.len(),
        usize::try_from(per_address).unwrap()
    );
    // An unknown address is throttled alike, so the refusal tells nothing.
    for _ in 0..per_address {
        assert_eq!(ask(&t, "ghost@example.com", "").await, Ok(()));
    }
    assert_eq!(
        ask(&t, "ghost@example.com", "").await,
        Err(AppError::TooManyRequests)
    );

    let per_client = accounts::RESET_CLIENT_FREE_REQUESTS;
    for n in 0..per_client {
        assert_eq!(ask(&t, &format!("p{n}@example.com"), "192.0.2.9").await, Ok(()));
    }
    let next = ask(&t, "another@example.com", "192.0.2.9").await;
    assert_eq!(next, Err(AppError::TooManyRequests));
    assert_eq!(ask(&t, "another@example.com", "192.0.2.10").await, Ok(()));
    assert!(t.audited(UseCase::RequestPasswordReset, Outcome::Throttled).await >= 3);
});
