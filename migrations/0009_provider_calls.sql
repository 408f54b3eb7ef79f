-- Calls to the payment provider happen outside any write transaction: a slow provider must not
-- hold SQLite's only write lock (or a PostgreSQL row lock) while every other writer waits. Each
-- call's intent is recorded in its own short transaction before the call and its outcome after
-- it, so a call a crash interrupted is found and finished with the same idempotency key.

-- A checkout about to be created for a case. Its payment id is the idempotency key the provider
-- sees, so asking again (the admin's retry after a timeout) returns the same checkout session,
-- never a second one. 'pending' until the case's payment row is written ('done'); the worker
-- marks one the case never got 'abandoned' (an unused checkout session expires by itself).
CREATE TABLE checkout_intents (
    payment_id  TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES review_cases (id),
    status      TEXT NOT NULL CHECK (status IN ('pending', 'done', 'abandoned')),
    attempts    BIGINT NOT NULL DEFAULT 0,
    last_error  TEXT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
-- At most one pending checkout per case: two admins assigning at once share one key.
CREATE UNIQUE INDEX checkout_intents_pending_key ON checkout_intents (case_id) WHERE status = 'pending';

-- A refund is recorded as 'requested' in the transaction that closes the case, then sent; the
-- provider's answer ('succeeded', 'pending') replaces that status. One still requested (the
-- provider was down, or the server died before recording the answer) is sent again by the
-- worker when `next_attempt_at` comes, with the same idempotency key.
ALTER TABLE refunds ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE refunds ADD COLUMN next_attempt_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE refunds ADD COLUMN last_error TEXT;
CREATE INDEX refunds_due ON refunds (status, next_attempt_at);

-- Invoice numbers are sequential per year. Counting the year's invoices and adding one gave two
-- payments confirmed at the same moment on two servers the same number (the second then failed
-- on `invoices_number_key`); one counter row per year, advanced by an upsert in the confirming
-- transaction, hands out each number once and, rolled back with it, leaves no gap.
CREATE TABLE invoice_counters (
    year         BIGINT PRIMARY KEY,
    last_number  BIGINT NOT NULL
);
INSERT INTO invoice_counters (year, last_number)
    SELECT CAST(SUBSTR(number, 5, 4) AS BIGINT), COUNT(*) FROM invoices GROUP BY SUBSTR(number, 5, 4);
