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

/// A refund decided on, to be sent: recorded as `requested` in the transaction that decided it
/// (and the payment marked refunded), due for the worker only after `retry_at`, so the caller's
/// own attempt right after the commit goes first. Returns the refund's id.
pub async fn request_refund(
    conn: &mut AnyConnection,
    payment: &PaymentRow,
    now: i64,
    retry_at: i64,
) -> Result<String> {
    const SQL: &str = "INSERT INTO refunds (id, payment_id, amount_minor, status, provider_ref, created_at, next_attempt_at) \
         VALUES ($1, $2, $3, 'requested', NULL, $4, $5)";
    let id = super::new_id();
    run::execute(
        &mut *conn,
        SQL,
        args![&id, &payment.id, payment.amount_minor, now, retry_at],
    )
    .await?;
    set_status(conn, &payment.id, PaymentStatus::Refunded, now).await?;
    Ok(id)
}

/// A requested refund with what the provider needs to send it.
#[derive(FromRow, Clone, Debug)]
pub struct RefundToSend {
    pub id: String,
    pub payment_id: PaymentId,
    pub amount_minor: i64,
    pub provider_payment_ref: Option<String>,
    pub attempts: i64,
}

/// The refund `id` if it is still to be sent.
pub async fn refund_to_send<'e>(ex: impl Executes<'e>, id: &str) -> Result<Option<RefundToSend>> {
    const SQL: &str = "SELECT r.id, r.payment_id, r.amount_minor, p.provider_payment_ref, r.attempts \
         FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE r.status = 'requested' AND r.id = $1";
    run::fetch_optional(ex, SQL, args![id]).await
}

/// Requested refunds whose next attempt is due at `now`, oldest first.
pub async fn due_refunds<'e>(ex: impl Executes<'e>, now: i64, limit: i64) -> Result<Vec<RefundToSend>> {
    const SQL: &str = "SELECT r.id, r.payment_id, r.amount_minor, p.provider_payment_ref, r.attempts \
         FROM refunds r JOIN payments p ON p.id = r.payment_id \
         WHERE r.status = 'requested' AND r.next_attempt_at <= $1 ORDER BY r.created_at LIMIT $2";
    run::fetch_all(ex, SQL, args![now, limit]).await
}

/// The provider's answer to a refund; false when it was already recorded (another server's
/// attempt answered first, with the same refund).
pub async fn refund_sent<'e>(
    ex: impl Executes<'e>,
    id: &str,
    status: &str,
    provider_ref: Option<&str>,
) -> Result<bool> {
    const SQL: &str =
        "UPDATE refunds SET status = $1, provider_ref = $2, attempts = attempts + 1, last_error = NULL \
         WHERE id = $3 AND status = 'requested'";
    Ok(run::execute(ex, SQL, args![status, provider_ref, id])
        .await?
        .rows_affected()
        == 1)
}

/// An attempt that got no answer: tried again at `retry_at`.
pub async fn refund_failed<'e>(ex: impl Executes<'e>, id: &str, error: &str, retry_at: i64) -> Result<()> {
    const SQL: &str = "UPDATE refunds SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2 \
         WHERE id = $3 AND status = 'requested'";
    run::execute(ex, SQL, args![error, retry_at, id]).await?;
    Ok(())
}

/// The payment id of the case's pending checkout, made now if it has none: the idempotency key
/// every attempt at that checkout uses.
pub async fn pending_checkout(conn: &mut AnyConnection, case_id: &CaseId, now: i64) -> Result<PaymentId> {
    // The partial unique index keeps one pending intent per case; a second writer's insert is
    // a no-op and both read the same one.
    const SQL: &str = "INSERT INTO checkout_intents (payment_id, case_id, status, created_at, updated_at) \
         VALUES ($1, $2, 'pending', $3, $3) ON CONFLICT DO NOTHING";
    run::execute(&mut *conn, SQL, args![super::new_id(), case_id, now]).await?;
    const SQL_2: &str = "SELECT payment_id FROM checkout_intents WHERE case_id = $1 AND status = 'pending'";
    run::scalar_one(conn, SQL_2, args![case_id]).await
}

/// An attempt at the checkout that got no answer; the intent stays pending for the next one.
pub async fn checkout_failed<'e>(
    ex: impl Executes<'e>,
    payment_id: &PaymentId,
    error: &str,
    now: i64,
) -> Result<()> {
    const SQL: &str =
        "UPDATE checkout_intents SET attempts = attempts + 1, last_error = $1, updated_at = $2 \
         WHERE payment_id = $3";
    run::execute(ex, SQL, args![error, now, payment_id]).await?;
    Ok(())
}

/// The checkout was created and its payment row written (same transaction).
pub async fn checkout_done(conn: &mut AnyConnection, payment_id: &PaymentId, now: i64) -> Result<()> {
    const SQL: &str = "UPDATE checkout_intents SET status = 'done', attempts = attempts + 1, last_error = NULL, updated_at = $1 \
         WHERE payment_id = $2";
    run::execute(conn, SQL, args![now, payment_id]).await?;
    Ok(())
}

/// Pending checkouts untouched since `before`: done if their payment row exists (a crash after
/// the commit), abandoned otherwise (nobody retried; the provider's session expires unused).
pub async fn settle_stale_checkouts<'e>(ex: impl Executes<'e>, before: i64, now: i64) -> Result<u64> {
    const SQL: &str = "UPDATE checkout_intents SET updated_at = $1, status = CASE WHEN EXISTS \
         (SELECT 1 FROM payments p WHERE p.id = checkout_intents.payment_id) THEN 'done' ELSE 'abandoned' END \
         WHERE status = 'pending' AND updated_at < $2";
    Ok(run::execute(ex, SQL, args![now, before]).await?.rows_affected())
}

/// Issues the invoice for a payment: `INV-<year>-<sequence>`.
pub async fn insert_invoice(conn: &mut AnyConnection, payment: &PaymentRow, now: i64) -> Result<String> {
    let year = i64::from(chrono::Datelike::year(&crate::model::from_ms(now)));
    // The year's counter row, advanced in this transaction: concurrent confirmations wait on it
    // instead of computing the same number.
    const SQL: &str = "INSERT INTO invoice_counters (year, last_number) VALUES ($1, 1) \
         ON CONFLICT (year) DO UPDATE SET last_number = invoice_counters.last_number + 1 RETURNING last_number";
    let sequence: i64 = run::scalar_one(&mut *conn, SQL, args![year]).await?;
    let number = format!("INV-{year}-{sequence:06}");
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
