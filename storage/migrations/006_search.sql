-- /search: every item's words as match keys (bot/search.py), in an FTS5 index.
-- `words` holds one token per word in order (lemma or stem: phrases); `keys` the item's other
-- match keys (other lemmas, countries, roots). The rowid orders results newest
-- first by itself: (minute of publication << 32) | items.id (Storage's _SEARCH_ROW).
-- Keys come from Python (morphology), so items stored before this migration are indexed
-- after it, in batches, by the bot (items.indexed = 0 until then).
CREATE VIRTUAL TABLE item_search USING fts5 (
    words,
    keys,
    tokenize = "unicode61 remove_diacritics 0 tokenchars '^@-‐‑’_'",
    columnsize = 0
);
-- 1: the item has its row in item_search (at the rowid its dates give).
ALTER TABLE items ADD COLUMN indexed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX items_unindexed ON items (id) WHERE indexed = 0;

-- A search as it was made: its pages (the buttons under the answer) show the same results,
-- items stored since left out; the buttons carry the id, the query stays here.
CREATE TABLE searches (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL,
    query       TEXT    NOT NULL,
    newest_item INTEGER NOT NULL,
    created_at  REAL    NOT NULL
);
CREATE INDEX searches_made ON searches (created_at);

-- /latest pages (and /summit, /documents) walk items newest first by publication date.
CREATE INDEX items_published ON items (coalesce(published_at, fetched_at) DESC, id DESC);
