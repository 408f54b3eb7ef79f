//! What people do to their own account: change the password (other sessions end), choose their
//! own when an admin set the first one, see their sessions and sign out one or all of them.

use crate::on_both_backends;
use crate::support::{emails_to, user, TestDb, PASSWORD};
use app::domain::account::AccountStep;
use app::domain::audit::{Outcome, UseCase};
use app::domain::Role;
use app::error::AppError;
use app::model::CurrentUser;
use app::server::services::accounts::{self, Client, NewStaff, PasswordChange, SignedIn};
use app::server::services::Person;

const NEW_PASSWORD: &str = "a brand new passphrase";
const FIREFOX: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 \
                      (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

async fn sign_in_from(
    t: &TestDb,
    email: &str,
    password: &str,
    user_agent: &str,
) -> Result<SignedIn, AppError> {
    let client = Client {
        ip: "203.0.113.5".into(),
        user_agent: user_agent.into(),
    };
    accounts::login(&t.db, &t.config, email, password.into(), None, &client)
        .await
        .map(|s| s.session().expect("no second factor: a session"))
}

async fn change(t: &TestDb, who: &SignedIn, current: &str, new: &str) -> Result<(), AppError> {
    let person = Person::new(&who.user, "203.0.113.5");
    let change = PasswordChange {
        current: current.into(),
        new: new.into(),
    };
    accounts::change_password(&t.db, &t.config, &person, &who.token, change).await
}

fn is_invalid(result: &Result<(), AppError>, field: &str) -> bool {
    matches!(result, Err(e @ AppError::Validation(_)) if e.field(field).is_some())
}

async fn sessions_of(t: &TestDb, user: &CurrentUser) -> i64 {
    t.scalar_for("SELECT COUNT(*) FROM sessions WHERE user_id = $1", &user.id)
        .await
}

on_both_backends!(
    changing_the_password_needs_the_current_one_and_ends_the_other_sessions,
    |t| {
        let ana = user(&t.db, Role::Patient, "ana@example.com").await;
        let laptop = sign_in_from(&t, &ana.email, PASSWORD, FIREFOX).await.unwrap();
        sign_in_from(&t, &ana.email, PASSWORD, IPHONE).await.unwrap();
        assert!(is_invalid(
            &change(&t, &laptop, "not my password", NEW_PASSWORD).await,
            "current_password"
        ));
        assert!(is_invalid(
            &change(&t, &laptop, PASSWORD, "short").await,
            "new_password"
        ));
        assert!(is_invalid(
            &change(&t, &laptop, PASSWORD, PASSWORD).await,
            "new_password"
        ));
        assert_eq!(sessions_of(&t, &ana).await, 2, "refusals change nothing");
        assert!(emails_to(&t, &ana.email).await.is_empty());

        assert_eq!(change(&t, &laptop, PASSWORD, NEW_PASSWORD).await, Ok(()));
        let left: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM sessions WHERE user_id = $1")
            .bind(ana.id.as_str())
            .fetch_all(t.db.pool())
            .await
            .unwrap();
        assert_eq!(
            left,
            [app::server::auth::token::hash(&laptop.token)],
            "only this device stays"
        );
        assert!(sign_in_from(&t, &ana.email, PASSWORD, FIREFOX).await.is_err());
        assert!(sign_in_from(&t, &ana.email, NEW_PASSWORD, FIREFOX).await.is_ok());
        let emails = emails_to(&t, &ana.email).await;
        assert_eq!(emails.len(), 1);
        assert_eq!(emails[0].0, "Your password was changed");
        assert!(!emails[0].1.contains(NEW_PASSWORD));
        assert_eq!(t.audited(UseCase::ChangePassword, Outcome::Ok).await, 1);
    }
);

on_both_backends!(guessing_the_current_password_is_throttled_like_signing_in, |t| {
    let ana = user(&t.db, Role::Patient, "ana@example.com").await;
    let session = sign_in_from(&t, &ana.email, PASSWORD, FIREFOX).await.unwrap();
    for i in 0..accounts::ACCOUNT_FREE_ATTEMPTS {
        let guess = change(&t, &session, &format!("guess number {i}"), NEW_PASSWORD).await;
        assert!(is_invalid(&guess, "current_password"), "guess {i}: {guess:?}");
    }
    let blocked = change(&t, &session, PASSWORD, NEW_PASSWORD).await;
    assert_eq!(
        blocked,
        Err(AppError::TooManyRequests),
        "even the right one waits"
    );
});

on_both_backends!(a_staff_account_chooses_its_own_password_at_first_sign_in, |t| {
    let admin = user(&t.db, Role::Admin, "root@consilium.test").await;
    let staff = NewStaff {
        role: Role::Admin,
        name: "Ola Berg".into(),
        email: "ola@consilium.test".into(),
        password: "the admin typed this".into(),
        profile: None,
    };
    accounts::create_staff(&t.db, &Person::new(&admin, ""), staff)
        .await
        .unwrap();
    let first = sign_in_from(&t, "ola@consilium.test", "the admin typed this", FIREFOX)
        .await
        .unwrap();
    assert_eq!(first.user.next_step, Some(AccountStep::ChoosePassword));
    let refused = Person::new(&first.user, "").ready();
    assert!(matches!(refused, Err(AppError::Forbidden(_))), "{refused:?}");
    change(&t, &first, "the admin typed this", NEW_PASSWORD)
        .await
        .unwrap();
    let again = sign_in_from(&t, "ola@consilium.test", NEW_PASSWORD, FIREFOX)
        .await
        .unwrap();
    assert_eq!(
        again.user.next_step,
        Some(AccountStep::EnrolSecondFactor),
        "then the second factor"
    );
    // Patients chose their own password when registering.
    let ana = user(&t.db, Role::Patient, "ana@example.com").await;
    let ana = sign_in_from(&t, &ana.email, PASSWORD, FIREFOX).await.unwrap();
    assert_eq!(ana.user.next_step, None);
});

on_both_backends!(people_see_their_sessions_and_sign_out_one_or_all, |t| {
    let ana = user(&t.db, Role::Patient, "ana@example.com").await;
    let bo = user(&t.db, Role::Patient, "bo@example.com").await;
    let laptop = sign_in_from(&t, &ana.email, PASSWORD, FIREFOX).await.unwrap();
    sign_in_from(&t, &ana.email, PASSWORD, IPHONE).await.unwrap();
    let bos = sign_in_from(&t, &bo.email, PASSWORD, IPHONE).await.unwrap();
    let person = Person::new(&ana, "203.0.113.5");
    let list = accounts::list_sessions(&t.db, &t.config, &person, &laptop.token)
        .await
        .unwrap();
    let mut seen: Vec<(String, bool, String)> = list
        .iter()
        .map(|s| (s.device.clone(), s.current, s.ip.clone()))
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            ("Firefox on Windows 10".to_owned(), true, "203.0.113.5".to_owned()),
            ("Safari on iPhone".to_owned(), false, "203.0.113.5".to_owned()),
        ]
    );
    assert!(list
        .iter()
        .all(|s| s.id.len() >= 32 && !s.id.contains(&laptop.token)));

    // Someone else's session answers like one that does not exist, and stays.
    let bos_list = accounts::list_sessions(&t.db, &t.config, &Person::new(&bo, ""), &bos.token)
        .await
        .unwrap();
    let theirs = accounts::end_session(&t.db, &person, &bos_list[0].id).await;
    assert_eq!(theirs, Err(AppError::NotFound));
    assert_eq!(sessions_of(&t, &bo).await, 1);

    let phone = list.iter().find(|s| !s.current).unwrap();
    accounts::end_session(&t.db, &person, &phone.id).await.unwrap();
    assert_eq!(sessions_of(&t, &ana).await, 1);
    assert_eq!(t.audited(UseCase::EndSession, Outcome::Ok).await, 1);

    sign_in_from(&t, &ana.email, PASSWORD, IPHONE).await.unwrap();
    assert_eq!(accounts::end_all_sessions(&t.db, &person).await, Ok(2));
    assert_eq!(sessions_of(&t, &ana).await, 0);
    assert_eq!(sessions_of(&t, &bo).await, 1, "nobody else is signed out");
    assert_eq!(t.audited(UseCase::EndAllSessions, Outcome::Ok).await, 1);
});
