"""Storage on a real temporary SQLite file, opened through the production opener."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from storage import FeedCheck, FeedExistsError, ItemDraft, Storage, StoreOutcome, open_storage
from storage.db import migrations, schema_version

NOW = 1_800_000_000.0
CHECK = FeedCheck(next_check_at=NOW + 600)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Storage]:
    storage = await open_storage(tmp_path / "test.db")
    yield storage
    await storage.close()


def draft(key: str, title: str = "T", **kw: Any) -> ItemDraft:
    return ItemDraft(
        key=key, url=f"https://e.x/{key}", title=title, published_at=None, text="x", **kw
    )


async def store_drafts(
    store: Storage, feed_id: int, drafts: list[ItemDraft], *, queue: bool = False, **kw: Any
) -> StoreOutcome:
    kw.setdefault("push_limit", 20)
    return await store.store_items(feed_id, drafts, now=NOW, check=CHECK, queue=queue, **kw)


async def test_migrations_from_zero(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    storage = await open_storage(path)
    await storage.close()
    async with aiosqlite.connect(path) as conn:
        assert await schema_version(conn) == len(migrations()) >= 1
        async with conn.execute("PRAGMA journal_mode") as cursor:
            assert (await cursor.fetchone())[0] == "wal"  # type: ignore[index]
        async with conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'") as cursor:
            tables = {row[0] for row in await cursor.fetchall()}
    assert {"feeds", "items", "topics", "item_topics", "chats", "subscriptions", "outbox"} <= tables
    # Opening again applies nothing twice.
    again = await open_storage(path)
    await again.close()


async def test_foreign_keys_are_enforced(store: Storage) -> None:
    with pytest.raises(Exception, match="FOREIGN KEY"):
        await store_drafts(store, 999, [draft("a")])


async def test_known_items_are_not_stored_twice_and_changed_ones_are_updated(
    store: Storage,
) -> None:
    feed = await store.add_feed(
        "https://e.x/rss", title="F", interval_seconds=600, next_check_at=NOW, now=NOW
    )
    first = await store_drafts(store, feed.id, [draft("a", fingerprint="1"), draft("b")])
    assert (first.new, first.updated) == (2, 0)
    again = await store_drafts(
        store, feed.id, [draft("b", "same fingerprint, other title"), draft("c"), draft("c")]
    )
    assert (again.new, again.updated) == (1, 0)
    rewritten = await store_drafts(store, feed.id, [draft("a", "Rewritten", fingerprint="2")])
    assert (rewritten.new, rewritten.updated) == (0, 1)
    items = await store.latest_items(limit=10)
    assert sorted(i.key for i in items) == ["a", "b", "c"]
    assert {i.key: i.title for i in items} == {"a": "Rewritten", "b": "T", "c": "T"}


async def test_a_check_is_stored_whole_or_not_at_all(store: Storage) -> None:
    """One bad row (here: text SQLite cannot encode) rolls back the items before it too."""
    feed = await store.add_feed(
        "https://e.x/rss", title="F", interval_seconds=600, next_check_at=NOW, now=NOW
    )
    bad = ItemDraft(key="z", url=None, title="T", published_at=None, text="\ud800")
    with pytest.raises(UnicodeEncodeError):
        await store_drafts(store, feed.id, [draft("a"), bad])
    assert await store.latest_items() == []
    unchanged = await store.feed(feed.id)
    assert unchanged is not None and not unchanged.primed and unchanged.next_check_at == NOW


async def test_same_url_cannot_be_added_twice(store: Storage) -> None:
    await store.add_feed(
        "https://e.x/rss", title="F", interval_seconds=600, next_check_at=NOW, now=NOW
    )
    with pytest.raises(FeedExistsError):
        await store.add_feed(
            "https://e.x/rss", title="G", interval_seconds=60, next_check_at=NOW, now=NOW
        )


async def test_due_feeds_oldest_first(store: Storage) -> None:
    late = await store.add_feed(
        "https://e.x/1", title="1", interval_seconds=60, next_check_at=NOW + 5, now=NOW
    )
    early = await store.add_feed(
        "https://e.x/2", title="2", interval_seconds=60, next_check_at=NOW - 50, now=NOW
    )
    middle = await store.add_feed(
        "https://e.x/3", title="3", interval_seconds=60, next_check_at=NOW - 10, now=NOW
    )
    future = await store.add_feed(
        "https://e.x/4", title="4", interval_seconds=60, next_check_at=NOW + 99, now=NOW
    )
    due = await store.due_feeds(NOW + 5)
    assert [f.id for f in due] == [early.id, middle.id, late.id]
    assert future.id not in [f.id for f in due]
    assert [f.id for f in await store.due_feeds(NOW + 5, limit=1)] == [early.id]


async def test_feed_success_and_failure_are_recorded_on_the_row(store: Storage) -> None:
    feed = await store.add_feed(
        "https://e.x/rss", title="", interval_seconds=60, next_check_at=NOW, now=NOW
    )
    count = await store.record_feed_failure(
        feed.id, error="HTTP 500", now=NOW, next_check_at=NOW + 120
    )
    assert count == 1
    failed = await store.feed(feed.id)
    assert failed is not None
    assert (failed.error_count, failed.last_error, failed.next_check_at) == (
        1,
        "HTTP 500",
        NOW + 120,
    )
    await store.record_feed_success(
        feed.id, FeedCheck(NOW + 61, title="Feed", etag='"e1"', last_modified="Mon"), now=NOW + 1
    )
    ok = await store.feed(feed.id)
    assert ok is not None
    assert (ok.error_count, ok.last_error, ok.title, ok.etag, ok.primed) == (
        0,
        None,
        "Feed",
        '"e1"',
        True,
    )
    # A later success without validators keeps the ones we hold.
    await store.record_feed_success(feed.id, FeedCheck(NOW + 62), now=NOW + 2)
    kept = await store.feed(feed.id)
    assert kept is not None and kept.etag == '"e1"' and kept.title == "Feed"


async def test_outbox_is_unique_per_chat_thread_item(store: Storage) -> None:
    topic = await store.sync_topic("asia", "Азия", "Asia", ["Казахстан"])
    other = await store.sync_topic("world", "Мир", "World", [])
    feed = await store.add_feed(
        "https://e.x/rss", title="F", interval_seconds=60, next_check_at=NOW, now=NOW
    )
    for chat in (1, 2):
        await store.upsert_chat(chat, type="private", language="ru", now=NOW)
    await store.add_subscription(1, topic.id, now=NOW)
    await store.add_subscription(1, other.id, now=NOW)  # two topics, one chat
    await store.add_subscription(1, topic.id, now=NOW, thread_id=7)  # a forum thread of it
    await store.add_subscription(2, topic.id, now=NOW)
    assert not await store.add_subscription(2, topic.id, now=NOW)

    tagged = draft("a", topic_ids=(topic.id, other.id))
    outcome = await store_drafts(store, feed.id, [tagged], queue=True)
    assert outcome.queued == 3  # chat 1, chat 1 thread 7, chat 2
    assert (await store_drafts(store, feed.id, [tagged], queue=True)).queued == 0
    pending = await store.pending_outbox(NOW)
    assert sorted((p.chat_id, p.thread_id) for p in pending) == [(1, 0), (1, 7), (2, 0)]

    await store.mark_sent(pending[0].id, message_id=55, now=NOW)
    await store.postpone_delivery(pending[1].id, not_before=NOW + 30, error="retry after 30 s")
    assert [p.id for p in await store.pending_outbox(NOW)] == [pending[2].id]
    next_time = await store.next_outbox_time()
    assert next_time is not None and next_time <= NOW  # one row is due at once
    await store.deactivate_chat(pending[2].chat_id)
    assert await store.outbox_counts() == {"sent": 1, "pending": 1, "failed": 1}


async def test_subscriptions_round_trip(store: Storage) -> None:
    topic = await store.sync_topic("asia", "Азия", "Asia", ["Казахстан"])
    await store.upsert_chat(1, type="private", language="en", now=NOW)
    assert await store.add_subscription(1, topic.id, now=NOW)
    (sub,) = await store.subscriptions(1)
    assert (sub.topic.slug, sub.topic.keywords, sub.mode) == ("asia", ("Казахстан",), "instant")
    assert await store.remove_subscription(1, topic.id)
    assert not await store.remove_subscription(1, topic.id)
    assert await store.subscriptions(1) == []


async def test_removing_a_feed_removes_its_items(store: Storage) -> None:
    feed = await store.add_feed(
        "https://e.x/rss", title="F", interval_seconds=60, next_check_at=NOW, now=NOW
    )
    await store_drafts(store, feed.id, [draft("a")])
    assert await store.remove_feed(feed.id)
    assert await store.latest_items() == []
    assert not await store.remove_feed(feed.id)


async def test_a_flood_is_capped_with_one_and_n_more_row_per_chat(store: Storage) -> None:
    topic = await store.sync_topic("asia", "Азия", "Asia", [])
    feed = await store.add_feed(
        "https://e.x/rss", title="F", interval_seconds=60, next_check_at=NOW, now=NOW
    )
    await store.upsert_chat(1, type="private", language="ru", now=NOW)
    await store.add_subscription(1, topic.id, now=NOW)
    flood = [draft(f"k{n:03d}", topic_ids=(topic.id,)) for n in range(25)]
    outcome = await store_drafts(store, feed.id, flood, queue=True, push_limit=3)
    assert (outcome.new, outcome.queued) == (25, 4)
    pending = await store.pending_outbox(NOW, limit=50)
    assert [p.more for p in pending] == [0, 0, 0, 22]
    assert [p.item.key for p in pending[:3]] == ["k000", "k001", "k002"]


def _same_prefix(a: bytes, b: bytes) -> bool:
    return a[:4] == b[:4]


async def test_one_story_from_two_feeds_is_queued_once_and_names_the_other_source(
    store: Storage,
) -> None:
    topic = await store.sync_topic("asia", "Азия", "Asia", [])
    first = await store.add_feed(
        "https://a.x/rss", title="Wire A", interval_seconds=60, next_check_at=NOW, now=NOW
    )
    second = await store.add_feed(
        "https://b.x/rss", title="Wire B", interval_seconds=60, next_check_at=NOW, now=NOW
    )
    await store.upsert_chat(1, type="private", language="ru", now=NOW)
    await store.add_subscription(1, topic.id, now=NOW)

    def story(key: str, signature: bytes, bands: tuple[int, ...]) -> ItemDraft:
        return draft(key, topic_ids=(topic.id,), signature=signature, story_bands=bands)

    a = await store_drafts(
        store, first.id, [story("a", b"SAME-1", (1, 2))], queue=True, same_story=_same_prefix
    )
    b = await store_drafts(
        store,
        second.id,
        [story("b", b"SAME-2", (2, 3)), story("c", b"DIFF", (2, 4))],
        queue=True,
        same_story=_same_prefix,
    )
    # A shared band makes a candidate; only a matching signature makes the same story.
    assert (a.queued, b.new, b.queued) == (1, 2, 1)
    pending = await store.pending_outbox(NOW, limit=10)
    assert [p.item.key for p in pending] == ["a", "c"]
    assert pending[0].item.other_sources == ("Wire B",)
    assert pending[1].item.other_sources == ()
    a_item, b_item, c_item = [await store.item(n) for n in (1, 2, 3)]
    assert a_item is not None and b_item is not None and c_item is not None
    assert (a_item.key, b_item.key, c_item.key) == ("a", "b", "c")
    assert b_item.story_id == a_item.story_id == a_item.id and c_item.story_id == c_item.id
    # /latest shows a story once, by its first item.
    assert [i.key for i in await store.latest_items(limit=10)] == ["c", "a"]  # newest first


async def test_a_feed_is_paused_resumed_and_reconfigured(store: Storage) -> None:
    topic = await store.sync_topic("asia", "Азия", "Asia", [])
    feed = await store.add_feed(
        "https://e.x/rss", title="F", interval_seconds=60, next_check_at=NOW + 99, now=NOW
    )
    await store.pause_feed(feed.id, reason="gone")
    paused = await store.feed(feed.id)
    assert paused is not None and not paused.enabled and paused.paused_reason == "gone"
    assert await store.due_feeds(NOW + 999) == [] and await store.next_check_time() is None
    await store.check_feed_now(feed.id, now=NOW)
    assert [f.id for f in await store.due_feeds(NOW)] == [feed.id]
    assert await store.due_feeds(NOW, exclude=[feed.id]) == []
    await store.update_feed_settings(feed.id, topic_ids=[topic.id], fulltext=True, source="config")
    changed = await store.feed(feed.id)
    assert changed is not None
    assert (changed.topic_ids, changed.fulltext, changed.source) == ((topic.id,), True, "config")
    await store.mark_feed_alerted(feed.id)
    alerted = await store.feed(feed.id)
    assert alerted is not None and alerted.alerted
    await store.record_feed_success(feed.id, FeedCheck(NOW + 60), now=NOW)
    recovered = await store.feed(feed.id)
    assert recovered is not None and not recovered.alerted


async def test_a_story_repeated_within_one_check_is_queued_once(store: Storage) -> None:
    topic = await store.sync_topic("asia", "Азия", "Asia", [])
    feed = await store.add_feed(
        "https://a.x/rss", title="Wire", interval_seconds=60, next_check_at=NOW, now=NOW
    )
    await store.upsert_chat(1, type="private", language="ru", now=NOW)
    await store.add_subscription(1, topic.id, now=NOW)
    repeats = [
        draft(key, topic_ids=(topic.id,), signature=sig, story_bands=bands)
        for key, sig, bands in (
            ("x", b"SAME-1", (5,)),
            ("y", b"OTHER", (5,)),
            ("z", b"SAME-2", (5, 6)),
        )
    ]
    outcome = await store_drafts(store, feed.id, repeats, queue=True, same_story=_same_prefix)
    assert (outcome.new, outcome.queued) == (3, 2)
    assert [p.item.key for p in await store.pending_outbox(NOW)] == ["x", "y"]
    x, _, z = [await store.item(n) for n in (1, 2, 3)]
    assert x is not None and z is not None and z.story_id == x.id


async def test_queries_read_beside_a_write_in_progress(store: Storage) -> None:
    """Queries have their own connection: they neither wait for a poll's transaction nor see
    its uncommitted rows."""
    await store.sync_topic("asia", "Азия", "Asia", [])
    async with store._transaction() as conn:  # a poll's write, still open
        await conn.execute(
            "INSERT INTO topics (slug, name_ru, name_en) VALUES ('half', 'half', 'half')"
        )
        seen = await asyncio.wait_for(store.topics(), timeout=5)
        assert [t.slug for t in seen] == ["asia"]
    assert [t.slug for t in await store.topics()] == ["asia", "half"]


async def test_records_read_back_field_by_field(store: Storage) -> None:
    topic = await store.sync_topic("asia", "Азия", "Asia", ["Казахстан"])
    assert (topic.slug, topic.name_ru, topic.name_en, topic.keywords) == (
        "asia",
        "Азия",
        "Asia",
        ("Казахстан",),
    )
    assert await store.topic("asia") == topic
    chat = await store.upsert_chat(-100, type="supergroup", language="en", now=NOW)
    assert chat == await store.chat(-100)
    assert (chat.id, chat.type, chat.language, chat.active) == (-100, "supergroup", "en", True)
    feed = await store.add_feed(
        "https://e.x/rss", title="F", interval_seconds=60, next_check_at=NOW, now=NOW
    )
    assert (feed.fulltext, feed.source, feed.enabled, feed.primed) == (False, "admin", True, False)


async def test_the_newest_summit_is_the_summit_card(store: Storage) -> None:
    feed = await store.add_feed(
        "https://e.x/rss", title="F", interval_seconds=60, next_check_at=NOW, now=NOW
    )
    older = ItemDraft("old", None, "Older talks", 1_700_000_000.0, is_summit=True)
    newer = ItemDraft("new", None, "Newer talks", 1_700_100_000.0, is_summit=True)
    plain = ItemDraft("plain", None, "Weather", 1_700_200_000.0)
    await store_drafts(store, feed.id, [older, newer, plain])
    summit = await store.latest_summit()
    assert summit is not None and summit.title == "Newer talks"


async def test_a_story_is_looked_for_three_days_back_only(store: Storage) -> None:
    topic = await store.sync_topic("asia", "Азия", "Asia", [])
    feed = await store.add_feed(
        "https://a.x/rss", title="Wire", interval_seconds=60, next_check_at=NOW, now=NOW
    )

    def story(key: str) -> ItemDraft:
        return draft(
            key, topic_ids=(topic.id,), signature=b"SAME-" + key.encode(), story_bands=(9,)
        )

    async def check(key: str, at: float) -> None:
        await store.store_items(
            feed.id,
            [story(key)],
            now=at,
            check=CHECK,
            queue=False,
            push_limit=20,
            same_story=_same_prefix,
        )

    await check("a", NOW)
    await check("b", NOW + 3 * 24 * 3600 - 60)  # within the window: the same story
    await check("c", NOW + 3 * 24 * 3600 + 60)  # "a" is too old, but "b" is not
    await check("d", NOW + 7 * 24 * 3600)  # nothing recent: a story of its own
    a, b, c, d = [await store.item(n) for n in (1, 2, 3, 4)]
    assert a is not None and b is not None and c is not None and d is not None
    assert (b.story_id, c.story_id, d.story_id) == (a.id, a.id, d.id)


async def test_every_candidate_of_a_shared_band_is_compared(store: Storage) -> None:
    """A candidate already compared (through another band) does not hide the next one."""
    feed = await store.add_feed(
        "https://a.x/rss", title="Wire", interval_seconds=60, next_check_at=NOW, now=NOW
    )
    stored = [
        draft("other", signature=b"DIFF", story_bands=(1, 2)),
        draft("same", signature=b"SAME-1", story_bands=(2,)),
    ]
    await store_drafts(store, feed.id, stored, same_story=_same_prefix)
    await store_drafts(
        store,
        feed.id,
        [draft("new", signature=b"SAME-2", story_bands=(1, 2))],
        same_story=_same_prefix,
    )
    new = await store.item(3)
    assert new is not None and new.key == "new" and new.story_id == 2


async def test_a_story_matching_two_stories_joins_the_earliest(store: Storage) -> None:
    feed = await store.add_feed(
        "https://a.x/rss", title="Wire", interval_seconds=60, next_check_at=NOW, now=NOW
    )
    older = draft("older", signature=b"SAME-1", story_bands=(1,))
    await store_drafts(store, feed.id, [older], same_story=_same_prefix)
    later = draft("later", signature=b"ELSE-1", story_bands=(2,))
    await store_drafts(store, feed.id, [later], same_story=_same_prefix)
    # Matches both (a lenient test): band 1 leads to story 1, band 2 to story 2.
    both = draft("both", signature=b"BOTH", story_bands=(1, 2))
    await store_drafts(store, feed.id, [both], same_story=lambda a, b: True)
    item = await store.item(3)
    assert item is not None and item.key == "both" and item.story_id == 1
