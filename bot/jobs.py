"""Scheduled callbacks: thin, each delegates to a service."""

from __future__ import annotations

import logging

from bot.context import NewsContext

log = logging.getLogger(__name__)


async def poll_feeds(context: NewsContext) -> None:
    """Check the feeds that are due (their next check time lives on their row)."""
    outcomes = await context.feeds.poll_due()
    if outcomes:
        new = sum(o.new_items for o in outcomes)
        failed = sum(1 for o in outcomes if o.error)
        log.info("polled %d feeds: %d new items, %d failed", len(outcomes), new, failed)
