-- Digests and quiet hours, per chat, in the chat's own time zone (chats.timezone).

-- Local digest times, minutes after midnight, space-separated; '' for instant cards.
ALTER TABLE chats ADD COLUMN digest_times TEXT NOT NULL DEFAULT '';
-- When the chat's next digest is due (NULL: instant cards); the digest job reads it.
ALTER TABLE chats ADD COLUMN next_digest_at REAL;
-- Quiet hours, minutes after local midnight; cards due inside them wait for the end.
ALTER TABLE chats ADD COLUMN quiet_start INTEGER;
ALTER TABLE chats ADD COLUMN quiet_end INTEGER;
CREATE INDEX chats_next_digest ON chats (next_digest_at) WHERE next_digest_at IS NOT NULL;

-- Rows of a digest chat wait (not_before far ahead) until its digest time; then one of them
-- carries the digest and every row of it points there (the carrier to itself).
ALTER TABLE outbox ADD COLUMN digest_id INTEGER;
CREATE INDEX outbox_digest ON outbox (digest_id) WHERE digest_id IS NOT NULL;
