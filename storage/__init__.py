"""Storage: the only place with SQL."""

from storage.models import (
    BotStats,
    Chat,
    DeliveryStats,
    DigestLine,
    Feed,
    FeedCheck,
    Follow,
    FollowOutcome,
    Item,
    ItemDraft,
    Notice,
    NoticeText,
    OutboxEntry,
    StoreOutcome,
    Subscription,
    Topic,
)
from storage.store import FeedExistsError, SameStory, Storage, open_storage

__all__ = [
    "BotStats",
    "Chat",
    "DeliveryStats",
    "DigestLine",
    "Feed",
    "FeedCheck",
    "FeedExistsError",
    "Follow",
    "FollowOutcome",
    "Item",
    "ItemDraft",
    "Notice",
    "NoticeText",
    "OutboxEntry",
    "SameStory",
    "Storage",
    "StoreOutcome",
    "Subscription",
    "Topic",
    "open_storage",
]
