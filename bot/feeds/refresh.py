"""Checking feeds: fetch -> parse -> read new entries -> store, file and queue in one transaction.

Each check runs as its own task with a deadline; a free slot takes the next due feed at once,
so one slow feed never holds up the others and nothing waits for the slowest of a batch. Any
failure ends as a recorded error with the feed rescheduled (exponential backoff with jitter,
never disabled by errors alone). The first successful check of a feed stores its items
without queueing them: subscribers get what is new from then on, not a flood of old news.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

from bot.feeds.fetch import Fetcher, FetchError, FetchResult
from bot.feeds.parse import Entry, FeedParseError, ParsedFeed, parse_feed
from storage import Feed, FeedCheck, ItemDraft, SameStory, Storage, StoreOutcome, Topic

log = logging.getLogger(__name__)

# Reads one entry (with its article page, for full-text feeds) and files it under topics.
EntryReader = Callable[[Entry, str | None, Sequence[Topic], Sequence[int]], ItemDraft]
# Tells the admins about a feed: ("failing" | "back" | "gone", feed, reason).
FeedAlert = Callable[[str, Feed, str], Awaitable[None]]
PAGE_LIMIT = 3 * 1024 * 1024


async def _no_alert(kind: str, feed: Feed, reason: str) -> None:
    return None


@dataclass(frozen=True)
class PollSettings:
    """How often feeds are checked and what one check may cost."""

    interval: int = 900  # between two checks of a healthy feed; hints never shorten it...
    max_interval: int = 6 * 3600  # ...and never stretch it beyond this
    max_backoff: int = 24 * 3600  # the longest wait after failures
    alert_after: int = 5  # consecutive failures before the admins hear of it
    push_limit: int = 20  # new items of one check pushed one by one; the rest as "and N more"
    concurrency: int = 8  # feeds checked at once
    check_deadline: float = 90.0  # one check: connect, whole body, parse


@dataclass(frozen=True)
class RefreshOutcome:
    feed_id: int
    new_items: int = 0
    updated: int = 0
    queued: int = 0
    not_modified: bool = False
    error: str | None = None


def backoff_delay(
    interval: int, failures: int, cap: int, jitter: Callable[[], float] = random.random
) -> float:
    """The wait after `failures` consecutive failures: doubling, ±25 % jitter, capped."""
    base = min(float(interval) * 2.0 ** min(failures, 20), float(cap))
    return min(base * (0.75 + jitter() / 2), float(cap))


def next_interval(
    settings: PollSettings, interval: int, max_age: float | None, ttl: float | None
) -> float:
    """The wait after a success: the feed's interval, longer when the server asks for it
    (Cache-Control, Expires, RSS <ttl>), but never beyond `max_interval`."""
    hinted = max([float(interval)] + [hint for hint in (max_age, ttl) if hint])
    return min(hinted, float(max(settings.max_interval, interval)))


@dataclass
class FeedService:
    storage: Storage
    fetcher: Fetcher
    read_entry: EntryReader
    clock: Callable[[], float]
    settings: PollSettings = field(default_factory=PollSettings)
    on_queued: Callable[[], None] = field(default=lambda: None)
    alert: FeedAlert = _no_alert
    same_story: SameStory | None = None
    jitter: Callable[[], float] = random.random
    # Parsing and reading are CPU-bound pure Python: processes keep them off the bot's GIL
    # (replies stay fast) and use every core. None: the default thread pool (tests).
    reader_pool: Executor | None = None

    def __post_init__(self) -> None:
        self._running: dict[int, asyncio.Task[RefreshOutcome]] = {}
        self._claim = asyncio.Lock()
        self._idle = asyncio.Event()
        self._idle.set()
        self._closing = False
        self._collected: list[RefreshOutcome] | None = None  # outcomes, while poll_due waits
        self._refills: set[asyncio.Task[None]] = set()

    # --- the poll cycle -----------------------------------------------------------------

    async def start_due(self) -> int:
        """Start a check for every due feed a free slot can take; returns how many started."""
        if self._closing:
            return 0
        async with self._claim:
            free = self.settings.concurrency - len(self._running)
            if free <= 0:
                return 0
            due = await self.storage.due_feeds(self.clock(), free, exclude=self._running)
            for feed in due:
                self._start(feed.id, self.refresh(feed))
            return len(due)

    def _start(self, feed_id: int, check: Coroutine[Any, Any, RefreshOutcome]) -> None:
        task = asyncio.create_task(check, name=f"feed-{feed_id}")
        self._running[feed_id] = task
        self._idle.clear()
        task.add_done_callback(functools.partial(self._done, feed_id))

    def _done(self, feed_id: int, task: asyncio.Task[RefreshOutcome]) -> None:
        self._running.pop(feed_id, None)
        if not task.cancelled():
            error = task.exception()
            if error is not None:  # refresh records every failure; this is a bug in that
                log.error("check of feed %s crashed", feed_id, exc_info=error)
            elif self._collected is not None:
                self._collected.append(task.result())
        if not self._closing:  # (closing: aclose waits for every check and sets idle)
            # The freed slot takes the next due feed now, not at the next tick.
            refill = asyncio.create_task(self._refill())
            self._refills.add(refill)
            refill.add_done_callback(self._refills.discard)

    async def _refill(self) -> None:
        await self.start_due()
        if not self._running:
            self._idle.set()

    async def wait_idle(self) -> None:
        """Until no check is running and no due feed is left to start."""
        while True:
            await self._idle.wait()
            if not self._refills:
                return
            await asyncio.gather(*list(self._refills), return_exceptions=True)

    async def poll_due(self) -> list[RefreshOutcome]:
        """Check everything due now and wait for it (tests, benchmarks, `newsbot` tools)."""
        collected: list[RefreshOutcome] = []
        self._collected = collected
        try:
            await self.start_due()
            await self.wait_idle()
        finally:
            self._collected = None
        return collected

    async def check_now(self, feed_id: int) -> RefreshOutcome:
        """Check one feed at once (an admin asked), resuming it if paused; a check already
        running for it is awaited rather than doubled."""
        running = self._running.get(feed_id)
        if running is not None:
            return await asyncio.shield(running)
        await self.storage.check_feed_now(feed_id, now=self.clock())
        feed = await self.storage.feed(feed_id)
        if feed is None:
            return RefreshOutcome(feed_id, error="no such feed")
        async with self._claim:
            if feed_id not in self._running:
                self._start(feed_id, self.refresh(feed, tell_admins=False))
            task = self._running[feed_id]
        return await asyncio.shield(task)

    @property
    def running(self) -> int:
        return len(self._running)

    async def aclose(self) -> None:
        """Stop: cancel running checks (their transactions roll back) and wait for them."""
        self._closing = True
        tasks = [*self._running.values(), *self._refills]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._idle.set()

    # --- one feed -----------------------------------------------------------------------

    async def fetch_feed(
        self, url: str, feed: Feed | None = None
    ) -> tuple[FetchResult, ParsedFeed | None]:
        """Fetch and parse within the check deadline; None for the parsed feed when nothing
        changed: a 304, or the very bytes stored last time."""
        try:
            async with asyncio.timeout(self.settings.check_deadline):
                result = await self.fetcher.fetch(
                    url,
                    etag=feed.etag if feed else None,
                    last_modified=feed.last_modified if feed else None,
                )
                if result.not_modified or (feed and feed.content_hash == result.digest):
                    return result, None
                parse = functools.partial(
                    parse_feed,
                    result.content,
                    content_type=result.content_type,
                    base_url=result.url,
                )
                # Parsing is CPU-bound too: in the reader processes, off the bot's GIL.
                loop = asyncio.get_running_loop()
                parsed = await loop.run_in_executor(self.reader_pool, parse)
        except TimeoutError:
            raise FetchError(f"timed out after {self.settings.check_deadline:.0f} s") from None
        return result, parsed

    async def add_feed(
        self,
        url: str,
        *,
        topic_ids: Sequence[int] = (),
        added_by: int | None = None,
        fulltext: bool = False,
        by_users: bool = False,
    ) -> tuple[Feed, int]:
        """Check the URL once, then follow it: returns the feed and how many items it had.
        `by_users`: a user's own feed (/follow), whose items go to its followers only.

        Raises FetchError or FeedParseError (nothing is stored then) or FeedExistsError.
        """
        result, parsed = await self.fetch_feed(url)
        assert parsed is not None  # no validators were sent, so no 304
        now = self.clock()
        feed = await self.storage.add_feed(
            url,
            title=parsed.title or url,
            interval_seconds=self.settings.interval,
            next_check_at=now,  # the first check's outcome, stored just below, sets it
            now=now,
            fulltext=fulltext,
            added_by=added_by,
            topic_ids=topic_ids,
            by_users=by_users,
        )
        outcome = await self._store(feed, result, parsed, queue=False)
        return feed, outcome.new

    async def refresh(self, feed: Feed, *, tell_admins: bool = True) -> RefreshOutcome:
        """One check of one feed; whatever happens ends recorded on the feed's row.

        `tell_admins` is off when an admin asked for the check: the reply tells them.
        """
        try:
            result, parsed = await self.fetch_feed(feed.url, feed)
            if parsed is None:
                await self.storage.record_feed_success(
                    feed.id, self._success(feed, result, None), now=self.clock()
                )
                stored = StoreOutcome(new=0, updated=0, queued=0)
            else:
                stored = await self._store(feed, result, parsed, queue=feed.primed)
        except FetchError as exc:
            return await self._failed(feed, str(exc), exc, tell_admins)
        except FeedParseError as exc:
            return await self._failed(feed, str(exc), None, tell_admins)
        except Exception as exc:  # a bug met on one feed must not stop the others
            log.exception("checking feed %s (%s) failed", feed.id, feed.url)
            error = f"internal error: {type(exc).__name__}"
            return await self._failed(feed, error, None, tell_admins)
        if feed.alerted:
            await self._tell_admins("back", feed, "")
        if stored.queued:
            self.on_queued()
        return RefreshOutcome(
            feed.id, stored.new, stored.updated, stored.queued, not_modified=parsed is None
        )

    def _success(self, feed: Feed, result: FetchResult, parsed: ParsedFeed | None) -> FeedCheck:
        ttl = parsed.ttl if parsed else None
        wait = next_interval(self.settings, feed.interval_seconds, result.max_age, ttl)
        return FeedCheck(
            next_check_at=self.clock() + wait,
            title=parsed.title if parsed else None,
            etag=result.etag,
            last_modified=result.last_modified,
            content_hash=result.digest if parsed else None,
        )

    async def _store(
        self, feed: Feed, result: FetchResult, parsed: ParsedFeed, *, queue: bool
    ) -> StoreOutcome:
        """Read the new and changed entries, then store items, topics, stories and deliveries
        at once. Entries stored before with the same fingerprint are not read again."""
        unique = {e.key: e for e in parsed.entries}
        known = await self.storage.item_fingerprints(feed.id, list(unique))
        entries = [e for k, e in unique.items() if known.get(k) != e.fingerprint]
        pages = await self._article_pages(entries) if feed.fulltext and entries else {}
        topics = await self.storage.topics() if entries else []

        # Never on the event loop: in the reader processes when there are, else in a thread.
        drafts = await asyncio.get_running_loop().run_in_executor(
            self.reader_pool, read_entries, self.read_entry, entries, pages, topics, feed.topic_ids
        )
        return await self.storage.store_items(
            feed.id,
            drafts,
            now=self.clock(),
            check=self._success(feed, result, parsed),
            queue=queue,
            push_limit=self.settings.push_limit,
            same_story=self.same_story,
        )

    async def _article_pages(self, entries: Sequence[Entry]) -> dict[str, str]:
        """Full-text feeds: fetch each new entry's page; a page that fails leaves the summary.

        Pages go through the same guarded fetcher as feeds: an item link never reaches an
        internal address.
        """

        async def page(entry: Entry) -> tuple[str, str | None]:
            if not entry.url:
                return entry.key, None
            try:
                result = await self.fetcher.fetch(entry.url, max_bytes=PAGE_LIMIT)
            except FetchError as exc:
                log.info("article page %s: %s", entry.url, exc)
                return entry.key, None
            return entry.key, result.text()

        try:
            async with asyncio.timeout(self.settings.check_deadline):
                found = await asyncio.gather(*(page(e) for e in entries))
        except TimeoutError:
            log.info("article pages: deadline passed; the feed's own text is used")
            return {}
        return {key: text for key, text in found if text}

    async def _failed(
        self, feed: Feed, error: str, exc: FetchError | None, tell_admins: bool
    ) -> RefreshOutcome:
        now = self.clock()
        if exc is not None and exc.permanent:
            await self.storage.record_feed_failure(
                feed.id, error=error, now=now, next_check_at=now + self.settings.max_backoff
            )
            await self.storage.pause_feed(feed.id, reason="gone")
            log.warning("feed %s (%s) is gone (%s): paused", feed.id, feed.url, error)
            if tell_admins:
                await self._tell_admins("gone", feed, error)
            return RefreshOutcome(feed.id, error=error)
        delay = backoff_delay(
            feed.interval_seconds, feed.error_count, self.settings.max_backoff, self.jitter
        )
        if exc is not None and exc.retry_after:
            delay = min(max(delay, exc.retry_after), float(self.settings.max_backoff))
        log.warning("feed %s (%s): %s; next try in %.0f s", feed.id, feed.url, error, delay)
        failures = await self.storage.record_feed_failure(
            feed.id, error=error, now=now, next_check_at=now + delay
        )
        if tell_admins and failures >= self.settings.alert_after and not feed.alerted:
            await self.storage.mark_feed_alerted(feed.id)
            await self._tell_admins("failing", feed, error)
        return RefreshOutcome(feed.id, error=error)

    async def _tell_admins(self, kind: str, feed: Feed, reason: str) -> None:
        try:
            await self.alert(kind, feed, reason)
        except Exception:  # an alert that cannot be sent must not fail the check
            log.exception("could not alert the admins about feed %s", feed.id)


def read_entries(
    reader: EntryReader,
    entries: Sequence[Entry],
    pages: Mapping[str, str],
    topics: Sequence[Topic],
    feed_topic_ids: Sequence[int],
) -> list[ItemDraft]:
    """Read a check's entries (module-level, so a process pool can run it)."""
    return [reader(e, pages.get(e.key), topics, feed_topic_ids) for e in entries]
