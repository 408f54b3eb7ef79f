use crate::domain::payment::PaymentStatus;
use crate::model::{CaseId, PaymentId};
use crate::server::db::run::{self, args};
use crate::server::db::{Executes, Result};
use sqlx::{AnyConnection, FromRow};

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

pub async fn insert(conn: &mut AnyConnection, p: &NewPayment<'_>, now: i64) -> Result<()> {
    const SQL: &str = "INSERT INTO payments (id, case_id, provider, provider_ref, checkout_url, amount_minor, currency, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)";
    run::execute(
        conn,
        SQL,
        args![
            p.id,
            p.case_id,
            p.provider,
            p.provider_ref,
            p.checkout_url,
            p.amount_minor,
            p.currency,
            PaymentStatus::Open,
            now
        ],
    )
    .await?;
    Ok(())
}

pub async fn find<'e>(ex: impl Executes<'e>, id: &PaymentId) -> Result<Option<PaymentRow>> {
    const SQL: &str = "SELECT id, case_id, provider, checkout_url, amount_minor, currency, status FROM payments WHERE id = $1";
    run::fetch_optional(ex, SQL, args![id]).await
}

pub async fn for_case<'e>(ex: impl Executes<'e>, case_id: &CaseId) -> Result<Option<PaymentRow>> {
    const SQL: &str = "SELECT id, case_id, provider, checkout_url, amount_minor, currency, status FROM payments WHERE case_id = $1";
    run::fetch_optional(ex, SQL, args![case_id]).await
}

pub async fn set_status(
    conn: &mut AnyConnection,
    id: &PaymentId,
    status: PaymentStatus,
    now: i64,
) -> Result<()> {
    const SQL: &str = "UPDATE payments SET status = $1, updated_at = $2 WHERE id = $3";
    run::execute(conn, SQL, args![status, now, id]).await?;
    Ok(())
}

pub async fn set_provider_payment_ref(
    conn: &mut AnyConnection,
    id: &PaymentId,
    reference: &str,
) -> Result<()> {
    const SQL: &str = "UPDATE payments SET provider_payment_ref = $1 WHERE id = $2";
    run::execute(conn, SQL, args![reference, id]).await?;
    Ok(())
}

pub async fn provider_payment_ref(conn: &mut AnyConnection, id: &PaymentId) -> Result<Option<String>> {
    run::scalar_one(
        conn,
        "SELECT provider_payment_ref FROM payments WHERE id = $1",
        args![id],
    )
    .await
}

/// Records a refund as the provider answered it, and marks the payment refunded.
pub async fn insert_refund(
    conn: &mut AnyConnection,
    payment: &PaymentRow,
    status: &str,
    provider_ref: Option<&str>,
    now: i64,
) -> Result<()> {
    const SQL: &str = "INSERT INTO refunds (id, payment_id, amount_minor, status, provider_ref, created_at) VALUES ($1, $2, $3, $4, $5, $6)";
    run::execute(
        &mut *conn,
        SQL,
        args![
            super::new_id(),
            &payment.id,
            payment.amount_minor,
            status,
            provider_ref,
            now
        ],
    )
    .await?;
    set_status(conn, &payment.id, PaymentStatus::Refunded, now).await
}

/// Issues the invoice for a payment: `INV-<year>-<sequence>`.
pub async fn insert_invoice(conn: &mut AnyConnection, payment: &PaymentRow, now: i64) -> Result<String> {
    let year = crate::model::from_ms(now).format("%Y").to_string();
    const SQL: &str = "SELECT COUNT(*) FROM invoices WHERE number LIKE $1";
    let issued: i64 = run::scalar_one(&mut *conn, SQL, args![format!("INV-{year}-%")]).await?;
    let number = format!("INV-{year}-{:06}", issued + 1);
    const SQL_2: &str = "INSERT INTO invoices (id, payment_id, number, amount_minor, currency, issued_at) VALUES ($1, $2, $3, $4, $5, $6)";
    run::execute(
        conn,
        SQL_2,
        args![
            super::new_id(),
            &payment.id,
            &number,
            payment.amount_minor,
            &payment.currency,
            now
        ],
    )
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
) -> Result<bool> {
    const SQL: &str =
        "INSERT INTO webhook_events (provider, event_id, event_type, payment_id, outcome, received_at) \
         VALUES ($1, $2, $3, $4, 'received', $5) ON CONFLICT (provider, event_id) DO NOTHING";
    let done = run::execute(conn, SQL, args![provider, event_id, event_type, payment_id, now]).await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_event_outcome(
    conn: &mut AnyConnection,
    provider: &str,
    event_id: &str,
    outcome: &str,
) -> Result<()> {
    const SQL: &str = "UPDATE webhook_events SET outcome = $1 WHERE provider = $2 AND event_id = $3";
    run::execute(conn, SQL, args![outcome, provider, event_id]).await?;
    Ok(())
}
