-- Payments: one per case, created when the coordinator is assigned and kept across
-- reassignments (the same link stays with the case). Amounts come from the review type, never
-- from the browser.
CREATE TABLE payments (
    id            TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL REFERENCES review_cases (id),
    -- 'test' (built-in test provider) or 'stripe'.
    provider      TEXT NOT NULL,
    -- The provider's checkout session id, once created.
    provider_ref  TEXT,
    checkout_url  TEXT NOT NULL,
    amount_minor  BIGINT NOT NULL CHECK (amount_minor >= 0),
    currency      TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('open', 'succeeded', 'failed', 'refunded')),
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    CONSTRAINT payments_case_key UNIQUE (case_id)
);

-- One invoice per successful payment; its number is sequential per year for bookkeeping.
CREATE TABLE invoices (
    id            TEXT PRIMARY KEY,
    payment_id    TEXT NOT NULL REFERENCES payments (id),
    number        TEXT NOT NULL,
    amount_minor  BIGINT NOT NULL,
    currency      TEXT NOT NULL,
    issued_at     BIGINT NOT NULL,
    CONSTRAINT invoices_payment_key UNIQUE (payment_id),
    CONSTRAINT invoices_number_key UNIQUE (number)
);

CREATE TABLE refunds (
    id            TEXT PRIMARY KEY,
    payment_id    TEXT NOT NULL REFERENCES payments (id),
    amount_minor  BIGINT NOT NULL,
    status        TEXT NOT NULL,
    provider_ref  TEXT,
    created_at    BIGINT NOT NULL
);

-- Every webhook event we acted on (or deliberately ignored), by the provider's own id. The
-- unique key makes a redelivered event a no-op; it is written in the same transaction as the
-- event's effect.
CREATE TABLE webhook_events (
    provider      TEXT NOT NULL,
    event_id      TEXT NOT NULL,
    event_type    TEXT NOT NULL,
    payment_id    TEXT,
    outcome       TEXT NOT NULL,
    received_at   BIGINT NOT NULL,
    PRIMARY KEY (provider, event_id)
);

-- Email to send, written in the same transaction as the change it reports; a worker delivers
-- it and retries failures with backoff. Nothing is sent for a change that rolled back.
CREATE TABLE email_outbox (
    id              TEXT PRIMARY KEY,
    to_address      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    -- A worker that takes a message leases it until this time, so two app servers never send
    -- the same message twice at once.
    leased_until    BIGINT NOT NULL DEFAULT 0,
    sent_at         BIGINT,
    last_error      TEXT
);
CREATE INDEX email_outbox_due_idx ON email_outbox (sent_at, next_attempt_at);
