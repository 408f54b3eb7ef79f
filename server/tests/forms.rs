//! Plain HTML form posts (no JavaScript) reach their server functions with every field, for the
//! forms whose fields arrive as one flattened input struct.
#![allow(clippy::unwrap_used)]

mod common;

use app::model::{CaseView, Catalog};
use common::{harness, post, send, sign_in};

#[tokio::test]
async fn a_review_type_form_arrives_whole() {
    let h = harness().await;
    let admin = sign_in(&h, "admin@consilium.test").await;
    let form = "id=&name=Urgent&description=Within+a+week&price=900&currency=EUR&expected_days=7";
    let saved = send(&h, post("/api/save_review_type", form, Some(&admin))).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let reply = send(&h, post("/api/load_catalog", "", Some(&admin))).await;
    let catalog: Catalog = serde_json::from_str(&reply.body).unwrap();
    let urgent = catalog.review_types.iter().find(|t| t.name == "Urgent").unwrap();
    assert_eq!(
        (urgent.description.as_str(), urgent.expected_days),
        ("Within a week", 7)
    );
}

#[tokio::test]
async fn a_staff_form_arrives_whole_and_fields_left_out_are_missing() {
    let h = harness().await;
    let admin = sign_in(&h, "admin@consilium.test").await;
    let clinician = "role=clinician&name=Ines+Duarte&email=ines%40consilium.test\
                     &password=a-long-first-password&title=Dr&specialties=Neurology\
                     &contact_email=ines%40consilium.test";
    let without_phone = send(&h, post("/api/create_staff", clinician, Some(&admin))).await;
    assert_eq!(without_phone.status, 422);
    assert!(
        without_phone.body.contains("contact_phone"),
        "{}",
        without_phone.body
    );
    let with_phone = format!("{clinician}&contact_phone=%2B351+21+000+0000");
    let created = send(&h, post("/api/create_staff", &with_phone, Some(&admin))).await;
    assert_eq!(created.status, 200, "{}", created.body);
    let admin_only = "role=admin&name=Ola&email=ola%40consilium.test&password=a-long-first-password";
    let created = send(&h, post("/api/create_staff", admin_only, Some(&admin))).await;
    assert_eq!(created.status, 200, "{}", created.body);
}

#[tokio::test]
async fn an_intake_form_arrives_whole() {
    let h = harness().await;
    let patient = sign_in(&h, "maria.rossi@example.com").await;
    let started = send(&h, post("/api/start_case", "", Some(&patient))).await;
    let case_id: String = serde_json::from_str(&started.body).unwrap();
    let form = format!(
        "case_id={case_id}&version=1&intent=save&review_type_id=&category_id=&patient_age=61\
         &patient_sex=male&medical_history=Dizzy+spells&current_treatment=None&questions=Why%3F"
    );
    let saved = send(&h, post("/api/save_case", &form, Some(&patient))).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let reply = send(
        &h,
        post("/api/load_case", &format!("case_id={case_id}"), Some(&patient)),
    )
    .await;
    let view: CaseView = serde_json::from_str(&reply.body).unwrap();
    let details = view.details;
    assert_eq!(
        (
            details.patient_age,
            details.medical_history.as_str(),
            details.questions.as_str()
        ),
        (Some(61), "Dizzy spells", "Why?")
    );
}
