use crate::domain::payment::PaymentStatus;
use crate::model::{CaseId, PaymentId};
use sqlx::{Any, AnyConnection, Executor, FromRow};

#[derive(FromRow, Clone, Debug)]
pub struct PaymentRow {
    pub id: PaymentId,
    pub case_id: CaseId,
    pub provider: String,
    pub checkout_url: String,
    pub amount_minor: i64,
    pub currency: String,
    pub status: PaymentStatus,
}

pub struct NewPayment<'a> {
    pub id: &'a PaymentId,
    pub case_id: &'a CaseId,
    pub provider: &'a str,
    pub provider_ref: Option<&'a str>,
    pub checkout_url: &'a str,
    pub amount_minor: i64,
    pub currency: &'a str,
}

pub async fn insert(conn: &mut AnyConnection, p: &NewPayment<'_>, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO payments (id, case_id, provider, provider_ref, checkout_url, amount_minor, currency, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $8)",
    )
    .bind(p.id)
    .bind(p.case_id)
    .bind(p.provider)
    .bind(p.provider_ref)
    .bind(p.checkout_url)
    .bind(p.amount_minor)
    .bind(p.currency)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &PaymentId,
) -> Result<Option<PaymentRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, case_id, provider, checkout_url, amount_minor, currency, status FROM payments WHERE id = $1")
        .bind(id)
        .fetch_optional(ex)
        .await
}

pub async fn for_case<'e>(
    ex: impl Executor<'e, Database = Any>,
    case_id: &CaseId,
) -> Result<Option<PaymentRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, case_id, provider, checkout_url, amount_minor, currency, status FROM payments WHERE case_id = $1")
        .bind(case_id)
        .fetch_optional(ex)
        .await
}

pub async fn set_status(
    conn: &mut AnyConnection,
    id: &PaymentId,
    status: PaymentStatus,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE payments SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_provider_payment_ref(
    conn: &mut AnyConnection,
    id: &PaymentId,
    reference: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE payments SET provider_payment_ref = $1 WHERE id = $2")
        .bind(reference)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn provider_payment_ref(
    conn: &mut AnyConnection,
    id: &PaymentId,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT provider_payment_ref FROM payments WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await
}

/// Records a refund as the provider answered it, and marks the payment refunded.
pub async fn insert_refund(
    conn: &mut AnyConnection,
    payment: &PaymentRow,
    status: &str,
    provider_ref: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO refunds (id, payment_id, amount_minor, status, provider_ref, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(super::new_id())
    .bind(&payment.id)
    .bind(payment.amount_minor)
    .bind(status)
    .bind(provider_ref)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    set_status(conn, &payment.id, PaymentStatus::Refunded, now).await
}

/// Issues the invoice for a payment: `INV-<year>-<sequence>`.
pub async fn insert_invoice(
    conn: &mut AnyConnection,
    payment: &PaymentRow,
    now: i64,
) -> Result<String, sqlx::Error> {
    let year = crate::model::from_ms(now).format("%Y").to_string();
    let issued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM invoices WHERE number LIKE $1")
        .bind(format!("INV-{year}-%"))
        .fetch_one(&mut *conn)
        .await?;
    let number = format!("INV-{year}-{:06}", issued + 1);
    sqlx::query(
        "INSERT INTO invoices (id, payment_id, number, amount_minor, currency, issued_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(super::new_id())
    .bind(&payment.id)
    .bind(&number)
    .bind(payment.amount_minor)
    .bind(&payment.currency)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(number)
}

/// Records a webhook event by the provider's id. False if it was already recorded: a redelivery.
pub async fn record_event(
    conn: &mut AnyConnection,
    provider: &str,
    event_id: &str,
    event_type: &str,
    payment_id: Option<&str>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO webhook_events (provider, event_id, event_type, payment_id, outcome, received_at) \
         VALUES ($1, $2, $3, $4, 'received', $5) ON CONFLICT (provider, event_id) DO NOTHING",
    )
    .bind(provider)
    .bind(event_id)
    .bind(event_type)
    .bind(payment_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_event_outcome(
    conn: &mut AnyConnection,
    provider: &str,
    event_id: &str,
    outcome: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE webhook_events SET outcome = $1 WHERE provider = $2 AND event_id = $3")
        .bind(outcome)
        .bind(provider)
        .bind(event_id)
        .execute(conn)
        .await?;
    Ok(())
}
