"""The feed service against a real local server and a real SQLite file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Config, FeedConfig, TopicConfig
from bot.feeds.fetch import Fetcher, FetchPolicy
from bot.feeds.refresh import FeedService, PollSettings
from bot.feeds.sync import sync_config
from bot.reading import read_and_file, same_story
from storage import Storage, open_storage
from tests.support.feed_server import FeedServer
from tests.support.feeds import FeedItem, rss
from tests.support.harness import Clock

ARTICLE_PAGE = """<html><head><title>Talks</title></head><body>
<nav>Home | World | Sport</nav>
<article><h1>Talks in Astana</h1>
<p>President Kassym-Jomart Tokayev of Kazakhstan and President Emomali Rahmon of Tajikistan
held official talks in Astana on Thursday.</p>
<p>The following documents were signed:</p>
<ul><li>Declaration on Allied Relations between Kazakhstan and Tajikistan</li>
<li>Memorandum of Understanding on Trade Cooperation</li></ul>
</article><footer>Subscribe to our newsletter</footer></body></html>"""


@pytest.fixture
async def setup(tmp_path: Path) -> AsyncIterator[tuple[FeedServer, Storage, FeedService, Clock]]:
    server = FeedServer().start()
    storage = await open_storage(tmp_path / "db.sqlite")
    fetcher = Fetcher(FetchPolicy(allow_private_networks=True))
    clock = Clock()
    service = FeedService(
        storage,
        fetcher,
        read_and_file,
        clock,
        PollSettings(interval=600),
        same_story=same_story,
        jitter=lambda: 0.5,  # no jitter: the backoff is exactly the doubled interval
    )
    yield server, storage, service, clock
    await service.aclose()
    await fetcher.aclose()
    await storage.close()
    server.stop()


async def test_configured_full_text_feed_reads_the_article_page(
    setup: tuple[FeedServer, Storage, FeedService, Clock],
) -> None:
    server, storage, service, clock = setup
    server.put("/article", ARTICLE_PAGE.encode(), content_type="text/html; charset=utf-8")
    teaser = FeedItem("a1", "Talks in Astana", "Short teaser.", link=server.url("/article"))
    server.put("/rss", rss("Wire", [teaser]))
    config = Config(
        topics=(TopicConfig("asia", "Азия", "Asia", ("Tajikistan",)),),
        feeds=(FeedConfig(server.url("/rss"), ("asia",), fulltext=True),),
    )
    await sync_config(config, storage, clock())
    await sync_config(config, storage, clock())  # idempotent: a restart adds nothing
    (feed,) = await storage.feeds()
    assert feed.fulltext and not feed.primed

    (outcome,) = await service.poll_due()
    assert outcome.new_items == 1 and outcome.queued == 0  # first check: stored, not pushed
    assert server.statuses("/article") == [200]
    (item,) = await storage.latest_items()
    assert item.is_summit
    assert [d["kind"] for d in item.documents] == ["declaration", "memorandum"]
    assert "Subscribe to our newsletter" not in item.text


async def test_unreachable_feed_backs_off_and_a_due_list_is_empty_until_then(
    setup: tuple[FeedServer, Storage, FeedService, Clock],
) -> None:
    _server, storage, service, clock = setup
    config = Config(feeds=(FeedConfig("http://127.0.0.1:9/closed"),))
    await sync_config(config, storage, clock())
    (outcome,) = await service.poll_due()
    assert outcome.error is not None and outcome.error.startswith("connection failed")
    assert await service.poll_due() == []
    clock.advance(900)  # the configured poll_interval
    (again,) = await service.poll_due()
    assert again.error is not None
    (feed,) = await storage.feeds()
    assert feed.error_count == 2 and feed.next_check_at == clock.now + 1800
