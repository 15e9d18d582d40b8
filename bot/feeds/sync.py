"""The configuration is the truth for the feeds it lists.

At start-up, configured feeds are added, their topics and full-text flag brought up to date,
and feeds that left the configuration are stopped (their items stay). Feeds that admins added
in Telegram are left alone, unless the configuration names the same address: then it owns it.
"""

from __future__ import annotations

import logging

from bot.config import Config, feed_url_key
from storage import Storage

log = logging.getLogger(__name__)

REMOVED_FROM_CONFIG = "removed from config"


async def sync_config(config: Config, storage: Storage, now: float) -> None:
    topic_ids = {}
    for topic in config.topics:
        stored = await storage.sync_topic(topic.slug, topic.name_ru, topic.name_en, topic.keywords)
        topic_ids[topic.slug] = stored.id
    followed = {feed_url_key(f.url): f for f in await storage.feeds()}
    configured = set()
    for wanted in config.feeds:
        key = feed_url_key(wanted.url)
        configured.add(key)
        topics = tuple(sorted(topic_ids[s] for s in wanted.topics))
        feed = followed.get(key)
        if feed is None:
            await storage.add_feed(
                wanted.url,
                title=wanted.url,
                interval_seconds=config.poll_interval,
                next_check_at=now,
                now=now,
                fulltext=wanted.fulltext,
                topic_ids=topics,
                source="config",
            )
            continue
        if (feed.topic_ids, feed.fulltext, feed.source) != (topics, wanted.fulltext, "config"):
            await storage.update_feed_settings(
                feed.id, topic_ids=topics, fulltext=wanted.fulltext, source="config"
            )
        if not feed.enabled and feed.paused_reason == REMOVED_FROM_CONFIG:
            await storage.check_feed_now(feed.id, now=now)
    for key, feed in followed.items():
        if feed.source == "config" and key not in configured and feed.enabled:
            log.info("feed %s (%s) left the configuration: stopped", feed.id, feed.url)
            await storage.pause_feed(feed.id, reason=REMOVED_FROM_CONFIG)
