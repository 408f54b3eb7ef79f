//! Two-factor sign-in: setting it up with one code, signing in with a code that is accepted once,
//! recovery codes used once, throttled guesses, expired waits, patients turning it off and
//! admins resetting it.

use crate::on_both_backends;
use crate::support::{emails_to, log_in, user, TestDb, PASSWORD};
use app::domain::account::AccountStep;
use app::domain::audit::{Outcome, UseCase};
use app::domain::Role;
use app::error::AppError;
use app::model::CurrentUser;
use app::server::auth::totp;
use app::server::db;
use app::server::services::accounts::{self, Client, SignIn, SignedIn};
use app::server::services::Person;

fn now_step() -> u64 {
    u64::try_from(db::now_ms() / 1000).unwrap() / totp::STEP_SECONDS
}

/// The code of time step `step`.
fn code(secret: &str, step: u64) -> String {
    totp::code_at(secret, step * totp::STEP_SECONDS).unwrap()
}

/// A second factor set up: its secret, the recovery codes, and the step of the code that
/// confirmed it (tests name steps, so that a step ending mid-test changes nothing).
struct Enrolled {
    secret: String,
    codes: Vec<String>,
    step: u64,
}

async fn enrol(t: &TestDb, who: &CurrentUser) -> Enrolled {
    let person = Person::new(who, "");
    let enrolment = accounts::start_enrolment(&t.db, &person).await.unwrap();
    let step = now_step();
    let codes = accounts::confirm_enrolment(&t.db, &person, &code(&enrolment.secret, step))
        .await
        .unwrap();
    Enrolled {
        secret: enrolment.secret,
        codes,
        step,
    }
}

/// Signs in with the password: the raw token of the wait for the code.
async fn password_step(t: &TestDb, email: &str) -> String {
    match log_in(t, email, PASSWORD, "").await.unwrap() {
        SignIn::CodeNeeded { challenge } => challenge,
        SignIn::Session(_) => panic!("signed in without a code"),
    }
}

async fn code_step(t: &TestDb, challenge: &str, code: &str) -> Result<SignedIn, AppError> {
    accounts::verify_sign_in_code(&t.db, &t.config, challenge, code, &Client::default()).await
}

fn is_invalid<T>(result: &Result<T, AppError>, field: &str) -> bool {
    matches!(result, Err(e @ AppError::Validation(_)) if e.field(field).is_some())
}

on_both_backends!(
    setting_up_takes_one_right_code_and_gives_recovery_codes_once,
    |t| {
        let mei = user(&t.db, Role::Clinician, "mei@consilium.test").await;
        let person = Person::new(&mei, "");
        let first = accounts::start_enrolment(&t.db, &person).await.unwrap();
        assert!(first.url.contains("issuer=Consilium") && first.url.contains(&first.secret));
        // Starting again replaces the secret: a code from the first one no longer confirms.
        let second = accounts::start_enrolment(&t.db, &person).await.unwrap();
        assert_ne!(first.secret, second.secret);
        let stale = accounts::confirm_enrolment(&t.db, &person, &code(&first.secret, now_step())).await;
        assert!(is_invalid(&stale, "code"), "{stale:?}");
        let status = accounts::second_factor_status(&t.db, &person).await.unwrap();
        assert!(!status.enrolled && status.required);

        let codes = accounts::confirm_enrolment(&t.db, &person, &code(&second.secret, now_step()))
            .await
            .unwrap();
        assert_eq!(codes.len(), totp::RECOVERY_CODES);
        let status = accounts::second_factor_status(&t.db, &person).await.unwrap();
        assert!(status.enrolled);
        assert_eq!(status.recovery_codes_left, 10);
        let stored: i64 = t
            .scalar_for("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1", &mei.id)
            .await;
        assert_eq!(stored, 10);
        for c in &codes {
            let raw: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM recovery_codes WHERE code_hash = $1")
                .bind(c.as_str())
                .fetch_one(t.db.pool())
                .await
                .unwrap();
            assert_eq!(raw, 0, "only hashes are kept");
        }
        let again = accounts::start_enrolment(&t.db, &person).await;
        assert!(matches!(again, Err(AppError::Conflict(_))), "{again:?}");
        assert_eq!(t.audited(UseCase::EnrolSecondFactor, Outcome::Ok).await, 1);
        let emails = emails_to(&t, &mei.email).await;
        assert_eq!(emails.last().unwrap().0, "Two-factor sign-in is on");
    }
);

on_both_backends!(staff_without_a_second_factor_must_set_one_up_first, |t| {
    let mei = user(&t.db, Role::Clinician, "mei@consilium.test").await;
    let signed_in = log_in(&t, &mei.email, PASSWORD, "")
        .await
        .unwrap()
        .session()
        .expect("no code yet: a session to set one up with");
    assert_eq!(signed_in.user.next_step, Some(AccountStep::EnrolSecondFactor));
    enrol(&t, &mei).await;
    let challenge = password_step(&t, &mei.email).await;
    assert!(!challenge.is_empty());
    assert_eq!(t.audited(UseCase::Login, Outcome::CodeNeeded).await, 1);
});

on_both_backends!(a_code_signs_in_once_and_a_replayed_one_is_refused, |t| {
    let mei = user(&t.db, Role::Clinician, "mei@consilium.test").await;
    let Enrolled { secret, step, .. } = enrol(&t, &mei).await;
    let sessions = "SELECT COUNT(*) FROM sessions WHERE user_id = $1";
    let challenge = password_step(&t, &mei.email).await;
    assert_eq!(
        t.scalar_for::<i64>(sessions, &mei.id).await,
        0,
        "no session before the code"
    );
    // The code that confirmed the setup was used already.
    assert!(is_invalid(
        &code_step(&t, &challenge, &code(&secret, step)).await,
        "code"
    ));
    let next = code(&secret, step + 1);
    let signed_in = code_step(&t, &challenge, &next).await.unwrap();
    assert_eq!(signed_in.user.next_step, None);
    assert_eq!(t.scalar_for::<i64>(sessions, &mei.id).await, 1);
    // The wait is over: its token does not take another code.
    assert!(is_invalid(
        &code_step(&t, &challenge, &code(&secret, step + 2)).await,
        "code"
    ));
    // A new sign-in cannot reuse the code just accepted.
    let challenge = password_step(&t, &mei.email).await;
    assert!(is_invalid(&code_step(&t, &challenge, &next).await, "code"));
    assert_eq!(t.audited(UseCase::VerifySignInCode, Outcome::Ok).await, 1);
    assert_eq!(
        t.audited(UseCase::VerifySignInCode, Outcome::BadCredentials)
            .await,
        2
    );
});

on_both_backends!(a_recovery_code_signs_in_once, |t| {
    let mei = user(&t.db, Role::Clinician, "mei@consilium.test").await;
    let Enrolled { codes, .. } = enrol(&t, &mei).await;
    let challenge = password_step(&t, &mei.email).await;
    let typed = codes[3].to_uppercase().replace('-', " ");
    code_step(&t, &challenge, &typed).await.unwrap();
    let challenge = password_step(&t, &mei.email).await;
    assert!(is_invalid(&code_step(&t, &challenge, &codes[3]).await, "code"));
    let left = accounts::second_factor_status(&t.db, &Person::new(&mei, ""))
        .await
        .unwrap();
    assert_eq!(left.recovery_codes_left, 9);
    assert_eq!(
        t.audited(UseCase::VerifySignInCode, Outcome::RecoveryCodeUsed)
            .await,
        1
    );
});

on_both_backends!(guessing_codes_is_throttled_and_a_wait_expires, |t| {
    let mei = user(&t.db, Role::Clinician, "mei@consilium.test").await;
    let Enrolled { secret, step, .. } = enrol(&t, &mei).await;
    let challenge = password_step(&t, &mei.email).await;
    for i in 0..accounts::CODE_FREE_ATTEMPTS {
        let guess = code_step(&t, &challenge, &format!("{:06}", 100_000 + i)).await;
        assert!(is_invalid(&guess, "code"), "guess {i}: {guess:?}");
    }
    let blocked = code_step(&t, &challenge, &code(&secret, step + 1)).await;
    assert_eq!(
        blocked.err(),
        Some(AppError::TooManyRequests),
        "even the right code waits"
    );
    assert_eq!(t.audited(UseCase::VerifySignInCode, Outcome::Throttled).await, 1);

    let ana = user(&t.db, Role::Admin, "ana@consilium.test").await;
    let Enrolled { secret, step, .. } = enrol(&t, &ana).await;
    let challenge = password_step(&t, &ana.email).await;
    sqlx::query("UPDATE sign_in_challenges SET expires_at = $1")
        .bind(db::now_ms() - 1)
        .execute(t.db.pool())
        .await
        .unwrap();
    let late = code_step(&t, &challenge, &code(&secret, step + 1)).await;
    assert!(is_invalid(&late, "code"), "{late:?}");
});

on_both_backends!(patients_may_turn_it_off_and_admins_reset_anyones, |t| {
    let ana = user(&t.db, Role::Patient, "ana@example.com").await;
    let patient = Person::new(&ana, "");
    assert!(
        !accounts::second_factor_status(&t.db, &patient)
            .await
            .unwrap()
            .required
    );
    enrol(&t, &ana).await;
    let wrong = accounts::turn_off_second_factor(&t.db, &t.config, &patient, "not it".into()).await;
    assert!(is_invalid(&wrong, "current_password"));
    accounts::turn_off_second_factor(&t.db, &t.config, &patient, PASSWORD.into())
        .await
        .unwrap();
    assert!(
        !accounts::second_factor_status(&t.db, &patient)
            .await
            .unwrap()
            .enrolled
    );
    assert_eq!(t.audited(UseCase::TurnOffSecondFactor, Outcome::Ok).await, 1);

    let mei = user(&t.db, Role::Clinician, "mei@consilium.test").await;
    let Enrolled { secret, step, .. } = enrol(&t, &mei).await;
    let staff = Person::new(&mei, "");
    let kept = accounts::turn_off_second_factor(&t.db, &t.config, &staff, PASSWORD.into()).await;
    assert!(matches!(kept, Err(AppError::Forbidden(_))), "{kept:?}");
    let challenge = password_step(&t, &mei.email).await;
    code_step(&t, &challenge, &code(&secret, step + 1)).await.unwrap();

    let admin = user(&t.db, Role::Admin, "root@consilium.test").await;
    accounts::reset_second_factor(&t.db, &Person::new(&admin, ""), &mei.id)
        .await
        .unwrap();
    let sessions = "SELECT COUNT(*) FROM sessions WHERE user_id = $1";
    assert_eq!(
        t.scalar_for::<i64>(sessions, &mei.id).await,
        0,
        "the reset signs them out"
    );
    let codes = "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1";
    assert_eq!(t.scalar_for::<i64>(codes, &mei.id).await, 0);
    let fresh = log_in(&t, &mei.email, PASSWORD, "")
        .await
        .unwrap()
        .session()
        .unwrap();
    assert_eq!(fresh.user.next_step, Some(AccountStep::EnrolSecondFactor));
    assert_eq!(t.audited(UseCase::ResetSecondFactor, Outcome::Ok).await, 1);
    let emails = emails_to(&t, &mei.email).await;
    assert_eq!(emails.last().unwrap().0, "Two-factor sign-in was reset");
});
