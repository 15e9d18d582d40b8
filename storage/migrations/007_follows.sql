-- Follows of one's own: words and phrases a chat follows (/follow Казахстан) and, where the
-- configuration allows it, feeds users added themselves (/follow https://…).

-- Each distinct phrase once, however many chats follow it: an item is matched against
-- phrases, never against chats. `phrase` is the normalised form (lower case, ё as е, words
-- joined by one space); `words` is how many of its words must each occur in an item.
CREATE TABLE phrases (
    id     INTEGER PRIMARY KEY,
    phrase TEXT    NOT NULL UNIQUE,
    words  INTEGER NOT NULL CHECK (words >= 1)
);

-- The matching keys of each word of a phrase (lemmas, stems, country keys: bot/articles
-- lemmas.term_keys, as admin topics' keywords match): a phrase matches an item when every
-- one of its words has a key among the item's keys. Looked up by key, one probe per key of
-- the item, so the cost of matching does not grow with the number of phrases.
CREATE TABLE phrase_keys (
    key       TEXT    NOT NULL,
    phrase_id INTEGER NOT NULL REFERENCES phrases (id) ON DELETE CASCADE,
    word      INTEGER NOT NULL,
    PRIMARY KEY (key, phrase_id, word)
) WITHOUT ROWID;
CREATE INDEX phrase_keys_phrase ON phrase_keys (phrase_id);

-- A chat (or forum thread) follows either a phrase or a feed. `shown` is what the user
-- typed (or the feed's address), for lists and for the line on a card saying why it came.
CREATE TABLE follows (
    id         INTEGER PRIMARY KEY,
    chat_id    INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    thread_id  INTEGER NOT NULL DEFAULT 0,
    phrase_id  INTEGER REFERENCES phrases (id) ON DELETE CASCADE,
    feed_id    INTEGER REFERENCES feeds (id) ON DELETE CASCADE,
    shown      TEXT    NOT NULL,
    created_at REAL    NOT NULL,
    CHECK ((phrase_id IS NULL) != (feed_id IS NULL))
);
CREATE UNIQUE INDEX follows_chat_phrase ON follows (chat_id, thread_id, phrase_id)
    WHERE phrase_id IS NOT NULL;
CREATE UNIQUE INDEX follows_chat_feed ON follows (chat_id, thread_id, feed_id)
    WHERE feed_id IS NOT NULL;
CREATE INDEX follows_phrase ON follows (phrase_id) WHERE phrase_id IS NOT NULL;
CREATE INDEX follows_feed ON follows (feed_id) WHERE feed_id IS NOT NULL;

-- The followed phrases a new item mentions (written when it is queued): who gets it, and
-- the "why" line of its card.
CREATE TABLE item_phrases (
    item_id   INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    phrase_id INTEGER NOT NULL REFERENCES phrases (id) ON DELETE CASCADE,
    PRIMARY KEY (item_id, phrase_id)
) WITHOUT ROWID;
CREATE INDEX item_phrases_phrase ON item_phrases (phrase_id);

-- 1: a feed a user added with /follow. Its items go to the chats following it only (no
-- topics, no phrases: a user's feed never reaches other users), and it is removed when its
-- last follower leaves. The configuration naming the same address takes it over (0).
ALTER TABLE feeds ADD COLUMN by_users INTEGER NOT NULL DEFAULT 0;
