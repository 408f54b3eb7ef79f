-- What a timeline entry or a notification says beside its event, as a key with its arguments
-- (JSON: one detail for an entry, a list of parts for a notification), put into words in each
-- reader's language when read. `detail` and `body` keep the English text: what rows written
-- before this migration show, and what a reader of the raw table sees.
ALTER TABLE case_timeline ADD COLUMN detail_key TEXT;
ALTER TABLE notifications ADD COLUMN body_parts TEXT;
