"""Storage on a real temporary SQLite file, opened through the production opener."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiosqlite
import pytest

from storage import FeedExistsError, ItemDraft, Storage, open_storage
from storage.db import migrations, schema_version

NOW = 1_800_000_000.0


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Storage]:
    storage = await open_storage(tmp_path / "test.db")
    yield storage
    await storage.close()


def draft(key: str, title: str = "T") -> ItemDraft:
    return ItemDraft(key=key, url=f"https://e.x/{key}", title=title, published_at=None, text="x")


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
        await store.add_items(999, [draft("a")], NOW)


async def test_duplicate_items_are_ignored(store: Storage) -> None:
    feed = await store.add_feed(
        "https://e.x/rss", title="F", interval_seconds=600, next_check_at=NOW, now=NOW
    )
    first = await store.add_items(feed.id, [draft("a"), draft("b")], NOW)
    assert set(first) == {"a", "b"}
    second = await store.add_items(feed.id, [draft("b", "changed"), draft("c")], NOW)
    assert set(second) == {"c"}
    items = await store.latest_items(limit=10)
    assert sorted(i.key for i in items) == ["a", "b", "c"]
    assert {i.title for i in items if i.key == "b"} == {"T"}
    assert await store.known_item_keys(feed.id, ["a", "z"]) == {"a"}


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
    await store.record_feed_failure(feed.id, error="HTTP 500", now=NOW, next_check_at=NOW + 120)
    failed = await store.feed(feed.id)
    assert failed is not None
    assert (failed.error_count, failed.last_error, failed.next_check_at) == (
        1,
        "HTTP 500",
        NOW + 120,
    )
    await store.record_feed_success(
        feed.id, now=NOW + 1, next_check_at=NOW + 61, title="Feed", etag='"e1"', last_modified="Mon"
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
    await store.record_feed_success(feed.id, now=NOW + 2, next_check_at=NOW + 62)
    kept = await store.feed(feed.id)
    assert kept is not None and kept.etag == '"e1"' and kept.title == "Feed"


async def test_outbox_is_unique_per_chat_thread_item(store: Storage) -> None:
    topic = await store.sync_topic("asia", "Азия", "Asia", ["Казахстан"])
    other = await store.sync_topic("world", "Мир", "World", [])
    feed = await store.add_feed(
        "https://e.x/rss", title="F", interval_seconds=60, next_check_at=NOW, now=NOW
    )
    ids = await store.add_items(feed.id, [draft("a")], NOW)
    for chat in (1, 2):
        await store.upsert_chat(chat, type="private", language="ru", now=NOW)
    await store.add_subscription(1, topic.id, now=NOW)
    await store.add_subscription(1, other.id, now=NOW)  # two topics, one chat
    await store.add_subscription(1, topic.id, now=NOW, thread_id=7)  # a forum thread of it
    await store.add_subscription(2, topic.id, now=NOW)
    assert not await store.add_subscription(2, topic.id, now=NOW)

    queued = await store.enqueue_item(ids["a"], [topic.id, other.id], NOW)
    assert queued == 3  # chat 1, chat 1 thread 7, chat 2
    assert await store.enqueue_item(ids["a"], [topic.id, other.id], NOW) == 0
    pending = await store.pending_outbox(NOW)
    assert sorted((p.chat_id, p.thread_id) for p in pending) == [(1, 0), (1, 7), (2, 0)]

    await store.mark_sent(pending[0].id, message_id=55, now=NOW)
    await store.postpone_delivery(pending[1].id, not_before=NOW + 30, error="retry after 30 s")
    assert [p.id for p in await store.pending_outbox(NOW)] == [pending[2].id]
    next_time = await store.next_outbox_time()
    assert next_time is not None and next_time <= NOW  # one row is due at once
    await store.deactivate_chat(pending[2].chat_id)
    assert await store.outbox_counts() == {"sent": 1, "pending": 1, "failed": 1}
    assert await store.enqueue_item(ids["a"], [topic.id], NOW) == 0


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
    await store.add_items(feed.id, [draft("a")], NOW)
    assert await store.remove_feed(feed.id)
    assert await store.latest_items() == []
    assert not await store.remove_feed(feed.id)
