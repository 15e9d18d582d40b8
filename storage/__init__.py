"""Storage: the only place with SQL."""

from storage.models import Chat, Feed, Item, ItemDraft, OutboxEntry, Subscription, Topic
from storage.store import FeedExistsError, Storage, open_storage

__all__ = [
    "Chat",
    "Feed",
    "FeedExistsError",
    "Item",
    "ItemDraft",
    "OutboxEntry",
    "Storage",
    "Subscription",
    "Topic",
    "open_storage",
]
