-- Password reset links are single-use email tokens too: the purpose may now be 'reset_password'.
-- SQLite cannot change a CHECK constraint in place, so it rebuilds the table (nothing refers to
-- it); PostgreSQL replaces the constraint.
-- only sqlite:
CREATE TABLE email_tokens_new (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    purpose     TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);
INSERT INTO email_tokens_new (token_hash, user_id, purpose, expires_at, used_at)
    SELECT token_hash, user_id, purpose, expires_at, used_at FROM email_tokens;
DROP TABLE email_tokens;
ALTER TABLE email_tokens_new RENAME TO email_tokens;
CREATE INDEX email_tokens_user_idx ON email_tokens (user_id);
-- only postgres:
ALTER TABLE email_tokens DROP CONSTRAINT email_tokens_purpose_check;
ALTER TABLE email_tokens ADD CONSTRAINT email_tokens_purpose_check
    CHECK (purpose IN ('verify_email', 'reset_password'));
