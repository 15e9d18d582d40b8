"""The queries reshaped for scale answer exactly as before, on a real temporary SQLite file.

Newest-first lists of a topic walk item_topics by the sort time each row carries; the next
outbox batch walks pending rows by id past those held for a digest; /mysubs is sorted in
Python. Each is compared with the plain query it replaced (the oracle), on data built to
have ties, rewrites, missing dates and interleaved rows. Also: migration 010 on a database
that already has items, and two add_feed of one address at once.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
from collections.abc import AsyncIterator
from contextlib import closing
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from storage import FeedCheck, FeedExistsError, ItemDraft, Storage, open_storage
from storage.db import migrate, migrations
from storage.store import HELD_FOR_DIGEST, QUIET_HOURS

NOW = 1_800_000_000.0
CHECK = FeedCheck(next_check_at=NOW + 600)
DOCS = [{"title": "Соглашение", "kind": "agreement"}]


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Storage]:
    storage = await open_storage(tmp_path / "scale.db")
    yield storage
    await storage.close()


def draft(key: str, topics: tuple[int, ...], **kw: Any) -> ItemDraft:
    kw.setdefault("published_at", None)
    return ItemDraft(key=key, url=None, title=key, text="x", topic_ids=topics, **kw)


async def store_drafts(
    store: Storage, feed_id: int, drafts: list[ItemDraft], *, now: float = NOW
) -> None:
    await store.store_items(feed_id, drafts, now=now, check=CHECK, queue=False, push_limit=20)


async def add_feed(store: Storage, n: int = 0) -> int:
    feed = await store.add_feed(
        f"https://e.x/{n}.xml", title=f"F{n}", interval_seconds=600, next_check_at=NOW, now=NOW
    )
    return feed.id


def denormalised_mismatches(path: Path) -> int:
    """item_topics rows whose sort time or documents flag disagree with their item's."""
    with closing(sqlite3.connect(path)) as conn:
        (count,) = conn.execute(
            """SELECT count(*) FROM item_topics it JOIN items i ON i.id = it.item_id
               WHERE it.sort_time IS NOT coalesce(i.published_at, i.fetched_at)
                  OR it.with_documents IS NOT (i.documents != '[]')"""
        ).fetchone()
    return int(count)


async def test_a_topics_lists_follow_a_rewritten_items_date_and_documents(
    store: Storage, tmp_path: Path
) -> None:
    topic = (await store.sync_topic("asia", "Азия", "Asia", [])).id
    feed = await add_feed(store)
    await store_drafts(
        store,
        feed,
        [
            draft("a", (topic,), published_at=NOW - 300, fingerprint="1"),
            draft("b", (topic,), published_at=NOW - 200),
            draft("c", (topic,), published_at=None),  # sorted by arrival: NOW
        ],
    )
    assert [i.key for i in await store.latest_items(topic, 3)] == ["c", "b", "a"]
    assert await store.latest_with_documents(topic, 3) == []

    # The feed rewrites "a": a later date and a list of documents.
    rewritten = draft("a", (topic,), published_at=NOW + 100, fingerprint="2", documents=DOCS)
    await store_drafts(store, feed, [rewritten], now=NOW + 500)
    assert [i.key for i in await store.latest_items(topic, 3)] == ["a", "c", "b"]
    assert [i.key for i in await store.latest_with_documents(topic, 3)] == ["a"]

    # And drops both again: the date is missing (its arrival counts, not the rewrite's).
    dropped = draft("a", (topic,), published_at=None, fingerprint="3")
    await store_drafts(store, feed, [dropped], now=NOW + 900)
    assert [i.key for i in await store.latest_items(topic, 3)] == ["c", "a", "b"]  # c: later id
    assert await store.latest_with_documents(topic, 3) == []
    assert denormalised_mismatches(tmp_path / "scale.db") == 0


async def test_topic_lists_agree_with_the_lists_of_all_items(
    store: Storage, tmp_path: Path
) -> None:
    """Random items (equal dates, missing dates, repeated stories, rewrites, items in no
    topic): each topic's list is the list of all items, kept to that topic."""
    rng = random.Random(11)
    topics = [(await store.sync_topic(f"t{n}", f"T{n}", f"T{n}", [])).id for n in range(3)]
    feeds = [await add_feed(store, n) for n in range(2)]
    filed: dict[str, set[int]] = {}
    fingerprints: dict[str, str] = {}

    def random_draft(key: str) -> ItemDraft:
        chosen = tuple(t for t in topics if rng.random() < 0.4)
        fingerprint = str(rng.randint(0, 2))
        if fingerprints.get(key) != fingerprint:  # new or rewritten: filed under more topics
            filed.setdefault(key, set()).update(chosen)
            fingerprints[key] = fingerprint
        return draft(
            key,
            chosen,
            published_at=rng.choice([None, NOW - 100, NOW - 50, NOW - rng.randint(0, 400)]),
            documents=DOCS if rng.random() < 0.3 else [],
            fingerprint=fingerprint,
            # A fifth share a story with the items whose key ends in the same character.
            signature=(key[-1:] if rng.random() < 0.2 else key).encode(),
            story_bands=(1,),
        )

    for round_ in range(6):
        feed = feeds[round_ % 2]
        keys = sorted({f"{feed}-{rng.randint(0, 40)}" for _ in range(12)})
        await store.store_items(
            feed,
            [random_draft(key) for key in keys],
            now=NOW - 400 + 60 * round_,
            check=CHECK,
            queue=False,
            push_limit=20,
            same_story=lambda a, b: a == b,
        )

    everything = await store.latest_items(None, 1000)
    with_documents = await store.latest_with_documents(None, 1000)
    keys = {i.id: i.key for i in with_documents} | {i.id: i.key for i in everything}
    with closing(sqlite3.connect(tmp_path / "scale.db")) as conn:
        (repeats,) = conn.execute("SELECT count(*) FROM items WHERE story_id != id").fetchone()
        (ties,) = conn.execute(
            """SELECT count(*) - count(DISTINCT coalesce(published_at, fetched_at))
               FROM items"""
        ).fetchone()
    assert len(everything) > 20 and repeats > 0 and ties > 0
    for topic in topics:
        in_topic = [i.id for i in everything if topic in filed[i.key]]
        assert [i.id for i in await store.latest_items(topic, 1000)] == in_topic
        assert [i.id for i in await store.latest_items(topic, 4)] == in_topic[:4]
        documented = [i.id for i in with_documents if topic in filed[keys[i.id]]]
        assert [i.id for i in await store.latest_with_documents(topic, 1000)] == documented
    assert denormalised_mismatches(tmp_path / "scale.db") == 0


async def test_the_next_batch_is_the_oldest_due_rows_past_held_and_waiting_ones(
    store: Storage, tmp_path: Path
) -> None:
    """Rows due now, held for a digest, waiting for quiet hours or a retry, interleaved: the
    batch is what the plain query over all pending rows, oldest first, gives."""
    topic = (await store.sync_topic("asia", "Азия", "Asia", [])).id
    feed = await add_feed(store)
    for chat in range(1, 31):
        await store.upsert_chat(chat, type="private", language="ru", now=NOW)
        await store.add_subscription(chat, topic, now=NOW)
        if chat % 3 == 0:
            await store.set_digest_times(chat, [480], next_at=NOW + 3600, now=NOW)
    for n in range(4):
        await store.store_items(
            feed, [draft(f"i{n}", (topic,))], now=NOW, check=CHECK, queue=True, push_limit=20
        )
    rng = random.Random(5)
    instant = [e.id for e in await store.pending_outbox(NOW, 1000)]
    for outbox_id in rng.sample(instant, 25):  # some wait for quiet hours, some for a retry
        error = QUIET_HOURS if outbox_id % 2 else "retry"
        await store.postpone_delivery(outbox_id, not_before=NOW + rng.choice([5, 50]), error=error)

    def oracle(now: float, limit: int) -> list[int]:
        with closing(sqlite3.connect(tmp_path / "scale.db")) as conn:
            rows = conn.execute(
                """SELECT id FROM outbox WHERE status = 'pending' AND not_before <= ?
                   ORDER BY id LIMIT ?""",
                (now, limit),
            ).fetchall()
        return [int(r[0]) for r in rows]

    with closing(sqlite3.connect(tmp_path / "scale.db")) as conn:
        (held,) = conn.execute(
            "SELECT count(*) FROM outbox WHERE not_before = ?", (HELD_FOR_DIGEST,)
        ).fetchone()
    assert held == 40  # 10 digest chats x 4 items, between the others
    for now in (NOW, NOW + 10, NOW + 60):
        assert [e.id for e in await store.pending_outbox(now, 7)] == oracle(now, 7)
        assert [e.id for e in await store.pending_outbox(now, 1000)] == oracle(now, 1000)
    expected = oracle(NOW + 10, 1000)
    claimed: list[int] = []
    while batch := await store.claim_deliveries(NOW + 10, 7):
        claimed += [e.id for e in batch]
    assert claimed == expected and len(expected) > 7


async def test_mysubs_are_listed_in_the_order_sqlite_sorts_them(
    store: Storage, tmp_path: Path
) -> None:
    slugs = ["sport", "Asia", "économie", "ёлки", "asia-central", "Z", "я", "a_b", "ab"]
    await store.upsert_chat(1, type="supergroup", language="ru", now=NOW)
    for n, slug in enumerate(slugs):
        topic = await store.sync_topic(slug, slug, slug, [])
        await store.add_subscription(1, topic.id, now=NOW, thread_id=(0, 7, 3)[n % 3])
    with closing(sqlite3.connect(tmp_path / "scale.db")) as conn:
        expected = conn.execute(
            """SELECT s.thread_id, t.slug FROM subscriptions s JOIN topics t ON t.id = s.topic_id
               WHERE s.chat_id = 1 ORDER BY s.thread_id, t.slug"""
        ).fetchall()
    found = [(s.thread_id, s.topic.slug) for s in await store.subscriptions(1)]
    assert found == [tuple(row) for row in expected] and len(found) == len(slugs)


async def test_migration_010_fills_the_topic_lists_of_a_database_with_items(
    tmp_path: Path,
) -> None:
    """A database of schema 9 with items filed under topics the old way, opened: each keeps
    its topics, with its sort time and documents flag, and the lists read them."""
    path = tmp_path / "old.db"
    async with aiosqlite.connect(path, isolation_level=None) as conn:
        await migrate(conn, migrations()[:9])
        await conn.executescript(
            """INSERT INTO topics (id, slug, name_ru, name_en) VALUES (1, 'a', 'А', 'A'),
                                                                     (2, 'b', 'Б', 'B');
               INSERT INTO feeds (id, url, title, interval_seconds, next_check_at, created_at)
                   VALUES (1, 'https://e.x/rss', 'F', 60, 0, 0);
               INSERT INTO items (id, feed_id, key, title, published_at, fetched_at, documents,
                                  story_id)
                   VALUES (1, 1, 'k1', 'one', 500, 100, '[]', 1),
                          (2, 1, 'k2', 'two', NULL, 300, '[{"title": "D"}]', 2),
                          (3, 1, 'k3', 'three', 200, 400, '[]', 3);
               INSERT INTO item_topics (item_id, topic_id) VALUES (1, 1), (2, 1), (3, 1), (2, 2);"""
        )
    storage = await open_storage(path)
    try:
        assert [i.key for i in await storage.latest_items(1, 5)] == ["k1", "k2", "k3"]
        assert [i.key for i in await storage.latest_items(2, 5)] == ["k2"]
        assert [i.key for i in await storage.latest_with_documents(1, 5)] == ["k2"]
    finally:
        await storage.close()
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute(
            "SELECT item_id, topic_id, sort_time, with_documents FROM item_topics ORDER BY 1, 2"
        ).fetchall()
    assert rows == [(1, 1, 500.0, 0), (2, 1, 300.0, 1), (2, 2, 300.0, 1), (3, 1, 200.0, 0)]


async def test_an_item_topic_row_without_its_sort_time_is_refused(
    store: Storage, tmp_path: Path
) -> None:
    """A writer that files an item the old way fails loudly instead of listing it last."""
    topic = (await store.sync_topic("asia", "Азия", "Asia", [])).id
    await store_drafts(store, await add_feed(store), [draft("a", ())])
    with (
        closing(sqlite3.connect(tmp_path / "scale.db")) as conn,
        pytest.raises(sqlite3.IntegrityError, match="NOT NULL"),
    ):
        conn.execute("INSERT INTO item_topics (item_id, topic_id) VALUES (1, ?)", (topic,))


async def add_one(store: Storage, url: str) -> int | FeedExistsError:
    try:
        feed = await store.add_feed(
            url, title="F", interval_seconds=600, next_check_at=NOW, now=NOW
        )
    except FeedExistsError as exc:
        return exc
    return feed.id


async def test_two_add_feed_of_one_address_at_once_add_it_once(store: Storage) -> None:
    url = "https://e.x/same.xml"
    results = await asyncio.gather(*(add_one(store, url) for _ in range(2)))
    added = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, FeedExistsError)]
    assert len(added) == 1 and len(refused) == 1
    assert refused[0].feed.id == added[0] and refused[0].feed.url == url
    assert [f.id for f in await store.feeds()] == added


async def test_two_writers_adding_one_address_at_once_add_it_once(tmp_path: Path) -> None:
    """The transaction decides, not the one writer's lock: two storages on one file."""
    path = tmp_path / "two.db"
    first, second = await open_storage(path), await open_storage(path)
    try:
        url = "https://e.x/same.xml"
        results = await asyncio.gather(add_one(first, url), add_one(second, url))
        assert sorted(type(r).__name__ for r in results) == ["FeedExistsError", "int"]
        assert len(await first.feeds()) == 1
    finally:
        await first.close()
        await second.close()
