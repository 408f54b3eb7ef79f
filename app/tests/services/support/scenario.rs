//! One way to bring a case to any point of its life in a test. [`Scenario`] holds the people and
//! the catalog; `s.case().paid().await` drives a new case through the real services, step by
//! step, up to the furthest step named, and returns its id. Probes read typed values back.

use super::{user, TestDb};
use app::domain::document::samples;
use app::domain::intake::DraftInput;
use app::domain::review::OpinionInput;
use app::domain::{CaseAction, CaseStatus, Role, TimelineLabel};
use app::error::AppError;
use app::model::{CaseId, CurrentUser, DocumentInfo, FormIntent, PaymentId};
use app::server::config::TEST_WEBHOOK_SECRET;
use app::server::db;
use app::server::payments::signature;
use app::server::services::catalog::{self, CategoryInput, ReviewTypeInput};
use app::server::services::payments::{handle_webhook, Outcome, WebhookError};
use app::server::services::{assignment, cases, documents, review, Person};
use app::server::storage::Storage;
use futures_util::future::BoxFuture;
use std::future::IntoFuture;

/// The person acting, from no particular address.
pub fn as_(user: &CurrentUser) -> Person {
    Person::new(user, "")
}

/// An admin, a patient, one review type and one category, and (for [`Scenario::staffed`]) two
/// coordinators and three specialists in the category's pools. `outsider` is a clinician in no pool.
pub struct Scenario<'t> {
    pub t: &'t TestDb,
    pub admin: CurrentUser,
    pub patient: CurrentUser,
    pub coordinators: Vec<CurrentUser>,
    pub specialists: Vec<CurrentUser>,
    pub outsider: CurrentUser,
    pub review_type: String,
    pub category: String,
    pub storage: Storage,
}

impl<'t> Scenario<'t> {
    /// The catalog and its admin and patient; nobody in the category's pools.
    pub async fn new(t: &'t TestDb) -> Scenario<'t> {
        let admin = user(&t.db, Role::Admin, "admin@example.com").await;
        let patient = user(&t.db, Role::Patient, "ana@example.com").await;
        let outsider = user(&t.db, Role::Clinician, "outsider@example.com").await;
        let review_type = catalog::save_review_type(&t.db, &as_(&admin), None, standard_review())
            .await
            .unwrap();
        let category = catalog::save_category(&t.db, &as_(&admin), None, cardiology(&[], &[]))
            .await
            .unwrap();
        Scenario {
            t,
            admin,
            patient,
            coordinators: Vec::new(),
            specialists: Vec::new(),
            outsider,
            review_type,
            category,
            storage: t.storage.clone(),
        }
    }

    /// [`Scenario::new`] with two coordinators and three specialists in the category's pools.
    pub async fn staffed(t: &'t TestDb) -> Scenario<'t> {
        let mut s = Scenario::new(t).await;
        for n in 0..2 {
            s.coordinators
                .push(user(&t.db, Role::Clinician, &format!("coord{n}@example.com")).await);
        }
        for n in 0..3 {
            s.specialists
                .push(user(&t.db, Role::Clinician, &format!("spec{n}@example.com")).await);
        }
        let pools = cardiology(&s.specialists, &s.coordinators);
        catalog::save_category(&t.db, &as_(&s.admin), Some(&s.category), pools)
            .await
            .unwrap();
        s
    }

    /// A second review type ("Urgent") and medical area ("Neurology", with empty pools).
    pub async fn another_type_and_area(&self) -> (String, String) {
        let admin = as_(&self.admin);
        let urgent = ReviewTypeInput {
            name: "Urgent".into(),
            description: "Fast".into(),
            price: "900".into(),
            expected_days: "3".into(),
            ..standard_review()
        };
        let review_type = catalog::save_review_type(&self.t.db, &admin, None, urgent)
            .await
            .unwrap();
        let neurology = CategoryInput {
            name: "Neurology".into(),
            ..cardiology(&[], &[])
        };
        let category = catalog::save_category(&self.t.db, &admin, None, neurology)
            .await
            .unwrap();
        (review_type, category)
    }

    /// A new case of the patient's, to be taken as far as the steps named.
    pub fn case(&self) -> CaseSteps<'_, 't> {
        CaseSteps {
            s: self,
            until: Step::Draft,
        }
    }

    /// The intake form filled in completely, for this scenario's catalog.
    pub fn complete_form(&self) -> DraftInput {
        DraftInput {
            review_type_id: self.review_type.clone(),
            category_id: self.category.clone(),
            patient_age: "54".into(),
            patient_sex: "female".into(),
            medical_history: "Chest pain on exertion since March; stress test abnormal.".into(),
            current_treatment: "Bisoprolol 5 mg".into(),
            questions: "Is a bypass needed?\nAre stents an option?".into(),
        }
    }

    /// A new draft of the patient's with one PDF, `scan.pdf`.
    pub async fn draft_with_scan(&self) -> (CaseId, DocumentInfo) {
        let id = cases::create_draft(&self.t.db, &as_(&self.patient))
            .await
            .unwrap();
        let doc = self
            .upload(&self.patient, &id, "scan.pdf", samples::pdf())
            .await
            .unwrap();
        (id, doc)
    }

    pub async fn upload(
        &self,
        who: &CurrentUser,
        case_id: &CaseId,
        name: &str,
        bytes: Vec<u8>,
    ) -> Result<DocumentInfo, AppError> {
        self.send(who, case_id, name, None, bytes).await
    }

    /// A PDF uploaded in answer to one item of a document request.
    pub async fn upload_requested(
        &self,
        who: &CurrentUser,
        case_id: &CaseId,
        item: &str,
    ) -> Result<DocumentInfo, AppError> {
        self.send(who, case_id, "requested.pdf", Some(item), samples::pdf())
            .await
    }

    async fn send(
        &self,
        who: &CurrentUser,
        case_id: &CaseId,
        name: &str,
        request_item: Option<&str>,
        bytes: Vec<u8>,
    ) -> Result<DocumentInfo, AppError> {
        let body = futures_util::stream::iter(vec![Ok::<_, std::io::Error>(bytes::Bytes::from(bytes))]);
        let up = documents::Upload {
            case_id,
            name,
            replaces: None,
            declared_len: None,
            request_item,
        };
        documents::upload(&self.t.db, &self.storage, &as_(who), up, body).await
    }

    pub async fn submit_opinion(&self, who: &CurrentUser, case_id: &CaseId, assessment: &str) {
        review::write_opinion(
            &self.t.db,
            &as_(who),
            case_id,
            FormIntent::Submit,
            &opinion(assessment),
        )
        .await
        .unwrap();
    }

    /// The first coordinator writes the final summary, completing the case.
    pub async fn complete(&self, case_id: &CaseId) {
        let summary = "Both specialists advise an angiography.";
        let (coordinator, version) = (as_(&self.coordinators[0]), self.version(case_id).await);
        review::submit_final_summary(&self.t.db, &self.storage, &coordinator, case_id, version, summary)
            .await
            .unwrap();
    }

    /// Delivers a webhook body as the payment provider would: signed with the test secret.
    pub async fn deliver(&self, body: &[u8]) -> Result<Outcome, WebhookError> {
        handle_webhook(&self.t.db, &self.t.config.payments, body, Some(&signed(body))).await
    }

    pub async fn status(&self, case_id: &CaseId) -> CaseStatus {
        self.case_row(case_id).await.status
    }

    pub async fn version(&self, case_id: &CaseId) -> i64 {
        self.case_row(case_id).await.version
    }

    /// The single number `sql` answers for the id (of a case, usually) bound to `$1`.
    pub async fn count(&self, sql: &'static str, id: impl AsRef<str>) -> i64 {
        self.t.scalar_for(sql, id).await
    }

    /// How many notifications of `kind` (a timeline label) `user` got, on any case.
    pub async fn notified(&self, user: &CurrentUser, kind: TimelineLabel) -> usize {
        self.notices(None, user, kind).await.len()
    }

    /// The bodies of the notifications of `kind` that `user` got about the case, oldest first.
    pub async fn notices_on(&self, case_id: &CaseId, user: &CurrentUser, kind: TimelineLabel) -> Vec<String> {
        self.notices(Some(case_id), user, kind).await
    }

    async fn notices(
        &self,
        case_id: Option<&CaseId>,
        user: &CurrentUser,
        kind: TimelineLabel,
    ) -> Vec<String> {
        sqlx::query_scalar(
            "SELECT body FROM notifications WHERE user_id = $1 AND kind = $2 \
             AND ($3 = '' OR case_id = $3) ORDER BY created_at, id",
        )
        .bind(&user.id)
        .bind(kind)
        .bind(case_id.map_or("", CaseId::as_str))
        .fetch_all(self.t.db.pool())
        .await
        .unwrap()
    }

    /// How many rows of `table` belong to the case.
    pub async fn rows(&self, table: &str, case_id: &CaseId) -> i64 {
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE case_id = $1");
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(case_id)
            .fetch_one(self.t.db.pool())
            .await
            .unwrap()
    }

    pub async fn payment_id(&self, case_id: &CaseId) -> PaymentId {
        db::payments::for_case(self.t.db.pool(), case_id)
            .await
            .unwrap()
            .expect("the case has a payment")
            .id
    }

    /// Where a document's bytes are stored (its generated key).
    pub async fn storage_key(&self, document_id: &str) -> String {
        sqlx::query_scalar("SELECT storage_key FROM documents WHERE id = $1")
            .bind(document_id)
            .fetch_one(self.t.db.pool())
            .await
            .unwrap()
    }

    async fn case_row(&self, case_id: &CaseId) -> db::cases::CaseRow {
        db::cases::find(self.t.db.pool(), case_id)
            .await
            .unwrap()
            .expect("the case exists")
    }

    /// Takes a new case through each step up to `until`, as the people concerned would.
    async fn drive(&self, until: Step) -> CaseId {
        let id = cases::create_draft(&self.t.db, &as_(&self.patient))
            .await
            .unwrap();
        for step in Step::ALL.into_iter().skip(1).take_while(|step| *step <= until) {
            self.take(step, &id).await;
        }
        id
    }

    async fn take(&self, step: Step, id: &CaseId) {
        let db = &self.t.db;
        let version = self.version(id).await;
        match step {
            Step::Draft => {}
            Step::Submitted => {
                self.upload(&self.patient, id, "scan.pdf", samples::pdf())
                    .await
                    .unwrap();
                let form = self.complete_form();
                cases::save(db, &as_(&self.patient), id, version, FormIntent::Submit, &form)
                    .await
                    .unwrap();
            }
            Step::Assigned => {
                let coordinator = &self.coordinators[0].id;
                let admin = as_(&self.admin);
                assignment::assign_coordinator(db, &self.t.config, &admin, id, version, coordinator)
                    .await
                    .unwrap();
            }
            Step::Paid => {
                let (event_id, payment) = (format!("evt_paid_{id}"), self.payment_id(id).await);
                let paid = webhook_event(&event_id, "checkout.session.completed", &payment, 45_000, true);
                self.deliver(&paid).await.unwrap();
            }
            Step::UnderReview => {
                let chosen = [self.specialists[0].id.clone(), self.specialists[1].id.clone()];
                assignment::assign_specialists(db, &as_(&self.coordinators[0]), id, version, &chosen)
                    .await
                    .unwrap();
            }
            Step::Completed => {
                let [first, second, ..] = &self.specialists[..] else {
                    panic!("a staffed scenario has specialists")
                };
                self.submit_opinion(first, id, "Findings suggest two-vessel disease.")
                    .await;
                self.submit_opinion(second, id, "I agree; the stress test is clearly positive.")
                    .await;
                self.complete(id).await;
            }
        }
    }
}

/// The steps of a case's life a scenario can take it to, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Draft,
    Submitted,
    Assigned,
    Paid,
    UnderReview,
    Completed,
}

impl Step {
    const ALL: [Step; 6] = [
        Step::Draft,
        Step::Submitted,
        Step::Assigned,
        Step::Paid,
        Step::UnderReview,
        Step::Completed,
    ];
}

/// How far a new case goes: each method names a step, the furthest one named wins, and awaiting
/// the steps runs them and gives the case's id.
pub struct CaseSteps<'s, 't> {
    s: &'s Scenario<'t>,
    until: Step,
}

impl CaseSteps<'_, '_> {
    fn to(mut self, step: Step) -> Self {
        self.until = self.until.max(step);
        self
    }

    /// Submitted by the patient with one document.
    pub fn submitted(self) -> Self {
        self.to(Step::Submitted)
    }

    /// The first coordinator assigned by the admin; the payment link is open.
    pub fn assigned(self) -> Self {
        self.to(Step::Assigned)
    }

    /// Paid through the provider's signed webhook.
    pub fn paid(self) -> Self {
        self.to(Step::Paid)
    }

    /// Specialists 0 and 1 assigned by the first coordinator.
    pub fn under_review(self) -> Self {
        self.to(Step::UnderReview)
    }

    /// Both opinions in and the final summary written.
    pub fn completed(self) -> Self {
        self.to(Step::Completed)
    }
}

impl<'s, 't> IntoFuture for CaseSteps<'s, 't> {
    type Output = CaseId;
    type IntoFuture = BoxFuture<'s, CaseId>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.s.drive(self.until).await })
    }
}

/// `caller` cancels or rejects the case at `version`, refunding through the test provider.
pub async fn close(
    t: &TestDb,
    caller: &Person,
    case_id: &CaseId,
    version: i64,
    action: CaseAction,
    reason: &str,
) -> Result<(), AppError> {
    cases::close(
        &t.db,
        &t.config.payments,
        caller,
        case_id,
        version,
        action,
        reason,
    )
    .await
}

/// The signature header the provider would send with `body`, made with the test secret.
pub fn signed(body: &[u8]) -> String {
    signature::sign(TEST_WEBHOOK_SECRET.as_bytes(), db::now_ms() / 1000, body)
}

/// An event as the provider sends it, about the payment `payment_id`.
pub fn webhook_event(
    event_id: &str,
    kind: &str,
    payment_id: impl AsRef<str>,
    amount: i64,
    paid: bool,
) -> Vec<u8> {
    serde_json::json!({
        "id": event_id,
        "type": kind,
        "data": {"object": {
            "id": "cs_1", "client_reference_id": payment_id.as_ref(), "amount_total": amount,
            "currency": "eur", "payment_status": if paid { "paid" } else { "unpaid" }
        }}
    })
    .to_string()
    .into_bytes()
}

fn standard_review() -> ReviewTypeInput {
    ReviewTypeInput {
        name: "Standard".into(),
        description: "Two specialists".into(),
        price: "450".into(),
        currency: "EUR".into(),
        expected_days: "10".into(),
    }
}

fn cardiology(specialists: &[CurrentUser], coordinators: &[CurrentUser]) -> CategoryInput {
    let ids = |people: &[CurrentUser]| people.iter().map(|p| p.id.clone()).collect();
    CategoryInput {
        name: "Cardiology".into(),
        specialists: ids(specialists),
        coordinators: ids(coordinators),
    }
}

pub fn opinion(assessment: &str) -> OpinionInput {
    OpinionInput {
        assessment: assessment.into(),
        recommendation: "Coronary angiography within four weeks.".into(),
        diagnosis: "Stable angina".into(),
        treatment: String::new(),
    }
}
