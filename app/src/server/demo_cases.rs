//! Demo cases, played through the same use cases the pages call, so that a newcomer finds a
//! completed case with its report and a case under review: Tomasz Nowak's, in Cardiology,
//! coordinated by Zofia Wójcik and reviewed by Henrik Larsen and Amara Nwosu; and Layla Haddad's
//! completed case, written in Arabic, whose report is in Arabic.

use super::db::{self, users};
use super::services::{assignment, cases, documents, payments, review, Person};
use super::AppState;
use crate::domain::document::samples;
use crate::domain::intake::DraftInput;
use crate::domain::review::OpinionInput;
use crate::error::AppError;
use crate::model::CurrentUser;
use crate::model::{CaseId, FormIntent, PaymentId};

struct Cast {
    patient: CurrentUser,
    /// A patient who reads Arabic.
    arabic_patient: CurrentUser,
    admin: CurrentUser,
    coordinator: CurrentUser,
    specialists: [CurrentUser; 2],
}

async fn person(state: &AppState, email: &str) -> Result<CurrentUser, AppError> {
    let row = users::find_by_email(state.db.pool(), email)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(row.into_current())
}

fn as_(user: &CurrentUser) -> Person {
    Person::new(user, "demo")
}

async fn version(state: &AppState, case_id: &CaseId) -> Result<i64, AppError> {
    Ok(db::cases::find(state.db.pool(), case_id)
        .await?
        .ok_or(AppError::NotFound)?
        .version)
}

/// Loads both demo cases. Called once, right after the demo accounts.
pub async fn load(state: &AppState) -> Result<(), AppError> {
    let cast = Cast {
        patient: person(state, "tomasz.nowak@example.com").await?,
        arabic_patient: person(state, "layla.haddad@example.com").await?,
        admin: person(state, "admin@consilium.test").await?,
        coordinator: person(state, "zofia.wojcik@consilium.test").await?,
        specialists: [
            person(state, "henrik.larsen@consilium.test").await?,
            person(state, "amara.nwosu@consilium.test").await?,
        ],
    };
    let completed = under_review(
        state,
        &cast,
        &cast.patient,
        &tomasz("Palpitations at night since January."),
    )
    .await?;
    finish_review(state, &cast, &cast.patient, &completed, SUMMARY).await?;
    under_review(
        state,
        &cast,
        &cast.patient,
        &tomasz("Shortness of breath when climbing stairs."),
    )
    .await?;
    let arabic = under_review(state, &cast, &cast.arabic_patient, &layla()).await?;
    finish_review(state, &cast, &cast.arabic_patient, &arabic, ARABIC_SUMMARY).await?;
    Ok(())
}

/// What a patient writes on the intake form (the review type and area are looked up).
struct Story {
    age: &'static str,
    sex: &'static str,
    history: &'static str,
    treatment: &'static str,
    questions: &'static str,
}

fn tomasz(history: &'static str) -> Story {
    Story {
        age: "63",
        sex: "male",
        history,
        treatment: "Bisoprolol 2.5 mg daily.",
        questions: "Do I need an ablation, or is medication enough?",
    }
}

fn layla() -> Story {
    Story {
        age: "41",
        sex: "female",
        history: "خفقان في الليل منذ شهر يناير، مع دوخة خفيفة أحيانًا.",
        treatment: "أتناول دواء Bisoprolol بجرعة 2.5 mg يوميًا.",
        questions: "هل أحتاج إلى عملية كيّ للقلب، أم يكفي العلاج بالأدوية؟",
    }
}

const SUMMARY: &str = "Both specialists find paroxysmal atrial fibrillation with a healthy heart structure. \
They advise medication and anticoagulation first, tests for thyroid function and sleep apnoea, and an \
ablation only if the episodes continue after three months.";

const ARABIC_SUMMARY: &str = "يتفق الطبيبان على وجود رجفان أذيني انتيابي مع سلامة بنية القلب. \
ننصح بالبدء بالأدوية ومضادات التخثر، وبفحص وظائف الغدة الدرقية واضطرابات التنفس أثناء النوم، \
ولا نلجأ إلى الكيّ إلا إذا استمرت النوبات بعد ثلاثة أشهر.";

/// Submitted, coordinator assigned, paid through the test provider, two specialists assigned.
async fn under_review(
    state: &AppState,
    cast: &Cast,
    who: &CurrentUser,
    story: &Story,
) -> Result<CaseId, AppError> {
    let (db, patient) = (&state.db, &as_(who));
    let id = cases::create_draft(db, patient).await?;
    upload(state, who, &id, None).await?;
    let catalog = super::services::catalog::catalog(db, patient).await?;
    let standard = catalog
        .review_types
        .iter()
        .find(|r| r.name == "Standard second opinion");
    let cardiology = catalog.categories.iter().find(|c| c.name == "Cardiology");
    let input = DraftInput {
        review_type_id: standard.map(|r| r.id.clone()).unwrap_or_default(),
        category_id: cardiology.map(|c| c.id.clone()).unwrap_or_default(),
        patient_age: story.age.into(),
        patient_sex: story.sex.into(),
        medical_history: story.history.into(),
        current_treatment: story.treatment.into(),
        questions: story.questions.into(),
    };
    cases::save(db, patient, &id, 1, FormIntent::Submit, &input).await?;
    let admin = as_(&cast.admin);
    let v = version(state, &id).await?;
    assignment::assign_coordinator(db, &state.config, &admin, &id, v, &cast.coordinator.id).await?;
    let payment_id: PaymentId = sqlx::query_scalar("SELECT id FROM payments WHERE case_id = $1")
        .bind(&id)
        .fetch_one(db.pool())
        .await?;
    payments::complete_test_checkout(db, &state.config.payments, patient, &payment_id, true).await?;
    let chosen = [cast.specialists[0].id.clone(), cast.specialists[1].id.clone()];
    let v = version(state, &id).await?;
    assignment::assign_specialists(db, &as_(&cast.coordinator), &id, v, &chosen).await?;
    Ok(id)
}

async fn upload(
    state: &AppState,
    who: &CurrentUser,
    case_id: &CaseId,
    item: Option<&str>,
) -> Result<(), AppError> {
    let body = futures_util::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from(samples::pdf()))]);
    let upload = documents::Upload {
        case_id,
        name: if item.is_some() {
            "holter-ecg.pdf"
        } else {
            "cardiology-letter.pdf"
        },
        replaces: None,
        declared_len: None,
        request_item: item,
    };
    documents::upload(&state.db, &state.storage, &as_(who), upload, body).await?;
    Ok(())
}

/// A document request answered, two opinions, the coordinator's summary: the case completes.
async fn finish_review(
    state: &AppState,
    cast: &Cast,
    who: &CurrentUser,
    id: &CaseId,
    summary: &str,
) -> Result<(), AppError> {
    let db = &state.db;
    let [henrik, amara] = &cast.specialists;
    review::request_documents(db, &as_(henrik), id, "", &["24-hour Holter ECG".into()]).await?;
    let item: String = sqlx::query_scalar(
        "SELECT i.id FROM document_request_items i JOIN document_requests r ON r.id = i.request_id \
         WHERE r.case_id = $1",
    )
    .bind(id)
    .fetch_one(db.pool())
    .await?;
    upload(state, who, id, Some(&item)).await?;
    let opinion = |assessment: &str, recommendation: &str, diagnosis: &str| OpinionInput {
        assessment: assessment.into(),
        recommendation: recommendation.into(),
        diagnosis: diagnosis.into(),
        treatment: String::new(),
    };
    let first = opinion(
        "The Holter ECG shows paroxysmal atrial fibrillation, about 40 minutes a night, with a normal heart structure on the letter's echocardiography.",
        "Start anticoagulation after a CHA₂DS₂-VASc review with your cardiologist. Ablation is a reasonable option if episodes persist despite medication.",
        "Paroxysmal atrial fibrillation",
    );
    let second = opinion(
        "I agree with the reading of the Holter ECG. Thyroid function and sleep apnoea should be excluded as triggers.",
        "Medication first for three months; consider pulmonary vein isolation if symptoms continue.",
        "",
    );
    review::write_opinion(db, &as_(henrik), id, FormIntent::Submit, &first).await?;
    review::write_opinion(db, &as_(amara), id, FormIntent::Submit, &second).await?;
    let v = version(state, id).await?;
    review::submit_final_summary(db, &state.storage, &as_(&cast.coordinator), id, v, summary).await
}
