-- Foundation: accounts, sessions, catalog and staff pools, cases, timeline, audit.
-- Conventions (shared with the PostgreSQL twin of this file): ids are UUID text; times are UTC
-- milliseconds since the epoch in BIGINT; flags are BIGINT 0/1. These decode identically through
-- sqlx's Any driver on both backends. Table names are plural (`user` and `case` are reserved).

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    -- Stored lower-cased, so uniqueness is case-insensitive.
    email         TEXT NOT NULL,
    name          TEXT NOT NULL,
    -- argon2id PHC string; never leaves the server.
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('patient', 'clinician', 'admin')),
    -- Deactivated accounts cannot sign in; their sessions are deleted when deactivated.
    active        BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    BIGINT NOT NULL,
    CONSTRAINT users_email_key UNIQUE (email)
);

-- What patients see of a clinician; one row per clinician account.
CREATE TABLE clinician_profiles (
    user_id       TEXT PRIMARY KEY REFERENCES users (id),
    title         TEXT NOT NULL,
    -- Free text shown to patients ("Cardiology, Internal medicine"); eligibility comes from the
    -- pools below, not from this text.
    specialties   TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    contact_phone TEXT NOT NULL
);

-- Server-side sessions, shared by every app server through the database. The cookie holds a
-- random token; only its SHA-256 is stored, so a copy of this table cannot be replayed.
CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id),
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    -- created_at + absolute lifetime; idle expiry is computed from last_seen_at.
    expires_at    BIGINT NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Failed sign-ins per email, for throttling (quality A4). Kept per email rather than per address
-- so a distributed guesser is slowed as much as a single one.
CREATE TABLE login_failures (
    email         TEXT PRIMARY KEY,
    failures      BIGINT NOT NULL,
    window_start  BIGINT NOT NULL
);

CREATE TABLE review_types (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    description   TEXT NOT NULL,
    -- Integer minor units (cents) and an ISO 4217 code: never floating point.
    price_minor   BIGINT NOT NULL CHECK (price_minor >= 0),
    currency      TEXT NOT NULL CHECK (length(currency) = 3),
    expected_days BIGINT NOT NULL CHECK (expected_days > 0),
    active        BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    BIGINT NOT NULL,
    CONSTRAINT review_types_name_key UNIQUE (name)
);

CREATE TABLE disease_categories (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    active        BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    BIGINT NOT NULL,
    CONSTRAINT disease_categories_name_key UNIQUE (name)
);

-- The specialists eligible for a category's cases.
CREATE TABLE category_specialists (
    category_id   TEXT NOT NULL REFERENCES disease_categories (id),
    clinician_id  TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (category_id, clinician_id)
);

-- The clinicians eligible to coordinate a category's cases: one pool per category, whose
-- members are these rows.
CREATE TABLE coordinator_pools (
    category_id   TEXT NOT NULL REFERENCES disease_categories (id),
    clinician_id  TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (category_id, clinician_id)
);

CREATE TABLE review_cases (
    id                TEXT PRIMARY KEY,
    -- Human reference shown to people and searched by admins, e.g. C-7K3Q9M.
    reference         TEXT NOT NULL,
    patient_id        TEXT NOT NULL REFERENCES users (id),
    status            TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'awaiting_payment',
                        'payment_failed', 'payment_successful', 'doctors_assigned', 'completed',
                        'cancelled', 'rejected')),
    -- Optimistic concurrency: every change bumps it; an update that finds another version
    -- loses the race and changes nothing.
    version           BIGINT NOT NULL DEFAULT 1,
    -- Nullable while a draft: the patient fills these in before submitting.
    review_type_id    TEXT REFERENCES review_types (id),
    category_id       TEXT REFERENCES disease_categories (id),
    -- The current coordinator; history lives in case_assignments.
    coordinator_id    TEXT REFERENCES users (id),
    patient_age       BIGINT CHECK (patient_age IS NULL OR (patient_age >= 0 AND patient_age <= 130)),
    patient_sex       TEXT CHECK (patient_sex IS NULL OR patient_sex IN ('female', 'male', 'other')),
    medical_history   TEXT NOT NULL DEFAULT '',
    current_treatment TEXT NOT NULL DEFAULT '',
    questions         TEXT NOT NULL DEFAULT '',
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    submitted_at      BIGINT,
    expected_review_at BIGINT,
    closed_at         BIGINT,
    -- Who cancelled or rejected, and why (shown to the patient).
    closed_by         TEXT REFERENCES users (id),
    closed_reason     TEXT,
    CONSTRAINT review_cases_reference_key UNIQUE (reference)
);
CREATE INDEX review_cases_patient_idx ON review_cases (patient_id, created_at);
CREATE INDEX review_cases_status_idx ON review_cases (status, created_at);

-- Who works on a case. Rows are never deleted: a reassignment or removal deactivates the row
-- and records when and by whom, so the history stays.
CREATE TABLE case_assignments (
    id             TEXT PRIMARY KEY,
    case_id        TEXT NOT NULL REFERENCES review_cases (id),
    clinician_id   TEXT NOT NULL REFERENCES users (id),
    is_coordinator BIGINT NOT NULL CHECK (is_coordinator IN (0, 1)),
    active         BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at     BIGINT NOT NULL,
    created_by     TEXT NOT NULL REFERENCES users (id),
    deactivated_at BIGINT,
    deactivated_by TEXT REFERENCES users (id)
);
-- At most one active coordinator per case, and a clinician at most once active per case:
-- enforced by the database even if two requests race past the service's checks.
CREATE UNIQUE INDEX case_assignments_one_coordinator
    ON case_assignments (case_id) WHERE is_coordinator = 1 AND active = 1;
CREATE UNIQUE INDEX case_assignments_one_active_per_clinician
    ON case_assignments (case_id, clinician_id) WHERE active = 1;
CREATE INDEX case_assignments_clinician_idx ON case_assignments (clinician_id, active);

-- Append-only: the services only ever insert here.
CREATE TABLE case_timeline (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id     TEXT NOT NULL REFERENCES review_cases (id),
    at          BIGINT NOT NULL,
    -- NULL for the payment provider and scheduled jobs.
    actor_id    TEXT REFERENCES users (id),
    actor_role  TEXT NOT NULL,
    label       TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_timeline_case_idx ON case_timeline (case_id, id);

-- Every state-changing request, sign-in, denial and read of medical data (quality P1).
-- Append-only; holds no health data, only what happened to which record.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          BIGINT NOT NULL,
    user_id     TEXT,
    role        TEXT NOT NULL,
    action      TEXT NOT NULL,
    case_id     TEXT,
    target      TEXT NOT NULL DEFAULT '',
    outcome     TEXT NOT NULL,
    ip          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_case_idx ON audit_log (case_id, at);

-- In-app notifications: written in the same transaction as the change they report, so nobody
-- is told about something that rolled back.
CREATE TABLE notifications (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    case_id     TEXT REFERENCES review_cases (id),
    -- The timeline label or event name that caused it; the text below is for display.
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    read_at     BIGINT
);
CREATE INDEX notifications_user_idx ON notifications (user_id, read_at, created_at);
