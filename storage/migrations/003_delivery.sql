-- Delivery that loses nothing and repeats nothing: a row is claimed ('sending') before its
-- first message goes out, and a split card remembers the parts Telegram accepted.
-- SQLite cannot change a CHECK constraint in place: the table is rebuilt.
CREATE TABLE outbox_new (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    thread_id   INTEGER NOT NULL DEFAULT 0,
    item_id     INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    status      TEXT    NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    not_before  REAL    NOT NULL DEFAULT 0,
    last_error  TEXT,
    message_id  INTEGER,
    created_at  REAL    NOT NULL,
    sent_at     REAL,
    more        INTEGER NOT NULL DEFAULT 0,
    -- Telegram's message ids of the parts already sent, space-separated, in order.
    message_ids TEXT    NOT NULL DEFAULT '',
    UNIQUE (chat_id, thread_id, item_id)
);
INSERT INTO outbox_new (id, chat_id, thread_id, item_id, status, attempts, not_before, last_error,
                        message_id, created_at, sent_at, more, message_ids)
    SELECT id, chat_id, thread_id, item_id, status, attempts, not_before, last_error,
           message_id, created_at, sent_at, more, coalesce(CAST(message_id AS TEXT), '')
    FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox (status, not_before, id);
