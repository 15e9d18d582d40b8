"""Turning a feed entry into an item: the article reader's findings, in storable form.

CPU-bound (morphology, TextRank): the feed service runs it in a worker thread.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from bot import stories
from bot.articles import Article, read_article
from bot.articles.language import identifier as language_identifier
from bot.articles.text import to_plain
from bot.feeds.parse import Entry
from bot.search import index_document
from bot.topics import item_keys, topics_of
from storage import ItemDraft, Topic

ITEM_TEXT_LIMIT = 100_000


def read_entry(entry: Entry, page: str | None = None) -> tuple[Article, ItemDraft]:
    """Read the entry's own content, or the article page when one was fetched (full-text feeds)."""
    # The reader's first step is the same HTML-to-text conversion, and plain text passes
    # through it unchanged: convert once, and store the text the reader read.
    text = to_plain(page if page else entry.content)
    article = read_article(entry.title, text, url=entry.url)
    return article, _draft(entry, article, text[:ITEM_TEXT_LIMIT])


def _draft(entry: Entry, article: Article, text: str) -> ItemDraft:
    data = article.to_json()
    story = stories.signature(entry.title or article.title, text)
    return ItemDraft(
        key=entry.key,
        url=entry.url,
        title=entry.title or article.title,
        published_at=entry.published_at,
        text=text,
        lang=article.lang,
        summary=article.summary,
        documents=[{"title": d.title, "kind": d.kind} for d in article.documents],
        entities={
            k: data[k] for k in ("participants", "countries", "place", "figures", "keywords")
        },
        is_summit=article.is_summit,
        fingerprint=entry.fingerprint,
        signature=story.to_bytes() if story else None,
        story_bands=tuple(story.band_keys()) if story else (),
    )


def read_and_file(
    entry: Entry, page: str | None, topics: Sequence[Topic], feed_topic_ids: Sequence[int]
) -> ItemDraft:
    """Read an entry, find its topics and its search keys: the whole CPU-bound part of
    storing one item."""
    _, draft = read_entry(entry, page)
    keys = item_keys(draft.title, draft.text)  # once, for topics and followed phrases
    topic_ids = topics_of(keys, topics, feed_topic_ids)
    found = index_document(draft.title, draft.text, keys)  # searchable once it is stored
    return replace(
        draft, topic_ids=tuple(topic_ids), word_keys=keys, search=(found.words, found.keys)
    )


def same_story(a: bytes, b: bytes) -> bool:
    """Storage's test for two stored signatures: one story when similar enough."""
    return stories.similarity(_signature(a), _signature(b)) >= stories.SAME_STORY_THRESHOLD


@lru_cache(maxsize=16_384)
def _signature(blob: bytes) -> stories.StorySignature:
    """Decoded once: a new item is compared with several candidates, and they with others."""
    return stories.StorySignature.from_bytes(blob)


def start_reader_process(bot_pid: int) -> None:
    """Initialiser of a reader process: Ctrl-C is the bot's to handle (it shuts the pool
    down); a bot killed outright leaves no reader behind; the dictionaries load before the
    first feed, not during it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(bot_pid,), daemon=True).start()
    read_entry(Entry("warm-up", None, "Переговоры", None, "Президенты провели переговоры."))
    language_identifier()  # the language model, which a text that short does not load


def _exit_with(bot_pid: int) -> None:
    """The pool's queues never tell a worker that the bot died (kill -9): watch for it.

    The bot's pid comes from the bot itself: a worker started as the bot was being killed
    already has another parent when it first looks.
    """
    while os.getppid() == bot_pid:
        time.sleep(0.5)
    os._exit(0)
