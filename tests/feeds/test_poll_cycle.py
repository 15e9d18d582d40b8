"""The poll cycle under faults: nothing stalls it, every failure is recorded and rescheduled.

Real parts throughout: a local feed server, the guarded fetcher (private networks allowed,
the server is on 127.0.0.1), a real SQLite file. Reading uses a light reader where the test
is about volume, not about what the article reader finds.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.app import poll_settings
from bot.config import Config
from bot.feeds.fetch import Fetcher, FetchPolicy
from bot.feeds.parse import Entry
from bot.feeds.refresh import FeedService, PollSettings, RefreshOutcome, backoff_delay
from bot.reading import read_and_file
from storage import Feed, ItemDraft, Storage, Topic, open_storage
from tests.support.feed_server import FeedServer
from tests.support.feeds import FeedItem, rss
from tests.support.harness import Clock
from tests.support.hostile_server import ConnectLog
from tests.support.readers import light_reader

INTERVAL = 600


@dataclass
class Alerts:
    sent: list[tuple[str, int, str]] = field(default_factory=list)

    async def __call__(self, kind: str, feed: Feed, reason: str) -> None:
        self.sent.append((kind, feed.id, reason))


@dataclass
class Rig:
    server: FeedServer
    storage: Storage
    service: FeedService
    clock: Clock
    alerts: Alerts

    async def follow(
        self, path: str, *, fulltext: bool = False, topics: Sequence[int] = ()
    ) -> Feed:
        now = self.clock()
        return await self.storage.add_feed(
            self.server.url(path),
            title=path,
            interval_seconds=INTERVAL,
            next_check_at=now,
            now=now,
            fulltext=fulltext,
            topic_ids=topics,
        )

    async def feed(self, feed_id: int) -> Feed:
        found = await self.storage.feed(feed_id)
        assert found is not None
        return found


def make_rig(settings: PollSettings, reader=light_reader, fetch_timeout=None):  # type: ignore[no-untyped-def]
    async def build(tmp_path: Path) -> AsyncIterator[Rig]:
        server = FeedServer().start()
        storage = await open_storage(tmp_path / "db.sqlite")
        total = fetch_timeout or settings.check_deadline
        fetcher = Fetcher(FetchPolicy(allow_private_networks=True, total_timeout=total))
        clock = Clock()
        alerts = Alerts()
        service = FeedService(
            storage, fetcher, reader, clock, settings, alert=alerts, jitter=lambda: 0.5
        )
        try:
            yield Rig(server, storage, service, clock, alerts)
        finally:
            await service.aclose()
            await fetcher.aclose()
            await storage.close()
            server.stop()

    return build


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    settings = PollSettings(
        interval=INTERVAL, concurrency=2, check_deadline=1.0, alert_after=3, push_limit=5
    )
    async for built in make_rig(settings)(tmp_path):
        yield built


def items(prefix: str, count: int) -> list[FeedItem]:
    return [FeedItem(f"{prefix}{n}", f"{prefix} title {n}", f"text {n}") for n in range(count)]


async def test_a_slow_feed_does_not_hold_up_the_others(rig: Rig) -> None:
    """Concurrency 2: the drip takes one slot until its deadline; the other slot serves all
    the fast feeds meanwhile, each taking the next due feed as soon as it is free."""
    rig.server.put("/slow", rss("Slow", items("s", 3)), drip=0.05)
    slow = await rig.follow("/slow")
    fast = []
    for n in range(6):
        rig.server.put(f"/fast{n}", rss(f"Fast {n}", items(f"f{n}-", 2)))
        fast.append(await rig.follow(f"/fast{n}"))
    started = time.monotonic()
    outcomes = await rig.service.poll_due()
    elapsed = time.monotonic() - started
    assert [o.feed_id for o in outcomes][-1] == slow.id  # the drip ended last...
    assert {o.feed_id for o in outcomes[:-1]} == {f.id for f in fast}  # ...after all the others
    assert all(o.error is None and o.new_items == 2 for o in outcomes[:-1])
    assert outcomes[-1].error is not None and "timed out" in outcomes[-1].error
    assert elapsed < 5.0  # the 1 s deadline cut it, not the ~30 s the drip would take
    recorded = await rig.feed(slow.id)
    assert recorded.error_count == 1 and recorded.next_check_at == rig.clock() + INTERVAL


def test_the_poll_settings_defaults_are_the_configurations() -> None:
    """Two places name them (PollSettings for the service, [polling] for the file)."""
    assert poll_settings(Config()) == PollSettings()


async def test_feeds_due_during_a_cycle_are_taken_without_waiting_for_a_tick(rig: Rig) -> None:
    for n in range(5):
        rig.server.put(f"/f{n}", rss("F", items(f"i{n}-", 1)))
        await rig.follow(f"/f{n}")
    assert await rig.service.start_due() == 2
    assert rig.service.running == 2  # the slots are full; three feeds wait for a free slot
    assert await rig.service.start_due() == 0  # a tick meanwhile starts nothing more
    await rig.service.wait_idle()
    assert all(f.last_ok_at is not None for f in await rig.storage.feeds())


async def test_failures_back_off_alert_once_and_recover_with_one_message(rig: Rig) -> None:
    rig.server.put("/flaky", b"oops", status=500)
    feed = await rig.follow("/flaky")
    delays, alerts_seen = [], []
    for _ in range(4):
        (outcome,) = await rig.service.poll_due()
        assert outcome == RefreshOutcome(feed.id, error="HTTP 500 Internal Server Error")
        row = await rig.feed(feed.id)
        delays.append(row.next_check_at - rig.clock())
        alerts_seen.append(len(rig.alerts.sent))
        rig.clock.advance(row.next_check_at - rig.clock())
    assert delays == [INTERVAL, 2 * INTERVAL, 4 * INTERVAL, 8 * INTERVAL]
    assert alerts_seen == [0, 0, 1, 1]  # at the third failure in a row (alert_after=3), once
    assert [(kind, feed_id) for kind, feed_id, _ in rig.alerts.sent] == [("failing", feed.id)]
    assert "HTTP 500" in rig.alerts.sent[0][2]
    assert (await rig.feed(feed.id)).enabled  # never disabled by errors alone

    rig.server.put("/flaky", rss("Back", items("b", 1)))
    (outcome,) = await rig.service.poll_due()
    assert outcome.error is None
    assert [kind for kind, _, _ in rig.alerts.sent] == ["failing", "back"]
    recovered = await rig.feed(feed.id)
    assert (recovered.error_count, recovered.alerted) == (0, False)


async def test_backoff_is_capped_and_jittered() -> None:
    assert backoff_delay(600, 0, 86_400, lambda: 0.5) == 600
    assert backoff_delay(600, 3, 86_400, lambda: 0.0) == 600 * 8 * 0.75
    assert backoff_delay(600, 3, 86_400, lambda: 1.0) == 600 * 8 * 1.25
    assert backoff_delay(600, 50, 86_400, lambda: 1.0) == 86_400
    assert backoff_delay(600, 100_000, 86_400, lambda: 0.0) == 0.75 * 86_400  # no overflow


async def test_gone_feed_is_paused_and_admins_told(rig: Rig) -> None:
    rig.server.put("/gone", b"", status=410)
    feed = await rig.follow("/gone")
    (outcome,) = await rig.service.poll_due()
    assert outcome.error is not None and "410" in outcome.error
    paused = await rig.feed(feed.id)
    assert (paused.enabled, paused.paused_reason) == (False, "gone")
    assert [(k, i) for k, i, _ in rig.alerts.sent] == [("gone", feed.id)]
    rig.clock.advance(10 * 86_400)
    assert await rig.service.poll_due() == []  # a paused feed is not checked again...
    rig.server.put("/gone", rss("Alive", items("a", 1)))
    again = await rig.service.check_now(feed.id)  # ...until an admin asks (/refresh)
    assert again.error is None and again.new_items == 1
    assert (await rig.feed(feed.id)).enabled


@pytest.mark.parametrize(
    ("status", "headers", "expected"),
    [
        (429, {"Retry-After": "7200"}, 7200),
        (503, {"Retry-After": "5000"}, 5000),
        (429, {"Retry-After": "999999"}, 86_400),  # bounded by max_backoff
        (429, {}, INTERVAL),  # no hint: the ordinary backoff
    ],
)
async def test_retry_after_sets_the_next_check(
    rig: Rig, status: int, headers: dict[str, str], expected: float
) -> None:
    rig.server.put("/busy", b"", status=status, headers=headers)
    feed = await rig.follow("/busy")
    (outcome,) = await rig.service.poll_due()
    assert outcome.error is not None and str(status) in outcome.error
    assert (await rig.feed(feed.id)).next_check_at == rig.clock() + expected


@pytest.mark.parametrize(
    ("headers", "ttl", "expected"),
    [
        ({"Cache-Control": "max-age=7200"}, None, 7200),
        ({"Cache-Control": "max-age=30"}, None, INTERVAL),  # never more often than configured
        ({"Cache-Control": "max-age=999999"}, None, 6 * 3600),  # never rarer than max_interval
        ({}, 120, 7200),  # RSS <ttl> is in minutes
        ({}, None, INTERVAL),
    ],
)
async def test_cache_hints_set_the_next_check(
    rig: Rig, headers: dict[str, str], ttl: int | None, expected: float
) -> None:
    rig.server.put("/cached", rss("C", items("c", 1), ttl_minutes=ttl), headers=headers)
    feed = await rig.follow("/cached")
    (outcome,) = await rig.service.poll_due()
    assert outcome.error is None
    assert (await rig.feed(feed.id)).next_check_at == rig.clock() + expected


@pytest.fixture
async def roomy_rig(tmp_path: Path) -> AsyncIterator[Rig]:
    """Like `rig`, with a deadline that parsing thousands of items fits on a busy machine."""
    settings = PollSettings(interval=INTERVAL, check_deadline=60.0, push_limit=5)
    async for built in make_rig(settings)(tmp_path):
        yield built


async def test_a_flood_is_stored_whole_and_pushed_as_five_cards_and_one_more(
    roomy_rig: Rig,
) -> None:
    rig = roomy_rig
    topic = await rig.storage.sync_topic("all", "Все", "All", [])
    await rig.storage.upsert_chat(1, type="private", language="ru", now=rig.clock())
    await rig.storage.add_subscription(1, topic.id, now=rig.clock())
    rig.server.put("/flood", rss("Flood", items("old", 1)))
    feed = await rig.follow("/flood", topics=[topic.id])
    await rig.service.poll_due()  # the first check primes: nothing pushed
    rig.server.put("/flood", rss("Flood", items("new", 3000)))
    rig.clock.advance(INTERVAL)
    (outcome,) = await rig.service.poll_due()
    assert (outcome.new_items, outcome.queued) == (3000, 6)
    pending = await rig.storage.pending_outbox(rig.clock(), limit=100)
    assert [p.more for p in pending] == [0, 0, 0, 0, 0, 2995]
    assert await rig.storage.item_count(feed.id) == 3001


async def test_an_item_link_with_a_bad_port_costs_only_its_page(rig: Rig) -> None:
    """A full-text feed whose item links are unusable still stores its items."""
    bad = [
        FeedItem("p1", "Bad port", "teaser one", link="http://127.0.0.1:99999/x"),
        FeedItem("p2", "Bad scheme", "teaser two", link="ftp://127.0.0.1/x"),
    ]
    rig.server.put("/pages", rss("Pages", bad))
    feed = await rig.follow("/pages", fulltext=True)
    (outcome,) = await rig.service.poll_due()
    assert outcome.error is None and outcome.new_items == 2
    assert (await rig.feed(feed.id)).error_count == 0


async def test_an_unexpected_bug_is_recorded_and_the_feed_rescheduled(tmp_path: Path) -> None:
    def broken_reader(*args: object) -> ItemDraft:
        raise OverflowError("a bug in reading")

    settings = PollSettings(interval=INTERVAL, check_deadline=2.0)
    async for built in make_rig(settings, broken_reader)(tmp_path):
        built.server.put("/f", rss("F", items("x", 1)))
        feed = await built.follow("/f")
        (outcome,) = await built.service.poll_due()
        assert outcome.error == "internal error: OverflowError"
        row = await built.feed(feed.id)
        assert row.error_count == 1 and row.next_check_at == built.clock() + INTERVAL
        assert await built.storage.item_count(feed.id) == 0


async def test_unchanged_entries_are_not_read_again(tmp_path: Path) -> None:
    """A check that finds nothing new costs no reading: only new or changed entries are read."""
    read: list[str] = []

    def counting_reader(
        entry: Entry, page: str | None, topics: Sequence[Topic], ids: Sequence[int]
    ) -> ItemDraft:
        read.append(entry.key)
        return read_and_file(entry, page, topics, ids)

    async for built in make_rig(PollSettings(interval=INTERVAL), counting_reader)(tmp_path):
        built.server.put("/f", rss("F", items("x", 3)), etag=False)
        await built.follow("/f")
        await built.service.poll_due()
        assert len(read) == 3
        built.clock.advance(INTERVAL)
        (same,) = await built.service.poll_due()  # the very same bytes, and no ETag to match
        assert same == RefreshOutcome(same.feed_id, 0, 0, 0, not_modified=True)
        assert len(read) == 3
        # Other bytes (the channel changed), the same entries: parsed, but nothing read again.
        built.server.put("/f", rss("F, renamed", items("x", 3)), etag=False)
        built.clock.advance(INTERVAL)
        (outcome,) = await built.service.poll_due()
        assert (outcome.not_modified, outcome.new_items, outcome.updated) == (False, 0, 0)
        assert len(read) == 3
        (feed,) = await built.storage.feeds()
        assert feed.title == "F, renamed"


async def test_a_full_text_feed_cannot_make_the_bot_read_internal_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Item links to loopback, to cloud metadata, or to a public name that redirects inside
    are refused before connecting; the items keep the feed's own teaser text."""
    server = FeedServer().start()
    port = server.url("/").split(":")[-1].rstrip("/")

    async def resolve(host: str, port: int) -> list[str]:
        # "feeds.test" stands for a public feed host; everything else resolves as it would.
        return ["127.0.0.1"] if host in ("feeds.test", "localhost") else ["203.0.113.9"]

    storage = await open_storage(tmp_path / "db.sqlite")
    fetcher = Fetcher(FetchPolicy(allowed_hosts=frozenset({"feeds.test"})), resolver=resolve)
    service = FeedService(storage, fetcher, light_reader, Clock(), PollSettings())
    connects = ConnectLog(monkeypatch)
    try:
        server.put("/secret", b"<html><body><p>SECRET internal page</p></body></html>")
        server.put("/hop", b"", status=302, headers={"Location": f"http://127.0.0.1:{port}/secret"})
        links = [
            f"http://127.0.0.1:{port}/secret",
            f"http://localhost:{port}/secret",
            f"http://2130706433:{port}/secret",
            f"http://feeds.test:{port}/hop",
            "http://169.254.169.254/latest/meta-data/",
            f"http://user:pass@feeds.test:{port}/secret",
        ]
        teasers = [
            FeedItem(f"t{n}", f"Item {n}", f"teaser {n}", link=u) for n, u in enumerate(links)
        ]
        server.put("/rss", rss("Wire", teasers))
        feed_url = f"http://feeds.test:{port}/rss"
        await storage.add_feed(
            feed_url, title="Wire", interval_seconds=600, next_check_at=0, now=0, fulltext=True
        )
        (outcome,) = await service.poll_due()
        assert outcome.error is None and outcome.new_items == len(links)
        stored = await storage.latest_items(limit=10)
        assert sorted(i.text for i in stored) == [f"teaser {n}" for n in range(len(links))]
        assert server.statuses("/secret") == []  # never reached, by any spelling or hop
        assert server.statuses("/hop") == [302]  # the allowed host was asked, its redirect refused
        assert "169.254.169.254" not in connects.hosts() and "203.0.113.9" not in connects.hosts()
    finally:
        await service.aclose()
        await fetcher.aclose()
        await storage.close()
        server.stop()


async def test_a_rewritten_item_is_updated_in_place_and_not_pushed_again(rig: Rig) -> None:
    topic = await rig.storage.sync_topic("all", "Все", "All", [])
    await rig.storage.upsert_chat(1, type="private", language="ru", now=rig.clock())
    await rig.storage.add_subscription(1, topic.id, now=rig.clock())
    rig.server.put("/f", rss("F", [FeedItem("a", "Title", "first text")]))
    feed = await rig.follow("/f", topics=[topic.id])
    await rig.service.poll_due()  # primes
    rig.server.put("/f", rss("F", [FeedItem("a", "Title, corrected", "second text")]))
    rig.clock.advance(INTERVAL)
    (outcome,) = await rig.service.poll_due()
    assert (outcome.new_items, outcome.updated, outcome.queued) == (0, 1, 0)
    (item,) = await rig.storage.latest_items()
    assert (item.title, item.text) == ("Title, corrected", "second text")
    assert await rig.storage.item_count(feed.id) == 1
    assert await rig.storage.pending_outbox(rig.clock()) == []


async def test_a_full_disk_is_a_recorded_failure_and_nothing_is_lost(rig: Rig) -> None:
    """SQLite's page limit stands in for a full disk: the check fails whole, is recorded
    and retried later; once there is room, every item is stored and queued exactly once."""
    topic = await rig.storage.sync_topic("all", "Все", "All", [])
    await rig.storage.upsert_chat(1, type="private", language="ru", now=rig.clock())
    await rig.storage.add_subscription(1, topic.id, now=rig.clock())
    rig.server.put("/f", rss("F", items("old", 1)))
    feed = await rig.follow("/f", topics=[topic.id])
    await rig.service.poll_due()
    conn = rig.storage._conn  # fault injection on the production connection
    async with conn.execute("PRAGMA page_count") as cursor:
        row = await cursor.fetchone()
    assert row is not None
    await conn.execute(f"PRAGMA max_page_count = {row[0]}")
    big = "Длинный текст новости. " * 200
    rig.server.put("/f", rss("F", [FeedItem(f"n{n}", f"N {n}", big) for n in range(5)]))
    rig.clock.advance(INTERVAL)
    (outcome,) = await rig.service.poll_due()
    assert outcome.error == "internal error: OperationalError"
    row_after = await rig.feed(feed.id)
    assert row_after.error_count == 1 and row_after.next_check_at > rig.clock()
    assert await rig.storage.item_count(feed.id) == 1

    await conn.execute("PRAGMA max_page_count = 1073741823")
    rig.clock.advance(row_after.next_check_at - rig.clock())
    (outcome,) = await rig.service.poll_due()
    assert (outcome.error, outcome.new_items, outcome.queued) == (None, 5, 5)
    assert len(await rig.storage.pending_outbox(rig.clock(), limit=50)) == 5


@pytest.mark.parametrize(
    ("body", "status", "content_type", "headers", "error"),
    [
        (b"", 200, "application/rss+xml", {}, "not an RSS, Atom or JSON feed"),
        (b"<html><body><p>Hello</p></body></html>", 200, "text/html", {}, "not an RSS"),
        (b"\x00\xff\xfe garbage", 200, "application/octet-stream", {}, "not an RSS"),
        (b"", 404, "text/plain", {}, "HTTP 404"),
        (b"", 302, "text/plain", {"Location": "/loop"}, "too many redirects"),
    ],
)
async def test_bad_answers_are_recorded_errors_and_the_feed_is_rescheduled(
    rig: Rig, body: bytes, status: int, content_type: str, headers: dict[str, str], error: str
) -> None:
    rig.server.put("/loop", body, status=status, content_type=content_type, headers=headers)
    feed = await rig.follow("/loop")
    (outcome,) = await rig.service.poll_due()
    assert outcome.error is not None and error in outcome.error
    assert (outcome.new_items, outcome.updated, outcome.queued) == (0, 0, 0)
    row = await rig.feed(feed.id)
    assert (row.error_count, row.next_check_at) == (1, rig.clock() + INTERVAL)
    assert row.last_error is not None and error in row.last_error


async def test_after_close_no_check_starts(rig: Rig) -> None:
    rig.server.put("/f", rss("F", items("x", 1)))
    await rig.follow("/f")
    await rig.service.aclose()
    assert await rig.service.start_due() == 0
    assert rig.service.running == 0 and rig.server.statuses("/f") == []


async def test_an_alert_that_cannot_be_sent_does_not_fail_the_check(tmp_path: Path) -> None:
    async def broken_alert(kind: str, feed: Feed, reason: str) -> None:
        raise RuntimeError("Telegram is down")

    settings = PollSettings(interval=INTERVAL, alert_after=1)
    async for built in make_rig(settings)(tmp_path):
        built.service.alert = broken_alert
        built.server.put("/gone", b"", status=410)
        feed = await built.follow("/gone")
        (outcome,) = await built.service.poll_due()
        assert outcome.error is not None and "410" in outcome.error
        row = await built.feed(feed.id)
        assert (row.enabled, row.paused_reason, row.error_count) == (False, "gone", 1)


@pytest.mark.parametrize(("extra", "read"), [(0, True), (1, False)])
async def test_article_pages_are_read_up_to_three_mebibytes(
    rig: Rig, extra: int, read: bool
) -> None:
    """A full-text feed's page at the cap is read; one byte more and the teaser stays."""
    cap = 3 * 1024 * 1024  # the limit named here, not read from the code under test
    head, tail = b"<html><body><article><p>", b"</p></article></body></html>"
    filler = b"Full page text. " * ((cap - len(head) - len(tail)) // 16 + 1)
    page = head + filler[: cap - len(head) - len(tail) + extra] + tail
    assert len(page) == cap + extra
    rig.server.put("/page", page, content_type="text/html")
    link = rig.server.url("/page")
    rig.server.put("/f", rss("F", [FeedItem("p", "Page", "teaser only", link=link)]))
    await rig.follow("/f", fulltext=True)
    (outcome,) = await rig.service.poll_due()
    assert outcome.error is None
    (item,) = await rig.storage.latest_items()
    assert ("Full page text." in item.text) is read  # the light reader keeps the page as is
    assert (item.text == "teaser only") is not read


async def test_article_pages_past_the_deadline_leave_the_teasers(tmp_path: Path) -> None:
    """A full-text feed whose pages trickle: the check's deadline (not the fetcher's longer
    one) ends the pages, and the check ends with the feed's own text."""
    settings = PollSettings(interval=INTERVAL, check_deadline=1.0)
    async for rig in make_rig(settings, fetch_timeout=30.0)(tmp_path):
        await _pages_past_the_deadline(rig)


async def _pages_past_the_deadline(rig: Rig) -> None:
    rig.server.put("/slowpage", b"<html><body><p>" + b"x" * 200 + b"</p></body></html>", drip=0.05)
    link = rig.server.url("/slowpage")
    rig.server.put("/f", rss("F", [FeedItem("p", "Page", "teaser only", link=link)]))
    await rig.follow("/f", fulltext=True)
    (outcome,) = await rig.service.poll_due()
    assert outcome.error is None and outcome.new_items == 1
    (item,) = await rig.storage.latest_items()
    assert item.text == "teaser only"
