"""The one gateway to the database: every SQL statement of newsbot lives in this class.

Queries are nouns (`due_feeds`), commands are verbs (`add_subscription`, `mark_sent`).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from storage.db import connect
from storage.models import Chat, Feed, Item, ItemDraft, OutboxEntry, Subscription, Topic

_FEED_COLUMNS = """
    f.id, f.url, f.title, f.enabled, f.fulltext, f.etag, f.last_modified, f.interval_seconds,
    f.next_check_at, f.primed, f.error_count, f.last_error, f.last_checked_at, f.last_ok_at,
    f.added_by, (SELECT group_concat(topic_id) FROM feed_topics WHERE feed_id = f.id) AS topic_ids
"""

_ITEM_COLUMNS = """
    i.id, i.feed_id, f.title AS feed_title, i.key, i.url, i.title, i.published_at, i.fetched_at,
    i.lang, i.text, i.summary, i.documents, i.entities, i.is_summit
"""


class FeedExistsError(Exception):
    """A feed with this URL is already followed."""

    def __init__(self, feed: Feed) -> None:
        super().__init__(feed.url)
        self.feed = feed


async def open_storage(path: str | Path) -> Storage:
    """The production opener: connect, migrate, and wrap the connection."""
    return Storage(await connect(path))


class Storage:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        # One connection is shared by every coroutine: transactions must not interleave.
        self._write_lock = asyncio.Lock()

    async def close(self) -> None:
        await self._conn.close()

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._write_lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            await self._conn.execute("COMMIT")

    async def _all(self, sql: str, params: Sequence[Any] = ()) -> list[aiosqlite.Row]:
        async with self._conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def _one(self, sql: str, params: Sequence[Any] = ()) -> aiosqlite.Row | None:
        async with self._conn.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def _write_one(self, sql: str, params: Sequence[Any] = ()) -> aiosqlite.Row | None:
        """Run one writing statement with RETURNING inside its own transaction."""
        async with self._transaction() as conn, conn.execute(sql, params) as cursor:
            return await cursor.fetchone()

    # --- topics -------------------------------------------------------------------------

    async def sync_topic(
        self, slug: str, name_ru: str, name_en: str, keywords: Sequence[str]
    ) -> Topic:
        """Create the topic or bring its names and keywords up to date."""
        row = await self._write_one(
            """INSERT INTO topics (slug, name_ru, name_en, keywords) VALUES (?, ?, ?, ?)
               ON CONFLICT (slug) DO UPDATE SET name_ru = excluded.name_ru,
                   name_en = excluded.name_en, keywords = excluded.keywords
               RETURNING id, slug, name_ru, name_en, keywords""",
            (slug, name_ru, name_en, json.dumps(list(keywords), ensure_ascii=False)),
        )
        assert row is not None
        return _topic(row)

    async def topics(self) -> list[Topic]:
        rows = await self._all(
            "SELECT id, slug, name_ru, name_en, keywords FROM topics ORDER BY slug"
        )
        return [_topic(r) for r in rows]

    async def topic(self, slug: str) -> Topic | None:
        row = await self._one(
            "SELECT id, slug, name_ru, name_en, keywords FROM topics WHERE slug = ?", (slug,)
        )
        return _topic(row) if row else None

    # --- feeds --------------------------------------------------------------------------

    async def add_feed(
        self,
        url: str,
        *,
        title: str,
        interval_seconds: int,
        next_check_at: float,
        now: float,
        fulltext: bool = False,
        added_by: int | None = None,
        topic_ids: Iterable[int] = (),
    ) -> Feed:
        existing = await self.feed_by_url(url)
        if existing is not None:
            raise FeedExistsError(existing)
        async with self._transaction() as conn:
            cursor = await conn.execute(
                """INSERT INTO feeds (url, title, fulltext, interval_seconds, next_check_at,
                                      added_by, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (url, title, int(fulltext), interval_seconds, next_check_at, added_by, now),
            )
            feed_id = cursor.lastrowid
            await conn.executemany(
                "INSERT OR IGNORE INTO feed_topics (feed_id, topic_id) VALUES (?, ?)",
                [(feed_id, t) for t in topic_ids],
            )
        assert feed_id is not None
        feed = await self.feed(feed_id)
        assert feed is not None
        return feed

    async def feed(self, feed_id: int) -> Feed | None:
        row = await self._one(f"SELECT {_FEED_COLUMNS} FROM feeds f WHERE f.id = ?", (feed_id,))
        return _feed(row) if row else None

    async def feed_by_url(self, url: str) -> Feed | None:
        row = await self._one(f"SELECT {_FEED_COLUMNS} FROM feeds f WHERE f.url = ?", (url,))
        return _feed(row) if row else None

    async def feeds(self) -> list[Feed]:
        return [
            _feed(r) for r in await self._all(f"SELECT {_FEED_COLUMNS} FROM feeds f ORDER BY f.id")
        ]

    async def due_feeds(self, now: float, limit: int = 50) -> list[Feed]:
        """Enabled feeds whose next check has come, the longest-waiting first."""
        rows = await self._all(
            f"""SELECT {_FEED_COLUMNS} FROM feeds f
                WHERE f.enabled = 1 AND f.next_check_at <= ?
                ORDER BY f.next_check_at, f.id LIMIT ?""",
            (now, limit),
        )
        return [_feed(r) for r in rows]

    async def remove_feed(self, feed_id: int) -> bool:
        async with self._transaction() as conn:
            cursor = await conn.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))
        return cursor.rowcount > 0

    async def record_feed_success(
        self,
        feed_id: int,
        *,
        now: float,
        next_check_at: float,
        title: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        """A check went well: keep the cache validators, clear the error, prime the feed."""
        async with self._transaction() as conn:
            await conn.execute(
                """UPDATE feeds SET title = coalesce(nullif(?, ''), title),
                       etag = coalesce(?, etag), last_modified = coalesce(?, last_modified),
                       next_check_at = ?, last_checked_at = ?, last_ok_at = ?,
                       error_count = 0, last_error = NULL, primed = 1
                   WHERE id = ?""",
                (title, etag, last_modified, next_check_at, now, now, feed_id),
            )

    async def record_feed_failure(
        self, feed_id: int, *, error: str, now: float, next_check_at: float
    ) -> None:
        async with self._transaction() as conn:
            await conn.execute(
                """UPDATE feeds SET error_count = error_count + 1, last_error = ?,
                       last_checked_at = ?, next_check_at = ?
                   WHERE id = ?""",
                (error[:500], now, next_check_at, feed_id),
            )

    # --- items --------------------------------------------------------------------------

    async def add_items(
        self, feed_id: int, drafts: Sequence[ItemDraft], now: float
    ) -> dict[str, int]:
        """Store the items this feed did not have yet; return {key: id} of the new rows."""
        new_ids: dict[str, int] = {}
        async with self._transaction() as conn:
            for d in drafts:
                async with conn.execute(
                    """INSERT INTO items (feed_id, key, url, title, published_at, fetched_at,
                           lang, text, summary, documents, entities, is_summit)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                       ON CONFLICT (feed_id, key) DO NOTHING
                       RETURNING id""",
                    (
                        feed_id,
                        d.key,
                        d.url,
                        d.title,
                        d.published_at,
                        now,
                        d.lang,
                        d.text,
                        d.summary,
                        json.dumps(d.documents, ensure_ascii=False),
                        json.dumps(d.entities, ensure_ascii=False),
                        int(d.is_summit),
                    ),
                ) as cursor:
                    row = await cursor.fetchone()
                if row is not None:
                    new_ids[d.key] = int(row[0])
        return new_ids

    async def known_item_keys(self, feed_id: int, keys: Sequence[str]) -> set[str]:
        """Which of these keys the feed already has (so only new entries are read)."""
        if not keys:
            return set()
        marks = ",".join("?" * len(keys))
        rows = await self._all(
            f"SELECT key FROM items WHERE feed_id = ? AND key IN ({marks})", (feed_id, *keys)
        )
        return {r[0] for r in rows}

    async def item(self, item_id: int) -> Item | None:
        row = await self._one(
            f"SELECT {_ITEM_COLUMNS} FROM items i JOIN feeds f ON f.id = i.feed_id WHERE i.id = ?",
            (item_id,),
        )
        return _item(row) if row else None

    async def latest_items(self, topic_id: int | None = None, limit: int = 3) -> list[Item]:
        """The newest stored items, by publication date where known, else by arrival."""
        if topic_id is None:
            return await self._newest("", [], limit)
        where = "WHERE i.id IN (SELECT item_id FROM item_topics WHERE topic_id = ?)"
        return await self._newest(where, [topic_id], limit)

    async def latest_summit(self) -> Item | None:
        """The newest item the reader took for official talks, a visit or a summit."""
        items = await self._newest("WHERE i.is_summit = 1", [], 1)
        return items[0] if items else None

    async def latest_with_documents(
        self, topic_id: int | None = None, limit: int = 3
    ) -> list[Item]:
        """The newest items that list signed documents, optionally within one topic."""
        where, params = "WHERE i.documents != '[]'", []
        if topic_id is not None:
            where += " AND i.id IN (SELECT item_id FROM item_topics WHERE topic_id = ?)"
            params = [topic_id]
        return await self._newest(where, params, limit)

    async def _newest(self, where: str, params: list[Any], limit: int) -> list[Item]:
        rows = await self._all(
            f"""SELECT {_ITEM_COLUMNS} FROM items i JOIN feeds f ON f.id = i.feed_id {where}
                ORDER BY coalesce(i.published_at, i.fetched_at) DESC, i.id DESC LIMIT ?""",
            [*params, limit],
        )
        return [_item(r) for r in rows]

    async def tag_item(self, item_id: int, topic_ids: Iterable[int]) -> None:
        async with self._transaction() as conn:
            await conn.executemany(
                "INSERT OR IGNORE INTO item_topics (item_id, topic_id) VALUES (?, ?)",
                [(item_id, t) for t in topic_ids],
            )

    # --- chats and subscriptions --------------------------------------------------------

    async def upsert_chat(self, chat_id: int, *, type: str, language: str, now: float) -> Chat:
        """Register the chat (or re-activate it: writing to the bot again undoes a block)."""
        row = await self._write_one(
            """INSERT INTO chats (id, type, language, created_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (id) DO UPDATE SET type = excluded.type, active = 1
               RETURNING id, type, language, active""",
            (chat_id, type, language, now),
        )
        assert row is not None
        return _chat(row)

    async def chat(self, chat_id: int) -> Chat | None:
        row = await self._one(
            "SELECT id, type, language, active FROM chats WHERE id = ?", (chat_id,)
        )
        return _chat(row) if row else None

    async def deactivate_chat(self, chat_id: int) -> None:
        """The bot was blocked or removed: stop sending there and drop what was queued."""
        async with self._transaction() as conn:
            await conn.execute("UPDATE chats SET active = 0 WHERE id = ?", (chat_id,))
            await conn.execute(
                """UPDATE outbox SET status = 'failed', last_error = 'chat inactive'
                   WHERE chat_id = ? AND status = 'pending'""",
                (chat_id,),
            )

    async def add_subscription(
        self, chat_id: int, topic_id: int, *, now: float, thread_id: int = 0, mode: str = "instant"
    ) -> bool:
        """Subscribe; False when the chat was already subscribed there."""
        async with self._transaction() as conn:
            cursor = await conn.execute(
                """INSERT INTO subscriptions (chat_id, thread_id, topic_id, mode, created_at)
                   VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                (chat_id, thread_id, topic_id, mode, now),
            )
        return cursor.rowcount > 0

    async def remove_subscription(self, chat_id: int, topic_id: int, *, thread_id: int = 0) -> bool:
        async with self._transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM subscriptions WHERE chat_id = ? AND thread_id = ? AND topic_id = ?",
                (chat_id, thread_id, topic_id),
            )
        return cursor.rowcount > 0

    async def subscriptions(self, chat_id: int) -> list[Subscription]:
        rows = await self._all(
            """SELECT s.chat_id, s.thread_id, s.mode, t.id, t.slug, t.name_ru, t.name_en, t.keywords
               FROM subscriptions s JOIN topics t ON t.id = s.topic_id
               WHERE s.chat_id = ? ORDER BY s.thread_id, t.slug""",
            (chat_id,),
        )
        return [
            Subscription(r["chat_id"], r["thread_id"], _topic(r, offset=3), r["mode"]) for r in rows
        ]

    # --- outbox -------------------------------------------------------------------------

    async def enqueue_item(self, item_id: int, topic_ids: Sequence[int], now: float) -> int:
        """Queue the item once for every active chat (and thread) subscribed to its topics."""
        if not topic_ids:
            return 0
        marks = ",".join("?" * len(topic_ids))
        async with self._transaction() as conn:
            cursor = await conn.execute(
                f"""INSERT INTO outbox (chat_id, thread_id, item_id, created_at)
                    SELECT DISTINCT s.chat_id, s.thread_id, ?, ?
                    FROM subscriptions s JOIN chats c ON c.id = s.chat_id
                    WHERE c.active = 1 AND s.mode = 'instant' AND s.topic_id IN ({marks})
                    ON CONFLICT DO NOTHING""",
                (item_id, now, *topic_ids),
            )
        return cursor.rowcount

    async def pending_outbox(self, now: float, limit: int = 20) -> list[OutboxEntry]:
        """Deliveries due now, oldest first."""
        rows = await self._all(
            f"""SELECT o.id AS outbox_id, o.chat_id, o.thread_id, o.attempts,
                       c.language AS chat_language, {_ITEM_COLUMNS}
                FROM outbox o JOIN chats c ON c.id = o.chat_id
                     JOIN items i ON i.id = o.item_id JOIN feeds f ON f.id = i.feed_id
                WHERE o.status = 'pending' AND o.not_before <= ?
                ORDER BY o.id LIMIT ?""",
            (now, limit),
        )
        return [
            OutboxEntry(
                r["outbox_id"],
                r["chat_id"],
                r["thread_id"],
                r["attempts"],
                r["chat_language"],
                _item(r),
            )
            for r in rows
        ]

    async def next_outbox_time(self) -> float | None:
        """When the earliest pending delivery becomes due, or None when nothing is pending."""
        row = await self._one("SELECT min(not_before) FROM outbox WHERE status = 'pending'")
        return None if row is None or row[0] is None else float(row[0])

    async def outbox_counts(self) -> dict[str, int]:
        rows = await self._all("SELECT status, count(*) FROM outbox GROUP BY status")
        return {r[0]: int(r[1]) for r in rows}

    async def mark_sent(self, outbox_id: int, *, message_id: int, now: float) -> None:
        async with self._transaction() as conn:
            await conn.execute(
                """UPDATE outbox SET status = 'sent', message_id = ?, sent_at = ?,
                       attempts = attempts + 1, last_error = NULL
                   WHERE id = ?""",
                (message_id, now, outbox_id),
            )

    async def postpone_delivery(self, outbox_id: int, *, not_before: float, error: str) -> None:
        async with self._transaction() as conn:
            await conn.execute(
                """UPDATE outbox SET attempts = attempts + 1, not_before = ?, last_error = ?
                   WHERE id = ?""",
                (not_before, error[:500], outbox_id),
            )

    async def mark_failed(self, outbox_id: int, *, error: str) -> None:
        async with self._transaction() as conn:
            await conn.execute(
                """UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?
                   WHERE id = ?""",
                (error[:500], outbox_id),
            )


def _topic(row: aiosqlite.Row, offset: int = 0) -> Topic:
    return Topic(
        id=row[offset],
        slug=row[offset + 1],
        name_ru=row[offset + 2],
        name_en=row[offset + 3],
        keywords=tuple(json.loads(row[offset + 4])),
    )


def _feed(row: aiosqlite.Row) -> Feed:
    topic_ids = row["topic_ids"]
    return Feed(
        id=row["id"],
        url=row["url"],
        title=row["title"],
        enabled=bool(row["enabled"]),
        fulltext=bool(row["fulltext"]),
        etag=row["etag"],
        last_modified=row["last_modified"],
        interval_seconds=row["interval_seconds"],
        next_check_at=row["next_check_at"],
        primed=bool(row["primed"]),
        error_count=row["error_count"],
        last_error=row["last_error"],
        last_checked_at=row["last_checked_at"],
        last_ok_at=row["last_ok_at"],
        added_by=row["added_by"],
        topic_ids=tuple(sorted(int(t) for t in topic_ids.split(","))) if topic_ids else (),
    )


def _item(row: aiosqlite.Row) -> Item:
    return Item(
        id=row["id"],
        feed_id=row["feed_id"],
        feed_title=row["feed_title"],
        key=row["key"],
        url=row["url"],
        title=row["title"],
        published_at=row["published_at"],
        fetched_at=row["fetched_at"],
        lang=row["lang"],
        text=row["text"],
        summary=row["summary"],
        documents=json.loads(row["documents"]),
        entities=json.loads(row["entities"]),
        is_summit=bool(row["is_summit"]),
    )


def _chat(row: aiosqlite.Row) -> Chat:
    return Chat(id=row[0], type=row[1], language=row[2], active=bool(row[3]))
