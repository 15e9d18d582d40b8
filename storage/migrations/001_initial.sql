-- The first schema: feeds and their items, topics, chats, subscriptions and the outbox.
-- Times are Unix seconds (REAL, UTC).

CREATE TABLE feeds (
    id               INTEGER PRIMARY KEY,
    url              TEXT    NOT NULL UNIQUE,
    title            TEXT    NOT NULL DEFAULT '',
    enabled          INTEGER NOT NULL DEFAULT 1,
    fulltext         INTEGER NOT NULL DEFAULT 0,
    etag             TEXT,
    last_modified    TEXT,
    interval_seconds INTEGER NOT NULL,
    next_check_at    REAL    NOT NULL,
    primed           INTEGER NOT NULL DEFAULT 0,
    error_count      INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    last_checked_at  REAL,
    last_ok_at       REAL,
    added_by         INTEGER,
    created_at       REAL    NOT NULL
);
CREATE INDEX feeds_due ON feeds (enabled, next_check_at);

CREATE TABLE topics (
    id       INTEGER PRIMARY KEY,
    slug     TEXT NOT NULL UNIQUE,
    name_ru  TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    keywords TEXT NOT NULL DEFAULT '[]'  -- JSON list of words and phrases
);

CREATE TABLE feed_topics (
    feed_id  INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    topic_id INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    PRIMARY KEY (feed_id, topic_id)
);

CREATE TABLE items (
    id           INTEGER PRIMARY KEY,
    feed_id      INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    key          TEXT    NOT NULL,
    url          TEXT,
    title        TEXT    NOT NULL DEFAULT '',
    published_at REAL,
    fetched_at   REAL    NOT NULL,
    lang         TEXT,
    text         TEXT    NOT NULL DEFAULT '',
    summary      TEXT    NOT NULL DEFAULT '',
    documents    TEXT    NOT NULL DEFAULT '[]',  -- JSON [{title, kind}]
    entities     TEXT    NOT NULL DEFAULT '{}',  -- JSON {participants, countries, place, figures, keywords}
    is_summit    INTEGER NOT NULL DEFAULT 0,
    story_id     INTEGER,
    UNIQUE (feed_id, key)
);
CREATE INDEX items_newest ON items (fetched_at DESC, id DESC);

CREATE TABLE item_topics (
    item_id  INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    topic_id INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    PRIMARY KEY (item_id, topic_id)
);
CREATE INDEX item_topics_topic ON item_topics (topic_id, item_id);

CREATE TABLE chats (
    id         INTEGER PRIMARY KEY,          -- Telegram chat id
    type       TEXT    NOT NULL DEFAULT 'private',
    language   TEXT    NOT NULL DEFAULT 'ru',
    timezone   TEXT,
    active     INTEGER NOT NULL DEFAULT 1,   -- 0 once the bot was blocked or removed
    created_at REAL    NOT NULL
);

CREATE TABLE subscriptions (
    id         INTEGER PRIMARY KEY,
    chat_id    INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    thread_id  INTEGER NOT NULL DEFAULT 0,   -- forum topic; 0 = the chat itself
    topic_id   INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    mode       TEXT    NOT NULL DEFAULT 'instant' CHECK (mode IN ('instant', 'digest')),
    created_at REAL    NOT NULL,
    UNIQUE (chat_id, thread_id, topic_id)
);
CREATE INDEX subscriptions_topic ON subscriptions (topic_id);

CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    chat_id    INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    thread_id  INTEGER NOT NULL DEFAULT 0,
    item_id    INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    status     TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    not_before REAL    NOT NULL DEFAULT 0,
    last_error TEXT,
    message_id INTEGER,
    created_at REAL    NOT NULL,
    sent_at    REAL,
    UNIQUE (chat_id, thread_id, item_id)
);
CREATE INDEX outbox_pending ON outbox (status, not_before, id);
