-- Trustworthy ingestion: where a feed comes from and why it is stopped, items updated in place,
-- one story across feeds, and "and N more" deliveries for floods.

-- 'config' feeds follow the configuration file at every start; 'admin' feeds were added in Telegram.
ALTER TABLE feeds ADD COLUMN source TEXT NOT NULL DEFAULT 'admin' CHECK (source IN ('config', 'admin'));
UPDATE feeds SET source = 'config' WHERE added_by IS NULL;
-- Why a feed is not checked ('gone': HTTP 410, 'removed from config'); NULL while enabled.
ALTER TABLE feeds ADD COLUMN paused_reason TEXT;
-- Admins were told about the current run of failures (told once; reset on recovery).
ALTER TABLE feeds ADD COLUMN alerted INTEGER NOT NULL DEFAULT 0;
-- A hash of the body last stored: the same bytes again need no parsing (servers without
-- validators answer 200 with an unchanged feed).
ALTER TABLE feeds ADD COLUMN content_hash TEXT;

-- A hash of the item's clean title and text: a changed text updates the row, it is not pushed again.
ALTER TABLE items ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN updated_at REAL;
-- MinHash signature of the story (bot/stories.py); story_id is the id of the story's first item.
ALTER TABLE items ADD COLUMN signature BLOB;
UPDATE items SET story_id = id WHERE story_id IS NULL;
CREATE INDEX items_story ON items (story_id);

-- Locality-sensitive hashing bands of each signature: candidates for "same story" by index.
CREATE TABLE story_bands (
    band    INTEGER NOT NULL,
    item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    PRIMARY KEY (band, item_id)
) WITHOUT ROWID;
CREATE INDEX story_bands_item ON story_bands (item_id);

-- More than this many new items of one feed in one check: one row says "and N more".
ALTER TABLE outbox ADD COLUMN more INTEGER NOT NULL DEFAULT 0;
