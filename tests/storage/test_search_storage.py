"""The search index in storage, on a real SQLite file: items enter it as they are stored,
move when a feed rewrites them, leave it with their feed, and the ones stored before it
existed are indexed by the backlog job; results come newest first, a page at a time."""

from __future__ import annotations

import asyncio
import dataclasses
import re
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.search import index_document, match_expression, parse_query
from handlers.search import index_some
from storage import FeedCheck, ItemDraft, Storage, StoreOutcome, open_storage
from storage.db import migrate, migrations
from storage.store import (
    LATEST_PAGE_SQL,
    LATEST_TOPIC_PAGE_SQL,
    SEARCH_COUNT_SQL,
    SEARCH_KEPT,
    SEARCH_PAGE_SQL,
    UNINDEXED_SQL,
)

NOW = 1_800_000_000.0
CHECK = FeedCheck(next_check_at=NOW + 600)
DAY = 86400.0


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
async def store(db: Path) -> AsyncIterator[Storage]:
    storage = await open_storage(db)
    yield storage
    await storage.close()


def draft(key: str, title: str, text: str = "", *, published: float | None = None) -> ItemDraft:
    """An item as the reader makes it: with its search keys."""
    doc = index_document(title, text)
    return ItemDraft(
        key=key,
        url=f"https://news.example/{key}",
        title=title,
        published_at=published,
        text=text,
        fingerprint=f"{title}|{text}",
        search=(doc.words, doc.keys),
    )


async def feed(store: Storage, name: str = "a") -> int:
    added = await store.add_feed(
        f"https://{name}.example/rss", title=name, interval_seconds=600, next_check_at=NOW, now=NOW
    )
    return added.id


async def put(
    store: Storage, feed_id: int, drafts: list[ItemDraft], *, now: float = NOW
) -> StoreOutcome:
    return await store.store_items(
        feed_id, drafts, now=now, check=CHECK, queue=False, push_limit=20
    )


async def titles(store: Storage, text: str, *, offset: int = 0, limit: int = 20) -> list[str]:
    newest = await store.newest_item_id()
    match = match_expression(parse_query(text))
    items = await store.search_items(match, newest_item=newest, offset=offset, limit=limit)
    return [item.title for item in items]


async def count(store: Storage, text: str, newest: int | None = None) -> int:
    newest = await store.newest_item_id() if newest is None else newest
    return await store.search_count(match_expression(parse_query(text)), newest_item=newest)


def index_rows(db: Path) -> int:
    """Rows in the FTS5 table itself, whatever they hold."""
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM item_search").fetchone()[0])


async def test_search_finds_inflected_forms(store: Storage) -> None:
    a = await feed(store)
    await put(
        store,
        a,
        [
            draft("1", "Делегация Таджикистана прибыла", published=NOW - 3 * DAY),
            draft(
                "2",
                "Переговоры",
                "Развитие таджикско-казахстанских отношений.",
                published=NOW - 2 * DAY,
            ),
            draft("3", "Погода в Астане", "Снег.", published=NOW - DAY),
        ],
    )
    assert await titles(store, "Таджикистан") == ["Переговоры", "Делегация Таджикистана прибыла"]
    assert await count(store, "Таджикистан") == 2
    assert await titles(store, '"таджикско-казахстанских отношений"') == ["Переговоры"]
    assert await titles(store, "Бишкек") == []


async def test_newest_first_by_publication_date_not_arrival(store: Storage) -> None:
    a = await feed(store)
    await put(store, a, [draft("new", "Саммит: новое", published=NOW - DAY)])
    # A feed added late brings older news after it; an undated item counts from its arrival.
    await put(
        store,
        a,
        [
            draft("old", "Саммит: старое", published=NOW - 30 * DAY),
            draft("undated", "Саммит: без даты"),
        ],
        now=NOW + 60,
    )
    assert await titles(store, "саммит") == ["Саммит: без даты", "Саммит: новое", "Саммит: старое"]


async def test_a_date_long_after_arrival_is_not_believed(store: Storage) -> None:
    a = await feed(store)
    await put(store, a, [draft("future", "Саммит в 2099 году", published=NOW + 100 * 365 * DAY)])
    await put(store, a, [draft("later", "Саммит позже")], now=NOW + 3600)
    assert await titles(store, "саммит") == ["Саммит позже", "Саммит в 2099 году"]
    # A day of clock skew is believed.
    await put(store, a, [draft("soon", "Саммит завтра", published=NOW + 3600 + 20 * 3600)])
    assert (await titles(store, "саммит"))[0] == "Саммит завтра"


async def test_a_rewritten_item_is_found_by_its_new_words_only_and_once(
    store: Storage, db: Path
) -> None:
    a = await feed(store)
    await put(store, a, [draft("1", "Переговоры в Астане", published=NOW - 5 * DAY)])
    await put(store, a, [draft("2", "Переговоры в Бишкеке", published=NOW - 2 * DAY)])
    outcome = await put(
        store, a, [draft("1", "Переговоры в Душанбе", published=NOW - DAY)], now=NOW + 60
    )
    assert outcome.updated == 1
    assert await titles(store, "Астана") == []
    assert await titles(store, "Душанбе") == ["Переговоры в Душанбе"]
    # Its new date moved it ahead, and it is there once.
    assert await titles(store, "переговоры") == ["Переговоры в Душанбе", "Переговоры в Бишкеке"]
    assert index_rows(db) == 2


async def test_items_of_a_removed_feed_leave_the_index(store: Storage, db: Path) -> None:
    a, b = await feed(store, "a"), await feed(store, "b")
    await put(store, a, [draft("1", "Саммит в Астане"), draft("2", "Саммит в Бишкеке")])
    await put(store, b, [draft("3", "Саммит в Душанбе")])
    assert await store.remove_feed(a)
    assert await titles(store, "саммит") == ["Саммит в Душанбе"]
    assert index_rows(db) == 1
    # A new item may take the id of the last one removed: it is found, and only it.
    await store.remove_feed(b)
    c = await feed(store, "c")
    await put(store, c, [draft("4", "Погода")])
    assert await titles(store, "саммит") == [] and await titles(store, "погода") == ["Погода"]


async def test_results_page_and_stop_at_the_newest_item_of_the_search(store: Storage) -> None:
    a = await feed(store)
    await put(
        store, a, [draft(str(n), f"Саммит {n}", published=NOW - (20 - n) * 60) for n in range(12)]
    )
    newest = await store.newest_item_id()
    assert await titles(store, "саммит", offset=0, limit=5) == [
        f"Саммит {n}" for n in (11, 10, 9, 8, 7)
    ]
    assert await titles(store, "саммит", offset=10, limit=5) == ["Саммит 1", "Саммит 0"]
    await put(store, a, [draft("late", "Саммит поздний", published=NOW - 30 * 60)], now=NOW + 1)
    assert await count(store, "саммит") == 13
    # The search made before it neither counts nor shows it, though it sorts among the others.
    assert await count(store, "саммит", newest) == 12
    match = match_expression(parse_query("саммит"))
    kept = await store.search_items(match, newest_item=newest, offset=0, limit=20)
    assert "Саммит поздний" not in [i.title for i in kept] and len(kept) == 12


async def test_items_stored_without_keys_wait_for_the_backlog(store: Storage, db: Path) -> None:
    a = await feed(store)
    plain = [dataclasses.replace(draft(str(n), f"Саммит {n}"), search=None) for n in range(5)]
    await put(store, a, plain)
    assert await count(store, "саммит") == 0
    pending = await store.unindexed_items(10)
    assert [row[2] for row in pending] == [f"Саммит {n}" for n in (4, 3, 2, 1, 0)]  # newest first
    assert await index_some(store, None, limit=2) == 2
    assert await titles(store, "саммит") == ["Саммит 4", "Саммит 3"]
    assert await index_some(store, None) == 3
    assert await index_some(store, None) == 0
    assert await count(store, "саммит") == 5 and index_rows(db) == 5


async def test_the_backlog_never_indexes_an_item_that_changed_meanwhile(
    store: Storage, db: Path
) -> None:
    a = await feed(store)
    await put(store, a, [dataclasses.replace(draft("1", "Саммит в Астане"), search=None)])
    rows = await store.unindexed_items(10)
    rewritten = dataclasses.replace(draft("1", "Саммит в Душанбе"), search=None)
    await put(store, a, [rewritten], now=NOW + 60)
    stale = [(i, fp, *vars(index_document(title, text)).values()) for i, fp, title, text in rows]
    assert await store.index_items(stale) == 0  # read before the rewrite: left alone
    assert await count(store, "Астана") == 0
    assert await index_some(store, None) == 1
    assert await titles(store, "Душанбе") == ["Саммит в Душанбе"]
    assert await titles(store, "Астана") == []
    # Indexed already: offered again, it is left alone too (no second row).
    assert await store.index_items(stale) == 0 and index_rows(db) == 1


async def test_a_database_from_before_search_is_indexed_after_the_migration(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    async with aiosqlite.connect(path, isolation_level=None) as conn:
        await migrate(conn, migrations()[:5])
        await conn.execute(
            "INSERT INTO feeds (id, url, title, interval_seconds, next_check_at, created_at)"
            " VALUES (1, 'https://a.example/rss', 'A', 600, 0, 0)"
        )
        await conn.executemany(
            """INSERT INTO items (feed_id, key, title, text, published_at, fetched_at,
                                  fingerprint) VALUES (1, ?, ?, ?, ?, ?, ?)""",
            [
                ("1", "Делегация Таджикистана", "Визит.", NOW - DAY, NOW, "f1"),
                ("2", "Погода", "Таджикско-казахстанская граница: снег.", NOW, NOW, "f2"),
            ],
        )
    store = await open_storage(path)
    try:
        assert await count(store, "Таджикистан") == 0
        assert len(await store.unindexed_items(10)) == 2
        assert await index_some(store, None) == 2
        assert await titles(store, "Таджикистан") == ["Погода", "Делегация Таджикистана"]
    finally:
        await store.close()


async def test_a_search_is_kept_for_its_pages_and_forgotten_later(store: Storage) -> None:
    first = await store.add_search(42, "саммит", newest_item=7, now=NOW)
    saved = await store.saved_search(first)
    assert saved is not None
    assert (saved.id, saved.chat_id, saved.query, saved.newest_item) == (first, 42, "саммит", 7)
    assert await store.saved_search(first + 1000) is None
    second = await store.add_search(42, "Астана", newest_item=9, now=NOW + SEARCH_KEPT - 1)
    assert await store.saved_search(first) is not None  # not yet
    await store.add_search(43, "x", newest_item=9, now=NOW + SEARCH_KEPT + 1)
    assert await store.saved_search(first) is None
    assert await store.saved_search(second) is not None


async def test_latest_pages_stay_put_while_news_arrives(store: Storage) -> None:
    a = await feed(store)
    await put(
        store, a, [draft(str(n), f"Новость {n}", published=NOW - (9 - n) * 60) for n in range(9)]
    )
    newest = await store.newest_item_id()
    page = await store.latest_page(None, newest_item=newest, offset=5, limit=5)
    assert [i.title for i in page] == [f"Новость {n}" for n in (3, 2, 1, 0)]
    await put(store, a, [draft("x", "Новость свежая", published=NOW)], now=NOW + 1)
    again = await store.latest_page(None, newest_item=newest, offset=5, limit=5)
    assert again == page


def plan(path: str, sql: str, params: tuple[Any, ...]) -> str:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    return " | ".join(str(r[-1]) for r in rows)


# FTS5's plan flags: the index hands out rows by rowid, descending (fts5_index.c's
# FTS5_BI_ORDER_ROWID and FTS5_BI_ORDER_DESC).
_BY_ROWID_DESC = 0x40 | 0x80


async def test_hot_queries_use_their_indexes(store: Storage, db: Path) -> None:
    """Each walks an index in the order it returns rows and stops at the page: none sorts
    what it found."""
    match = match_expression(parse_query("саммит"))
    steps = plan(str(db), SEARCH_PAGE_SQL, (match, 10, 5, 0))
    flags = re.search(r"SCAN item_search VIRTUAL TABLE INDEX (\d+):", steps)
    assert flags is not None and int(flags.group(1)) & _BY_ROWID_DESC == _BY_ROWID_DESC, steps
    assert "FOR ORDER BY" not in steps, steps
    for sql, params, index in [
        (SEARCH_COUNT_SQL, (match, 10), "VIRTUAL TABLE INDEX"),
        (LATEST_PAGE_SQL, (10, 6, 0), "USING INDEX items_newest_first"),
        (LATEST_TOPIC_PAGE_SQL, (1, 10, 6, 0), "USING COVERING INDEX item_topics_newest"),
        (UNINDEXED_SQL, (5,), "items_unindexed"),
    ]:
        steps = plan(str(db), sql, params)
        assert index in steps and "FOR ORDER BY" not in steps, steps


HOSTILE = st.text(
    alphabet=st.sampled_from([*"саммит Астана\"«»“”„*^:()-+'’@#NEARORANDNOT{}\\", "🙂", "\u202e"]),
    max_size=80,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(typed=HOSTILE)
def test_hostile_queries_run_against_the_real_index(tmp_path: Path, typed: str) -> None:
    path = tmp_path / "h.db"
    if not path.exists():

        async def make() -> None:
            storage = await open_storage(path)
            feed_id = await feed(storage)
            await put(storage, feed_id, [draft("1", "Саммит в Астане", "O’Brien пришёл.")])
            await storage.close()

        asyncio.run(make())
    query = parse_query(typed)
    if query:
        with sqlite3.connect(path) as conn:
            conn.execute(
                "SELECT count(*) FROM item_search WHERE item_search MATCH ?",
                (match_expression(query),),
            ).fetchone()
