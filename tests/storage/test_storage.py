"""Storage on a real temporary SQLite file, opened through the production opener."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import sqlite3
from collections.abc import AsyncIterator
from contextlib import closing
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from storage import (
    Chat,
    DeliveryStats,
    DigestLine,
    Feed,
    FeedCheck,
    FeedExistsError,
    Item,
    ItemDraft,
    OutboxEntry,
    Storage,
    StoreOutcome,
    Subscription,
    Topic,
    open_storage,
)
from storage.db import migrate, migrations, numbered, schema_version

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


@pytest.mark.parametrize(
    "model",
    [
        Chat,
        DeliveryStats,
        DigestLine,
        Feed,
        FeedCheck,
        Item,
        ItemDraft,
        OutboxEntry,
        StoreOutcome,
        Subscription,
        Topic,
    ],
)
def test_what_storage_hands_out_cannot_be_changed_under_another_reader(model: type) -> None:
    """Items, feeds and outbox rows are shared by handlers, the poll cycle and the sender."""
    assert dataclasses.is_dataclass(model) and model.__dataclass_params__.frozen  # type: ignore[attr-defined]


def test_migration_files_are_numbered_without_gaps() -> None:
    files = [("002_b.sql", "B"), ("README.md", "x"), ("001_a.sql", "A"), ("1_bad.sql", "x")]
    assert numbered(files) == [(1, "A"), (2, "B")]
    with pytest.raises(RuntimeError, match="migration 002 is missing"):
        numbered([("001_a.sql", "A"), ("003_c.sql", "C")])
    assert [version for version, _ in migrations()] == list(range(1, len(migrations()) + 1))


async def test_a_failing_migration_changes_nothing_and_leaves_no_transaction_open(
    tmp_path: Path,
) -> None:
    known = migrations()
    broken = (
        len(known) + 1,
        "CREATE TABLE half_done (x INTEGER);\n-- a comment; with a semicolon\nSELECT nonsense(;",
    )
    async with aiosqlite.connect(tmp_path / "m.db", isolation_level=None) as conn:
        assert await migrate(conn, known) == len(known)
        with pytest.raises(sqlite3.OperationalError):
            await migrate(conn, [*known, broken])
        assert await schema_version(conn) == len(known)
        async with conn.execute("SELECT name FROM sqlite_master WHERE name = 'half_done'") as c:
            assert await c.fetchall() == []
        await conn.execute("BEGIN")  # would fail inside a transaction left open
        await conn.execute("ROLLBACK")


async def test_a_database_newer_than_the_code_is_refused_and_left_closed(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA user_version = 999")
    with pytest.raises(RuntimeError, match="database schema 999 is newer than this newsbot"):
        await open_storage(path)
    # The last connection to a WAL database removes its -wal file when it closes.
    assert not Path(f"{path}-wal").exists()


def test_the_delivery_migration_keeps_every_outbox_row(tmp_path: Path) -> None:
    """A database of schema 2 with sent, pending and failed rows, brought to the latest."""
    path = tmp_path / "old.db"
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        for version, sql in migrations()[:2]:
            conn.executescript(sql)
            conn.execute(f"PRAGMA user_version = {version}")
        conn.executescript(
            """INSERT INTO feeds (id, url, title, interval_seconds, next_check_at, created_at)
                   VALUES (1, 'https://e.x/rss', 'F', 60, 0, 0);
               INSERT INTO items (id, feed_id, key, url, title, fetched_at)
                   VALUES (1, 1, 'k', 'https://e.x/1', 'T', 0);
               INSERT INTO chats (id, created_at) VALUES (10, 0), (11, 0), (12, 0);
               INSERT INTO outbox (chat_id, item_id, status, attempts, message_id, created_at, more)
                   VALUES (10, 1, 'sent', 1, 555, 0, 0), (11, 1, 'pending', 2, NULL, 0, 3),
                          (12, 1, 'failed', 5, NULL, 0, 0);"""
        )

    async def migrate() -> None:
        storage = await open_storage(path)
        await storage.close()

    asyncio.run(migrate())
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute(
            "SELECT chat_id, status, attempts, message_id, message_ids, more FROM outbox"
            " ORDER BY id"
        ).fetchall()
        indexes = {
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        }
    assert rows == [
        (10, "sent", 1, 555, "555", 0),
        (11, "pending", 2, None, "", 3),
        (12, "failed", 5, None, "", 0),
    ]
    assert "outbox_pending" in indexes


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
    assert await store.next_check_time() == NOW - 50  # the earliest, due or not


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

    await store.mark_sent(pending[0].id, now=NOW)
    await store.postpone_delivery(pending[1].id, not_before=NOW + 30, error="retry after 30 s")
    assert [p.id for p in await store.pending_outbox(NOW)] == [pending[2].id]
    next_time = await store.next_outbox_time()
    assert next_time is not None and next_time <= NOW  # one row is due at once
    await store.deactivate_chat(pending[2].chat_id)
    assert await store.outbox_counts() == {"sent": 1, "pending": 1, "failed": 1}


async def outbox_rows(store: Storage, chats: tuple[int, ...] = (1, 2, 3)) -> list[int]:
    """One item queued for each of `chats`; their outbox row ids, oldest first."""
    topic = await store.sync_topic("asia", "Азия", "Asia", ["Казахстан"])
    feed = await store.add_feed(
        "https://e.x/rss", title="F", interval_seconds=60, next_check_at=NOW, now=NOW
    )
    for chat in chats:
        await store.upsert_chat(chat, type="group", language="en", now=NOW)
        await store.add_subscription(chat, topic.id, now=NOW)
    await store_drafts(store, feed.id, [draft("a", topic_ids=(topic.id,))], queue=True)
    return [p.id for p in await store.pending_outbox(NOW, limit=50)]


async def test_a_claimed_row_is_in_one_senders_hands_until_released(store: Storage) -> None:
    ids = await outbox_rows(store)
    claimed = await store.claim_deliveries(NOW, limit=2)
    assert [c.id for c in claimed] == ids[:2]
    assert [c.chat_id for c in claimed] == [1, 2] and claimed[0].chat_language == "en"
    assert [p.id for p in await store.pending_outbox(NOW)] == ids[2:]
    assert [c.id for c in await store.claim_deliveries(NOW)] == ids[2:]  # never the same twice
    assert await store.claim_deliveries(NOW) == []
    assert await store.outbox_counts() == {"sending": 3}
    assert await store.next_outbox_time() is None  # nothing pending: the sender may idle

    await store.mark_sent(ids[0], now=NOW)
    assert await store.release_claims() == 2  # a restart: what was in hand is due again
    assert [p.id for p in await store.pending_outbox(NOW)] == ids[1:]
    assert await store.outbox_counts() == {"sent": 1, "pending": 2}


async def test_a_split_cards_parts_are_remembered_and_waits_cost_no_attempt(
    store: Storage, tmp_path: Path
) -> None:
    ids = await outbox_rows(store, chats=(1,))
    (entry,) = await store.claim_deliveries(NOW)
    assert entry.parts_sent == 0 and entry.attempts == 0
    await store.record_part(ids[0], message_id=700)
    await store.record_part(ids[0], message_id=701)
    await store.postpone_delivery(ids[0], not_before=NOW + 5, error="429", spend_attempt=False)
    assert await store.claim_deliveries(NOW + 4.9) == []
    assert await store.next_outbox_time() == NOW + 5
    (again,) = await store.claim_deliveries(NOW + 5)
    assert (again.parts_sent, again.attempts) == (2, 0)
    await store.postpone_delivery(ids[0], not_before=NOW + 10, error="502 Bad Gateway")
    (third,) = await store.claim_deliveries(NOW + 10)
    assert (third.parts_sent, third.attempts) == (2, 1)
    await store.mark_sent(ids[0], now=NOW + 11)
    with closing(sqlite3.connect(tmp_path / "test.db")) as conn:
        row = conn.execute(
            "SELECT status, attempts, message_id, message_ids, sent_at, last_error FROM outbox"
        ).fetchone()
    assert row == ("sent", 2, 700, "700 701", NOW + 11, None)


async def test_a_migrated_group_takes_its_subscriptions_and_undelivered_rows_along(
    store: Storage,
) -> None:
    ids = await outbox_rows(store, chats=(-100, -200))
    await store.claim_deliveries(NOW, limit=1)  # the row of -100 was in hand
    await store.migrate_chat(-100, -100_555)
    moved = await store.chat(-100_555)
    assert moved is not None and (moved.type, moved.language, moved.active) == (
        "supergroup",
        "en",
        True,
    )
    old = await store.chat(-100)
    assert old is not None and not old.active
    assert [s.chat_id for s in await store.subscriptions(-100_555)] == [-100_555]
    assert await store.subscriptions(-100) == []
    due = await store.pending_outbox(NOW)
    assert sorted((p.id, p.chat_id) for p in due) == [(ids[0], -100_555), (ids[1], -200)]


async def test_a_paused_chat_drops_its_claimed_rows_too(store: Storage) -> None:
    ids = await outbox_rows(store, chats=(1, 2))
    await store.claim_deliveries(NOW)
    await store.deactivate_chat(1)
    assert await store.release_claims() == 1  # only chat 2's row goes back
    assert [p.id for p in await store.pending_outbox(NOW)] == [ids[1]]


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

    # Without a comparison (the reader gave none), a signed item is a story of its own.
    d = await store_drafts(store, first.id, [story("d", b"SAME-3", (1, 2))], queue=True)
    assert (d.new, d.queued) == (1, 1)
    d_item = await store.item(4)
    assert d_item is not None and d_item.key == "d" and d_item.story_id == d_item.id


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


async def test_a_failure_of_a_feed_removed_meanwhile_is_recorded_nowhere(store: Storage) -> None:
    """An admin removed the feed while its check ran: the failure has no row to go to."""
    feed = await store.add_feed(
        "https://e.x/rss", title="F", interval_seconds=60, next_check_at=NOW, now=NOW
    )
    assert (
        await store.record_feed_failure(feed.id, error="HTTP 500", now=NOW, next_check_at=NOW) == 1
    )
    assert await store.remove_feed(feed.id)
    assert (
        await store.record_feed_failure(feed.id, error="HTTP 500", now=NOW, next_check_at=NOW) == 0
    )


async def test_closing_closes_every_connection(tmp_path: Path) -> None:
    """The writer and the reader: the last connection to a WAL database removes its -wal."""
    path = tmp_path / "closing.db"
    storage = await open_storage(path)
    await storage.upsert_chat(1, type="private", language="ru", now=NOW)
    assert await storage.chat(1) is not None  # the reader has been used too
    assert Path(f"{path}-wal").exists()
    await storage.close()
    assert not Path(f"{path}-wal").exists()


# --- digests and quiet hours ----------------------------------------------------------------


async def digest_chat(store: Storage) -> tuple[Topic, Topic, Feed]:
    """Chat 1 takes digests (in its main chat and forum thread 7); chat 2 takes cards."""
    asia = await store.sync_topic("asia", "Азия", "Asia", [])
    sport = await store.sync_topic("sport", "Спорт", "Sport", [])
    feed = await store.add_feed(
        "https://e.x/rss", title="Лента", interval_seconds=60, next_check_at=NOW, now=NOW
    )
    for chat in (1, 2):
        await store.upsert_chat(chat, type="supergroup", language="ru", now=NOW)
        await store.add_subscription(chat, asia.id, now=NOW)
    await store.add_subscription(1, sport.id, now=NOW)
    await store.add_subscription(1, asia.id, now=NOW, thread_id=7)
    await store.set_digest_times(1, [1140, 480, 480], next_at=NOW + 3600, now=NOW)
    return asia, sport, feed


async def test_a_digest_chats_rows_wait_and_go_as_one_per_thread(store: Storage) -> None:
    asia, sport, feed = await digest_chat(store)
    chat = await store.chat(1)
    assert chat is not None and chat.digest_times == (480, 1140)
    drafts = [
        draft("a", "Астана", topic_ids=(asia.id,)),
        draft("b", "Футбол", topic_ids=(sport.id,)),
        draft("c", "Душанбе", topic_ids=(asia.id, sport.id)),
    ]
    assert (await store_drafts(store, feed.id, drafts, queue=True)).queued == 3 + 2 + 2
    # Chat 2's cards are due; chat 1's rows wait for its digest.
    assert {p.chat_id for p in await store.pending_outbox(NOW + 86_400 * 365, limit=50)} == {2}
    assert await store.due_digests(NOW + 3599) == []
    (due,) = await store.due_digests(NOW + 3600)
    assert due.id == 1

    assert await store.release_digest(1, now=NOW + 3600, next_at=NOW + 7200) == 2  # 2 threads
    assert await store.due_digests(NOW + 3600) == []
    entries = await store.claim_deliveries(NOW + 3600, limit=50)
    digests = {e.thread_id: e for e in entries if e.chat_id == 1}
    assert sorted(digests) == [0, 7] and len(entries) == 4  # two digests, two cards of chat 2
    main = digests[0]
    assert [(line.title, line.topic and line.topic.slug) for line in main.digest] == [
        ("Астана", "asia"),
        ("Футбол", "sport"),
        ("Душанбе", "asia"),  # under the first of the chat's topics it matched
    ]
    assert [line.title for line in digests[7].digest] == ["Астана", "Душанбе"]
    assert all(line.source == "Лента" and line.url for line in main.digest)
    assert all(not e.digest for e in entries if e.chat_id == 2)

    # A row arriving now waits for the next digest, whatever happens to this one.
    await store_drafts(store, feed.id, [draft("d", "Бишкек", topic_ids=(asia.id,))], queue=True)
    await store.mark_sent(main.id, now=NOW + 3601)
    await store.mark_failed(digests[7].id, error="bad request")
    assert await store.outbox_counts() == {"sent": 3, "failed": 2, "sending": 2, "pending": 3}
    await store.release_digest(1, now=NOW + 7200, next_at=None)
    again = [e for e in await store.claim_deliveries(NOW + 7200, limit=50) if e.chat_id == 1]
    assert [[line.title for line in e.digest] for e in again] == [["Бишкек"], ["Бишкек"]]
    assert await store.due_digests(NOW + 86_400 * 365) == []  # next_at None: no more digests


async def test_a_digest_postponed_keeps_its_rows_and_instant_again_sends_the_held_ones(
    store: Storage,
) -> None:
    asia, _sport, feed = await digest_chat(store)
    await store_drafts(store, feed.id, [draft("a", topic_ids=(asia.id,))], queue=True)
    await store.release_digest(1, now=NOW, next_at=NOW + 3600)
    carriers = [e for e in await store.claim_deliveries(NOW, limit=50) if e.chat_id == 1]
    await store.postpone_delivery(carriers[0].id, not_before=NOW + 60, error="retry after 60 s")
    await store.release_claims()
    again = await store.claim_deliveries(NOW + 60, limit=50)
    (later,) = [e for e in again if (e.chat_id, e.thread_id) == (1, 0)]
    assert later.id == carriers[0].id and len(later.digest) == 1

    await store_drafts(store, feed.id, [draft("b", topic_ids=(asia.id,))], queue=True)
    await store.set_digest_times(1, [], next_at=None, now=NOW + 100)
    chat = await store.chat(1)
    assert chat is not None and chat.digest_times == ()
    held = [e for e in await store.claim_deliveries(NOW + 100, limit=50) if e.chat_id == 1]
    assert sorted((e.thread_id, len(e.digest)) for e in held) == [(0, 1), (7, 1)]
    # Instant from now on: a new item is a card, due at once.
    await store_drafts(store, feed.id, [draft("c", topic_ids=(asia.id,))], queue=True)
    cards = [e for e in await store.claim_deliveries(NOW + 100, limit=50) if e.chat_id == 1]
    assert len(cards) == 2 and not any(e.digest for e in cards)


async def test_a_paused_or_moved_digest_chat_takes_its_held_rows_along(store: Storage) -> None:
    asia, _sport, feed = await digest_chat(store)
    await store_drafts(store, feed.id, [draft("a", topic_ids=(asia.id,))], queue=True)
    await store.migrate_chat(1, -100_1)
    await store.release_digest(-100_1, now=NOW, next_at=None)
    moved = [e for e in await store.claim_deliveries(NOW, limit=50) if e.chat_id == -100_1]
    assert len(moved) == 2 and all(len(e.digest) == 1 for e in moved)
    await store.deactivate_chat(-100_1)
    assert await store.outbox_counts() == {"failed": 2, "sending": 1}


async def test_quiet_hours_changed_bring_forward_only_rows_waiting_for_them(
    store: Storage,
) -> None:
    ids = await outbox_rows(store, chats=(1, 2))
    await store.set_quiet_hours(1, (1380, 420), now=NOW)
    chat = await store.chat(1)
    assert chat is not None and chat.quiet == (1380, 420)
    (entry, other) = await store.claim_deliveries(NOW, limit=50)
    assert entry.quiet == (1380, 420) and other.quiet is None
    await store.postpone_delivery(
        ids[0], not_before=NOW + 9000, error="quiet hours", spend_attempt=False
    )
    await store.postpone_delivery(
        ids[1], not_before=NOW + 9000, error="retry after 9000 s", spend_attempt=False
    )
    await store.set_quiet_hours(2, None, now=NOW + 10)  # another chat: nothing moves
    assert await store.pending_outbox(NOW + 10) == []
    await store.set_quiet_hours(1, None, now=NOW + 10)
    assert [p.id for p in await store.pending_outbox(NOW + 10)] == [ids[0]]
    chat = await store.chat(1)
    assert chat is not None and chat.quiet is None


async def test_a_chat_time_zone_is_stored_with_its_next_digest(store: Storage) -> None:
    await store.upsert_chat(5, type="private", language="en", now=NOW)
    await store.set_digest_times(5, [480], next_at=NOW + 10, now=NOW)
    await store.set_timezone(5, "Asia/Almaty", next_at=NOW + 20)
    chat = await store.chat(5)
    assert chat is not None and chat.timezone == "Asia/Almaty"
    assert await store.due_digests(NOW + 19) == []
    assert [c.id for c in await store.due_digests(NOW + 20)] == [5]
    await store.deactivate_chat(5)
    assert await store.due_digests(NOW + 20) == []  # a paused chat gets no digest


async def test_updates_are_written_down_once_and_forgotten_a_day_after_handling(
    store: Storage,
) -> None:
    await store.journal_updates([(5, '{"update_id": 5}'), (3, '{"update_id": 3}')], now=NOW)
    await store.journal_updates([(5, '{"changed": true}')], now=NOW + 50)  # taken again
    assert await store.unhandled_updates() == [(3, '{"update_id": 3}'), (5, '{"update_id": 5}')]
    assert not await store.update_handled(3) and not await store.update_handled(99)
    await store.mark_update_handled(3)
    assert await store.update_handled(3)
    assert await store.unhandled_updates() == [(5, '{"update_id": 5}')]
    assert await store.prune_updates(before=NOW) == 0  # taken at NOW, not before
    assert await store.prune_updates(before=NOW + 1) == 1  # the handled one only
    assert not await store.update_handled(3)
    assert await store.unhandled_updates() == [(5, '{"update_id": 5}')]


@pytest.mark.parametrize("steps", range(8))
async def test_a_write_cancelled_at_any_point_leaves_no_transaction_open(
    store: Storage, steps: int
) -> None:
    """A task cancelled in the middle of a write (PTB cancels its polling task at stop):
    the next write still works, and the cancelled one was made whole or not at all."""
    write = asyncio.create_task(
        store.journal_updates([(1, "{}"), (2, "{}")], now=NOW), name="cancelled write"
    )
    for _ in range(steps):
        await asyncio.sleep(0)  # let it get that far (BEGIN, the insert, COMMIT ...)
    write.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await write
    await store.journal_updates([(3, "{}")], now=NOW)
    ids = [update_id for update_id, _ in await store.unhandled_updates()]
    assert ids in ([3], [1, 2, 3])
