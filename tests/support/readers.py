"""A reader for tests and benchmarks about volume: the feed's own text, no article reading."""

from __future__ import annotations

from collections.abc import Sequence

from bot.feeds.parse import Entry
from storage import ItemDraft, Topic


def light_reader(
    entry: Entry, page: str | None, topics: Sequence[Topic], feed_topic_ids: Sequence[int]
) -> ItemDraft:
    """What the feed said, filed under the feed's topics: the article reader is left out."""
    return ItemDraft(
        key=entry.key,
        url=entry.url,
        title=entry.title,
        published_at=entry.published_at,
        text=page or entry.content,
        fingerprint=entry.fingerprint,
        topic_ids=tuple(feed_topic_ids),
    )
