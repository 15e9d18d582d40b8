"""Scheduled callbacks: thin, each delegates to a service."""

from __future__ import annotations

import logging

from bot.context import NewsContext
from bot.delivery.schedule import chat_zone, next_digest_at
from storage.store import STORY_WINDOW

log = logging.getLogger(__name__)


async def poll_feeds(context: NewsContext) -> None:
    """Start checks of the feeds that are due (their next check time lives on their row).

    Returns at once: the checks run as tasks, and each one that ends starts the next due feed.
    """
    started = await context.feeds.start_due()
    if started:
        log.debug("started %d feed checks (%d running)", started, context.feeds.running)


async def housekeeping(context: NewsContext) -> None:
    """Daily: forget the story index of items too old to be matched by a new one."""
    pruned = await context.storage.prune_story_bands(before=context.now() - STORY_WINDOW)
    forgotten = await context.storage.prune_updates(before=context.now() - 24 * 3600)
    log.info(
        "housekeeping: %d story band rows pruned, %d handled updates forgotten", pruned, forgotten
    )


async def send_digests(context: NewsContext) -> None:
    """Release the digests that are due (each chat's next digest time lives on its row) and
    set each chat's next one."""
    now, storage = context.now(), context.storage
    released = 0
    for chat in await storage.due_digests(now):
        upcoming = next_digest_at(
            now, chat_zone(chat.timezone, context.config.timezone), chat.digest_times
        )
        released += await storage.release_digest(chat.id, now=now, next_at=upcoming)
    if released:
        context.sender.wake()
