//! The audit log for admins: search, CSV export, refusals recorded, and the log append-only in
//! the database itself.

use crate::on_both_backends;
use crate::support::as_;
use crate::support::{user, TestDb};
use app::domain::Role;
use app::error::AppError;
use app::model::{AuditQuery, CurrentUser};
use app::server::services::{audit, cases};

/// The default search with one thing changed.
fn search_for(change: impl FnOnce(&mut AuditQuery)) -> AuditQuery {
    let mut query = AuditQuery::default();
    change(&mut query);
    query
}

/// How many entries the admin's search finds.
async fn total_found(t: &TestDb, admin: &CurrentUser, query: &AuditQuery) -> u64 {
    audit::search(&t.db, &as_(admin), query).await.unwrap().total
}

on_both_backends!(admins_search_the_log_and_export_what_they_found, |t| {
    let admin = user(&t.db, Role::Admin, "admin@example.com").await;
    // A patient whose name would be a formula in a spreadsheet.
    let mallory = user(&t.db, Role::Patient, "=cmd@example.com").await;
    let ana = user(&t.db, Role::Patient, "ana@example.com").await;
    let case_id = cases::create_draft(&t.db, &as_(&ana)).await.unwrap();
    cases::create_draft(&t.db, &as_(&mallory)).await.unwrap();
    let reference: String = t
        .scalar_for("SELECT reference FROM review_cases WHERE id = $1", &case_id)
        .await;

    let all = audit::search(&t.db, &as_(&admin), &AuditQuery::default())
        .await
        .unwrap();
    assert_eq!(all.total, 2);
    let by_case = search_for(|q| q.case = reference.to_lowercase());
    let found = audit::search(&t.db, &as_(&admin), &by_case).await.unwrap();
    assert_eq!(found.total, 1);
    assert_eq!(found.items[0].user_email.as_deref(), Some("ana@example.com"));
    assert_eq!(found.items[0].case_reference.as_deref(), Some(reference.as_str()));
    let by_who = AuditQuery {
        who: "ANA".into(),
        action: "create_case".into(),
        ..AuditQuery::default()
    };
    assert_eq!(total_found(&t, &admin, &by_who).await, 1);
    let literal = search_for(|q| q.who = "%".into());
    assert_eq!(total_found(&t, &admin, &literal).await, 0, "% is not a wildcard");
    let future = search_for(|q| q.from = "2999-01-01".into());
    assert_eq!(total_found(&t, &admin, &future).await, 0);
    let bad = search_for(|q| q.from = "yesterday".into());
    assert!(matches!(
        audit::search(&t.db, &as_(&admin), &bad).await,
        Err(AppError::Validation(_))
    ));

    let csv = String::from_utf8(
        audit::export_csv(&t.db, &as_(&admin), &AuditQuery::default())
            .await
            .unwrap(),
    )
    .unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "id,at_utc,user_name,user_email,role,action,case,target,outcome,ip"
    );
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(
        csv.contains(",'=cmd,'=cmd@example.com,"),
        "formula cells are defused: {csv}"
    );
    let exports = audit::search(
        &t.db,
        &as_(&admin),
        &search_for(|q| q.action = "export_audit".into()),
    )
    .await
    .unwrap();
    assert_eq!(exports.total, 1, "the export itself is recorded");
});

on_both_backends!(only_admins_read_the_log_and_refusals_are_recorded, |t| {
    let admin = user(&t.db, Role::Admin, "admin@example.com").await;
    let clinician = user(&t.db, Role::Clinician, "doc@example.com").await;
    let err = audit::search(&t.db, &as_(&clinician), &AuditQuery::default())
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Forbidden(_)), "{err:?}");
    let err = audit::export_csv(&t.db, &as_(&clinician), &AuditQuery::default())
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Forbidden(_)), "{err:?}");
    let denied = AuditQuery {
        outcome: "denied".into(),
        who: "doc@".into(),
        ..AuditQuery::default()
    };
    assert_eq!(total_found(&t, &admin, &denied).await, 2);
});

on_both_backends!(the_database_refuses_to_change_or_remove_audit_entries, |t| {
    let ana = user(&t.db, Role::Patient, "ana@example.com").await;
    cases::create_draft(&t.db, &as_(&ana)).await.unwrap();
    let update = sqlx::query("UPDATE audit_log SET outcome = 'forged'")
        .execute(t.db.pool())
        .await;
    assert!(update.is_err(), "update must fail");
    let delete = sqlx::query("DELETE FROM audit_log").execute(t.db.pool()).await;
    assert!(delete.is_err(), "delete must fail");
    let n: i64 = t
        .scalar("SELECT COUNT(*) FROM audit_log WHERE outcome = 'ok'")
        .await;
    assert_eq!(n, 1);
});
