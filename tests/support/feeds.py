"""Building small RSS documents for tests."""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import formatdate
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class FeedItem:
    guid: str
    title: str
    description: str
    link: str = ""
    published: float = 1_700_000_000.0


def rss(title: str, items: list[FeedItem], *, ttl_minutes: int | None = None) -> bytes:
    entries = "".join(
        f"""<item><guid isPermaLink="false">{escape(i.guid)}</guid><title>{escape(i.title)}</title>
<link>{escape(i.link or "https://news.example/" + i.guid)}</link>
<description>{escape(i.description)}</description>
<pubDate>{formatdate(i.published, usegmt=True)}</pubDate></item>"""
        for i in items
    )
    ttl = f"<ttl>{ttl_minutes}</ttl>" if ttl_minutes is not None else ""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{escape(title)}</title><link>https://news.example/</link>
<description>test feed</description>{ttl}{entries}</channel></rss>""".encode()
