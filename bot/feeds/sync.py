"""The configuration is the truth for the feeds it lists.

At start-up, configured feeds are added, their topics and full-text flag brought up to date,
and feeds that left the configuration are stopped (their items stay). Feeds that admins added
in Telegram are left alone, unless the configuration names the same address: then it owns it.
Topics go the other way: a topic admins added, edited or removed in Telegram stays as they
left it, whatever the file says (an edit made in Telegram is never lost on a restart).
"""

from __future__ import annotations

import logging

from bot.config import Config, feed_url_key
from storage import Storage

log = logging.getLogger(__name__)

REMOVED_FROM_CONFIG = "removed from config"


async def sync_config(config: Config, storage: Storage, now: float) -> None:
    topic_ids = await _sync_topics(config, storage)
    followed = {feed_url_key(f.url): f for f in await storage.feeds()}
    configured = set()
    for wanted in config.feeds:
        key = feed_url_key(wanted.url)
        configured.add(key)
        topics = tuple(sorted(topic_ids[s] for s in wanted.topics if s in topic_ids))
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


async def _sync_topics(config: Config, storage: Storage) -> dict[str, int]:
    """The file's topics, except those admins edited or removed in Telegram: an admin's
    change is never undone by a restart (the log says which entries of the file are not
    applied). Slug → id of every configured topic that exists."""
    overrides = await storage.topic_overrides()
    topic_ids = {}
    for topic in config.topics:
        match overrides.get(topic.slug):
            case "removed":
                log.warning(
                    "topic %r was removed in Telegram: its entry in the configuration is not "
                    "applied (remove it from the file, or /addtopic it again)",
                    topic.slug,
                )
            case "admin":
                stored = await storage.topic(topic.slug)
                assert stored is not None
                topic_ids[topic.slug] = stored.id
                if (stored.name_ru, stored.name_en, stored.keywords) != (
                    topic.name_ru,
                    topic.name_en,
                    topic.keywords,
                ):
                    log.warning(
                        "topic %r was changed in Telegram: its names and keywords in the "
                        "configuration are not applied",
                        topic.slug,
                    )
            case _:
                stored = await storage.sync_topic(
                    topic.slug, topic.name_ru, topic.name_en, topic.keywords
                )
                topic_ids[topic.slug] = stored.id
    return topic_ids
