-- Admins in Telegram: topics added, edited and removed there, and notices (announcements,
-- "this topic was removed or renamed") that reach chats through the outbox.

-- 'config' topics follow the configuration file at every start; 'admin' topics were added or
-- edited in Telegram, and the file no longer changes them (an edit is never lost on restart).
ALTER TABLE topics ADD COLUMN source TEXT NOT NULL DEFAULT 'config'
    CHECK (source IN ('config', 'admin'));
-- Slugs admins removed in Telegram: the configuration file does not bring them back.
CREATE TABLE removed_topics (
    slug       TEXT PRIMARY KEY,
    removed_at REAL NOT NULL
) WITHOUT ROWID;

-- A text for many chats, kept in both languages; each chat gets the one in its language.
-- An announcement is a 'draft' until its admin confirms it ('queued') or cancels it.
CREATE TABLE notices (
    id         INTEGER PRIMARY KEY,
    kind       TEXT    NOT NULL CHECK (kind IN ('announcement', 'topic_removed', 'topic_renamed')),
    body_ru    TEXT    NOT NULL,   -- Telegram HTML, ready to send
    body_en    TEXT    NOT NULL,
    status     TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'queued', 'cancelled')),
    created_by INTEGER,            -- the admin's Telegram user id
    created_at REAL    NOT NULL,
    queued_at  REAL,
    chats      INTEGER NOT NULL DEFAULT 0   -- outbox rows queued for it
);

-- An outbox row carries an item or a notice, never both: item_id loses its NOT NULL.
-- SQLite cannot relax NOT NULL in place: the table is rebuilt, every row, column (001, 002,
-- 003, 004), constraint and index (outbox_pending, outbox_digest) kept.
CREATE TABLE outbox_new (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    thread_id   INTEGER NOT NULL DEFAULT 0,
    item_id     INTEGER REFERENCES items (id) ON DELETE CASCADE,
    status      TEXT    NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    not_before  REAL    NOT NULL DEFAULT 0,
    last_error  TEXT,
    message_id  INTEGER,
    created_at  REAL    NOT NULL,
    sent_at     REAL,
    more        INTEGER NOT NULL DEFAULT 0,
    message_ids TEXT    NOT NULL DEFAULT '',
    digest_id   INTEGER,
    notice_id   INTEGER REFERENCES notices (id) ON DELETE CASCADE,
    UNIQUE (chat_id, thread_id, item_id),
    CHECK ((item_id IS NULL) != (notice_id IS NULL))
);
INSERT INTO outbox_new (id, chat_id, thread_id, item_id, status, attempts, not_before, last_error,
                        message_id, created_at, sent_at, more, message_ids, digest_id)
    SELECT id, chat_id, thread_id, item_id, status, attempts, not_before, last_error,
           message_id, created_at, sent_at, more, message_ids, digest_id
    FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox (status, not_before, id);
CREATE INDEX outbox_digest ON outbox (digest_id) WHERE digest_id IS NOT NULL;
-- A notice reaches a chat (thread) once, however often its button is pressed.
CREATE UNIQUE INDEX outbox_notice ON outbox (notice_id, chat_id, thread_id)
    WHERE notice_id IS NOT NULL;
