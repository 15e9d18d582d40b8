"""Which topics an item belongs to: its feed's topics, plus topics whose keywords it mentions."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from storage.models import Topic


@lru_cache(maxsize=1024)
def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in keyword.casefold().replace("ё", "е").split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)")


def keyword_occurs(keyword: str, text: str) -> bool:
    """Case-insensitive, whole words only: 'ЕС' must not match inside 'если'."""
    if not keyword.strip():
        return False
    return _keyword_pattern(keyword).search(text.casefold().replace("ё", "е")) is not None


def matching_topics(
    title: str, text: str, topics: Sequence[Topic], feed_topic_ids: Iterable[int] = ()
) -> list[int]:
    """Ids of the topics the item belongs to, in the order of `topics`."""
    assigned = set(feed_topic_ids)
    haystack = f"{title}\n{text}"
    return [
        topic.id
        for topic in topics
        if topic.id in assigned or any(keyword_occurs(k, haystack) for k in topic.keywords)
    ]
