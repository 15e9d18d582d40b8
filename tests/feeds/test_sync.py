"""The configuration is the truth for the feeds it lists; admins' feeds are left alone."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Config, FeedConfig, TopicConfig
from bot.feeds.sync import REMOVED_FROM_CONFIG, sync_config
from storage import Storage, open_storage

NOW = 1_800_000_000.0
TOPICS = (TopicConfig("asia", "Азия", "Asia"), TopicConfig("world", "Мир", "World"))


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[Storage]:
    opened = await open_storage(tmp_path / "db.sqlite")
    yield opened
    await opened.close()


def config(*feeds: FeedConfig) -> Config:
    return Config(topics=TOPICS, feeds=feeds)


async def test_config_feeds_are_added_updated_stopped_and_resumed(storage: Storage) -> None:
    await sync_config(config(FeedConfig("https://a.example/rss", ("asia",))), storage, NOW)
    (feed,) = await storage.feeds()
    asia, world = (await storage.topic("asia")), (await storage.topic("world"))
    assert asia is not None and world is not None
    assert (feed.source, feed.topic_ids, feed.fulltext) == ("config", (asia.id,), False)
    assert feed.next_check_at == NOW  # checked at once

    # Changing topics or fulltext in the file changes the stored feed, however the URL is cased.
    changed = FeedConfig("HTTPS://A.example/rss/", ("world",), fulltext=True)
    await sync_config(config(changed), storage, NOW + 1)
    (feed,) = await storage.feeds()
    assert (feed.topic_ids, feed.fulltext, feed.url) == ((world.id,), True, "https://a.example/rss")

    # Removed from the file: stopped, items kept; back in the file: resumed.
    await sync_config(config(), storage, NOW + 2)
    (stopped,) = await storage.feeds()
    assert (stopped.enabled, stopped.paused_reason) == (False, REMOVED_FROM_CONFIG)
    await sync_config(config(changed), storage, NOW + 3)
    (resumed,) = await storage.feeds()
    assert resumed.enabled and resumed.next_check_at == NOW + 3


async def test_feeds_added_by_admins_are_left_alone(storage: Storage) -> None:
    await storage.add_feed(
        "https://admin.example/rss",
        title="Admin's",
        interval_seconds=600,
        next_check_at=NOW,
        now=NOW,
        added_by=42,
    )
    await sync_config(config(FeedConfig("https://a.example/rss")), storage, NOW)
    await sync_config(config(), storage, NOW + 1)
    by_url = {f.url: f for f in await storage.feeds()}
    assert by_url["https://admin.example/rss"].enabled
    assert by_url["https://admin.example/rss"].source == "admin"
    assert not by_url["https://a.example/rss"].enabled


async def test_a_gone_feed_stays_paused_across_restarts(storage: Storage) -> None:
    listed = config(FeedConfig("https://a.example/rss"))
    await sync_config(listed, storage, NOW)
    (feed,) = await storage.feeds()
    await storage.pause_feed(feed.id, reason="gone")
    await sync_config(listed, storage, NOW + 1)  # a restart does not undo an HTTP 410
    (still,) = await storage.feeds()
    assert (still.enabled, still.paused_reason) == (False, "gone")


async def test_several_new_config_feeds_are_all_added(storage: Storage) -> None:
    await storage.add_feed(
        "https://old.example/rss", title="Old", interval_seconds=600, next_check_at=NOW, now=NOW
    )
    await sync_config(config(FeedConfig("https://old.example/rss")), storage, NOW)
    listed = config(
        FeedConfig("https://a.example/rss"),
        FeedConfig("https://b.example/rss", ("world",)),
        FeedConfig("https://old.example/rss"),
    )
    await sync_config(listed, storage, NOW + 1)
    by_url = {f.url: f for f in await storage.feeds()}
    assert sorted(by_url) == [
        "https://a.example/rss",
        "https://b.example/rss",
        "https://old.example/rss",
    ]
    assert all(f.enabled and f.source == "config" for f in by_url.values())
