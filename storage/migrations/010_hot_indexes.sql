-- Every hot query served by an index (checked by tests/storage/test_query_plans.py): no scan of
-- a large table and no sort of all its rows to return a few.

-- Newest first is coalesce(published_at, fetched_at) DESC, id DESC: /latest walks this index
-- backwards, /summit and /documents walk their partial ones (1 % and 5 % of the items).
CREATE INDEX items_newest_first ON items (coalesce(published_at, fetched_at));
DROP INDEX items_published;  -- 006's index of the same order, with id spelt out
CREATE INDEX items_summits ON items (coalesce(published_at, fetched_at)) WHERE is_summit = 1;
CREATE INDEX items_with_documents ON items (coalesce(published_at, fetched_at))
    WHERE documents != '[]';

-- /latest <topic> and /documents <topic> walk a topic's items in the same order, so each row
-- of item_topics carries its item's sort time and whether it lists documents (written with
-- the row from the item's own columns; NOT NULL without a default, so an insert that leaves
-- them out fails instead of filing the item at the end of the list: use ON CONFLICT DO
-- NOTHING, not INSERT OR IGNORE, which would drop such a row silently). SQLite cannot add
-- such columns in place: the table is rebuilt, WITHOUT ROWID as it is all key.
CREATE TABLE item_topics_new (
    item_id        INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    topic_id       INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    sort_time      REAL    NOT NULL,  -- the item's coalesce(published_at, fetched_at)
    with_documents INTEGER NOT NULL CHECK (with_documents IN (0, 1)),  -- documents != '[]'
    PRIMARY KEY (item_id, topic_id)
) WITHOUT ROWID;
INSERT INTO item_topics_new (item_id, topic_id, sort_time, with_documents)
    SELECT it.item_id, it.topic_id, coalesce(i.published_at, i.fetched_at), i.documents != '[]'
    FROM item_topics it JOIN items i ON i.id = it.item_id
    ORDER BY it.item_id, it.topic_id;
DROP TABLE item_topics;
ALTER TABLE item_topics_new RENAME TO item_topics;
-- Also the index by topic that the old item_topics_topic was (deleting a topic, digests).
CREATE INDEX item_topics_newest ON item_topics (topic_id, sort_time, item_id);
CREATE INDEX item_topics_documents ON item_topics (topic_id, sort_time, item_id)
    WHERE with_documents = 1;

-- The sender's next batch: pending rows in id order, skipping those held for a digest. SQLite
-- matches a partial index's WHERE by its text: the number is written as storage/store.py
-- writes HELD_FOR_DIGEST into the query (f"{1e15}").
CREATE INDEX outbox_due ON outbox (status, id, not_before)
    WHERE status = 'pending' AND not_before != 1000000000000000.0;
