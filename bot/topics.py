"""Which topics an item belongs to: its feed's topics, plus topics whose keywords it mentions.

Matching is by word forms, not by substrings: the keyword "Таджикистан" matches
"Таджикистана", "таджикско-казахстанских" and "таджикскому"; English keywords match by stem
("summit" matches "summits"). Keywords are plain words or phrases, never regular expressions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.articles import phrase_matches, text_keys
from storage.models import Topic


def keyword_occurs(keyword: str, text: str) -> bool:
    """Does the keyword (a word or a phrase) occur in the text, in any of its forms?"""
    return phrase_matches(keyword, text_keys(text))


def matching_topics(
    title: str, text: str, topics: Sequence[Topic], feed_topic_ids: Iterable[int] = ()
) -> list[int]:
    """Ids of the topics the item belongs to, in the order of `topics`."""
    return topics_of(item_keys(title, text), topics, feed_topic_ids)


def item_keys(title: str, text: str) -> frozenset[str]:
    """The keys an item is matched by, topics' keywords and followed phrases alike."""
    return text_keys(f"{title}\n{text}")


def topics_of(
    keys: frozenset[str], topics: Sequence[Topic], feed_topic_ids: Iterable[int] = ()
) -> list[int]:
    """Ids of the topics an item with these keys belongs to, in the order of `topics`."""
    assigned = set(feed_topic_ids)
    return [
        topic.id
        for topic in topics
        if topic.id in assigned or any(phrase_matches(k, keys) for k in topic.keywords)
    ]


_QUOTES = "\"'«»“”„‘’`"


def topic_named(phrase: str, topics: Iterable[Topic]) -> Topic | None:
    """The topic a user names as they would type it: its slug or its name in either language,
    in any case, with or without quotes ("central-asia", «Центральная Азия», central asia)."""
    wanted = " ".join(phrase.strip().strip(_QUOTES).split()).casefold().replace("ё", "е")
    if not wanted:
        return None
    for topic in topics:
        names = (topic.slug, topic.name_ru, topic.name_en)
        if wanted in (n.casefold().replace("ё", "е") for n in names):
            return topic
    return None
