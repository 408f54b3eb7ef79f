//! Staffing a case: the admin assigns (and, before payment, reassigns) the case
//! coordinator, which opens the payment; after payment the coordinator assigns specialists.

use super::case_action::{self, Acting, Audience};
use super::Person;
use crate::domain::{visibility, CaseAction, CaseStatus};
use crate::error::AppError;
use crate::i18n::td_string;
use crate::model::{CaseId, Detail, PaymentId, UserId};
use crate::server::config::Config;
use crate::server::db::assignments;
use crate::server::db::run::{self, args};
use crate::server::db::{self, payments, Db};
use crate::server::payments::{Checkout, CheckoutRequest};

#[derive(sqlx::FromRow)]
struct CaseFacts {
    category_id: Option<String>,
    review_type_id: Option<String>,
    coordinator_id: Option<UserId>,
}

async fn facts(conn: &mut sqlx::AnyConnection, case_id: &CaseId) -> Result<CaseFacts, AppError> {
    const SQL: &str = "SELECT category_id, review_type_id, coordinator_id FROM review_cases WHERE id = $1";
    run::fetch_optional(conn, SQL, args![case_id])
        .await?
        .ok_or(AppError::NotFound)
}

/// The case's status, used only to pick which action a request is; the check that follows
/// answers NotFound for a case the caller may not see.
async fn status_of(db: &Db, case_id: &CaseId) -> Result<Option<CaseStatus>, AppError> {
    match crate::server::db::cases::find(db.pool(), case_id).await? {
        Some(case) => Ok(Some(case.status)),
        None => Ok(None),
    }
}

async fn in_pool(
    conn: &mut sqlx::AnyConnection,
    category: &str,
    clinician: &UserId,
    coordinators: bool,
) -> Result<bool, AppError> {
    Ok(assignments::pool_members(&mut *conn, category, coordinators)
        .await?
        .iter()
        .any(|m| *clinician == m.profile.id.as_str()))
}

/// The admin's choice of coordinator: the first one for a submitted case, a change before
/// payment otherwise. Which of the two it is follows from the case's status, not from the page.
pub async fn choose_coordinator(
    db: &Db,
    config: &Config,
    caller: &Person,
    case_id: &CaseId,
    version: i64,
    coordinator_id: &UserId,
) -> Result<(), AppError> {
    match status_of(db, case_id).await? {
        Some(CaseStatus::Submitted) | None => {
            assign_coordinator(db, config, caller, case_id, version, coordinator_id).await
        }
        Some(_) => reassign_coordinator(db, caller, case_id, version, coordinator_id).await,
    }
}

/// Makes `coordinator_id`, who must be in the medical area's pool, the case's active coordinator.
async fn link_coordinator(
    acting: &mut Acting,
    category_id: &str,
    coordinator_id: &UserId,
    assigned_by: &UserId,
    now: i64,
) -> Result<(), AppError> {
    ensure_coordinator_in_pool(&mut acting.tx, category_id, coordinator_id).await?;
    let case_id = acting.case.id.clone();
    assignments::insert(&mut acting.tx, &case_id, coordinator_id, true, assigned_by, now).await?;
    assignments::set_coordinator(&mut acting.tx, &case_id, coordinator_id).await?;
    acting.case.coordinator_id = Some(coordinator_id.to_owned());
    Ok(())
}

async fn ensure_coordinator_in_pool(
    conn: &mut sqlx::AnyConnection,
    category_id: &str,
    coordinator_id: &UserId,
) -> Result<(), AppError> {
    if in_pool(conn, category_id, coordinator_id, true).await? {
        Ok(())
    } else {
        Err(AppError::validation(
            "coordinator_id",
            td_string!(crate::lang::current(), errors.coordinator_from_pool),
        ))
    }
}

/// Links the coordinator, records the payment the provider opened a checkout for, prompts the
/// patient, notifies the coordinator, records "Coordinator assigned" and "Awaiting payment".
/// The checkout is asked for first, with no transaction open ([`open_checkout`]); the change
/// is then one short transaction at the version the admin saw. The loser of a race gets a
/// conflict and changes nothing; a provider that does not answer leaves the case as it was,
/// for the admin to try again (under the same idempotency key).
pub async fn assign_coordinator(
    db: &Db,
    config: &Config,
    caller: &Person,
    case_id: &CaseId,
    version: i64,
    coordinator_id: &UserId,
) -> Result<(), AppError> {
    let opened = open_checkout(db, config, caller, case_id, version, coordinator_id).await?;
    let mut acting = case_action::begin(db, caller, case_id, version, CaseAction::AssignCoordinator).await?;
    let facts = facts(&mut acting.tx, case_id).await?;
    let now = db::now_ms();
    let category = facts.category_id.unwrap_or_default();
    link_coordinator(&mut acting, &category, coordinator_id, &caller.user.id, now).await?;
    let payment = payments::NewPayment {
        id: &opened.payment_id,
        case_id,
        provider: config.payments.name(),
        provider_ref: opened.checkout.provider_ref.as_deref(),
        checkout_url: &opened.checkout.url,
        amount_minor: opened.amount_minor,
        currency: &opened.currency,
    };
    payments::insert(&mut acting.tx, &payment, now).await?;
    payments::checkout_done(&mut acting.tx, &opened.payment_id, now).await?;
    acting.opened_payment_link();
    let detail = Detail::PaymentRequested {
        amount: crate::domain::money::Money {
            minor: opened.amount_minor,
            currency: opened.currency,
        },
    };
    case_action::finish(acting, Some(detail), &Audience::default()).await
}

/// A checkout the provider opened for the case, not yet recorded on it.
struct OpenedCheckout {
    payment_id: PaymentId,
    checkout: Checkout,
    amount_minor: i64,
    currency: String,
}

/// Checks the assignment as [`case_action::begin`] will (refusals audited), then asks the
/// provider for a checkout with no transaction or connection held. The case's pending checkout
/// intent gives the payment id, which is the provider's idempotency key: a retry after a
/// timeout gets the same checkout. A failed attempt is recorded on the intent.
async fn open_checkout(
    db: &Db,
    config: &Config,
    caller: &Person,
    case_id: &CaseId,
    version: i64,
    coordinator_id: &UserId,
) -> Result<OpenedCheckout, AppError> {
    let (case, _) =
        case_action::check_at(db, caller, case_id, version, CaseAction::AssignCoordinator).await?;
    let (payment_id, amount_minor, currency, review_name, language) = {
        let mut conn = db.pool().acquire().await?;
        let facts = facts(&mut conn, case_id).await?;
        ensure_coordinator_in_pool(&mut conn, &facts.category_id.unwrap_or_default(), coordinator_id).await?;
        const SQL: &str = "SELECT price_minor, currency, name FROM review_types WHERE id = $1";
        let (amount_minor, currency, review_name): (i64, String, String) =
            run::fetch_one(&mut *conn, SQL, args![facts.review_type_id.unwrap_or_default()]).await?;
        let payment_id = payments::pending_checkout(&mut conn, case_id, db::now_ms()).await?;
        // The provider's checkout page names what is paid for in the patient's language.
        let patient = crate::server::db::users::find_by_id(&mut *conn, &case.patient_id).await?;
        let language = patient.map(|p| p.language()).unwrap_or_default();
        (payment_id, amount_minor, currency, review_name, language)
    };
    let return_url = format!("{}/cases/{case_id}", config.public_url);
    let description = td_string!(
        language,
        checkout.provider_description,
        review = review_name,
        reference = &case.reference
    );
    let request = CheckoutRequest {
        payment_id: payment_id.as_str(),
        amount_minor,
        currency: &currency,
        description: &description,
        return_url: &return_url,
    };
    match config.payments.create_checkout(&request).await {
        Ok(checkout) => Ok(OpenedCheckout {
            payment_id,
            checkout,
            amount_minor,
            currency,
        }),
        Err(e) => {
            payments::checkout_failed(db.pool(), &payment_id, &e.to_string(), db::now_ms()).await?;
            Err(e)
        }
    }
}

/// Before payment only: a different coordinator from the pool takes over. The old assignment row
/// is deactivated (kept), a new one created; the payment link stays as it was.
pub async fn reassign_coordinator(
    db: &Db,
    caller: &Person,
    case_id: &CaseId,
    version: i64,
    coordinator_id: &UserId,
) -> Result<(), AppError> {
    let mut acting =
        case_action::begin(db, caller, case_id, version, CaseAction::ReassignCoordinator).await?;
    let facts = facts(&mut acting.tx, case_id).await?;
    let previous = facts.coordinator_id.clone().unwrap_or_default();
    if previous == *coordinator_id {
        return Err(AppError::validation(
            "coordinator_id",
            td_string!(crate::lang::current(), errors.different_coordinator),
        ));
    }
    let now = db::now_ms();
    let category = facts.category_id.unwrap_or_default();
    assignments::deactivate(&mut acting.tx, case_id, &previous, &caller.user.id, now).await?;
    link_coordinator(&mut acting, &category, coordinator_id, &caller.user.id, now).await?;
    case_action::finish(acting, None, &Audience::previous_coordinator(previous)).await
}

/// The case's coordinator assigns specialists from the pool (first time: the case moves to
/// DoctorsAssigned and gets its expected review date; later: more are added).
pub async fn assign_specialists(
    db: &Db,
    caller: &Person,
    case_id: &CaseId,
    version: i64,
    specialist_ids: &[UserId],
) -> Result<(), AppError> {
    let mut chosen: Vec<UserId> = specialist_ids
        .iter()
        .filter(|s| !s.as_str().is_empty())
        .cloned()
        .collect();
    chosen.sort();
    chosen.dedup();
    if chosen.is_empty() {
        return Err(AppError::validation(
            "specialists",
            td_string!(crate::lang::current(), errors.choose_specialist),
        ));
    }
    let action = match status_of(db, case_id).await? {
        Some(CaseStatus::DoctorsAssigned) => CaseAction::AddSpecialists,
        _ => CaseAction::AssignSpecialists,
    };
    let mut acting = case_action::begin(db, caller, case_id, version, action).await?;
    let facts = facts(&mut acting.tx, case_id).await?;
    let category = facts.category_id.unwrap_or_default();
    let on_case = assignments::active_specialists(&mut *acting.tx, case_id).await?;
    for id in &chosen {
        if Some(id) == facts.coordinator_id.as_ref() {
            return Err(AppError::validation(
                "specialists",
                td_string!(crate::lang::current(), errors.coordinator_not_specialist),
            ));
        }
        if on_case.contains(id) {
            return Err(AppError::validation(
                "specialists",
                td_string!(crate::lang::current(), errors.specialist_already_on_case),
            ));
        }
        if !in_pool(&mut acting.tx, &category, id, false).await? {
            return Err(AppError::validation(
                "specialists",
                td_string!(crate::lang::current(), errors.specialists_from_pool),
            ));
        }
    }
    let now = db::now_ms();
    for id in &chosen {
        assignments::insert(&mut acting.tx, case_id, id, false, &caller.user.id, now).await?;
    }
    if acting
        .transition
        .has(crate::domain::Effect::SetExpectedReviewDate)
    {
        const SQL: &str = "SELECT rt.expected_days FROM review_types rt JOIN review_cases c ON c.review_type_id = rt.id WHERE c.id = $1";
        let days: i64 = run::scalar_one(&mut *acting.tx, SQL, args![case_id]).await?;
        assignments::set_expected_review(&mut acting.tx, case_id, now + days * 24 * 3600 * 1000).await?;
        acting.set_review_date();
    }
    case_action::finish(acting, None, &Audience::specialists(chosen)).await
}

/// Removes a specialist who has not yet submitted an opinion; they lose access at once.
pub async fn remove_specialist(
    db: &Db,
    caller: &Person,
    case_id: &CaseId,
    version: i64,
    specialist_id: &UserId,
) -> Result<(), AppError> {
    let mut acting = case_action::begin(db, caller, case_id, version, CaseAction::RemoveSpecialist).await?;
    let on_case = assignments::active_specialists(&mut *acting.tx, case_id).await?;
    if !on_case.iter().any(|s| s == specialist_id) {
        return Err(AppError::validation(
            "specialist_id",
            td_string!(crate::lang::current(), errors.specialist_not_on_case),
        ));
    }
    let submitted = db::review::has_submitted(&mut *acting.tx, case_id, specialist_id).await?;
    if let Some(reason) = visibility::removal_blocker(submitted, on_case.len()) {
        return Err(AppError::conflict(reason));
    }
    assignments::deactivate(
        &mut acting.tx,
        case_id,
        specialist_id,
        &caller.user.id,
        db::now_ms(),
    )
    .await?;
    case_action::finish(acting, None, &Audience::specialists(vec![specialist_id.clone()])).await
}
