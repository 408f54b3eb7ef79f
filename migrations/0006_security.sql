-- Sign-in throttling (quality A4). An attempt is reserved here, atomically, before its password
-- is checked, so attempts in flight cannot all pass a check made before any was counted. One
-- row per account (a keyed hash of the email, never the address itself) and one per client
-- address. `blocked_until` grows with each attempt past the free ones, so a guesser is slowed
-- down while the owner waits minutes, not hours.
DROP TABLE login_failures;
CREATE TABLE login_throttle (
    key              TEXT PRIMARY KEY,
    attempts         BIGINT NOT NULL,
    last_attempt_at  BIGINT NOT NULL,
    blocked_until    BIGINT NOT NULL
);

-- Per-deployment values generated once and shared by every app server (the key for hashing
-- emails in the audit log, the test payment provider's webhook secret).
CREATE TABLE settings (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- Registration answers the same whether or not an address has an account (no enumeration): a
-- new account is usable once its owner opens the link emailed to the address; until then it
-- cannot sign in. Accounts that existed before are verified.
ALTER TABLE users ADD COLUMN email_verified BIGINT NOT NULL DEFAULT 1;
-- Single-use links sent by email. Only the SHA-256 of the token is kept.
CREATE TABLE email_tokens (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    purpose     TEXT NOT NULL CHECK (purpose IN ('verify_email')),
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);
CREATE INDEX email_tokens_user_idx ON email_tokens (user_id);
