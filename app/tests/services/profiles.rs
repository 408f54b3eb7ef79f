//! Profiles: people edit their own (each role its own fields), admins anyone's; fields an editor
//! may not change keep their values; a new sign-in email counts only once its link is opened.

use crate::on_both_backends;
use crate::support::{emails_to, log_in, user, TestDb, PASSWORD};
use app::domain::audit::{Outcome, UseCase};
use app::domain::Role;
use app::error::AppError;
use app::model::{ProfileForm, UserId};
use app::server::db;
use app::server::services::accounts::{self, Client};
use app::server::services::Person;

fn form(user_id: &UserId) -> ProfileForm {
    ProfileForm {
        user_id: user_id.to_string(),
        name: "A New Name".into(),
        phone: "+44 20 7946 0999".into(),
        title: "Prof".into(),
        specialties: "Everything".into(),
        contact_email: "desk@consilium.test".into(),
        contact_phone: "+44 20 7946 0888".into(),
    }
}

fn is_invalid(result: &Result<(), AppError>, field: &str) -> bool {
    matches!(result, Err(e @ AppError::Validation(_)) if e.field(field).is_some())
}

/// Asks for `new_email` as `me`'s sign-in email; the token of the link sent to it.
async fn ask_for(t: &TestDb, me: &Person, new_email: &str) -> String {
    accounts::request_email_change(&t.db, &t.config, me, new_email, PASSWORD.into())
        .await
        .unwrap();
    let subject = "Confirm your new sign-in email";
    link_token(t, &new_email.to_lowercase(), subject, "/confirm-email").await
}

/// The link in the latest email to `to` with `subject`: its token.
async fn link_token(t: &TestDb, to: &str, subject: &str, path: &str) -> String {
    let emails = emails_to(t, to).await;
    let (_, body) = emails
        .iter()
        .rev()
        .find(|(s, _)| s == subject)
        .expect("the email");
    let after = body.split(&format!("{path}#")).nth(1).expect("a link");
    after.split_whitespace().next().unwrap().to_owned()
}

on_both_backends!(
    a_clinician_changes_how_patients_see_and_reach_them_but_not_the_specialties,
    |t| {
        let mei = user(&t.db, Role::Clinician, "mei@consilium.test").await;
        let me = Person::new(&mei, "");
        accounts::save_profile(&t.db, &me, form(&mei.id)).await.unwrap();
        let saved = accounts::load_profile(&t.db, &me, "").await.unwrap();
        assert_eq!(
            (
                saved.name.as_str(),
                saved.title.as_str(),
                saved.contact_email.as_str(),
                saved.contact_phone.as_str()
            ),
            ("A New Name", "Prof", "desk@consilium.test", "+44 20 7946 0888")
        );
        assert_eq!(saved.specialties, "Cardiology", "sent, and ignored");
        assert_eq!(saved.phone, "", "a patient's field, and ignored");
        let mut bad = form(&mei.id);
        bad.contact_phone = "call me".into();
        bad.name = String::new();
        let refused = accounts::save_profile(&t.db, &me, bad).await;
        assert!(is_invalid(&refused, "contact_phone") && is_invalid(&refused, "name"));
        let unchanged = accounts::load_profile(&t.db, &me, "").await.unwrap();
        assert_eq!(unchanged, saved, "a refused form saves nothing");
        assert_eq!(t.audited(UseCase::UpdateProfile, Outcome::Ok).await, 1);
    }
);

on_both_backends!(patients_edit_their_name_and_phone_and_nobody_elses, |t| {
    let ana = user(&t.db, Role::Patient, "ana@example.com").await;
    let bo = user(&t.db, Role::Patient, "bo@example.com").await;
    let mei = user(&t.db, Role::Clinician, "mei@consilium.test").await;
    let patient = Person::new(&ana, "");
    accounts::save_profile(&t.db, &patient, form(&ana.id))
        .await
        .unwrap();
    let saved = accounts::load_profile(&t.db, &patient, "").await.unwrap();
    assert_eq!(
        (saved.name.as_str(), saved.phone.as_str()),
        ("A New Name", "+44 20 7946 0999")
    );
    assert_eq!(
        saved.email, "ana@example.com",
        "the sign-in email changes only by its own link"
    );
    // Someone else's profile answers like one that does not exist.
    for other in [&bo.id, &mei.id, &UserId::from("no-such-user")] {
        assert_eq!(
            accounts::load_profile(&t.db, &patient, other.as_str())
                .await
                .err(),
            Some(AppError::NotFound)
        );
        assert_eq!(
            accounts::save_profile(&t.db, &patient, form(other)).await,
            Err(AppError::NotFound)
        );
    }
    let clinician = Person::new(&mei, "");
    assert_eq!(
        accounts::save_profile(&t.db, &clinician, form(&ana.id)).await,
        Err(AppError::NotFound)
    );
});

on_both_backends!(admins_edit_anyones_profile_including_specialties, |t| {
    let admin = user(&t.db, Role::Admin, "root@consilium.test").await;
    let mei = user(&t.db, Role::Clinician, "mei@consilium.test").await;
    let by_admin = Person::new(&admin, "");
    accounts::save_profile(&t.db, &by_admin, form(&mei.id))
        .await
        .unwrap();
    let saved = accounts::load_profile(&t.db, &by_admin, mei.id.as_str())
        .await
        .unwrap();
    assert_eq!(saved.specialties, "Everything");
    assert_eq!(saved.name, "A New Name");
    let entry: String = t
        .scalar("SELECT target FROM audit_log WHERE action = 'update_profile'")
        .await;
    assert_eq!(entry, mei.id.as_str(), "audited with the account as target");
});

on_both_backends!(a_new_sign_in_email_counts_once_its_link_is_opened, |t| {
    let ana = user(&t.db, Role::Patient, "ana@example.com").await;
    let me = Person::new(&ana, "");
    let wrong = accounts::request_email_change(&t.db, &t.config, &me, "ana@new.example", "nope".into()).await;
    assert!(is_invalid(&wrong, "current_password"));
    assert!(emails_to(&t, "ana@new.example").await.is_empty());
    let token = ask_for(&t, &me, "Ana@New.example").await;
    let told = emails_to(&t, "ana@example.com").await;
    assert_eq!(told.last().unwrap().0, "A change of sign-in email was asked for");
    // Until the link is opened, the old address signs in.
    let old = log_in(&t, "ana@example.com", PASSWORD, "").await;
    assert!(old.is_ok());

    accounts::confirm_email_change(&t.db, &token, &Client::default())
        .await
        .unwrap();
    assert!(
        accounts::confirm_email_change(&t.db, &token, &Client::default())
            .await
            .is_err(),
        "once"
    );
    let new = log_in(&t, "ana@new.example", PASSWORD, "").await;
    assert!(new.is_ok());
    let old = log_in(&t, "ana@example.com", PASSWORD, "").await;
    assert_eq!(old.err(), Some(AppError::BadCredentials));
    let told = emails_to(&t, "ana@example.com").await;
    assert_eq!(told.last().unwrap().0, "Your sign-in email was changed");
    assert_eq!(t.audited(UseCase::RequestEmailChange, Outcome::Ok).await, 1);
    assert_eq!(t.audited(UseCase::ConfirmEmailChange, Outcome::Ok).await, 1);
});

on_both_backends!(
    asking_for_a_taken_address_answers_alike_and_tells_its_owner,
    |t| {
        let ana = user(&t.db, Role::Patient, "ana@example.com").await;
        user(&t.db, Role::Patient, "bo@example.com").await;
        let me = Person::new(&ana, "");
        let answer =
            accounts::request_email_change(&t.db, &t.config, &me, "bo@example.com", PASSWORD.into()).await;
        assert_eq!(answer, Ok(()), "the same answer as for a free address");
        let to_bo = emails_to(&t, "bo@example.com").await;
        assert_eq!(to_bo.len(), 1);
        assert_eq!(to_bo[0].0, "Your address and Consilium");
        assert!(
            !to_bo[0].1.contains("/confirm-email#"),
            "no link that could take the address"
        );
        let pending: i64 = t
            .scalar("SELECT COUNT(*) FROM email_tokens WHERE purpose = 'change_email'")
            .await;
        assert_eq!(pending, 0);
        // An expired link changes nothing.
        let token = ask_for(&t, &me, "ana@new.example").await;
        sqlx::query("UPDATE email_tokens SET expires_at = $1 WHERE purpose = 'change_email'")
            .bind(db::now_ms() - 1)
            .execute(t.db.pool())
            .await
            .unwrap();
        let late = accounts::confirm_email_change(&t.db, &token, &Client::default()).await;
        assert!(is_invalid(&late, "token"), "{late:?}");
        let email: String = t
            .scalar_for("SELECT email FROM users WHERE id = $1", &ana.id)
            .await;
        assert_eq!(email, "ana@example.com");
    }
);
