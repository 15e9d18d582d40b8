"""One feed, one check: fetch -> parse -> new entries -> read -> store -> topics -> outbox.

The first successful check of a feed stores its items without queueing them: subscribers get
what is new from then on, not a flood of old news.
"""

from __future__ import annotations

import asyncio
import codecs
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx

from bot.feeds.fetch import FetchError, FetchResult, fetch
from bot.feeds.parse import Entry, FeedParseError, ParsedFeed, parse_feed
from storage import Feed, ItemDraft, Storage, Topic

log = logging.getLogger(__name__)

MAX_BACKOFF = 6 * 3600
# Reads one entry (with its article page, for full-text feeds) and files it under topics.
EntryReader = Callable[
    [Entry, str | None, Sequence[Topic], Sequence[int]], tuple[ItemDraft, list[int]]
]
PAGE_LIMIT = 3 * 1024 * 1024


@dataclass(frozen=True)
class RefreshOutcome:
    feed_id: int
    new_items: int = 0
    queued: int = 0
    not_modified: bool = False
    error: str | None = None


def backoff_delay(interval: int, error_count: int) -> float:
    """Wait longer after each consecutive failure, up to six hours."""
    return float(min(interval * 2 ** min(error_count, 10), max(MAX_BACKOFF, interval)))


@dataclass
class FeedService:
    storage: Storage
    client: httpx.AsyncClient
    read_entry: EntryReader
    clock: Callable[[], float]
    default_interval: int
    on_queued: Callable[[], None] = field(default=lambda: None)
    concurrency: int = 8

    async def fetch_feed(
        self, url: str, feed: Feed | None = None
    ) -> tuple[FetchResult, ParsedFeed | None]:
        """Fetch and parse; None for the parsed feed when the server answered 304."""
        result = await fetch(
            self.client,
            url,
            etag=feed.etag if feed else None,
            last_modified=feed.last_modified if feed else None,
        )
        if result.not_modified:
            return result, None
        parsed = await asyncio.to_thread(
            parse_feed, result.content, content_type=result.content_type, base_url=result.url
        )
        return result, parsed

    async def add_feed(
        self,
        url: str,
        *,
        topic_ids: Sequence[int] = (),
        added_by: int | None = None,
        fulltext: bool = False,
    ) -> tuple[Feed, int]:
        """Check the URL once, then follow it: returns the feed and how many items it had.

        Raises FetchError or FeedParseError (nothing is stored then) or FeedExistsError.
        """
        result, parsed = await self.fetch_feed(url)
        assert parsed is not None  # no validators were sent, so no 304
        now = self.clock()
        feed = await self.storage.add_feed(
            url,
            title=parsed.title or url,
            interval_seconds=self.default_interval,
            next_check_at=now + self.default_interval,
            now=now,
            fulltext=fulltext,
            added_by=added_by,
            topic_ids=topic_ids,
        )
        await self._store(feed, parsed.entries, queue=False)
        await self.storage.record_feed_success(
            feed.id,
            now=now,
            next_check_at=now + feed.interval_seconds,
            etag=result.etag,
            last_modified=result.last_modified,
        )
        return feed, len(parsed.entries)

    async def poll_due(self) -> list[RefreshOutcome]:
        """Check every feed whose time has come, a few at a time; one failure stops nothing."""
        feeds = await self.storage.due_feeds(self.clock())
        if not feeds:
            return []
        gate = asyncio.Semaphore(self.concurrency)

        async def bounded(feed: Feed) -> RefreshOutcome:
            async with gate:
                return await self.refresh(feed)

        return list(await asyncio.gather(*(bounded(f) for f in feeds)))

    async def refresh(self, feed: Feed) -> RefreshOutcome:
        try:
            result, parsed = await self.fetch_feed(feed.url, feed)
        except (FetchError, FeedParseError) as exc:
            return await self._failed(feed, str(exc))
        except Exception as exc:  # an unexpected bug in one feed must not stop the others
            log.exception("refreshing feed %s (%s) failed", feed.id, feed.url)
            return await self._failed(feed, f"internal error: {type(exc).__name__}")
        now = self.clock()
        new_items = queued = 0
        if parsed is not None:
            new_items, queued = await self._store(feed, parsed.entries, queue=feed.primed)
        await self.storage.record_feed_success(
            feed.id,
            now=now,
            next_check_at=now + feed.interval_seconds,
            title=parsed.title if parsed else None,
            etag=result.etag,
            last_modified=result.last_modified,
        )
        if queued:
            self.on_queued()
        return RefreshOutcome(feed.id, new_items, queued, not_modified=parsed is None)

    async def _article_pages(self, entries: Sequence[Entry]) -> dict[str, str]:
        """Full-text feeds: fetch each new entry's page; a page that fails leaves the summary."""
        gate = asyncio.Semaphore(self.concurrency)

        async def page(entry: Entry) -> tuple[str, str | None]:
            if not entry.url:
                return entry.key, None
            async with gate:
                try:
                    result = await fetch(self.client, entry.url, max_bytes=PAGE_LIMIT)
                except FetchError as exc:
                    log.info("article page %s: %s", entry.url, exc)
                    return entry.key, None
            return entry.key, result.content.decode(_charset(result.content_type), "replace")

        found = await asyncio.gather(*(page(e) for e in entries))
        return {key: text for key, text in found if text}

    async def _failed(self, feed: Feed, error: str) -> RefreshOutcome:
        now = self.clock()
        delay = backoff_delay(feed.interval_seconds, feed.error_count)
        log.warning("feed %s (%s): %s; next try in %.0f s", feed.id, feed.url, error, delay)
        await self.storage.record_feed_failure(
            feed.id, error=error, now=now, next_check_at=now + delay
        )
        return RefreshOutcome(feed.id, error=error)

    async def _store(self, feed: Feed, entries: Sequence[Entry], *, queue: bool) -> tuple[int, int]:
        """Read the entries not stored yet, store them, file them under topics, queue them."""
        known = await self.storage.known_item_keys(feed.id, [e.key for e in entries])
        fresh = list({e.key: e for e in entries if e.key not in known}.values())
        if not fresh:
            return 0, 0
        pages = await self._article_pages(fresh) if feed.fulltext else {}
        topics = await self.storage.topics()

        def read_all() -> list[tuple[ItemDraft, list[int]]]:
            return [self.read_entry(e, pages.get(e.key), topics, feed.topic_ids) for e in fresh]

        results = await asyncio.to_thread(read_all)  # never on the event loop
        now = self.clock()
        new_ids = await self.storage.add_items(feed.id, [draft for draft, _ in results], now)
        queued = 0
        for draft, topic_ids in results:
            item_id = new_ids.get(draft.key)
            if item_id is None:  # stored meanwhile by a concurrent check
                continue
            await self.storage.tag_item(item_id, topic_ids)
            if queue:
                queued += await self.storage.enqueue_item(item_id, topic_ids, now)
        return len(new_ids), queued


def _charset(content_type: str | None) -> str:
    """The charset a Content-Type names, if Python knows it; UTF-8 otherwise."""
    for part in (content_type or "").split(";"):
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            try:
                return codecs.lookup(value.strip('"')).name
            except LookupError:
                break
    return "utf-8"
