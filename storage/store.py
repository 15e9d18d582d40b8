"""The one gateway to the database: every SQL statement of newsbot lives in this class.

Queries are nouns (`due_feeds`), commands are verbs (`add_subscription`, `mark_sent`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from storage.db import connect
from storage.models import (
    BotStats,
    Chat,
    DeliveryStats,
    DigestLine,
    Feed,
    FeedCheck,
    Follow,
    FollowOutcome,
    Item,
    ItemDraft,
    Notice,
    NoticeText,
    OutboxEntry,
    SavedSearch,
    StoreOutcome,
    Subscription,
    Topic,
)

_FEED_COLUMNS = """
    f.id, f.url, f.title, f.enabled, f.fulltext, f.etag, f.last_modified, f.interval_seconds,
    f.next_check_at, f.primed, f.error_count, f.last_error, f.last_checked_at, f.last_ok_at,
    f.added_by, (SELECT group_concat(topic_id) FROM feed_topics WHERE feed_id = f.id) AS topic_ids,
    f.source, f.paused_reason, f.alerted, f.content_hash
"""

_ITEM_COLUMNS = """
    i.id, i.feed_id, f.title AS feed_title, i.key, i.url, i.title, i.published_at, i.fetched_at,
    i.lang, i.text, i.summary, i.documents, i.entities, i.is_summit, i.story_id,
    (SELECT json_group_array(DISTINCT f2.title) FROM items i2 JOIN feeds f2 ON f2.id = i2.feed_id
     WHERE i2.story_id = i.story_id AND i2.feed_id != i.feed_id) AS other_sources
"""
# last_error of a row waiting for its chat's quiet hours to end.
QUIET_HOURS = "quiet hours"
# not_before of a row waiting for its chat's next digest: later than any real time.
HELD_FOR_DIGEST = 1e15
# SQLite's default limit on host parameters is 32766; stay far below it.
_CHUNK = 500
# The oldest rows due now, ids only (parameters: now, limit): walks outbox_due, pending rows in
# id order without those held for a digest (the index's WHERE, matched by SQLite as text).
_DUE_IDS = f"""SELECT id FROM outbox
               WHERE status = 'pending' AND not_before != {HELD_FOR_DIGEST} AND not_before <= ?
               ORDER BY id LIMIT ?"""
# item_topics keeps, of its item, what newest-first lists of a topic sort and filter by.
_ITEM_TOPIC_KEYS = "sort_time, with_documents"
_ITEM_TOPIC_VALUES = "coalesce(published_at, fetched_at), documents != '[]'"
# How far back "the same story" is looked for.
STORY_WINDOW = 3 * 24 * 3600.0
# Search: an item's row in item_search is (minute of publication << 32) | items.id, so the
# index lists matches newest first by itself. A date more than a day after the item arrived
# is not believed (the arrival stands for it); ids stay below 2**32.
_ITEM_BITS = 0xFFFFFFFF
_SEARCH_ROW = """((CAST(max(0, CASE WHEN i.published_at IS NULL
                                     OR i.published_at > i.fetched_at + 86400
                                THEN i.fetched_at ELSE i.published_at END) / 60 AS INTEGER)
                  << 32) | i.id)"""
_NO_ITEM_LIMIT = 2**62  # an item id above every id: a page bound that leaves nothing out
SEARCH_KEPT = 30 * 24 * 3600.0  # a search's buttons work this long
SEARCH_COUNT_SQL = f"""SELECT count(*) FROM item_search
    WHERE item_search MATCH ? AND (rowid & {_ITEM_BITS}) <= ?"""
# (The page's few rows are put back in the index's order in Python: no sort in SQL.)
SEARCH_PAGE_SQL = f"""SELECT s.row AS search_row, {_ITEM_COLUMNS}
    FROM (SELECT rowid AS row FROM item_search
          WHERE item_search MATCH ? AND (rowid & {_ITEM_BITS}) <= ?
          ORDER BY rowid DESC LIMIT ? OFFSET ?) s
    JOIN items i ON i.id = (s.row & {_ITEM_BITS}) JOIN feeds f ON f.id = i.feed_id"""
# /latest's pages walk items_newest_first (migration 010) backwards and stop at the page.
LATEST_PAGE_SQL = f"""SELECT {_ITEM_COLUMNS} FROM items i JOIN feeds f ON f.id = i.feed_id
    WHERE i.story_id = i.id AND i.id <= ? AND f.by_users = 0
    ORDER BY coalesce(i.published_at, i.fetched_at) DESC, i.id DESC LIMIT ? OFFSET ?"""
UNINDEXED_SQL = """SELECT id, fingerprint, title, text FROM items WHERE indexed = 0
    ORDER BY id DESC LIMIT ?"""
# Within a topic, the topic's rows of item_topics are walked by the sort time they carry.
LATEST_TOPIC_PAGE_SQL = f"""SELECT {_ITEM_COLUMNS}
    FROM item_topics it CROSS JOIN items i ON i.id = it.item_id JOIN feeds f ON f.id = i.feed_id
    WHERE it.topic_id = ? AND i.story_id = i.id AND i.id <= ? AND f.by_users = 0
    ORDER BY it.sort_time DESC, it.item_id DESC LIMIT ? OFFSET ?"""
# Does a new item's signature belong to the same story as a stored one's?
SameStory = Callable[[bytes, bytes], bool]
# Follows: the phrases an item (id, JSON list of its keys) mentions, noted for it. One probe
# of phrase_keys' primary key per key of the item, whatever the number of phrases.
MATCH_PHRASES = """
    INSERT OR IGNORE INTO item_phrases (item_id, phrase_id)
    SELECT ?, pk.phrase_id FROM phrase_keys pk JOIN phrases p ON p.id = pk.phrase_id
    WHERE pk.key IN (SELECT value FROM json_each(?))
    GROUP BY pk.phrase_id HAVING count(DISTINCT pk.word) = max(p.words)"""
# The first followed phrase of an outbox row's chat (`o`) that its item mentions, as typed.
# (min(), not ORDER BY … LIMIT 1: an aggregate needs no sort.)
_FOLLOWED_PHRASE = """
    SELECT shown FROM follows WHERE id = (
        SELECT min(fo.id) FROM item_phrases ip JOIN follows fo ON fo.phrase_id = ip.phrase_id
        WHERE ip.item_id = o.item_id AND fo.chat_id = o.chat_id AND fo.thread_id = o.thread_id)"""
# Who gets the new items `:items` (a JSON list of ids): the subscribers of their topics, and
# (follows) the chats following a phrase they mention or the feed they came from: for the one
# "and N more" row per chat.
_RECIPIENTS = """
    SELECT it.item_id, s.chat_id, s.thread_id
    FROM item_topics it JOIN subscriptions s ON s.topic_id = it.topic_id
    WHERE it.item_id IN (SELECT value FROM json_each(:items)) AND s.mode = 'instant'
    UNION ALL
    SELECT ip.item_id, fo.chat_id, fo.thread_id
    FROM item_phrases ip JOIN follows fo ON fo.phrase_id = ip.phrase_id
    WHERE ip.item_id IN (SELECT value FROM json_each(:items))
    UNION ALL
    SELECT i.id, fo.chat_id, fo.thread_id
    FROM items i JOIN follows fo ON fo.feed_id = i.feed_id
    WHERE i.id IN (SELECT value FROM json_each(:items))"""


# The chats (chat_id, thread_id) one item (:item) is for, each kind by its own index.
_RECIPIENTS_OF_ITEM = (
    """SELECT s.chat_id, s.thread_id FROM item_topics it
       JOIN subscriptions s ON s.topic_id = it.topic_id
       WHERE it.item_id = :item AND s.mode = 'instant'""",
    """SELECT fo.chat_id, fo.thread_id FROM item_phrases ip
       JOIN follows fo ON fo.phrase_id = ip.phrase_id WHERE ip.item_id = :item""",
    """SELECT fo.chat_id, fo.thread_id FROM items fi
       JOIN follows fo ON fo.feed_id = fi.feed_id WHERE fi.id = :item""",
)
# One item queued for some recipients, unless a chat (or thread) has its story already. An
# item that began its story now (items are new here) has none of it queued anywhere yet; for
# the others, the story's few items, then one look-up each in the chat's rows (CROSS JOIN
# keeps that order), not a walk of the chat's history. A chat met twice (two topics, a topic
# and a follow) keeps its first row: ON CONFLICT.
_ENQUEUE = f"""INSERT INTO outbox (chat_id, thread_id, item_id, created_at, not_before)
    SELECT r.chat_id, r.thread_id, i.id, :now,
           CASE WHEN c.digest_times != '' THEN {HELD_FOR_DIGEST} ELSE 0 END
    FROM ({{recipients}}) r JOIN items i ON i.id = :item JOIN chats c ON c.id = r.chat_id
    WHERE c.active = 1
      AND (i.story_id = i.id OR NOT EXISTS (
          SELECT 1 FROM items oi CROSS JOIN outbox o
              ON o.chat_id = r.chat_id AND o.thread_id = r.thread_id AND o.item_id = oi.id
          WHERE oi.story_id = i.story_id))
    ON CONFLICT DO NOTHING"""


class FeedExistsError(Exception):
    """A feed with this URL is already followed."""

    def __init__(self, feed: Feed) -> None:
        super().__init__(feed.url)
        self.feed = feed


READERS = 3  # read connections beside the writer: queries at once without queueing


async def open_storage(path: str | Path, *, readers: int = READERS) -> Storage:
    """The production opener: the writer (connected and migrated first), then the readers."""
    writer = await connect(path)
    opened: list[aiosqlite.Connection] = []
    try:
        for _ in range(readers):
            opened.append(await connect(path, read_only=True))
    except BaseException:
        for conn in [*opened, writer]:
            await conn.close()
        raise
    return Storage(writer, *opened)


class Storage:
    def __init__(self, conn: aiosqlite.Connection, *readers: aiosqlite.Connection) -> None:
        self._conn = conn
        # Queries go to connections of their own (WAL lets them read beside a writing
        # transaction), so a command's query never queues behind a poll's writes; and there
        # are a few, each taken by one query at a time, so a slow query holds up no other.
        self._readers = readers or (conn,)
        self._idle: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        for reader in self._readers:
            self._idle.put_nowait(reader)
        # One writer connection is shared by every coroutine: transactions must not interleave.
        self._write_lock = asyncio.Lock()
        # Bulk writes (a feed check's items) line up here first: at most one of them waits
        # for the write lock at a time, so a command's small write waits for at most one.
        self._bulk_gate = asyncio.Lock()

    async def close(self) -> None:
        for reader in self._readers:
            if reader is not self._conn:
                await reader.close()
        await self._conn.close()

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction at a time. Whatever fails or is cancelled (BEGIN and COMMIT
        included: a cancelled await still runs its statement on aiosqlite's thread), the
        rollback is queued behind it, so no transaction is ever left open."""
        async with self._write_lock:
            try:
                await self._conn.execute("BEGIN IMMEDIATE")
                yield self._conn
                await self._conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.OperationalError):  # none open: nothing to undo
                    await self._conn.execute("ROLLBACK")
                raise

    @asynccontextmanager
    async def _reader(self) -> AsyncIterator[aiosqlite.Connection]:
        """An idle read connection, for one query."""
        reader = await self._idle.get()
        try:
            yield reader
        finally:
            self._idle.put_nowait(reader)

    async def _all(self, sql: str, params: Sequence[Any] = ()) -> list[aiosqlite.Row]:
        async with self._reader() as reader, reader.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def _one(self, sql: str, params: Sequence[Any] = ()) -> aiosqlite.Row | None:
        async with self._reader() as reader, reader.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def _execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        async with self._transaction() as conn:
            await conn.execute(sql, params)

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

    # --- topics admin ---------------------------------------------------------------------
    #
    # Topics added or edited in Telegram are 'admin' topics: the configuration file no longer
    # changes them at start-up. A slug removed in Telegram is remembered, so that the file
    # does not bring the topic back.

    async def add_topic(
        self, slug: str, name_ru: str, name_en: str, keywords: Sequence[str]
    ) -> Topic | None:
        """A topic an admin added; None when the slug is taken."""
        async with self._transaction() as conn:
            async with conn.execute(
                """INSERT INTO topics (slug, name_ru, name_en, keywords, source)
                   VALUES (?, ?, ?, ?, 'admin') ON CONFLICT (slug) DO NOTHING
                   RETURNING id, slug, name_ru, name_en, keywords""",
                (slug, name_ru, name_en, _keywords_json(keywords)),
            ) as cursor:
                row = await cursor.fetchone()
            if row is not None:
                await conn.execute("DELETE FROM removed_topics WHERE slug = ?", (slug,))
        return _topic(row) if row else None

    async def edit_topic(
        self,
        topic_id: int,
        *,
        name_ru: str,
        name_en: str,
        keywords: Sequence[str],
        now: float,
        notice: NoticeText | None = None,
        tell: Sequence[str] = (),
    ) -> tuple[Topic, int] | None:
        """New names and keywords for a topic, which becomes an admin topic. With a notice,
        the active chats subscribed to it whose language ('ru', or 'en' for any other) is in
        `tell` are told, through the outbox. The topic and how many chats (threads) are told;
        None when the topic is gone."""
        async with self._transaction() as conn:
            async with conn.execute(
                """UPDATE topics SET name_ru = ?, name_en = ?, keywords = ?, source = 'admin'
                   WHERE id = ? RETURNING id, slug, name_ru, name_en, keywords""",
                (name_ru, name_en, _keywords_json(keywords), topic_id),
            ) as cursor:
                row = await cursor.fetchone()
            if row is None:
                return None
            told = 0
            if notice is not None and tell:
                told = await self._queue_notice(
                    conn,
                    "topic_renamed",
                    notice,
                    now=now,
                    audience=_SUBSCRIBERS_IN_LANGUAGES,
                    params=(topic_id, json.dumps(list(tell))),
                )
        return _topic(row), told

    async def remove_topic(
        self, topic_id: int, slug: str, *, now: float, notice: NoticeText
    ) -> int | None:
        """Remove the topic (its subscriptions and filings go with it), tell each active chat
        (thread) subscribed to it through the outbox, and remember the slug. How many were
        told; None when no topic has this id and slug (removed already)."""
        async with self._transaction() as conn:
            async with conn.execute(
                "SELECT 1 FROM topics WHERE id = ? AND slug = ?", (topic_id, slug)
            ) as cursor:
                if await cursor.fetchone() is None:
                    return None
            told = await self._queue_notice(
                conn,
                "topic_removed",
                notice,
                now=now,
                audience=_SUBSCRIBERS_IN_LANGUAGES,
                params=(topic_id, json.dumps(["ru", "en"])),
            )
            await conn.execute(
                """INSERT INTO removed_topics (slug, removed_at) VALUES (?, ?)
                   ON CONFLICT (slug) DO UPDATE SET removed_at = excluded.removed_at""",
                (slug, now),
            )
            await conn.execute("DELETE FROM topics WHERE id = ?", (topic_id,))
        return told

    async def topic_subscribers(self, topic_id: int) -> int:
        """Active chats (forum threads counted apart) subscribed to the topic."""
        ((count,),) = await self._all(
            f"SELECT count(*) FROM ({_SUBSCRIBERS_IN_LANGUAGES})",
            (topic_id, json.dumps(["ru", "en"])),
        )
        return int(count)

    async def topic_overrides(self) -> dict[str, str]:
        """Slugs the configuration file must leave alone: 'admin' (added or edited in
        Telegram) or 'removed' (removed in Telegram)."""
        rows = await self._all(
            """SELECT slug, 'admin' FROM topics WHERE source = 'admin'
               UNION ALL SELECT slug, 'removed' FROM removed_topics"""
        )
        return {str(r[0]): str(r[1]) for r in rows}

    # --- notices ----------------------------------------------------------------------------
    #
    # A notice is one text for many chats (an announcement, "this topic was removed"); each
    # chat gets it in its language through the outbox, like a card: paced, retried, and held
    # by quiet hours, but never gathered into a digest.

    async def draft_notice(self, text: NoticeText, *, created_by: int, now: float) -> int:
        """An announcement waiting for its admin's confirmation; its id."""
        row = await self._write_one(
            """INSERT INTO notices (kind, body_ru, body_en, created_by, created_at)
               VALUES ('announcement', ?, ?, ?, ?) RETURNING id""",
            (text.ru, text.en, created_by, now),
        )
        assert row is not None
        (notice_id,) = row
        return int(notice_id)

    async def notice(self, notice_id: int) -> Notice | None:
        row = await self._one(
            """SELECT id, kind, body_ru, body_en, status, created_by, chats FROM notices
               WHERE id = ?""",
            (notice_id,),
        )
        if row is None:
            return None
        return Notice(
            id=row[0],
            kind=row[1],
            text=NoticeText(ru=row[2], en=row[3]),
            status=row[4],
            created_by=row[5],
            chats=row[6],
        )

    async def queue_notice(self, notice_id: int, *, now: float) -> int | None:
        """Send a draft to every active chat: one INSERT … SELECT however many chats there
        are. How many rows were queued; None when it is no longer a draft (sent or cancelled
        already: a second press sends nothing)."""
        async with self._transaction() as conn:
            cursor = await conn.execute(
                """UPDATE notices SET status = 'queued', queued_at = ?
                   WHERE id = ? AND status = 'draft'""",
                (now, notice_id),
            )
            if cursor.rowcount == 0:
                return None
            return await self._fan_out(conn, notice_id, now, _ACTIVE_CHATS, ())

    async def cancel_notice(self, notice_id: int) -> bool:
        """A draft is dropped; False when it is not a draft (any more)."""
        async with self._transaction() as conn:
            cursor = await conn.execute(
                "UPDATE notices SET status = 'cancelled' WHERE id = ? AND status = 'draft'",
                (notice_id,),
            )
        return cursor.rowcount > 0

    async def active_chats(self) -> int:
        ((count,),) = await self._all("SELECT count(*) FROM chats WHERE active = 1")
        return int(count)

    async def _queue_notice(
        self,
        conn: aiosqlite.Connection,
        kind: str,
        text: NoticeText,
        *,
        now: float,
        audience: str,
        params: Sequence[Any],
    ) -> int:
        """A notice queued at once for the (chat_id, thread_id) rows `audience` selects."""
        async with conn.execute(
            """INSERT INTO notices (kind, body_ru, body_en, status, created_at, queued_at)
               VALUES (?, ?, ?, 'queued', ?, ?) RETURNING id""",
            (kind, text.ru, text.en, now, now),
        ) as cursor:
            ((notice_id,),) = await cursor.fetchall()
        return await self._fan_out(conn, int(notice_id), now, audience, params)

    @staticmethod
    async def _fan_out(
        conn: aiosqlite.Connection,
        notice_id: int,
        now: float,
        audience: str,
        params: Sequence[Any],
    ) -> int:
        cursor = await conn.execute(
            f"""INSERT INTO outbox (chat_id, thread_id, notice_id, created_at)
                SELECT chat_id, thread_id, ?, ? FROM ({audience}) WHERE true
                ON CONFLICT DO NOTHING""",
            (notice_id, now, *params),
        )
        queued = cursor.rowcount
        await conn.execute("UPDATE notices SET chats = ? WHERE id = ?", (queued, notice_id))
        return queued

    # --- stats ------------------------------------------------------------------------------

    async def bot_stats(self, *, since: float) -> BotStats:
        """Counts for admins' /stats; "today" is from `since` (the day's start)."""
        ((active, private, groups, channels, paused),) = await self._all(
            """SELECT count(*) FILTER (WHERE active = 1),
                      count(*) FILTER (WHERE active = 1 AND type = 'private'),
                      count(*) FILTER (WHERE active = 1 AND type IN ('group', 'supergroup')),
                      count(*) FILTER (WHERE active = 1 AND type = 'channel'),
                      count(*) FILTER (WHERE active = 0)
               FROM chats"""
        )
        topics = await self._all(
            """SELECT t.id, t.slug, t.name_ru, t.name_en, t.keywords,
                      (SELECT count(*) FROM subscriptions s JOIN chats c ON c.id = s.chat_id
                       WHERE s.topic_id = t.id AND c.active = 1) AS n
               FROM topics t ORDER BY n DESC, t.slug"""
        )
        ((healthy, failing, stopped),) = await self._all(
            """SELECT count(*) FILTER (WHERE enabled = 1 AND error_count = 0),
                      count(*) FILTER (WHERE enabled = 1 AND error_count > 0),
                      count(*) FILTER (WHERE enabled = 0)
               FROM feeds"""
        )
        ((pending, failed, sent),) = await self._all(
            """SELECT count(*) FILTER (WHERE status IN ('pending', 'sending')),
                      count(*) FILTER (WHERE status = 'failed' AND created_at >= ?),
                      count(*) FILTER (WHERE status = 'sent' AND sent_at >= ?)
               FROM outbox""",
            (since, since),
        )
        ((items,),) = await self._all("SELECT count(*) FROM items")
        ((size,),) = await self._all(
            "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"
        )
        return BotStats(
            chats_active=active,
            chats_private=private,
            chats_groups=groups,
            chats_channels=channels,
            chats_paused=paused,
            topics=tuple((_topic(r), int(r[5])) for r in topics),
            feeds_healthy=healthy,
            feeds_failing=failing,
            feeds_paused=stopped,
            outbox_pending=pending,
            failed_today=failed,
            sent_today=sent,
            items=items,
            database_bytes=size,
        )

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
        source: str = "admin",
        by_users: bool = False,
    ) -> Feed:
        """`by_users`: a user's own feed (/follow), whose items go to its followers only."""
        async with self._transaction() as conn:
            # ON CONFLICT, not a look-up first: two admins adding one address at once
            # (their /addfeed run side by side) must end with one feed and a clear answer.
            async with conn.execute(
                """INSERT INTO feeds (url, title, fulltext, interval_seconds, next_check_at,
                                      added_by, created_at, source, by_users)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (url) DO NOTHING RETURNING id""",
                (
                    url,
                    title,
                    int(fulltext),
                    interval_seconds,
                    next_check_at,
                    added_by,
                    now,
                    source,
                    int(by_users),
                ),
            ) as cursor:
                row = await cursor.fetchone()
            if row is not None:
                (feed_id,) = row
                await conn.executemany(
                    "INSERT OR IGNORE INTO feed_topics (feed_id, topic_id) VALUES (?, ?)",
                    [(feed_id, t) for t in topic_ids],
                )
        if row is None:
            existing = await self.feed_by_url(url)
            assert existing is not None
            raise FeedExistsError(existing)
        feed = await self.feed(int(feed_id))
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

    async def due_feeds(
        self, now: float, limit: int = 50, *, exclude: Iterable[int] = ()
    ) -> list[Feed]:
        """Enabled feeds whose next check has come, the longest-waiting first.

        `exclude` holds the feeds being checked right now (a handful), so none is taken twice.
        """
        skip = sorted(set(exclude))
        marks = ",".join("?" * len(skip))
        rows = await self._all(
            f"""SELECT {_FEED_COLUMNS} FROM feeds f
                WHERE f.enabled = 1 AND f.next_check_at <= ? AND f.id NOT IN ({marks})
                ORDER BY f.next_check_at, f.id LIMIT ?""",
            (now, *skip, limit),
        )
        return [_feed(r) for r in rows]

    async def next_check_time(self) -> float | None:
        """When the next enabled feed becomes due, or None when no feed is enabled."""
        row = await self._one("SELECT min(next_check_at) FROM feeds WHERE enabled = 1")
        return None if row is None or row[0] is None else float(row[0])

    async def remove_feed(self, feed_id: int) -> bool:
        async with self._transaction() as conn:
            await self._unindex(conn, "i.feed_id = ?", [feed_id])  # FTS5 has no cascade
            cursor = await conn.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))
        return cursor.rowcount > 0

    async def update_feed_settings(
        self, feed_id: int, *, topic_ids: Iterable[int], fulltext: bool, source: str
    ) -> None:
        """The configuration changed a feed's topics or full-text flag (or took it over:
        a feed users added becomes everyone's)."""
        async with self._transaction() as conn:
            # A user's feed was kept out of search: taken over, its items are indexed anew.
            await conn.execute(
                """UPDATE items SET indexed = 0
                   WHERE feed_id = ? AND (SELECT by_users FROM feeds WHERE id = ?) = 1""",
                (feed_id, feed_id),
            )
            await conn.execute(
                "UPDATE feeds SET fulltext = ?, source = ?, by_users = 0 WHERE id = ?",
                (int(fulltext), source, feed_id),
            )
            await conn.execute("DELETE FROM feed_topics WHERE feed_id = ?", (feed_id,))
            await conn.executemany(
                "INSERT OR IGNORE INTO feed_topics (feed_id, topic_id) VALUES (?, ?)",
                [(feed_id, t) for t in topic_ids],
            )

    async def pause_feed(self, feed_id: int, *, reason: str) -> None:
        """Stop checking the feed (HTTP 410, removed from the configuration); items are kept."""
        async with self._transaction() as conn:
            await conn.execute(
                "UPDATE feeds SET enabled = 0, paused_reason = ? WHERE id = ?", (reason, feed_id)
            )

    async def check_feed_now(self, feed_id: int, *, now: float) -> None:
        """Make the feed due at once, resuming it if it was paused."""
        async with self._transaction() as conn:
            await conn.execute(
                """UPDATE feeds SET enabled = 1, paused_reason = NULL, next_check_at = ?
                   WHERE id = ?""",
                (now, feed_id),
            )

    async def record_feed_success(self, feed_id: int, check: FeedCheck, *, now: float) -> None:
        """A check went well (nothing new, or 304): keep the validators, clear the error."""
        async with self._transaction() as conn:
            await self._succeeded(conn, feed_id, check, now)

    @staticmethod
    async def _succeeded(
        conn: aiosqlite.Connection, feed_id: int, check: FeedCheck, now: float
    ) -> None:
        await conn.execute(
            """UPDATE feeds SET title = coalesce(nullif(?, ''), title),
                   etag = coalesce(?, etag), last_modified = coalesce(?, last_modified),
                   content_hash = coalesce(?, content_hash),
                   next_check_at = ?, last_checked_at = ?, last_ok_at = ?,
                   error_count = 0, last_error = NULL, primed = 1, alerted = 0
               WHERE id = ?""",
            (
                check.title,
                check.etag,
                check.last_modified,
                check.content_hash,
                check.next_check_at,
                now,
                now,
                feed_id,
            ),
        )

    async def record_feed_failure(
        self, feed_id: int, *, error: str, now: float, next_check_at: float
    ) -> int:
        """A check failed: count it, keep the reason, schedule the retry; returns the count."""
        row = await self._write_one(
            """UPDATE feeds SET error_count = error_count + 1, last_error = ?,
                   last_checked_at = ?, next_check_at = ?
               WHERE id = ? RETURNING error_count""",
            (error[:500], now, next_check_at, feed_id),
        )
        (count,) = row or (0,)  # no row: the feed was removed while it was being checked
        return int(count)

    async def mark_feed_alerted(self, feed_id: int) -> None:
        async with self._transaction() as conn:
            await conn.execute("UPDATE feeds SET alerted = 1 WHERE id = ?", (feed_id,))

    # --- items --------------------------------------------------------------------------

    async def store_items(
        self,
        feed_id: int,
        drafts: Sequence[ItemDraft],
        *,
        now: float,
        check: FeedCheck,
        queue: bool,
        push_limit: int,
        same_story: SameStory | None = None,
    ) -> StoreOutcome:
        """Store a check's items, their topics, stories and deliveries in ONE transaction.

        New items are inserted; items whose fingerprint changed are updated in place and not
        queued again. When `queue` is set, the first `push_limit` new items are queued for
        every subscribed chat that has not had their story yet; the rest become one
        "and N more" row per chat. A crash leaves all of it or none of it.
        """
        by_key = {d.key: d for d in drafts}  # a feed repeating an entry stores it once
        async with self._bulk_gate, self._transaction() as conn:
            known: dict[str, tuple[int, str]] = {}
            keys = list(by_key)
            for chunk in _chunks(keys):
                marks = ",".join("?" * len(chunk))
                async with conn.execute(
                    f"""SELECT key, id, fingerprint FROM items
                        WHERE feed_id = ? AND key IN ({marks})""",
                    (feed_id, *chunk),
                ) as cursor:
                    for row in await cursor.fetchall():
                        known[row[0]] = (int(row[1]), row[2])
            changed = [
                (known[k][0], d)
                for k, d in by_key.items()
                if k in known and known[k][1] != d.fingerprint
            ]
            fresh = [d for k, d in by_key.items() if k not in known]
            if changed:
                await self._unindex_ids(conn, [item_id for item_id, _ in changed])
                await conn.executemany(
                    """UPDATE items SET url = ?, title = ?, published_at = ?, lang = ?, text = ?,
                           summary = ?, documents = ?, entities = ?, is_summit = ?,
                           fingerprint = ?, updated_at = ?
                       WHERE id = ?""",
                    [(*_item_values(d)[1:], now, item_id) for item_id, d in changed],
                )
            ids: dict[str, int] = {}
            if fresh:
                await conn.executemany(
                    """INSERT INTO items (key, url, title, published_at, lang, text, summary,
                           documents, entities, is_summit, fingerprint, signature, feed_id,
                           fetched_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    [(*_item_values(d), d.signature, feed_id, now) for d in fresh],
                )
                for chunk in _chunks([d.key for d in fresh]):
                    marks = ",".join("?" * len(chunk))
                    async with conn.execute(
                        f"SELECT key, id FROM items WHERE feed_id = ? AND key IN ({marks})",
                        (feed_id, *chunk),
                    ) as cursor:
                        ids.update((r[0], int(r[1])) for r in await cursor.fetchall())
            # Follows: a feed a user added is theirs. Its items join no other feed's story,
            # are filed under no topic and matched against no phrase: they reach that feed's
            # followers only, and change nothing for anyone else.
            shared = await self._feed_is_shared(conn, feed_id)
            stories = await self._assign_stories(
                conn, fresh, ids, now, same_story if shared else None
            )
            await self._index(
                conn,
                [
                    (item_id, d.fingerprint, *d.search)
                    for item_id, d in [*changed, *((ids[d.key], d) for d in fresh)]
                    if d.search is not None
                ],
            )
            await self._file_under_topics(
                conn,
                [*changed, *((ids[d.key], d) for d in fresh)] if shared else [],
                [i for i, _ in changed],
            )
            queued = 0
            if queue and fresh:
                # One item per story in this check: a feed's own repeats are not pushed twice.
                leaders = list({stories[ids[d.key]]: ids[d.key] for d in reversed(fresh)}.values())
                leaders.sort()
                if shared:  # follows: the phrases each item to be queued mentions
                    words = {ids[d.key]: d.word_keys for d in fresh}
                    await self._match_phrases(conn, [(i, words[i]) for i in leaders])
                queued = await self._enqueue(conn, leaders[:push_limit], now)
                queued += await self._enqueue_more(conn, leaders[push_limit:], now)
            await self._succeeded(conn, feed_id, check, now)
        return StoreOutcome(new=len(fresh), updated=len(changed), queued=queued)

    @staticmethod
    async def _file_under_topics(
        conn: aiosqlite.Connection,
        filed: Sequence[tuple[int, ItemDraft]],
        rewritten: Sequence[int],
    ) -> None:
        """Each item under its draft's topics, and the sort time and documents flag that
        item_topics keeps for newest-first lists brought up to date for rewritten items. Both
        are read from the item's own row, so they cannot disagree with it."""
        await conn.executemany(
            f"""UPDATE item_topics SET ({_ITEM_TOPIC_KEYS}) =
                    (SELECT {_ITEM_TOPIC_VALUES} FROM items WHERE id = item_topics.item_id)
                WHERE item_id = ?""",
            [(item_id,) for item_id in rewritten],
        )
        await conn.executemany(
            f"""INSERT INTO item_topics (topic_id, item_id, {_ITEM_TOPIC_KEYS})
                SELECT ?, id, {_ITEM_TOPIC_VALUES} FROM items WHERE id = ?
                ON CONFLICT DO NOTHING""",
            [(t, item_id) for item_id, d in filed for t in d.topic_ids],
        )

    async def prune_story_bands(self, *, before: float) -> int:
        """Drop the band index of items too old to be matched: it only serves recent ones."""
        async with self._transaction() as conn:
            cursor = await conn.execute(
                """DELETE FROM story_bands
                   WHERE item_id IN (SELECT id FROM items WHERE fetched_at < ?)""",
                (before,),
            )
        return cursor.rowcount

    async def item_count(self, feed_id: int) -> int:
        ((count,),) = await self._all("SELECT count(*) FROM items WHERE feed_id = ?", (feed_id,))
        return int(count)

    async def item_fingerprints(self, feed_id: int, keys: Sequence[str]) -> dict[str, str]:
        """The fingerprints of those of these keys the feed has: only the rest need reading."""
        found: dict[str, str] = {}
        for chunk in _chunks(list(keys)):
            marks = ",".join("?" * len(chunk))
            rows = await self._all(
                f"SELECT key, fingerprint FROM items WHERE feed_id = ? AND key IN ({marks})",
                (feed_id, *chunk),
            )
            found.update((r[0], r[1]) for r in rows)
        return found

    @staticmethod
    async def _assign_stories(
        conn: aiosqlite.Connection,
        fresh: Sequence[ItemDraft],
        ids: dict[str, int],
        now: float,
        same_story: SameStory | None,
    ) -> dict[int, int]:
        """Give each new item a story id: the earliest matching story's, else its own.

        Candidates are the items of the last few days sharing a band with it (one indexed
        query for the whole check), this check's earlier items included; each candidate is
        compared once, in a worker thread so that a big first check never stalls the bot.
        """
        stories = {ids[d.key]: ids[d.key] for d in fresh}
        signed = [d for d in fresh if d.signature is not None and d.story_bands]
        if same_story is not None and signed:
            by_band: dict[int, list[tuple[int, int, bytes]]] = {}  # (item, story, signature)
            for chunk in _chunks(sorted({b for d in signed for b in d.story_bands})):
                marks = ",".join("?" * len(chunk))
                async with conn.execute(
                    f"""SELECT b.band, i.id, i.story_id, i.signature FROM story_bands b
                        JOIN items i ON i.id = b.item_id
                        WHERE b.band IN ({marks}) AND i.fetched_at >= ?""",
                    (*chunk, now - STORY_WINDOW),
                ) as cursor:
                    for band, item_id, story_id, sig in await cursor.fetchall():
                        by_band.setdefault(band, []).append((item_id, story_id, sig))

            def match(test: SameStory) -> None:
                for d in signed:
                    item_id, signature = ids[d.key], d.signature
                    assert signature is not None
                    compared: set[int] = set()
                    for band in d.story_bands:
                        for other, story, sig in by_band.get(band, ()):
                            if other in compared or story >= stories[item_id]:
                                continue  # seen, or cannot give an earlier story
                            compared.add(other)
                            if test(signature, sig):
                                stories[item_id] = story
                    for band in d.story_bands:
                        by_band.setdefault(band, []).append((item_id, stories[item_id], signature))

            await asyncio.to_thread(match, same_story)
            await conn.executemany(
                "INSERT OR IGNORE INTO story_bands (band, item_id) VALUES (?, ?)",
                [(b, ids[d.key]) for d in signed for b in d.story_bands],
            )
        await conn.executemany(
            "UPDATE items SET story_id = ? WHERE id = ?",
            [(story, item_id) for item_id, story in stories.items()],
        )
        return stories

    @staticmethod
    async def _enqueue(conn: aiosqlite.Connection, item_ids: Sequence[int], now: float) -> int:
        """Queue each item for the active chats it is for: its topics' subscribers, then its
        phrases' and its feed's followers (`_RECIPIENTS_OF_ITEM`), once per chat (or forum
        thread) and story. Item by item, so a chat's rows keep the items' order; each kind of
        recipient by its own index, so nothing is gathered and sorted."""
        queued = 0
        for item_id in item_ids:
            for recipients in _RECIPIENTS_OF_ITEM:
                cursor = await conn.execute(
                    _ENQUEUE.format(recipients=recipients), {"now": now, "item": item_id}
                )
                queued += cursor.rowcount
        return queued

    @staticmethod
    async def _enqueue_more(conn: aiosqlite.Connection, item_ids: Sequence[int], now: float) -> int:
        """The items past the per-check bound: one "and N more" row per chat they are for."""
        if not item_ids:
            return 0
        cursor = await conn.execute(
            f"""INSERT INTO outbox (chat_id, thread_id, item_id, more, created_at, not_before)
               WITH recipients (item_id, chat_id, thread_id) AS ({_RECIPIENTS})
               SELECT r.chat_id, r.thread_id, min(r.item_id), count(DISTINCT r.item_id), :now,
                      CASE WHEN c.digest_times != '' THEN {HELD_FOR_DIGEST} ELSE 0 END
               FROM recipients r JOIN chats c ON c.id = r.chat_id
               WHERE c.active = 1
               GROUP BY r.chat_id, r.thread_id
               ON CONFLICT DO NOTHING""",
            {"now": now, "items": json.dumps(list(item_ids))},
        )
        return cursor.rowcount

    async def item(self, item_id: int) -> Item | None:
        row = await self._one(
            f"SELECT {_ITEM_COLUMNS} FROM items i JOIN feeds f ON f.id = i.feed_id WHERE i.id = ?",
            (item_id,),
        )
        return _item(row) if row else None

    async def item_shown_to(self, item_id: int, chat_id: int) -> Item | None:
        """The item, if this chat may see it: everyone's news, or an item of a user's own
        feed that was sent to this chat (a button's item id may be forged)."""
        row = await self._one(
            f"""SELECT {_ITEM_COLUMNS} FROM items i JOIN feeds f ON f.id = i.feed_id
                WHERE i.id = ? AND (f.by_users = 0 OR EXISTS (
                    SELECT 1 FROM outbox o WHERE o.item_id = i.id AND o.chat_id = ?))""",
            (item_id, chat_id),
        )
        return _item(row) if row else None

    async def latest_items(self, topic_id: int | None = None, limit: int = 3) -> list[Item]:
        """The newest stories, by publication date where known, else by arrival: one item
        per story (its first), whose card names the other feeds that carried it. (The first
        page of /latest, whatever was stored last.)"""
        return await self.latest_page(topic_id, newest_item=_NO_ITEM_LIMIT, offset=0, limit=limit)

    async def latest_summit(self) -> Item | None:
        """The newest item the reader took for official talks, a visit or a summit."""
        items = await self._newest("WHERE i.is_summit = 1", [], 1)
        return items[0] if items else None

    async def latest_with_documents(self, topic_id: int | None, limit: int) -> list[Item]:
        """The newest items that list signed documents, optionally within one topic."""
        if topic_id is None:
            return await self._newest("WHERE i.documents != '[]'", [], limit)
        where = "it.with_documents = 1 AND i.documents != '[]'"
        return await self._newest_in_topic(topic_id, where, limit)

    async def _newest(self, where: str, params: list[Any], limit: int) -> list[Item]:
        """Newest first, walking items_newest_first (or items_summits, items_with_documents,
        whichever partial index `where` names the condition of) from its end."""
        rows = await self._all(
            f"""SELECT {_ITEM_COLUMNS} FROM items i JOIN feeds f ON f.id = i.feed_id {where}
                  AND f.by_users = 0 -- follows: a user's own feed is not everyone's news
                ORDER BY coalesce(i.published_at, i.fetched_at) DESC, i.id DESC LIMIT ?""",
            [*params, limit],
        )
        return [_item(r) for r in rows]

    # --- search -------------------------------------------------------------------------
    # item_search (migration 006) holds each indexed item at the rowid _SEARCH_ROW gives it,
    # so that FTS5 hands out matches newest first without sorting. An item has its row
    # exactly when items.indexed = 1: every write below keeps the two together.

    async def search_count(self, match: str, *, newest_item: int) -> int:
        """How many items match (an FTS5 expression from bot.search.match_expression),
        counting none stored after `newest_item`."""
        row = await self._one(SEARCH_COUNT_SQL, (match, newest_item))
        return int(row[0]) if row else 0

    async def search_items(
        self, match: str, *, newest_item: int, offset: int, limit: int
    ) -> list[Item]:
        """One page of the items that match, newest first (by publication, as /latest)."""
        rows = await self._all(SEARCH_PAGE_SQL, (match, newest_item, limit, offset))
        return [_item(r) for r in sorted(rows, key=lambda r: -int(r["search_row"]))]

    async def newest_item_id(self) -> int:
        """The id of the last item stored (0 for none): where a search's pages stop."""
        row = await self._one("SELECT coalesce(max(id), 0) FROM items")
        return int(row[0]) if row else 0

    async def latest_page(
        self, topic_id: int | None, *, newest_item: int, offset: int, limit: int
    ) -> list[Item]:
        """A page of /latest: the newest stories, none stored after `newest_item` (the pages
        stay put while items arrive)."""
        if topic_id is None:
            rows = await self._all(LATEST_PAGE_SQL, (newest_item, limit, offset))
        else:
            rows = await self._all(LATEST_TOPIC_PAGE_SQL, (topic_id, newest_item, limit, offset))
        return [_item(r) for r in rows]

    async def add_search(self, chat_id: int, query: str, *, newest_item: int, now: float) -> int:
        """Keep a search for its pages; searches older than SEARCH_KEPT are forgotten."""
        async with self._transaction() as conn:
            await conn.execute("DELETE FROM searches WHERE created_at < ?", (now - SEARCH_KEPT,))
            async with conn.execute(
                """INSERT INTO searches (chat_id, query, newest_item, created_at)
                   VALUES (?, ?, ?, ?) RETURNING id""",
                (chat_id, query, newest_item, now),
            ) as cursor:
                row = await cursor.fetchone()
        assert row is not None
        return int(row[0])

    async def saved_search(self, search_id: int) -> SavedSearch | None:
        row = await self._one(
            "SELECT id, chat_id, query, newest_item FROM searches WHERE id = ?", (search_id,)
        )
        return SavedSearch(*row) if row else None

    async def unindexed_items(self, limit: int) -> list[tuple[int, str, str, str]]:
        """Items not in the search index yet, newest first: (id, fingerprint, title, text)."""
        rows = await self._all(UNINDEXED_SQL, (limit,))
        return [(int(r[0]), r[1], r[2], r[3]) for r in rows]

    async def index_items(self, docs: Sequence[tuple[int, str, str, str]]) -> int:
        """Index items (id, fingerprint, words, keys) read by unindexed_items; one that was
        changed or indexed since is left alone. Returns how many were indexed."""
        async with self._bulk_gate, self._transaction() as conn:
            return await self._index(conn, docs)

    @staticmethod
    async def _index(conn: aiosqlite.Connection, docs: Sequence[tuple[int, str, str, str]]) -> int:
        await conn.executemany(
            f"""INSERT OR REPLACE INTO item_search (rowid, words, keys)
                SELECT {_SEARCH_ROW}, ?, ? FROM items i JOIN feeds f ON f.id = i.feed_id
                WHERE i.id = ? AND i.indexed = 0 AND i.fingerprint = ?
                  AND f.by_users = 0 -- a user's own feed is searched by no one else""",
            [(words, keys, item_id, fingerprint) for item_id, fingerprint, words, keys in docs],
        )
        cursor = await conn.executemany(
            "UPDATE items SET indexed = 1 WHERE id = ? AND indexed = 0 AND fingerprint = ?",
            [(item_id, fingerprint) for item_id, fingerprint, _, _ in docs],
        )
        return cursor.rowcount

    @staticmethod
    async def _unindex(conn: aiosqlite.Connection, where: str, params: Sequence[Any]) -> None:
        """Take the items `where` names out of the index (before they change or go)."""
        async with conn.execute(
            f"SELECT {_SEARCH_ROW}, i.id FROM items i WHERE {where} AND i.indexed = 1", params
        ) as cursor:
            rows = list(await cursor.fetchall())
        await conn.executemany("DELETE FROM item_search WHERE rowid = ?", [(r[0],) for r in rows])
        await conn.executemany("UPDATE items SET indexed = 0 WHERE id = ?", [(r[1],) for r in rows])

    async def _unindex_ids(self, conn: aiosqlite.Connection, item_ids: list[int]) -> None:
        for chunk in _chunks(item_ids):
            await self._unindex(conn, f"i.id IN ({','.join('?' * len(chunk))})", chunk)

    async def _newest_in_topic(self, topic_id: int, where: str, limit: int) -> list[Item]:
        """The same order within one topic, walking the topic's rows of item_topics by the
        sort time they carry (`it.with_documents = 1` in `where`: its documents index)."""
        rows = await self._all(
            f"""SELECT {_ITEM_COLUMNS} FROM item_topics it CROSS JOIN items i ON i.id = it.item_id
                     JOIN feeds f ON f.id = i.feed_id
                WHERE it.topic_id = ? AND {where}
                ORDER BY it.sort_time DESC, it.item_id DESC LIMIT ?""",
            [topic_id, limit],
        )
        return [_item(r) for r in rows]

    # --- chats and subscriptions --------------------------------------------------------

    async def upsert_chat(self, chat_id: int, *, type: str, language: str, now: float) -> Chat:
        """Register the chat (or re-activate it: writing to the bot again undoes a block)."""
        row = await self._write_one(
            f"""INSERT INTO chats (id, type, language, created_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (id) DO UPDATE SET type = excluded.type, active = 1
               RETURNING {_CHAT_COLUMNS}""",
            (chat_id, type, language, now),
        )
        assert row is not None
        return _chat(row)

    async def chat_language(self, chat_id: int) -> str | None:
        row = await self._one("SELECT language FROM chats WHERE id = ?", (chat_id,))
        return str(row[0]) if row else None

    async def set_chat_language(
        self, chat_id: int, language: str, *, type: str, now: float
    ) -> None:
        """The chat's language from now on (registering the chat if it is new)."""
        await self._execute(
            """INSERT INTO chats (id, type, language, created_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (id) DO UPDATE SET language = excluded.language""",
            (chat_id, type, language, now),
        )

    async def chat(self, chat_id: int) -> Chat | None:
        row = await self._one(f"SELECT {_CHAT_COLUMNS} FROM chats WHERE id = ?", (chat_id,))
        return _chat(row) if row else None

    # --- digests and quiet hours ----------------------------------------------------------

    async def set_digest_times(
        self, chat_id: int, times: Sequence[int], *, next_at: float | None, now: float
    ) -> None:
        """Digests at these local times from `next_at` on; no times: instant cards again,
        and what was held for the next digest goes now, as one digest."""
        async with self._transaction() as conn:
            await conn.execute(
                "UPDATE chats SET digest_times = ?, next_digest_at = ? WHERE id = ?",
                (" ".join(str(t) for t in sorted(set(times))), next_at, chat_id),
            )
            if not times:
                await self._gather_digest(conn, chat_id, now)

    async def set_quiet_hours(
        self, chat_id: int, quiet: tuple[int, int] | None, *, now: float
    ) -> None:
        """New quiet hours (None: none); rows waiting for the old ones to end are due again,
        to be held by the new ones or sent."""
        start, end = quiet if quiet else (None, None)
        async with self._transaction() as conn:
            await conn.execute(
                "UPDATE chats SET quiet_start = ?, quiet_end = ? WHERE id = ?",
                (start, end, chat_id),
            )
            await conn.execute(
                """UPDATE outbox SET not_before = ?
                   WHERE chat_id = ? AND status = 'pending' AND last_error = ?
                     AND not_before > ?""",
                (now, chat_id, QUIET_HOURS, now),
            )

    async def set_timezone(self, chat_id: int, timezone: str, *, next_at: float | None) -> None:
        """The chat's time zone; `next_at` is its next digest reckoned in it."""
        await self._execute(
            "UPDATE chats SET timezone = ?, next_digest_at = ? WHERE id = ?",
            (timezone, next_at, chat_id),
        )

    async def due_digests(self, now: float) -> list[Chat]:
        """Active chats whose digest time has come."""
        rows = await self._all(
            f"""SELECT {_CHAT_COLUMNS} FROM chats
                WHERE next_digest_at <= ? AND active = 1 ORDER BY next_digest_at""",
            (now,),
        )
        return [_chat(r) for r in rows]

    async def release_digest(self, chat_id: int, *, now: float, next_at: float | None) -> int:
        """The chat's digest is due: what was held goes out as one digest per thread, and
        the next one is set; how many digests were released."""
        async with self._transaction() as conn:
            released = await self._gather_digest(conn, chat_id, now)
            await conn.execute(
                "UPDATE chats SET next_digest_at = ? WHERE id = ?", (next_at, chat_id)
            )
        return released

    @staticmethod
    async def _gather_digest(conn: aiosqlite.Connection, chat_id: int, now: float) -> int:
        """Held rows of the chat, per thread, under their first row, which is due now."""
        held = f"status = 'pending' AND not_before = {HELD_FOR_DIGEST} AND digest_id IS NULL"
        await conn.execute(
            f"""UPDATE outbox SET digest_id = first.id
                FROM (SELECT thread_id, min(id) AS id FROM outbox WHERE chat_id = ? AND {held}
                      GROUP BY thread_id) AS first
                WHERE outbox.chat_id = ? AND outbox.thread_id = first.thread_id AND {held}""",
            (chat_id, chat_id),
        )
        cursor = await conn.execute(
            f"""UPDATE outbox SET not_before = ?
                WHERE chat_id = ? AND id = digest_id AND not_before = {HELD_FOR_DIGEST}""",
            (now, chat_id),
        )
        return cursor.rowcount

    async def deactivate_chat(self, chat_id: int) -> None:
        """The bot was blocked or removed: stop sending there and drop what was queued."""
        async with self._transaction() as conn:
            await conn.execute("UPDATE chats SET active = 0 WHERE id = ?", (chat_id,))
            await conn.execute(
                """UPDATE outbox SET status = 'failed', last_error = 'chat inactive'
                   WHERE chat_id = ? AND status IN ('pending', 'sending')""",
                (chat_id,),
            )

    async def migrate_chat(self, old_id: int, new_id: int) -> None:
        """A group became a supergroup with a new id: its subscriptions and undelivered rows
        move there (the old id stays, inactive)."""
        async with self._transaction() as conn:
            await conn.execute(
                """INSERT INTO chats (id, type, language, created_at)
                   SELECT ?, 'supergroup', language, created_at FROM chats WHERE id = ?
                   ON CONFLICT (id) DO UPDATE SET active = 1""",
                (new_id, old_id),
            )
            await conn.execute(
                "UPDATE OR IGNORE subscriptions SET chat_id = ? WHERE chat_id = ?",
                (new_id, old_id),
            )
            await conn.execute(  # follows: the group's follows go along too
                "UPDATE OR IGNORE follows SET chat_id = ? WHERE chat_id = ?", (new_id, old_id)
            )
            await conn.execute(
                """UPDATE OR IGNORE outbox SET chat_id = ?, status = 'pending'
                   WHERE chat_id = ? AND status IN ('pending', 'sending')""",
                (new_id, old_id),
            )
            await conn.execute("UPDATE chats SET active = 0 WHERE id = ?", (old_id,))

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
               WHERE s.chat_id = ?""",
            (chat_id,),
        )
        # Sorted here: a chat's few rows, in the order of SQLite's BINARY collation (code
        # points), without a sort step in the query plan.
        found = [
            Subscription(r["chat_id"], r["thread_id"], _topic(r, offset=3), r["mode"]) for r in rows
        ]
        return sorted(found, key=lambda sub: (sub.thread_id, sub.topic.slug))

    # --- follows ----------------------------------------------------------------------
    #
    # A chat follows words or phrases (matched as topics' keywords are: every word of the
    # phrase, in any of its forms) and, where the configuration allows it, feeds of its own.
    # Each distinct phrase is stored once with the matching keys of its words, and a new item
    # is matched by looking its keys up in that index: the cost grows with the item, not with
    # the number of phrases or of the chats that follow them. Only items stored after a follow
    # reach it (matching happens as they are queued).

    async def follow_phrase(
        self,
        chat_id: int,
        *,
        phrase: str,
        shown: str,
        word_keys: Sequence[Iterable[str]],
        limit: int,
        now: float,
        thread_id: int = 0,
    ) -> FollowOutcome:
        """Follow a phrase (normalised `phrase`; `word_keys`: each word's matching keys),
        unless the chat follows it already or follows `limit` phrases."""
        async with self._transaction() as conn:
            if await _fetch(
                conn,
                """SELECT 1 FROM follows fo JOIN phrases p ON p.id = fo.phrase_id
                   WHERE fo.chat_id = ? AND fo.thread_id = ? AND p.phrase = ?""",
                (chat_id, thread_id, phrase),
            ):
                return "already"
            if await _count(conn, "phrase_id", chat_id) >= limit:
                return "limit"
            phrase_id = await self._phrase_id(conn, phrase, word_keys)
            await conn.execute(
                """INSERT INTO follows (chat_id, thread_id, phrase_id, shown, created_at)
                   VALUES (?, ?, ?, ?, ?)""",
                (chat_id, thread_id, phrase_id, shown, now),
            )
        return "added"

    @staticmethod
    async def _phrase_id(
        conn: aiosqlite.Connection, phrase: str, word_keys: Sequence[Iterable[str]]
    ) -> int:
        """The phrase's row, made with its keys the first time any chat follows it."""
        row = await _fetch(
            conn,
            """INSERT INTO phrases (phrase, words) VALUES (?, ?)
               ON CONFLICT (phrase) DO NOTHING RETURNING id""",
            (phrase, len(word_keys)),
        )
        if row is None:  # followed by another chat already: its keys are there
            row = await _fetch(conn, "SELECT id FROM phrases WHERE phrase = ?", (phrase,))
            assert row is not None
            return int(row["id"])
        phrase_id = int(row["id"])
        await conn.executemany(
            "INSERT OR IGNORE INTO phrase_keys (key, phrase_id, word) VALUES (?, ?, ?)",
            [(key, phrase_id, n) for n, keys in enumerate(word_keys) for key in keys],
        )
        return phrase_id

    async def follow_feed(
        self, chat_id: int, feed_id: int, *, shown: str, limit: int, now: float, thread_id: int = 0
    ) -> FollowOutcome:
        """Follow a feed, unless the chat follows it already or follows `limit` feeds. A
        feed users added that nobody follows after a refusal is removed."""
        async with self._transaction() as conn:
            if await _fetch(
                conn,
                "SELECT 1 FROM follows WHERE chat_id = ? AND thread_id = ? AND feed_id = ?",
                (chat_id, thread_id, feed_id),
            ):
                return "already"
            if await _count(conn, "feed_id", chat_id) >= limit:
                await self._drop_unfollowed_feed(conn, feed_id)
                return "limit"
            await conn.execute(
                """INSERT INTO follows (chat_id, thread_id, feed_id, shown, created_at)
                   VALUES (?, ?, ?, ?, ?)""",
                (chat_id, thread_id, feed_id, shown, now),
            )
        return "added"

    async def follows(self, chat_id: int, thread_id: int = 0) -> list[Follow]:
        """What the chat (or forum thread) follows: phrases, then feeds, each in the order
        they were followed (the numbers /unfollow takes)."""
        rows = await self._all(
            """SELECT fo.id, fo.chat_id, fo.thread_id, fo.shown, p.phrase, fo.feed_id,
                      coalesce(nullif(f.title, ''), f.url, '') AS feed_title
               FROM follows fo LEFT JOIN phrases p ON p.id = fo.phrase_id
                    LEFT JOIN feeds f ON f.id = fo.feed_id
               WHERE fo.chat_id = ? AND fo.thread_id = ?
               ORDER BY fo.feed_id IS NOT NULL, fo.id""",
            (chat_id, thread_id),
        )
        return [_follow(r) for r in rows]

    async def follow_counts(self, chat_id: int) -> tuple[int, int]:
        """How many phrases and feeds the chat follows, all its threads together."""
        row = await self._one(
            """SELECT count(phrase_id), count(feed_id) FROM follows WHERE chat_id = ?""",
            (chat_id,),
        )
        assert row is not None
        return int(row[0]), int(row[1])

    async def unfollow(self, chat_id: int, follow_id: int) -> Follow | None:
        """Stop one of the chat's follows (None: it has no such follow). A phrase nobody
        follows any more is forgotten, and a feed users added that nobody follows is removed
        with its items: it is not checked again."""
        async with self._transaction() as conn:
            row = await _fetch(
                conn,
                """SELECT fo.id, fo.chat_id, fo.thread_id, fo.shown, p.phrase, fo.feed_id,
                          coalesce(nullif(f.title, ''), f.url, '') AS feed_title,
                          fo.phrase_id
                   FROM follows fo LEFT JOIN phrases p ON p.id = fo.phrase_id
                        LEFT JOIN feeds f ON f.id = fo.feed_id
                   WHERE fo.id = ? AND fo.chat_id = ?""",
                (follow_id, chat_id),
            )
            if row is None:
                return None
            await conn.execute("DELETE FROM follows WHERE id = ?", (follow_id,))
            if row["phrase_id"] is not None:
                await conn.execute(
                    """DELETE FROM phrases WHERE id = ?
                       AND NOT EXISTS (SELECT 1 FROM follows WHERE phrase_id = ?)""",
                    (row["phrase_id"], row["phrase_id"]),
                )
            if row["feed_id"] is not None:
                await self._drop_unfollowed_feed(conn, row["feed_id"])
        return _follow(row)

    async def phrase_count(self) -> int:
        """Distinct phrases followed, over every chat."""
        ((count,),) = await self._all("SELECT count(*) FROM phrases")
        return int(count)

    @staticmethod
    async def _drop_unfollowed_feed(conn: aiosqlite.Connection, feed_id: int) -> None:
        await conn.execute(
            """DELETE FROM feeds WHERE id = ? AND by_users = 1
               AND NOT EXISTS (SELECT 1 FROM follows WHERE feed_id = ?)""",
            (feed_id, feed_id),
        )

    @staticmethod
    async def _feed_is_shared(conn: aiosqlite.Connection, feed_id: int) -> bool:
        """False for a feed users added: its items are for its followers only."""
        row = await _fetch(conn, "SELECT by_users FROM feeds WHERE id = ?", (feed_id,))
        return row is None or not row[0]

    @staticmethod
    async def _match_phrases(
        conn: aiosqlite.Connection, items: Sequence[tuple[int, frozenset[str]]]
    ) -> None:
        """Note which followed phrases each item mentions: a phrase matches when each of its
        words has a key among the item's (one index probe per key of the item)."""
        if not items or not await _fetch(conn, "SELECT 1 FROM phrases LIMIT 1"):
            return
        await conn.executemany(
            MATCH_PHRASES,
            [(item_id, json.dumps(sorted(keys), ensure_ascii=False)) for item_id, keys in items],
        )

    @staticmethod
    async def _followed_phrases(
        conn: aiosqlite.Connection, outbox_ids: Sequence[int]
    ) -> dict[int, str]:
        """For each card among these rows: the chat's first followed phrase that the item
        mentions, as the chat typed it (for the card's "why" line)."""
        async with conn.execute(
            f"""SELECT o.id, ({_FOLLOWED_PHRASE}) FROM outbox o
               WHERE o.id IN (SELECT value FROM json_each(?)) AND o.more = 0
                 AND o.digest_id IS NULL""",
            (json.dumps(list(outbox_ids)),),
        ) as cursor:
            return {int(r[0]): str(r[1]) for r in await cursor.fetchall() if r[1] is not None}

    # --- chat settings --------------------------------------------------------------------

    async def set_link_previews(self, chat_id: int, previews: bool | None) -> None:
        """Link previews under what the sender pushes to the chat (None: the configured
        default)."""
        await self._execute(
            "UPDATE chats SET link_previews = ? WHERE id = ?",
            (None if previews is None else int(previews), chat_id),
        )

    # --- updates taken from Telegram (a journal, so a crash loses no command) -------------

    async def journal_updates(self, updates: Sequence[tuple[int, str]], *, now: float) -> None:
        """Write down (update_id, JSON) pairs; one already known is left as it is."""
        if not updates:  # an empty long poll: no transaction
            return
        async with self._transaction() as conn:
            await conn.executemany(
                "INSERT OR IGNORE INTO updates (id, body, received_at) VALUES (?, ?, ?)",
                [(update_id, body, now) for update_id, body in updates],
            )

    async def unhandled_updates(self) -> list[tuple[int, str]]:
        """Updates taken but not handled (the last run stopped first), oldest first."""
        rows = await self._all("SELECT id, body FROM updates WHERE handled = 0 ORDER BY id")
        return [(int(r[0]), str(r[1])) for r in rows]

    async def update_handled(self, update_id: int) -> bool:
        row = await self._one("SELECT handled FROM updates WHERE id = ?", (update_id,))
        return row is not None and bool(row[0])

    async def mark_update_handled(self, update_id: int) -> None:
        await self._execute("UPDATE updates SET handled = 1 WHERE id = ?", (update_id,))

    async def prune_updates(self, *, before: float) -> int:
        """Forget handled updates taken before `before`."""
        async with self._transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM updates WHERE handled = 1 AND received_at < ?", (before,)
            )
        return cursor.rowcount

    # --- buttons: topic toggles and the keyboards under cards -----------------------------

    async def topic_by_id(self, topic_id: int) -> Topic | None:
        """The topic a button names by its id (None: removed since the button was made)."""
        row = await self._one(
            "SELECT id, slug, name_ru, name_en, keywords FROM topics WHERE id = ?", (topic_id,)
        )
        return _topic(row) if row else None

    async def card_context(
        self, chat_id: int, thread_id: int, item_id: int
    ) -> tuple[str | None, Topic | None]:
        """What a card's keyboard depends on: the chat's type, and the subscribed topic that
        brought the item there (the digest's choice: the lowest id), None if none did."""
        row = await self._one(
            """SELECT (SELECT type FROM chats WHERE id = ?), t.id, t.slug, t.name_ru, t.name_en,
                      t.keywords
               FROM (SELECT min(s.topic_id) AS topic_id FROM subscriptions s
                          JOIN item_topics it ON it.topic_id = s.topic_id AND it.item_id = ?
                     WHERE s.chat_id = ? AND s.thread_id = ?) AS found
                    LEFT JOIN topics t ON t.id = found.topic_id""",
            (chat_id, item_id, chat_id, thread_id),
        )
        assert row is not None  # an aggregate always has its one row
        return row[0], (_topic(row, 1) if row[1] is not None else None)

    # --- outbox -------------------------------------------------------------------------
    #
    # A row is 'pending' until the sender claims it ('sending'), then 'sent' or 'failed', or
    # 'pending' again with a later not_before. Claiming commits before the first message goes
    # out: a row is in one sender's hands at a time, and a crash leaves it 'sending', to be
    # released (and resent: at least once) at the next start.

    async def pending_outbox(self, now: float, limit: int = 20) -> list[OutboxEntry]:
        """Deliveries due now, oldest first (what the next claim would take)."""
        rows = await self._all(
            f"{_OUTBOX_SELECT} WHERE o.id IN ({_DUE_IDS}) ORDER BY o.id", (now, limit)
        )
        return [_outbox_entry(r) for r in rows]

    async def claim_deliveries(self, now: float, limit: int = 20) -> list[OutboxEntry]:
        """Take the deliveries due now, oldest first: they are 'sending' once this returns."""
        async with self._transaction() as conn:
            async with conn.execute(
                f"UPDATE outbox SET status = 'sending' WHERE id IN ({_DUE_IDS}) RETURNING id",
                (now, limit),
            ) as cursor:
                ids = [int(r[0]) for r in await cursor.fetchall()]
            if not ids:
                return []
            marks = ", ".join("?" * len(ids))
            async with conn.execute(
                f"{_OUTBOX_SELECT} WHERE o.id IN ({marks}) ORDER BY o.id", ids
            ) as cursor:
                rows = await cursor.fetchall()
            carriers = [r["outbox_id"] for r in rows if r["digest_id"] == r["outbox_id"]]
            lines = await self._digest_lines(conn, carriers)
            followed = await self._followed_phrases(conn, ids)
        return [
            _outbox_entry(r, lines.get(r["outbox_id"], ()), followed.get(r["outbox_id"]))
            for r in rows
        ]

    @staticmethod
    async def _digest_lines(
        conn: aiosqlite.Connection, carriers: Sequence[int]
    ) -> dict[int, tuple[DigestLine, ...]]:
        """Every item of these digests, in the order they were queued."""
        if not carriers:
            return {}
        async with conn.execute(
            f"""SELECT o.digest_id, i.title, i.url, f.title, o.more, t.id, t.slug, t.name_ru,
                       t.name_en, t.keywords, ({_FOLLOWED_PHRASE}) AS followed
                FROM outbox o JOIN items i ON i.id = o.item_id JOIN feeds f ON f.id = i.feed_id
                     LEFT JOIN topics t ON t.id = (
                         SELECT min(s.topic_id) FROM subscriptions s
                              JOIN item_topics it ON it.topic_id = s.topic_id
                         WHERE it.item_id = o.item_id AND s.chat_id = o.chat_id
                           AND s.thread_id = o.thread_id)
                WHERE o.digest_id IN ({", ".join("?" * len(carriers))})
                ORDER BY o.digest_id, o.id""",
            list(carriers),
        ) as cursor:
            rows = await cursor.fetchall()
        lines: dict[int, list[DigestLine]] = {}
        for r in rows:
            topic = _topic(r, 5) if r[5] is not None else None
            line = DigestLine(
                r[1], r[2], r[3], topic, r[4], r["followed"] if topic is None else None
            )
            lines.setdefault(r[0], []).append(line)
        return {carrier: tuple(found) for carrier, found in lines.items()}

    async def release_claims(self) -> int:
        """Rows a stopped sender left 'sending' are pending again; how many there were."""
        async with self._transaction() as conn:
            cursor = await conn.execute(
                "UPDATE outbox SET status = 'pending' WHERE status = 'sending'"
            )
        return cursor.rowcount

    async def next_outbox_time(self) -> float | None:
        """When the earliest pending delivery becomes due, or None when nothing is pending."""
        row = await self._one("SELECT min(not_before) FROM outbox WHERE status = 'pending'")
        return None if row is None or row[0] is None else float(row[0])

    async def outbox_counts(self) -> dict[str, int]:
        rows = await self._all("SELECT status, count(*) FROM outbox GROUP BY status")
        return {r[0]: int(r[1]) for r in rows}

    async def delivery_stats(self, *, since: float, now: float) -> DeliveryStats:
        """Counts for the admins' /delivery: the queue now, and the fate of rows queued since
        `since` (failures with their three most frequent reasons)."""
        row = await self._one(
            """SELECT
                 count(*) FILTER (WHERE status = 'pending' AND not_before <= ?),
                 count(*) FILTER (WHERE status = 'pending' AND not_before > ?),
                 count(*) FILTER (WHERE status = 'sending'),
                 count(*) FILTER (WHERE status = 'sent' AND created_at >= ?),
                 count(*) FILTER (WHERE status = 'failed' AND created_at >= ?)
               FROM outbox""",
            (now, now, since, since),
        )
        paused = await self._one("SELECT count(*) FROM chats WHERE active = 0")
        errors = await self._all(
            """SELECT coalesce(last_error, '?'), count(*) AS n FROM outbox
               WHERE status = 'failed' AND created_at >= ?
               GROUP BY 1 ORDER BY n DESC, 1 LIMIT 3""",
            (since,),
        )
        assert row is not None and paused is not None
        due, held, sending, sent, failed = (int(v) for v in row)
        return DeliveryStats(
            due=due,
            held=held,
            sending=sending,
            sent=sent,
            failed=failed,
            paused_chats=int(paused[0]),
            errors=tuple((str(r[0]), int(r[1])) for r in errors),
        )

    async def record_part(self, outbox_id: int, *, message_id: int) -> None:
        """Telegram accepted the next part of a claimed row: a retry starts after it."""
        async with self._transaction() as conn:
            await conn.execute(
                """UPDATE outbox SET message_ids = ltrim(message_ids || ' ' || ?),
                       message_id = coalesce(message_id, ?)
                   WHERE id = ?""",
                (message_id, message_id, outbox_id),
            )

    async def mark_sent(self, outbox_id: int, *, now: float) -> None:
        """The row went out (a digest's carrier: with every row it carried)."""
        async with self._transaction() as conn:
            await conn.execute(
                """UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1,
                       last_error = NULL
                   WHERE id = ? OR digest_id = ?""",
                (now, outbox_id, outbox_id),
            )

    async def postpone_delivery(
        self, outbox_id: int, *, not_before: float, error: str, spend_attempt: bool = True
    ) -> None:
        """Pending again from `not_before`; a wait Telegram asked for spends no attempt."""
        async with self._transaction() as conn:
            await conn.execute(
                """UPDATE outbox SET status = 'pending', attempts = attempts + ?,
                       not_before = ?, last_error = ?
                   WHERE id = ?""",
                (int(spend_attempt), not_before, error[:500], outbox_id),
            )

    async def mark_failed(self, outbox_id: int, *, error: str) -> None:
        async with self._transaction() as conn:
            await conn.execute(
                """UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?
                   WHERE id = ? OR digest_id = ?""",
                (error[:500], outbox_id, outbox_id),
            )


async def _fetch(
    conn: aiosqlite.Connection, sql: str, params: Sequence[Any] = ()
) -> aiosqlite.Row | None:
    """One row of a query inside a transaction (on the writer)."""
    async with conn.execute(sql, params) as cursor:
        return await cursor.fetchone()


async def _count(conn: aiosqlite.Connection, column: str, chat_id: int) -> int:
    """The chat's follows of one kind (`column`: phrase_id or feed_id), all threads."""
    row = await _fetch(conn, f"SELECT count({column}) FROM follows WHERE chat_id = ?", (chat_id,))
    assert row is not None  # count() always answers
    (count,) = row
    return int(count)


def _follow(row: aiosqlite.Row) -> Follow:
    return Follow(
        id=row["id"],
        chat_id=row["chat_id"],
        thread_id=row["thread_id"],
        shown=row["shown"],
        phrase=row["phrase"],
        feed_id=row["feed_id"],
        feed_title=row["feed_title"] or "",
    )


# Who hears of a topic's change: active chats (each forum thread apart) subscribed to topic ?
# whose language ('ru', or 'en' for any other) is in the JSON list ?.
_SUBSCRIBERS_IN_LANGUAGES = """
    SELECT DISTINCT s.chat_id, s.thread_id FROM subscriptions s JOIN chats c ON c.id = s.chat_id
    WHERE s.topic_id = ? AND c.active = 1
      AND (CASE c.language WHEN 'ru' THEN 'ru' ELSE 'en' END) IN (SELECT value FROM json_each(?))
"""
_ACTIVE_CHATS = "SELECT id AS chat_id, 0 AS thread_id FROM chats WHERE active = 1"


def _keywords_json(keywords: Sequence[str]) -> str:
    return json.dumps(list(keywords), ensure_ascii=False)


def _chunks(values: list[Any]) -> list[list[Any]]:
    return [values[i : i + _CHUNK] for i in range(0, len(values), _CHUNK)]


def _item_values(d: ItemDraft) -> tuple[Any, ...]:
    """An item's columns from `key` to `fingerprint`, in the order the statements name them."""
    return (
        d.key,
        d.url,
        d.title,
        d.published_at,
        d.lang,
        d.text,
        d.summary,
        json.dumps(d.documents, ensure_ascii=False),
        json.dumps(d.entities, ensure_ascii=False),
        int(d.is_summit),
        d.fingerprint,
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
        source=row["source"],
        paused_reason=row["paused_reason"],
        alerted=bool(row["alerted"]),
        content_hash=row["content_hash"],
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
        story_id=row["story_id"],
        other_sources=tuple(json.loads(row["other_sources"] or "[]")),
    )


_CHAT_COLUMNS = (
    "id, type, language, active, timezone, digest_times, quiet_start, quiet_end, link_previews"
)


def _chat(row: aiosqlite.Row) -> Chat:
    quiet = (row[6], row[7]) if row[6] is not None and row[7] is not None else None
    return Chat(
        id=row[0],
        type=row[1],
        language=row[2],
        active=bool(row[3]),
        timezone=row[4],
        digest_times=tuple(int(t) for t in row[5].split()),
        quiet=quiet,
        link_previews=_flag(row[8]),
    )


def _flag(value: int | None) -> bool | None:
    """A yes/no column that may be unset (NULL: the configured default)."""
    return None if value is None else bool(value)


# A notice's row has no item (its item columns are NULL) but the text in the chat's language.
_OUTBOX_SELECT = f"""SELECT o.id AS outbox_id, o.chat_id, o.thread_id, o.attempts, o.more,
                            o.message_ids, o.digest_id, c.language AS chat_language,
                            c.timezone AS chat_timezone, c.quiet_start, c.quiet_end,
                            CASE c.language WHEN 'ru' THEN n.body_ru ELSE n.body_en END
                                AS notice,
                            c.link_previews AS chat_link_previews,
                            {_ITEM_COLUMNS}
                     FROM outbox o JOIN chats c ON c.id = o.chat_id
                          LEFT JOIN items i ON i.id = o.item_id
                          LEFT JOIN feeds f ON f.id = i.feed_id
                          LEFT JOIN notices n ON n.id = o.notice_id"""


def _outbox_entry(
    row: aiosqlite.Row, digest: tuple[DigestLine, ...] = (), followed: str | None = None
) -> OutboxEntry:
    start, end = row["quiet_start"], row["quiet_end"]
    return OutboxEntry(
        row["outbox_id"],
        row["chat_id"],
        row["thread_id"],
        row["attempts"],
        row["chat_language"],
        _item(row) if row["id"] is not None else None,
        more=row["more"],
        parts_sent=len(row["message_ids"].split()),
        chat_timezone=row["chat_timezone"],
        quiet=(start, end) if start is not None and end is not None else None,
        digest=digest,
        followed=followed,
        notice=row["notice"],
        link_previews=_flag(row["chat_link_previews"]),
    )
