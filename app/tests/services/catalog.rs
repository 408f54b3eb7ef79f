use crate::on_both_backends;
use crate::support::user;
use app::domain::Role;
use app::error::AppError;
use app::model::{Category, UserId};
use app::server::db::catalog::CatalogKind;
use app::server::db::Db;
use app::server::services::catalog::{self, CategoryInput, ReviewTypeInput};
use app::server::services::Person;

/// The catalog's first medical area as `caller` reads it.
async fn first_category(db: &Db, caller: &Person) -> Category {
    catalog::catalog(db, caller).await.unwrap().categories.remove(0)
}

fn review_type(name: &str, price: &str, days: &str) -> ReviewTypeInput {
    ReviewTypeInput {
        name: name.into(),
        description: String::new(),
        price: price.into(),
        currency: "eur".into(),
        expected_days: days.into(),
    }
}

on_both_backends!(
    an_admin_creates_and_edits_review_types_with_prices_in_minor_units,
    |t| {
        let admin = user(&t.db, Role::Admin, "admin@example.com").await;
        let caller = Person::new(&admin, "");
        let id = catalog::save_review_type(&t.db, &caller, None, review_type("Standard", "450.50", "10"))
            .await
            .unwrap();
        catalog::save_review_type(
            &t.db,
            &caller,
            Some(&id),
            review_type("Standard plus", "1,200", "7"),
        )
        .await
        .unwrap();
        let all = catalog::catalog(&t.db, &caller).await.unwrap();
        let rt = &all.review_types[0];
        assert_eq!(
            (
                rt.name.as_str(),
                rt.price.minor,
                rt.price.currency.as_str(),
                rt.expected_days
            ),
            ("Standard plus", 120_000, "EUR", 7)
        );
    }
);

on_both_backends!(bad_review_type_input_names_each_field_and_saves_nothing, |t| {
    let admin = user(&t.db, Role::Admin, "admin@example.com").await;
    let caller = Person::new(&admin, "");
    let bad = ReviewTypeInput {
        name: "  ".into(),
        description: "x".repeat(501),
        price: "-3".into(),
        currency: "XXX".into(),
        expected_days: "0".into(),
    };
    let err = catalog::save_review_type(&t.db, &caller, None, bad)
        .await
        .unwrap_err();
    for field in ["name", "description", "price", "currency", "expected_days"] {
        assert!(err.field(field).is_some(), "{field}: {err:?}");
    }
    catalog::save_review_type(&t.db, &caller, None, review_type("Standard", "450", "10"))
        .await
        .unwrap();
    let dup = catalog::save_review_type(&t.db, &caller, None, review_type("Standard", "1", "1"))
        .await
        .unwrap_err();
    assert!(dup.field("name").is_some());
    assert_eq!(
        catalog::catalog(&t.db, &caller).await.unwrap().review_types.len(),
        1
    );
});

on_both_backends!(categories_carry_their_pools_and_refuse_non_clinicians, |t| {
    let admin = user(&t.db, Role::Admin, "admin@example.com").await;
    let doc = user(&t.db, Role::Clinician, "doc@example.com").await;
    let coord = user(&t.db, Role::Clinician, "coord@example.com").await;
    let patient = user(&t.db, Role::Patient, "ana@example.com").await;
    let caller = Person::new(&admin, "");
    let input = |specialists: Vec<UserId>, coordinators: Vec<UserId>| CategoryInput {
        name: "Cardiology".into(),
        specialists,
        coordinators,
    };
    let id = catalog::save_category(
        &t.db,
        &caller,
        None,
        input(vec![doc.id.clone(), doc.id.clone()], vec![coord.id.clone()]),
    )
    .await
    .unwrap();
    let cat = first_category(&t.db, &caller).await;
    assert_eq!(
        (cat.specialists, cat.coordinators),
        (vec![doc.id.clone()], vec![coord.id.clone()])
    );
    let err = catalog::save_category(&t.db, &caller, Some(&id), input(vec![patient.id.clone()], vec![]))
        .await
        .unwrap_err();
    assert!(err.field("specialists").is_some());
    let cat = first_category(&t.db, &caller).await;
    assert_eq!(
        cat.specialists,
        vec![doc.id.clone()],
        "a refused edit changes nothing"
    );
    catalog::save_category(&t.db, &caller, Some(&id), input(vec![], vec![doc.id.clone()]))
        .await
        .unwrap();
    let cat = first_category(&t.db, &caller).await;
    assert_eq!((cat.specialists.len(), cat.coordinators), (0, vec![doc.id]));
});

on_both_backends!(
    patients_see_only_active_entries_and_cannot_change_the_catalog,
    |t| {
        let admin = user(&t.db, Role::Admin, "admin@example.com").await;
        let patient = user(&t.db, Role::Patient, "ana@example.com").await;
        let caller = Person::new(&admin, "");
        let a = catalog::save_review_type(&t.db, &caller, None, review_type("A", "1", "1"))
            .await
            .unwrap();
        catalog::save_review_type(&t.db, &caller, None, review_type("B", "2", "2"))
            .await
            .unwrap();
        catalog::set_active(&t.db, &caller, CatalogKind::ReviewType, &a, false)
            .await
            .unwrap();
        let seen = catalog::catalog(&t.db, &Person::new(&patient, "")).await.unwrap();
        assert_eq!(
            seen.review_types
                .iter()
                .map(|r| r.name.as_str())
                .collect::<Vec<_>>(),
            ["B"]
        );
        assert!(seen.clinicians.is_empty());
        let err = catalog::save_review_type(
            &t.db,
            &Person::new(&patient, ""),
            None,
            review_type("C", "1", "1"),
        )
        .await
        .unwrap_err();
        assert!(matches!(err, AppError::Forbidden(_)));
    }
);
