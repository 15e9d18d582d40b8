"""Turning a feed entry into a stored item: the text, and what the reader found in it."""

from __future__ import annotations

import html
import re

from bot.feeds.parse import Entry
from storage import ItemDraft

_TAG = re.compile(r"<[^>]+>")


def read_entry(entry: Entry) -> ItemDraft:
    text = " ".join(html.unescape(_TAG.sub(" ", entry.content)).split())
    return ItemDraft(
        key=entry.key,
        url=entry.url,
        title=entry.title,
        published_at=entry.published_at,
        text=text,
        summary=text,
    )
