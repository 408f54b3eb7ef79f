//! Money given back, sent to the provider outside any transaction. The decision is recorded
//! with the change that causes it (a paid case closed, money arriving for a closed case): the
//! refund row is `requested` and the payment refunded, in that change's transaction. Right after
//! the commit the refund is sent; the provider's answer is recorded in one statement of its own.
//! One that got no answer (the provider down, a timeout, the server killed in between) stays
//! requested and the worker sends it again with backoff, always under the same idempotency key
//! (`refund-<payment id>`), so however often it is sent the money goes back once.

use crate::error::AppError;
use crate::server::db::{self, payments, Db};
use crate::server::payments::{Provider, RefundRequest};

/// The worker's first attempt comes this long after the decision: the deciding request's own
/// attempt right after its commit goes first.
const FIRST_RETRY_MS: i64 = 60_000;
/// Backoff between attempts doubles up to this.
const MAX_BACKOFF_MS: i64 = 60 * 60 * 1000;

/// Records the decision inside the deciding transaction; returns the refund's id for [`send`]
/// once it has committed.
pub(super) async fn request(tx: &mut db::Tx, payment: &payments::PaymentRow) -> Result<String, AppError> {
    let now = db::now_ms();
    Ok(payments::request_refund(tx, payment, now, now + FIRST_RETRY_MS).await?)
}

/// Sends one requested refund and records the answer. A refund no longer requested (answered
/// already) is left alone. A provider that does not answer is recorded for the next attempt,
/// not returned as an error: the decision stands and the worker carries it through.
pub async fn send(db: &Db, provider: &Provider, refund_id: &str) -> Result<(), AppError> {
    let Some(refund) = payments::refund_to_send(db.pool(), refund_id).await? else {
        return Ok(());
    };
    attempt(db, provider, &refund, db::now_ms()).await.map(|_| ())
}

/// Sends the requested refunds whose attempt is due at `now`; answers how many were answered.
pub async fn send_due(db: &Db, provider: &Provider, now: i64) -> Result<usize, AppError> {
    let mut answered = 0;
    for refund in payments::due_refunds(db.pool(), now, 20).await? {
        if attempt(db, provider, &refund, now).await? {
            answered += 1;
        }
    }
    Ok(answered)
}

/// One attempt; true when the provider answered.
async fn attempt(
    db: &Db,
    provider: &Provider,
    refund: &payments::RefundToSend,
    now: i64,
) -> Result<bool, AppError> {
    let request = RefundRequest {
        payment_id: refund.payment_id.as_str(),
        provider_payment_ref: refund.provider_payment_ref.as_deref(),
        amount_minor: refund.amount_minor,
    };
    match provider.refund(&request).await {
        Ok(issued) => {
            payments::refund_sent(
                db.pool(),
                &refund.id,
                &issued.status,
                issued.provider_ref.as_deref(),
            )
            .await?;
            Ok(true)
        }
        Err(e) => {
            let backoff = (FIRST_RETRY_MS << refund.attempts.clamp(0, 16)).min(MAX_BACKOFF_MS);
            tracing::warn!(refund = refund.id, attempts = refund.attempts + 1, error = %e, "a refund was not sent; it will be tried again");
            payments::refund_failed(db.pool(), &refund.id, &e.to_string(), now + backoff).await?;
            Ok(false)
        }
    }
}
