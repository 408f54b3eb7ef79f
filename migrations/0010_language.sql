-- The language a person reads the service in: the pages once signed in (the sign-in sets the
-- browser's language cookie from it), the emails and the report. Taken from the browser at
-- registration, changed with the header's language switch.
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'ar'));
