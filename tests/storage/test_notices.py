"""Storage of admins' work in Telegram: the outbox rebuilt to carry notices (every old row
and index kept), notices fanned out once per chat, topics admins add, edit and remove."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import closing
from pathlib import Path

import pytest

from storage import NoticeText, Storage, open_storage
from storage.db import migrations

NOW = 1_800_000_000.0
TEXT = NoticeText(ru="Привет", en="Hello")
OUTBOX_COLUMNS = (
    "id, chat_id, thread_id, item_id, status, attempts, not_before, last_error, message_id,"
    " created_at, sent_at, more, message_ids, digest_id"
)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Storage]:
    storage = await open_storage(tmp_path / "test.db")
    yield storage
    await storage.close()


def test_the_admin_migration_keeps_every_outbox_row_and_index(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    admin = next(n for n, (version, _) in enumerate(migrations()) if version == 8)
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        for version, sql in migrations()[:admin]:
            conn.executescript(sql)
            conn.execute(f"PRAGMA user_version = {version}")
        conn.executescript(
            """INSERT INTO feeds (id, url, title, interval_seconds, next_check_at, created_at)
                   VALUES (1, 'https://e.x/rss', 'F', 60, 0, 0);
               INSERT INTO items (id, feed_id, key, url, title, fetched_at)
                   VALUES (1, 1, 'k', 'https://e.x/1', 'T', 0), (2, 1, 'l', NULL, 'U', 0);
               INSERT INTO topics (slug, name_ru, name_en) VALUES ('asia', 'Азия', 'Asia');
               INSERT INTO chats (id, created_at) VALUES (10, 0), (11, 0), (12, 0);
               INSERT INTO outbox (chat_id, thread_id, item_id, status, attempts, not_before,
                                   last_error, message_id, created_at, sent_at, more,
                                   message_ids, digest_id)
                   VALUES (10, 0, 1, 'sent', 1, 0, NULL, 555, 5, 6, 0, '555 556', NULL),
                          (11, 3, 1, 'pending', 2, 1e15, 'quiet hours', NULL, 7, NULL, 3, '',
                           2),
                          (11, 3, 2, 'pending', 0, 1e15, NULL, NULL, 8, NULL, 0, '', 2),
                          (12, 0, 1, 'failed', 5, 9, 'bad request', NULL, 9, NULL, 0, '', NULL),
                          (12, 0, 2, 'sending', 1, 0, NULL, 700, 9, NULL, 0, '700', NULL);"""
        )
        before = conn.execute(f"SELECT {OUTBOX_COLUMNS} FROM outbox ORDER BY id").fetchall()

    async def upgrade() -> None:
        storage = await open_storage(path)
        await storage.close()

    asyncio.run(upgrade())
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        after = conn.execute(f"SELECT {OUTBOX_COLUMNS} FROM outbox ORDER BY id").fetchall()
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert conn.execute("SELECT source FROM topics").fetchall() == [("config",)]
        assert after == before
        assert conn.execute("SELECT count(*) FROM outbox WHERE notice_id IS NULL").fetchone() == (
            5,
        )
        assert {"outbox_pending", "outbox_digest", "outbox_notice"} <= indexes
        plan = conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM outbox WHERE status = 'pending' AND not_before <= 1"
            " ORDER BY id"
        ).fetchall()
        assert "outbox_pending" in str(plan)
        # The constraints: one row per chat, thread and item; an item that exists; an item
        # or a notice, not both and not neither.
        for bad in (
            "INSERT INTO outbox (chat_id, item_id, created_at) VALUES (10, 1, 0)",
            "INSERT INTO outbox (chat_id, item_id, created_at) VALUES (10, 99, 0)",
            "INSERT INTO outbox (chat_id, created_at) VALUES (10, 0)",
            "INSERT INTO outbox (chat_id, item_id, status, created_at) VALUES (11, 2, 'x', 0)",
        ):
            with pytest.raises(sqlite3.IntegrityError):
                conn.execute(bad)
        conn.execute(
            "INSERT INTO notices (id, kind, body_ru, body_en, created_at)"
            " VALUES (1, 'announcement', 'a', 'b', 0)"
        )
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(
                "INSERT INTO outbox (chat_id, item_id, notice_id, created_at) VALUES (10, 2, 1, 0)"
            )
        conn.execute("INSERT INTO outbox (chat_id, notice_id, created_at) VALUES (10, 1, 0)")
        with pytest.raises(sqlite3.IntegrityError):  # a notice once per chat and thread
            conn.execute("INSERT INTO outbox (chat_id, notice_id, created_at) VALUES (10, 1, 0)")


async def chats(store: Storage, *ids: int, language: str = "ru", kind: str = "private") -> None:
    for chat in ids:
        await store.upsert_chat(chat, type=kind, language=language, now=NOW)


async def test_an_announcement_goes_once_to_each_active_chat_in_its_language(
    store: Storage,
) -> None:
    await chats(store, 1, 2)
    await chats(store, 3, language="en", kind="channel")
    await chats(store, 4)
    await store.deactivate_chat(4)
    notice_id = await store.draft_notice(TEXT, created_by=100, now=NOW)
    assert await store.outbox_counts() == {}
    draft = await store.notice(notice_id)
    assert draft is not None
    assert (draft.kind, draft.text, draft.status, draft.created_by, draft.chats) == (
        "announcement",
        TEXT,
        "draft",
        100,
        0,
    )
    assert await store.queue_notice(notice_id, now=NOW) == 3
    assert await store.queue_notice(notice_id, now=NOW) is None  # a second press
    assert not await store.cancel_notice(notice_id)
    queued = await store.notice(notice_id)
    assert queued is not None and (queued.status, queued.chats) == ("queued", 3)
    rows = await store.claim_deliveries(NOW, limit=10)
    assert [(r.chat_id, r.thread_id, r.notice, r.item) for r in rows] == [
        (1, 0, "Привет", None),
        (2, 0, "Привет", None),
        (3, 0, "Hello", None),
    ]
    assert rows[0].subject == f"the notice of row {rows[0].id}"


async def test_a_cancelled_draft_is_never_queued(store: Storage) -> None:
    await chats(store, 1)
    notice_id = await store.draft_notice(TEXT, created_by=100, now=NOW)
    assert await store.cancel_notice(notice_id)
    assert not await store.cancel_notice(notice_id)
    assert await store.queue_notice(notice_id, now=NOW) is None
    assert await store.outbox_counts() == {}
    assert await store.notice(notice_id + 1) is None


async def test_a_removed_topic_tells_its_subscribers_and_stays_removed(store: Storage) -> None:
    sport = await store.sync_topic("sport", "Спорт", "Sport", ["футбол"])
    other = await store.sync_topic("asia", "Азия", "Asia", [])
    await chats(store, 1, 2, 5)
    await chats(store, 3, language="en")
    for chat, thread in ((1, 0), (2, 0), (2, 9), (3, 0), (5, 0)):
        await store.add_subscription(chat, sport.id, now=NOW, thread_id=thread)
    await store.add_subscription(1, other.id, now=NOW)
    await store.deactivate_chat(5)
    assert await store.topic_subscribers(sport.id) == 4
    assert await store.remove_topic(sport.id, "asia", now=NOW, notice=TEXT) is None  # wrong slug
    assert await store.remove_topic(sport.id, "sport", now=NOW, notice=TEXT) == 4
    assert await store.remove_topic(sport.id, "sport", now=NOW, notice=TEXT) is None
    assert [tp.slug for tp in await store.topics()] == ["asia"]
    assert [s.topic.slug for s in await store.subscriptions(1)] == ["asia"]
    assert await store.subscriptions(2) == []
    rows = await store.claim_deliveries(NOW, limit=10)
    assert [(r.chat_id, r.thread_id, r.notice) for r in rows] == [
        (1, 0, "Привет"),
        (2, 0, "Привет"),
        (2, 9, "Привет"),
        (3, 0, "Hello"),
    ]
    assert await store.topic_overrides() == {"sport": "removed"}
    again = await store.add_topic("sport", "Спорт", "Sport", ["мяч"])
    assert again is not None and again.keywords == ("мяч",)
    assert await store.topic_overrides() == {"sport": "admin"}
    assert await store.add_topic("sport", "Спорт2", "Sport2", []) is None


async def test_an_edited_topic_tells_the_readers_of_the_languages_named(store: Storage) -> None:
    topic = await store.sync_topic("sport", "Спорт", "Sport", [])
    await chats(store, 1)
    await chats(store, 2, language="en")
    for chat in (1, 2):
        await store.add_subscription(chat, topic.id, now=NOW)
    assert await store.topic_overrides() == {}
    edited = await store.edit_topic(
        topic.id, name_ru="Игры", name_en="Sport", keywords=["мяч"], now=NOW, notice=TEXT,
        tell=["ru"],
    )  # fmt: skip
    assert edited is not None
    changed, told = edited
    assert (changed.name_ru, changed.keywords, told) == ("Игры", ("мяч",), 1)
    assert await store.topic_overrides() == {"sport": "admin"}
    assert [r.chat_id for r in await store.claim_deliveries(NOW)] == [1]
    quiet = await store.edit_topic(
        topic.id, name_ru="Игры", name_en="Games", keywords=[], now=NOW, notice=None, tell=["en"]
    )
    assert quiet is not None and quiet[1] == 0  # no notice: nobody told
    assert await store.edit_topic(
        999, name_ru="x", name_en="y", keywords=[], now=NOW
    ) is None  # fmt: skip


async def test_stats_count_what_they_say(store: Storage) -> None:
    topic = await store.sync_topic("sport", "Спорт", "Sport", [])
    await chats(store, 1, 2)
    await chats(store, -1, kind="supergroup")
    await chats(store, -2, kind="group")
    await chats(store, -3, kind="channel")
    await chats(store, 3)
    await store.deactivate_chat(3)
    for chat in (1, -1, 3):
        await store.add_subscription(chat, topic.id, now=NOW)
    found = await store.bot_stats(since=NOW)
    assert (
        found.chats_active,
        found.chats_private,
        found.chats_groups,
        found.chats_channels,
        found.chats_paused,
    ) == (5, 2, 2, 1, 1)
    assert [(tp.slug, n) for tp, n in found.topics] == [("sport", 2)]
    assert found.items == 0 and found.database_bytes > 0


async def test_an_announcement_reaches_each_of_many_chats(store: Storage) -> None:
    """One INSERT … SELECT however many chats (its time is printed, never asserted;
    bench/announce_bench.py measures 100,000)."""
    conn = store._conn  # the chats are set up in bulk: this test is about the fan-out
    await conn.executemany(
        "INSERT INTO chats (id, created_at) VALUES (?, 0)", [(n,) for n in range(1, 20_001)]
    )
    notice_id = await store.draft_notice(TEXT, created_by=1, now=NOW)
    started = time.perf_counter()
    assert await store.queue_notice(notice_id, now=NOW) == 20_000
    print(f"queued 20,000 notice rows in {time.perf_counter() - started:.3f} s")
    assert await store.outbox_counts() == {"pending": 20_000}
