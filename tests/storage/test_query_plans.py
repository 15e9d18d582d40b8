"""Every hot query is served by an index: EXPLAIN QUERY PLAN over the statements Storage runs.

The statements are not copies: each hot query calls the real Storage method on connections
that write down every statement (and its parameters) they are given, and each is explained
with those parameters on the same small database, built through the production opener. With
no `sqlite_stat1` (the bot never runs ANALYZE), SQLite plans by the schema alone, so a small
database gets the plans of a large one. A plan fails on a bare SCAN of a large table, on a
walk of an index the query was not meant to walk, on an automatic index, and on a temporary
B-tree for ORDER BY; and each query must use the indexes named for it.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from bot.search import match_expression, parse_query
from storage import FeedCheck, ItemDraft, Storage, open_storage
from storage.db import connect

NOW = 1_800_000_000.0
CHECK = FeedCheck(next_check_at=NOW + 600)
BIG_TABLES = {"items", "item_topics", "outbox", "subscriptions", "chats", "story_bands"}
NOT_QUERIES = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|PRAGMA)\b", re.IGNORECASE)
KEYWORDS = {"on", "where", "join", "cross", "left", "inner", "group", "order", "limit", "set"}


class Recording:
    """An aiosqlite connection that writes down each statement it is given, then runs it."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self.statements: list[tuple[str, Any]] = []

    def execute(self, sql: str, parameters: Iterable[Any] | dict[str, Any] = ()) -> Any:
        # Named parameters stay a mapping; positional ones become a tuple.
        parameters = parameters if isinstance(parameters, dict) else tuple(parameters)
        self.statements.append((sql, parameters))
        return self._conn.execute(sql, parameters)

    def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> Any:
        rows = [tuple(row) for row in rows]
        if rows:
            self.statements.append((sql, rows[0]))
        return self._conn.executemany(sql, rows)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


@dataclass
class World:
    """The small database: what the hot queries are asked about."""

    path: Path
    storage: Storage
    writer: Recording
    reader: Recording
    topic: int
    other_topic: int
    feed: int
    chat: int
    digest_chat: int

    def statements(self) -> list[tuple[str, Any]]:
        found = [*self.writer.statements, *self.reader.statements]
        return [(sql, params) for sql, params in found if not NOT_QUERIES.match(sql)]

    def forget(self) -> None:
        self.writer.statements.clear()
        self.reader.statements.clear()


def draft(key: str, topics: tuple[int, ...], **kw: Any) -> ItemDraft:
    kw.setdefault("published_at", NOW - 3600)
    return ItemDraft(key=key, url=f"https://e.x/{key}", title=key, text="x", topic_ids=topics, **kw)


async def populate(path: Path) -> dict[str, int]:
    """Topics, feeds, items (with documents, a summit, a repeated story), chats (one taking
    digests), subscriptions and outbox rows, all through Storage."""
    storage = await open_storage(path)
    try:
        politics = await storage.sync_topic("politics", "Политика", "Politics", [])
        sport = await storage.sync_topic("sport", "Спорт", "Sport", [])
        feeds = [
            await storage.add_feed(
                f"https://e.x/{n}.xml",
                title=f"F{n}",
                interval_seconds=600,
                next_check_at=NOW - n,
                now=NOW,
                topic_ids=(politics.id,),
            )
            for n in range(3)
        ]
        chat, digest_chat = 10, 11
        for chat_id in (chat, digest_chat, 12):
            await storage.upsert_chat(chat_id, type="private", language="ru", now=NOW)
            await storage.add_subscription(chat_id, politics.id, now=NOW)
        await storage.add_subscription(chat, sport.id, now=NOW, thread_id=0)
        await storage.set_digest_times(digest_chat, [480], next_at=NOW - 1, now=NOW)
        docs = [{"title": "Соглашение", "kind": "agreement"}]
        drafts = [
            draft("a", (politics.id,), documents=docs),
            draft("b", (politics.id, sport.id), is_summit=True, published_at=None),
            draft("c", (sport.id,)),
        ]
        await storage.store_items(
            feeds[0].id, drafts, now=NOW, check=CHECK, queue=True, push_limit=20
        )
        repeat = [draft("d", (politics.id,))]
        await storage.store_items(
            feeds[1].id, repeat, now=NOW, check=CHECK, queue=True, push_limit=20
        )
        return {
            "topic": politics.id,
            "other_topic": sport.id,
            "feed": feeds[2].id,
            "chat": chat,
            "digest_chat": digest_chat,
        }
    finally:
        await storage.close()


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    path = tmp_path / "plans.db"
    ids = await populate(path)
    # The production opener's two connections, each writing down what it runs.
    writer = Recording(await connect(path))
    reader = Recording(await connect(path, read_only=True))
    storage = Storage(writer, reader)  # type: ignore[arg-type]
    try:
        yield World(path, storage, writer, reader, **ids)
    finally:
        await storage.close()


HotQuery = Callable[[World], Awaitable[object]]


async def fan_out(w: World) -> None:
    item = draft("new", (w.topic, w.other_topic))
    await w.storage.store_items(w.feed, [item], now=NOW, check=CHECK, queue=True, push_limit=20)


async def flood(w: World) -> None:
    """More new items than push_limit: "and N more" rows."""
    items = [draft(f"flood{n}", (w.topic,)) for n in range(3)]
    await w.storage.store_items(w.feed, items, now=NOW, check=CHECK, queue=True, push_limit=1)


async def rewrite(w: World) -> None:
    """A poll that brings a rewritten item and a new one, not queued."""
    items = [draft("a", (w.topic,), fingerprint="2"), draft("e", (w.other_topic,))]
    feed = (await w.storage.feeds())[0].id
    await w.storage.store_items(feed, items, now=NOW, check=CHECK, queue=False, push_limit=20)


async def sender(w: World) -> None:
    """What the sender does with a batch: claim, record a part, and each outcome."""
    claimed = await w.storage.claim_deliveries(NOW, 20)
    assert len(claimed) >= 3  # the plans below are of statements that found their rows
    await w.storage.record_part(claimed[0].id, message_id=1)
    await w.storage.mark_sent(claimed[0].id, now=NOW)
    await w.storage.postpone_delivery(claimed[1].id, not_before=NOW + 5, error="429")
    await w.storage.mark_failed(claimed[2].id, error="403")


async def digests(w: World) -> None:
    (chat,) = await w.storage.due_digests(NOW)
    assert chat.id == w.digest_chat
    await w.storage.release_digest(chat.id, now=NOW, next_at=NOW + 86400)
    await w.storage.claim_deliveries(NOW, 20)  # the digest's carrier, with its lines


@dataclass(frozen=True)
class Hot:
    name: str
    run: HotQuery
    uses: tuple[str, ...]  # plan fragments that must appear (index and constraint)


async def search(world: World) -> None:
    match = match_expression(parse_query("Казахстан"))
    await world.storage.search_count(match, newest_item=10**6)
    await world.storage.search_items(match, newest_item=10**6, offset=0, limit=5)


HOT = [
    Hot(
        "/latest",
        lambda w: w.storage.latest_page(None, newest_item=10**6, offset=5, limit=5),
        ("SCAN i USING INDEX items_newest_first", "items_story (story_id=?)"),
    ),
    Hot(
        "/latest <topic>",
        lambda w: w.storage.latest_page(w.topic, newest_item=10**6, offset=5, limit=5),
        ("item_topics_newest (topic_id=?)",),
    ),
    Hot(
        "/search, count and a page",
        search,
        ("SCAN item_search VIRTUAL TABLE INDEX",),
    ),
    Hot("/summit", lambda w: w.storage.latest_summit(), ("SCAN i USING INDEX items_summits",)),
    Hot(
        "/documents",
        lambda w: w.storage.latest_with_documents(None, 3),
        ("SCAN i USING INDEX items_with_documents",),
    ),
    Hot(
        "/documents <topic>",
        lambda w: w.storage.latest_with_documents(w.topic, 3),
        ("item_topics_documents (topic_id=?)",),
    ),
    Hot(
        "/mysubs",
        lambda w: w.storage.subscriptions(w.chat),
        ("sqlite_autoindex_subscriptions_1 (chat_id=?)",),
    ),
    Hot("/topics", lambda w: w.storage.topics(), ()),
    Hot("/feeds", lambda w: w.storage.feeds(), ("sqlite_autoindex_feed_topics_1 (feed_id=?)",)),
    Hot(
        "due feeds",
        lambda w: w.storage.due_feeds(NOW, 8, exclude=[1]),
        ("feeds_due (enabled=? AND next_check_at<?)",),
    ),
    Hot(
        "next outbox time",
        lambda w: w.storage.next_outbox_time(),
        ("outbox_pending (status=?)",),
    ),
    Hot(
        "next outbox batch, read",
        lambda w: w.storage.pending_outbox(NOW, 20),
        ("outbox_due (status=?)",),
    ),
    Hot(
        "next outbox batch, claimed and sent",
        sender,
        ("outbox_due (status=?)", "outbox_digest (digest_id=?)"),
    ),
    Hot(
        "fan-out",
        fan_out,
        (
            "subscriptions_topic (topic_id=?)",
            "items_story (story_id=?)",
            "sqlite_autoindex_outbox_1 (chat_id=? AND thread_id=? AND item_id=?)",
            "sqlite_autoindex_items_1 (feed_id=? AND key=?)",
        ),
    ),
    Hot("fan-out past push_limit", flood, ("subscriptions_topic (topic_id=?)",)),
    Hot("poll write with a rewritten item", rewrite, ("sqlite_autoindex_items_1 (feed_id=?",)),
    Hot(
        "digests due and released",
        digests,
        ("chats_next_digest (next_digest_at<?)", "sqlite_autoindex_outbox_1 (chat_id=?)"),
    ),
]


def aliases(sql: str) -> dict[str, str]:
    """Table of each name a plan may call a table by (`FROM items i` -> i: items)."""
    found: dict[str, str] = {}
    for table, alias in re.findall(r"\b(?:FROM|JOIN|UPDATE|INTO)\s+(\w+)(?:\s+(\w+))?", sql):
        found[table] = table
        if alias and alias.lower() not in KEYWORDS:
            found[alias] = table
    return found


def explain(conn: sqlite3.Connection, sql: str, params: Any) -> list[str]:
    return [str(row[3]) for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)]


def problems(sql: str, plan: list[str], allowed_walks: tuple[str, ...]) -> list[str]:
    """What is wrong with one statement's plan."""
    names = aliases(sql)
    found = []
    for line in plan:
        scan = re.match(r"SCAN (\w+)(?: USING (?:COVERING )?INDEX (\w+))?", line)
        if scan and names.get(scan.group(1)) in BIG_TABLES:
            index = scan.group(2)
            if index is None:
                found.append(f"scans a large table: {line}")
            elif not any(f"INDEX {index}" in allowed for allowed in allowed_walks):
                found.append(f"walks an index it was not meant to: {line}")
        if "TEMP B-TREE" in line and "ORDER BY" in line:
            found.append(f"sorts: {line}")
        step = re.match(r"(?:SEARCH|SCAN) (\w+)", line)
        if step and "AUTOMATIC" in line and names.get(step.group(1)) in BIG_TABLES:
            found.append(f"builds an index for the query: {line}")
    return found


def check(conn: sqlite3.Connection, world: World, hot: Hot) -> list[str]:
    """Every problem of the statements `hot` ran, and each expected fragment not seen."""
    statements = world.statements()
    assert statements, f"{hot.name} ran no statement"
    found, seen = [], []
    for sql, params in statements:
        plan = explain(conn, sql, params)
        seen.extend(plan)
        where = " ".join(sql.split())[:160]
        found += [f"{problem}\n    in {where}" for problem in problems(sql, plan, hot.uses)]
    text = "\n".join(seen)
    found += [f"does not use {fragment}" for fragment in hot.uses if fragment not in text]
    return found


@pytest.mark.parametrize("hot", HOT, ids=[h.name for h in HOT])
async def test_each_hot_query_is_served_by_an_index(world: World, hot: Hot) -> None:
    world.forget()
    await hot.run(world)
    with closing(sqlite3.connect(world.path)) as conn:
        assert check(conn, world, hot) == []


# Each index the hot queries need, and a query that must notice it gone.
DROPPED = [
    ("items_newest_first", "/latest"),
    ("items_summits", "/summit"),
    ("items_with_documents", "/documents"),
    ("item_topics_newest", "/latest <topic>"),
    ("item_topics_documents", "/documents <topic>"),
    ("outbox_due", "next outbox batch, read"),
    ("outbox_due", "next outbox batch, claimed and sent"),
    ("outbox_pending", "next outbox time"),
    ("feeds_due", "due feeds"),
    ("subscriptions_topic", "fan-out"),
    ("items_story", "fan-out"),
    ("chats_next_digest", "digests due and released"),
]


@pytest.mark.parametrize(("index", "name"), DROPPED, ids=[f"{i}-{n}" for i, n in DROPPED])
async def test_a_dropped_index_fails_the_check(world: World, index: str, name: str) -> None:
    """The check is not vacuous: without the index, the query's plan is refused."""
    (hot,) = [h for h in HOT if h.name == name]
    world.forget()
    await hot.run(world)
    with closing(sqlite3.connect(world.path, isolation_level=None)) as conn:
        conn.execute("BEGIN")
        conn.execute(f"DROP INDEX {index}")
        try:
            assert check(conn, world, hot) != []
        finally:
            conn.execute("ROLLBACK")


def test_the_checker_refuses_scans_sorts_and_unplanned_walks() -> None:
    sql = "SELECT * FROM items i JOIN feeds f ON f.id = i.feed_id"
    assert problems(sql, ["SCAN f", "SEARCH i USING INDEX x (feed_id=?)"], ()) == []
    assert problems(sql, ["SCAN i"], ()) == ["scans a large table: SCAN i"]
    assert problems("SELECT * FROM outbox", ["SCAN outbox USING COVERING INDEX y"], ()) == [
        "walks an index it was not meant to: SCAN outbox USING COVERING INDEX y"
    ]
    assert problems(sql, ["SCAN i USING INDEX z"], ("SCAN i USING INDEX z",)) == []
    assert problems(sql, ["USE TEMP B-TREE FOR RIGHT PART OF ORDER BY"], ()) != []
    assert problems(sql, ["USE TEMP B-TREE FOR DISTINCT"], ()) == []
    assert problems(sql, ["SEARCH i USING AUTOMATIC COVERING INDEX (x=?)"], ()) != []
