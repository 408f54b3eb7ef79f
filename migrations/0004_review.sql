-- The specialist review: document requests to the patient, medical opinions, and the final
-- report that completes the case.

-- A specialist or the coordinator asks the patient for named documents. Open while
-- `fulfilled_at` is NULL; the case cannot complete while a request is open.
CREATE TABLE document_requests (
    id            TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL REFERENCES review_cases (id),
    requested_by  TEXT NOT NULL REFERENCES users (id),
    note          TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL,
    fulfilled_at  BIGINT
);
CREATE INDEX document_requests_case_idx ON document_requests (case_id, created_at);

-- One named document asked for. The patient's upload against it fills `document_id`.
CREATE TABLE document_request_items (
    id            TEXT PRIMARY KEY,
    request_id    TEXT NOT NULL REFERENCES document_requests (id),
    position      BIGINT NOT NULL,
    label         TEXT NOT NULL,
    document_id   TEXT REFERENCES documents (id),
    provided_at   BIGINT,
    CONSTRAINT document_request_items_position_key UNIQUE (request_id, position),
    CONSTRAINT document_request_items_document_key UNIQUE (document_id)
);

-- One opinion per specialist and case: a draft until `submitted_at` is set, immutable after.
CREATE TABLE opinions (
    id             TEXT PRIMARY KEY,
    case_id        TEXT NOT NULL REFERENCES review_cases (id),
    specialist_id  TEXT NOT NULL REFERENCES users (id),
    assessment     TEXT NOT NULL DEFAULT '',
    recommendation TEXT NOT NULL DEFAULT '',
    diagnosis      TEXT NOT NULL DEFAULT '',
    treatment      TEXT NOT NULL DEFAULT '',
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    submitted_at   BIGINT,
    CONSTRAINT opinions_case_specialist_key UNIQUE (case_id, specialist_id)
);

-- The coordinator's final summary and the report generated from it, written once when the
-- case completes. `content` is the report as JSON (what the report page shows); the PDF
-- rendered from it lives in storage under `storage_key` with its SHA-256.
CREATE TABLE case_reports (
    case_id        TEXT PRIMARY KEY REFERENCES review_cases (id),
    coordinator_id TEXT NOT NULL REFERENCES users (id),
    summary        TEXT NOT NULL,
    content        TEXT NOT NULL,
    storage_key    TEXT NOT NULL,
    sha256         TEXT NOT NULL CHECK (length(sha256) = 64),
    size_bytes     BIGINT NOT NULL CHECK (size_bytes > 0),
    created_at     BIGINT NOT NULL,
    CONSTRAINT case_reports_storage_key_key UNIQUE (storage_key)
);

-- When the "review overdue" and "your draft is waiting" reminders went out (each goes out once
-- per case).
ALTER TABLE review_cases ADD COLUMN overdue_notified_at BIGINT;
ALTER TABLE review_cases ADD COLUMN draft_reminded_at BIGINT;
-- When a specialist first worked on the case (a draft, a request or an opinion): the timeline's
-- "Under specialist review" step, written once.
ALTER TABLE review_cases ADD COLUMN review_started_at BIGINT;

-- The provider's id of the money movement itself (Stripe: the PaymentIntent), which refunds
-- refer to. Set when the payment succeeds.
ALTER TABLE payments ADD COLUMN provider_payment_ref TEXT;
