"""Records the storage hands out: plain frozen dataclasses, no database handles inside."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class Topic:
    id: int
    slug: str
    name_ru: str
    name_en: str
    keywords: tuple[str, ...] = ()

    def name(self, lang: str) -> str:
        return self.name_ru if lang == "ru" else self.name_en


@dataclass(frozen=True)
class Feed:
    id: int
    url: str
    title: str
    enabled: bool
    fulltext: bool
    etag: str | None
    last_modified: str | None
    interval_seconds: int
    next_check_at: float
    primed: bool
    error_count: int
    last_error: str | None
    last_checked_at: float | None
    last_ok_at: float | None
    added_by: int | None
    topic_ids: tuple[int, ...]
    source: str  # 'config' (follows the configuration file) or 'admin'
    paused_reason: str | None
    alerted: bool
    content_hash: str | None


@dataclass(frozen=True)
class ItemDraft:
    """An item as the pipeline produced it, before it has a row."""

    key: str
    url: str | None
    title: str
    published_at: float | None
    text: str = ""
    lang: str | None = None
    summary: str = ""
    documents: list[dict[str, str]] = field(default_factory=list)
    entities: dict[str, Any] = field(default_factory=dict)
    is_summit: bool = False
    topic_ids: tuple[int, ...] = ()
    fingerprint: str = ""  # changes when the feed rewrites the item's title or text
    signature: bytes | None = None  # bot.stories signature, for "one story once"
    story_bands: tuple[int, ...] = ()
    # The search index's columns (bot.search.index_document: words, keys); None: the item is
    # indexed later, in the background.
    search: tuple[str, str] | None = None
    # The matching keys of its title and text (bot.articles.text_keys): followed phrases
    # are looked up by them when it is stored. Empty: it matches no phrase.
    word_keys: frozenset[str] = frozenset()


@dataclass(frozen=True)
class FeedCheck:
    """A successful check of a feed: what to keep on its row and when to look again."""

    next_check_at: float
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None


@dataclass(frozen=True)
class StoreOutcome:
    """What one check of a feed wrote, in one transaction."""

    new: int
    updated: int
    queued: int


@dataclass(frozen=True)
class Item:
    id: int
    feed_id: int
    feed_title: str
    key: str
    url: str | None
    title: str
    published_at: float | None
    fetched_at: float
    lang: str | None
    text: str
    summary: str
    documents: list[dict[str, str]]
    entities: dict[str, Any]
    is_summit: bool
    story_id: int | None = None
    other_sources: tuple[str, ...] = ()  # other feeds that carried the same story


@dataclass(frozen=True)
class Chat:
    id: int
    type: str
    language: str
    active: bool
    timezone: str | None = None  # None: the configured one
    digest_times: tuple[int, ...] = ()  # minutes after local midnight; () for instant cards
    quiet: tuple[int, int] | None = None  # (start, end), minutes after local midnight
    link_previews: bool | None = None  # None: the configured default


@dataclass(frozen=True)
class Subscription:
    chat_id: int
    thread_id: int
    topic: Topic
    mode: str


@dataclass(frozen=True)
class DigestLine:
    """One item of a digest: its headline, link and source, under the topic that brought it
    (None when the chat has left that topic since)."""

    title: str
    url: str | None
    source: str
    topic: Topic | None
    more: int = 0  # > 0: "and N more" from `source`
    followed: str | None = None  # no topic brought it: the chat's followed phrase that did


@dataclass(frozen=True)
class OutboxEntry:
    """One pending delivery with everything needed to render it."""

    id: int
    chat_id: int
    thread_id: int
    attempts: int
    chat_language: str
    item: Item | None  # None for a notice
    more: int  # > 0: not the item's card but "and N more new items" from its feed
    parts_sent: int  # messages of it Telegram already accepted: a retry sends the rest
    chat_timezone: str | None = None
    quiet: tuple[int, int] | None = None
    digest: tuple[DigestLine, ...] = ()  # not empty: this row carries the chat's digest
    followed: str | None = None  # the chat's followed phrase that brought the item, if any
    notice: str | None = None  # a notice's text in the chat's language (Telegram HTML)

    @property
    def subject(self) -> str:
        """What the row delivers, for log lines."""
        return f"item {self.item.id}" if self.item is not None else f"the notice of row {self.id}"

    link_previews: bool | None = None  # the chat's choice; None: the configured default


@dataclass(frozen=True)
class DeliveryStats:
    """The outbox at a glance, for admins: what waits, what went, what failed and why."""

    due: int  # pending, to go as soon as the pacer lets it
    held: int  # pending for a digest or the end of quiet hours
    sending: int
    sent: int  # of the rows queued since the report's start
    failed: int  # of the rows queued since the report's start
    paused_chats: int
    errors: tuple[tuple[str, int], ...] = ()  # the most frequent reasons of those failures


@dataclass(frozen=True)
class SavedSearch:
    """A search as it was made, for its pages: the query, and the newest item it could find."""

    id: int
    chat_id: int
    query: str
    newest_item: int


# What following something came to: done, followed already, or the chat's limit reached.
FollowOutcome = Literal["added", "already", "limit"]


@dataclass(frozen=True)
class Follow:
    """One thing a chat follows: a phrase (`feed_id` None) or a feed a user added."""

    id: int
    chat_id: int
    thread_id: int
    shown: str  # the phrase as the user typed it, or the feed's address
    phrase: str | None = None  # the normalised phrase
    feed_id: int | None = None
    feed_title: str = ""


# --- admins in Telegram: topics, notices, statistics ---


@dataclass(frozen=True)
class NoticeText:
    """A notice in both languages, Telegram HTML ready to send."""

    ru: str
    en: str


@dataclass(frozen=True)
class Notice:
    id: int
    kind: str  # 'announcement', 'topic_removed', 'topic_renamed'
    text: NoticeText
    status: str  # 'draft' until confirmed ('queued') or 'cancelled'
    created_by: int | None
    chats: int  # outbox rows queued for it


@dataclass(frozen=True)
class BotStats:
    """The bot at a glance, for admins' /stats."""

    chats_active: int
    chats_private: int  # of the active ones
    chats_groups: int
    chats_channels: int
    chats_paused: int
    topics: tuple[tuple[Topic, int], ...]  # each topic with its active chats' subscriptions
    feeds_healthy: int
    feeds_failing: int
    feeds_paused: int
    outbox_pending: int
    failed_today: int  # rows queued since the day's start that failed
    sent_today: int  # rows sent since the day's start
    items: int
    database_bytes: int
