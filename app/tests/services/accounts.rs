use crate::on_both_backends;
use crate::support::{emails_to, log_in, user, TestDb, PASSWORD};
use app::domain::audit::Outcome;
use app::domain::audit::UseCase;
use app::domain::Role;
use app::error::AppError;
use app::server::auth::token;
use app::server::db::{self, sessions};
use app::server::services::accounts::{self, Client, NewStaff, ProfileInput, Registration, SignedIn};
use app::server::services::Person;

async fn session_is_live(t: &TestDb, raw: &str) -> bool {
    sessions::find_live(t.db.pool(), &token::hash(raw), db::now_ms(), 30 * 60 * 1000)
        .await
        .unwrap()
        .is_some()
}

fn registration(email: &str) -> Registration {
    Registration {
        name: "Ana Kowalska".into(),
        email: email.into(),
        password: PASSWORD.into(),
        language: app::lang::Locale::en,
    }
}

/// Signs in from no particular address, with no session to replace.
async fn sign_in(t: &TestDb, email: &str, password: String) -> Result<SignedIn, AppError> {
    accounts::login(&t.db, &t.config, email, password, None, &Client::default())
        .await
        .map(|s| s.session().expect("no second factor: a session"))
}

async fn sessions_count(t: &TestDb) -> i64 {
    t.scalar("SELECT COUNT(*) FROM sessions").await
}

/// The token from the link in the latest registration email to `to`.
async fn link_token(t: &TestDb, to: &str) -> String {
    let (_, body) = emails_to(t, to).await.pop().unwrap();
    body.split("/verify-email#")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

// The language the visitor registered in is the account's: its first email is in it already.
on_both_backends!(an_arabic_registration_reads_arabic_from_its_first_email_on, |t| {
    let arabic = Registration {
        language: app::lang::Locale::ar,
        ..registration("layla@example.com")
    };
    accounts::register(&t.db, &t.config, arabic, "127.0.0.1")
        .await
        .unwrap();
    let mail = emails_to(&t, "layla@example.com").await;
    assert_eq!(mail[0].0, "أكّد عنوان بريدك الإلكتروني");
    assert!(
        mail[0].1.contains("/verify-email#"),
        "the link is there: {}",
        mail[0].1
    );
    let language: String = t
        .scalar("SELECT language FROM users WHERE email = 'layla@example.com'")
        .await;
    assert_eq!(language, "ar");
});

// Quality A6: registration answers the same whether or not the address has an account, signs
// nobody in, and the address's owner is the one told what happened.
on_both_backends!(registration_answers_alike_for_new_and_taken_addresses, |t| {
    user(&t.db, Role::Patient, "taken@example.com").await;
    let new = accounts::register(&t.db, &t.config, registration(" Ana@Example.com "), "127.0.0.1").await;
    let taken = accounts::register(&t.db, &t.config, registration("TAKEN@example.com"), "127.0.0.1").await;
    assert_eq!(new, Ok(()));
    assert_eq!(taken, new);
    assert_eq!(sessions_count(&t).await, 0, "registration signs nobody in");
    let to_new = emails_to(&t, "ana@example.com").await;
    assert_eq!(to_new.len(), 1);
    assert_eq!(to_new[0].0, "Confirm your email address");
    let to_owner = emails_to(&t, "taken@example.com").await;
    assert_eq!(to_owner.len(), 1);
    assert_eq!(to_owner[0].0, "Your Consilium account");
    assert!(
        !to_owner[0].1.contains("/verify-email"),
        "no link that would take over the account"
    );
    // The owner's password is untouched.
    sign_in(&t, "taken@example.com", PASSWORD.into()).await.unwrap();
    let users: i64 = t.scalar("SELECT COUNT(*) FROM users").await;
    assert_eq!(users, 2);
});

// The emailed link confirms the address and signs in, once; until then the new account cannot
// sign in (which would reveal that the address was free); an expired link does nothing.
on_both_backends!(a_registration_link_confirms_once_and_signs_in, |t| {
    accounts::register(&t.db, &t.config, registration("ana@example.com"), "")
        .await
        .unwrap();
    let before = sign_in(&t, "ana@example.com", PASSWORD.into()).await;
    assert_eq!(
        before.err(),
        Some(AppError::BadCredentials),
        "answered like a wrong password"
    );
    let raw = link_token(&t, "ana@example.com").await;
    let stored: i64 = t
        .scalar_for(
            "SELECT COUNT(*) FROM email_tokens WHERE token_hash = $1",
            token::hash(&raw),
        )
        .await;
    assert_eq!(stored, 1, "only the token's hash is kept");
    let signed = accounts::verify_email(&t.db, &t.config, &raw, &Client::default())
        .await
        .unwrap();
    assert_eq!(signed.user.role, Role::Patient);
    assert_eq!(signed.user.email, "ana@example.com");
    assert!(session_is_live(&t, &signed.token).await);
    let again = accounts::verify_email(&t.db, &t.config, &raw, &Client::default())
        .await
        .unwrap_err();
    assert!(again.field("token").is_some(), "{again:?}");
    sign_in(&t, "ana@example.com", PASSWORD.into()).await.unwrap();
    // A second registration before confirming sends a new link; an expired one is refused.
    accounts::register(&t.db, &t.config, registration("bo@example.com"), "")
        .await
        .unwrap();
    accounts::register(&t.db, &t.config, registration("bo@example.com"), "")
        .await
        .unwrap();
    assert_eq!(emails_to(&t, "bo@example.com").await.len(), 2);
    let late = link_token(&t, "bo@example.com").await;
    sqlx::query("UPDATE email_tokens SET expires_at = $1")
        .bind(app::server::db::now_ms() - 1)
        .execute(t.db.pool())
        .await
        .unwrap();
    let expired = accounts::verify_email(&t.db, &t.config, &late, &Client::default())
        .await
        .unwrap_err();
    assert!(expired.field("token").is_some(), "{expired:?}");
    let unknown = accounts::verify_email(&t.db, &t.config, "0123", &Client::default())
        .await
        .unwrap_err();
    assert_eq!(unknown, expired, "unknown and expired links answer alike");
});

on_both_backends!(bad_registration_input_lists_every_field_and_writes_nothing, |t| {
    let bad = Registration {
        name: " ".into(),
        email: "nope".into(),
        password: "short".into(),
        language: app::lang::Locale::en,
    };
    let err = accounts::register(&t.db, &t.config, bad, "").await.unwrap_err();
    for field in ["name", "email", "password"] {
        assert!(err.field(field).is_some(), "{field}: {err:?}");
    }
    let users: i64 = t.scalar("SELECT COUNT(*) FROM users").await;
    assert_eq!(users, 0);
});

on_both_backends!(unknown_email_and_wrong_password_get_the_same_answer, |t| {
    user(&t.db, Role::Patient, "ana@example.com").await;
    let unknown = sign_in(&t, "who@example.com", PASSWORD.into()).await.unwrap_err();
    let wrong = sign_in(&t, "ana@example.com", "wrong password!".into())
        .await
        .unwrap_err();
    assert_eq!(unknown, AppError::BadCredentials);
    assert_eq!(unknown, wrong);
    assert_eq!(unknown.to_string(), wrong.to_string());
    assert_eq!(unknown.status(), wrong.status());
});

on_both_backends!(
    sign_in_is_throttled_after_five_failures_even_with_the_right_password,
    |t| {
        user(&t.db, Role::Patient, "ana@example.com").await;
        for _ in 0..5 {
            let err = sign_in(&t, "ana@example.com", "wrong password!".into()).await;
            assert_eq!(err.err(), Some(AppError::BadCredentials));
        }
        let err = sign_in(&t, "ana@example.com", PASSWORD.into()).await;
        assert_eq!(err.err(), Some(AppError::TooManyRequests));
        // Unknown emails are throttled the same way, so the lock reveals nothing.
        for _ in 0..5 {
            let _ = sign_in(&t, "ghost@example.com", "x".repeat(12)).await;
        }
        let err = sign_in(&t, "ghost@example.com", "x".repeat(12)).await;
        assert_eq!(err.err(), Some(AppError::TooManyRequests));
    }
);

on_both_backends!(signing_in_rotates_the_session_and_logout_ends_it, |t| {
    let ana = user(&t.db, Role::Patient, "ana@example.com").await;
    let first = sign_in(&t, &ana.email, PASSWORD.into()).await.unwrap();
    let second = accounts::login(
        &t.db,
        &t.config,
        &ana.email,
        PASSWORD.into(),
        Some(&first.token),
        &Client::default(),
    )
    .await
    .unwrap()
    .session()
    .unwrap();
    assert_ne!(first.token, second.token);
    assert!(
        !session_is_live(&t, &first.token).await,
        "the session presented at sign-in is ended"
    );
    assert!(session_is_live(&t, &second.token).await);
    accounts::logout(&t.db, &second.token, Some(&ana), "")
        .await
        .unwrap();
    assert!(!session_is_live(&t, &second.token).await);
    assert_eq!(t.audited(UseCase::Logout, Outcome::Ok).await, 1);
});

on_both_backends!(sessions_end_after_the_idle_and_the_absolute_timeout, |t| {
    let ana = user(&t.db, Role::Patient, "ana@example.com").await;
    let signed = sign_in(&t, &ana.email, PASSWORD.into()).await.unwrap();
    let hash = token::hash(&signed.token);
    let now = db::now_ms();
    let idle = 30 * 60 * 1000;
    assert!(sessions::find_live(t.db.pool(), &hash, now, idle)
        .await
        .unwrap()
        .is_some());
    assert!(
        sessions::find_live(t.db.pool(), &hash, now + idle + 1, idle)
            .await
            .unwrap()
            .is_none(),
        "idle"
    );
    let absolute = now + 12 * 3600 * 1000 + 1;
    sessions::touch(t.db.pool(), &hash, absolute - 1).await.unwrap();
    assert!(
        sessions::find_live(t.db.pool(), &hash, absolute, idle)
            .await
            .unwrap()
            .is_none(),
        "absolute"
    );
});

on_both_backends!(
    deactivating_an_account_ends_its_sessions_and_blocks_sign_in,
    |t| {
        let admin = user(&t.db, Role::Admin, "admin@example.com").await;
        let doc = user(&t.db, Role::Clinician, "doc@example.com").await;
        let signed = sign_in(&t, &doc.email, PASSWORD.into()).await.unwrap();
        let caller = Person::new(&admin, "10.0.0.1");
        accounts::set_active(&t.db, &caller, &doc.id, false)
            .await
            .unwrap();
        assert!(!session_is_live(&t, &signed.token).await);
        let err = sign_in(&t, &doc.email, PASSWORD.into()).await.unwrap_err();
        assert!(matches!(err, AppError::Forbidden(_)), "{err:?}");
        accounts::set_active(&t.db, &caller, &doc.id, true).await.unwrap();
        assert!(sign_in(&t, &doc.email, PASSWORD.into()).await.is_ok());
        let own = accounts::set_active(&t.db, &caller, &admin.id, false)
            .await
            .unwrap_err();
        assert!(matches!(own, AppError::Conflict(_)));
    }
);

fn staff(role: Role, email: &str) -> NewStaff {
    NewStaff {
        role,
        name: "Zofia Wójcik".into(),
        email: email.into(),
        password: PASSWORD.into(),
        profile: Some(ProfileInput {
            title: "Dr".into(),
            specialties: "Cardiology".into(),
            contact_email: "zofia@clinic.example".into(),
            contact_phone: "+48 22 555 0101".into(),
        }),
    }
}

on_both_backends!(an_admin_creates_clinicians_with_profiles_and_other_admins, |t| {
    let admin = user(&t.db, Role::Admin, "admin@example.com").await;
    let caller = Person::new(&admin, "");
    accounts::create_staff(&t.db, &caller, staff(Role::Clinician, "zofia@example.com"))
        .await
        .unwrap();
    accounts::create_staff(&t.db, &caller, staff(Role::Admin, "second@example.com"))
        .await
        .unwrap();
    let list = app::server::db::users::list(t.db.pool()).await.unwrap();
    let zofia = list.iter().find(|u| u.email == "zofia@example.com").unwrap();
    assert_eq!(zofia.role, Role::Clinician);
    assert_eq!(zofia.title.as_deref(), Some("Dr"));
    let signed = sign_in(&t, "zofia@example.com", PASSWORD.into()).await.unwrap();
    assert_eq!(signed.user.role, Role::Clinician);
    assert_eq!(t.audited(UseCase::CreateAccount, Outcome::Ok).await, 2);
});

on_both_backends!(
    a_failed_staff_creation_leaves_no_account_and_no_audit_entry,
    |t| {
        let admin = user(&t.db, Role::Admin, "admin@example.com").await;
        let caller = Person::new(&admin, "");
        let err = accounts::create_staff(&t.db, &caller, staff(Role::Clinician, "admin@example.com"))
            .await
            .unwrap_err();
        assert!(err.field("email").is_some());
        let patient = accounts::create_staff(&t.db, &caller, staff(Role::Patient, "p@example.com"))
            .await
            .unwrap_err();
        assert!(patient.field("role").is_some());
        let users: i64 = t.scalar("SELECT COUNT(*) FROM users").await;
        assert_eq!(users, 1);
        assert_eq!(t.audited(UseCase::CreateAccount, Outcome::Ok).await, 0);
    }
);

async fn evaluated_sign_ins(t: &TestDb) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'login' AND outcome IN ('ok', 'bad_credentials')",
    )
    .fetch_one(t.db.pool())
    .await
    .unwrap()
}

// Quality A4: thirty wrong attempts in flight at once, plus the right password among them.
// Each attempt reserves itself before its password is checked, so at most five are ever
// evaluated and the right password, arriving inside the burst, is refused as well.
on_both_backends!(
    thirty_concurrent_attempts_evaluate_at_most_five_and_the_right_password_inside_is_refused,
    |t| {
        user(&t.db, Role::Patient, "ana@example.com").await;
        let t = std::sync::Arc::new(t);
        let start = std::sync::Arc::new(tokio::sync::Barrier::new(31));
        let mut attempts = Vec::new();
        for i in 0..31 {
            let (t, start) = (t.clone(), start.clone());
            // One address each, so only the account's own allowance is tested here.
            let ip = format!("198.51.100.{i}");
            attempts.push(tokio::spawn(async move {
                start.wait().await;
                // The right password goes last: spawned after 20 wrong ones are on their way.
                let password = if i == 30 {
                    PASSWORD.to_owned()
                } else {
                    "wrong password!".to_owned()
                };
                if i == 30 {
                    tokio::task::yield_now().await;
                }
                accounts::login(
                    &t.db,
                    &t.config,
                    "ana@example.com",
                    password,
                    None,
                    &Client::at(&ip),
                )
                .await
                .map(|_| ())
            }));
        }
        let mut refused = 0;
        for attempt in attempts {
            match attempt.await.unwrap() {
                Err(AppError::TooManyRequests) => refused += 1,
                Err(AppError::BadCredentials) | Ok(()) => {}
                Err(other) => panic!("{other:?}"),
            }
        }
        assert!(
            evaluated_sign_ins(&t).await <= 5,
            "{} evaluated",
            evaluated_sign_ins(&t).await
        );
        assert!(refused >= 26, "{refused} refused");
        let after = sign_in(&t, "ana@example.com", PASSWORD.into()).await;
        assert_eq!(after.err(), Some(AppError::TooManyRequests));
    }
);

// The owner is slowed down, not locked out for long: the block after the fifth failure lasts
// a minute, grows with each further attempt to at most fifteen, and the right password once
// it is over lets them in and starts the count again.
on_both_backends!(
    the_account_delay_grows_to_fifteen_minutes_and_the_owner_gets_back_in,
    |t| {
        user(&t.db, Role::Patient, "ana@example.com").await;
        let blocked_for = || async {
            let until: i64 = t
                .scalar("SELECT blocked_until FROM login_throttle WHERE key LIKE 'account:%'")
                .await;
            until - app::server::db::now_ms()
        };
        let unblock = || async {
            sqlx::query("UPDATE login_throttle SET blocked_until = 0")
                .execute(t.db.pool())
                .await
                .unwrap();
        };
        let wrong = || sign_in(&t, "ana@example.com", "wrong password!".into());
        for _ in 0..4 {
            assert_eq!(wrong().await.err(), Some(AppError::BadCredentials));
            assert!(blocked_for().await <= 0);
        }
        assert_eq!(wrong().await.err(), Some(AppError::BadCredentials));
        let first = blocked_for().await;
        assert!((55_000..=60_000).contains(&first), "{first} ms");
        assert_eq!(wrong().await.err(), Some(AppError::TooManyRequests));
        for expected_minutes in [2, 4, 8, 15, 15] {
            unblock().await;
            assert_eq!(wrong().await.err(), Some(AppError::BadCredentials));
            let blocked = blocked_for().await;
            let expected = expected_minutes * 60_000;
            assert!(
                (expected - 5_000..=expected).contains(&blocked),
                "{blocked} ms, expected {expected}"
            );
        }
        unblock().await;
        sign_in(&t, "ana@example.com", PASSWORD.into()).await.unwrap();
        for _ in 0..4 {
            assert_eq!(
                wrong().await.err(),
                Some(AppError::BadCredentials),
                "the count started again"
            );
        }
    }
);

// One client address gets thirty attempts across any accounts, then waits; a right password
// from it gives its attempt back.
on_both_backends!(one_client_address_is_limited_across_accounts, |t| {
    let ana = user(&t.db, Role::Patient, "ana@example.com").await;
    log_in(&t, &ana.email, PASSWORD, "203.0.113.9").await.unwrap();
    for i in 0..30 {
        let email = format!("guess{i}@example.com");
        let err = log_in(&t, &email, "wrong password!", "203.0.113.9").await;
        assert_eq!(err.err(), Some(AppError::BadCredentials), "attempt {i}");
    }
    let err = log_in(&t, &ana.email, PASSWORD, "203.0.113.9").await;
    assert_eq!(err.err(), Some(AppError::TooManyRequests));
    // Another address is not affected.
    log_in(&t, &ana.email, PASSWORD, "203.0.113.10").await.unwrap();
});

// Password hashing is bounded: with one slot and no waiting, sign-ins beyond the one being
// checked are answered "busy" at once, and nothing is written for them but their audit entry.
on_both_backends!(hashing_in_flight_is_bounded_and_the_excess_is_told_busy, |t| {
    let mut t = t;
    t.config.hashing = app::server::auth::hashing::HashGate::new(1, std::time::Duration::ZERO);
    for i in 0..8 {
        user(&t.db, Role::Patient, &format!("p{i}@example.com")).await;
    }
    let t = std::sync::Arc::new(t);
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(8));
    let mut attempts = Vec::new();
    for i in 0..8 {
        let (t, start) = (t.clone(), start.clone());
        attempts.push(tokio::spawn(async move {
            start.wait().await;
            let email = format!("p{i}@example.com");
            sign_in(&t, &email, PASSWORD.into()).await.map(|_| ())
        }));
    }
    let (mut busy, mut ok) = (0, 0);
    for attempt in attempts {
        match attempt.await.unwrap() {
            Ok(()) => ok += 1,
            Err(AppError::Busy) => busy += 1,
            Err(other) => panic!("{other:?}"),
        }
    }
    assert!(ok >= 1 && busy >= 1, "{ok} signed in, {busy} busy");
    assert_eq!(AppError::Busy.status(), http::StatusCode::SERVICE_UNAVAILABLE);
    let registration = accounts::register(&t.db, &t.config, registration("new@example.com"), "").await;
    assert!(
        registration.is_ok(),
        "a free slot is taken again: {:?}",
        registration.err()
    );
});

// Quality P1 without P2's leak: a failed sign-in names the email only by its keyed reference.
on_both_backends!(failed_sign_ins_name_the_email_by_a_keyed_reference_only, |t| {
    let _ = sign_in(&t, "Who@Example.com", "wrong password!".into()).await;
    let target: String = t
        .scalar("SELECT target FROM audit_log WHERE action = 'login'")
        .await;
    assert_eq!(target, token::email_ref(&t.config.secret_key, "who@example.com"));
    assert!(!token::hash("who@example.com").starts_with(&target));
    assert!(!target.contains("who"));
});
