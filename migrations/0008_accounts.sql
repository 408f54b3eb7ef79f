-- Accounts people manage themselves: sessions they can see and end, passwords they change, a
-- second factor, profiles, and sign-in emails changed only once the new address is confirmed.

-- A session's public id (what "sign out" on the sessions page names: the token's hash never
-- leaves the server), and the device and address it was started from, for its owner to tell
-- sessions apart.
ALTER TABLE sessions ADD COLUMN id TEXT;
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN ip TEXT NOT NULL DEFAULT '';
-- only sqlite:
UPDATE sessions SET id = lower(hex(randomblob(16)));
-- only postgres:
UPDATE sessions SET id = gen_random_uuid()::text;
-- both:
CREATE UNIQUE INDEX sessions_id_key ON sessions (id);

-- A staff account created by an admin carries the admin's password until its owner chooses one.
ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;
-- A patient's contact phone (a clinician's is on their profile, shown to their patients).
ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT '';

-- Two-factor sign-in (TOTP, RFC 6238). The base32 secret is null until enrolment is confirmed;
-- `totp_last_step` is the time step of the last code accepted, so no code is accepted twice.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
-- The secret shown at enrolment, kept until a code made from it confirms it.
ALTER TABLE users ADD COLUMN totp_pending_secret TEXT;
-- Single-use recovery codes for a lost authenticator; only their SHA-256 is kept.
CREATE TABLE recovery_codes (
    code_hash  TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    used_at    BIGINT
);
CREATE INDEX recovery_codes_user_idx ON recovery_codes (user_id);
-- A sign-in whose password was right and whose code is still to come. The browser holds the
-- raw token in a short-lived cookie; only its hash is kept.
CREATE TABLE sign_in_challenges (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    expires_at  BIGINT NOT NULL
);
CREATE INDEX sign_in_challenges_user_idx ON sign_in_challenges (user_id);

-- A new sign-in email is confirmed through a link sent to it: email tokens may now carry the
-- address they confirm. SQLite rebuilds the table to change its CHECK (nothing refers to it).
-- only sqlite:
CREATE TABLE email_tokens_new (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    purpose     TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'change_email')),
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT,
    new_email   TEXT
);
INSERT INTO email_tokens_new (token_hash, user_id, purpose, expires_at, used_at)
    SELECT token_hash, user_id, purpose, expires_at, used_at FROM email_tokens;
DROP TABLE email_tokens;
ALTER TABLE email_tokens_new RENAME TO email_tokens;
CREATE INDEX email_tokens_user_idx ON email_tokens (user_id);
-- only postgres:
ALTER TABLE email_tokens ADD COLUMN new_email TEXT;
ALTER TABLE email_tokens DROP CONSTRAINT email_tokens_purpose_check;
ALTER TABLE email_tokens ADD CONSTRAINT email_tokens_purpose_check
    CHECK (purpose IN ('verify_email', 'reset_password', 'change_email'));
