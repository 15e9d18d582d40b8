"""feedparser's result turned into plain values: a feed title and keyed entries."""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import feedparser

# Query parameters that only track the reader; the same article with other values is the same.
_TRACKING_PARAMS = ("utm_", "yclid", "fbclid", "gclid", "_openstat", "at_medium", "at_campaign")


class FeedParseError(Exception):
    """The document is not a feed we can read."""


@dataclass(frozen=True)
class Entry:
    key: str
    url: str | None
    title: str
    published_at: float | None
    content: str  # HTML or plain text, as the feed gave it


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    link: str | None
    entries: tuple[Entry, ...]


def normalise_url(url: str) -> str:
    """A canonical form for comparing links: lower-case host, no fragment, no tracking tags."""
    parts = urlsplit(url.strip())
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(_TRACKING_PARAMS)
    ]
    path = parts.path or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/")
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), path, urlencode(query, doseq=True), "")
    )


def item_key(guid: str | None, link: str | None, title: str, published_at: float | None) -> str:
    """A stable key for an entry: its guid, else its normalised link, else title and date."""
    if guid and guid.strip():
        basis = "guid:" + guid.strip()
    elif link and link.strip():
        basis = "link:" + normalise_url(link)
    else:
        basis = f"title:{' '.join(title.split()).casefold()}|{published_at or ''}"
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]


def parse_feed(
    content: bytes, *, content_type: str | None = None, base_url: str | None = None
) -> ParsedFeed:
    """Parse RSS or Atom bytes; raise FeedParseError when this is not a feed at all."""
    headers = {}
    if content_type:
        headers["content-type"] = content_type
    if base_url:
        headers["content-location"] = base_url
    try:
        parsed = feedparser.parse(content, response_headers=headers, sanitize_html=True)
    except Exception as exc:  # feedparser is robust, but a parser bug must not kill a poll
        raise FeedParseError(f"unreadable feed: {type(exc).__name__}") from exc
    feed: Any = parsed.get("feed", {})
    entries = tuple(_entry(e) for e in parsed.get("entries", []))
    if not entries and not parsed.get("version"):
        reason = parsed.get("bozo_exception")
        detail = f": {str(reason).splitlines()[0][:200]}" if reason else ""
        raise FeedParseError(f"not an RSS or Atom feed{detail}")
    return ParsedFeed(
        title=_clean(feed.get("title", "")),
        link=feed.get("link") or None,
        entries=entries,
    )


def _clean(value: Any) -> str:
    return " ".join(str(value).split()) if value else ""


def _timestamp(entry: Any) -> float | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                stamp = float(calendar.timegm(value))
            except (TypeError, ValueError, OverflowError):
                continue
            if stamp > 0:  # some feeds write 0 for "unknown"
                return stamp
    return None


def _entry(entry: Any) -> Entry:
    title = _clean(entry.get("title", ""))
    link = entry.get("link") or None
    published = _timestamp(entry)
    contents = entry.get("content") or []
    content = ""
    if contents:
        content = max((c.get("value", "") for c in contents), key=len)
    summary = entry.get("summary", "") or ""
    if len(summary) > len(content):
        content = summary
    guid = entry.get("id") or entry.get("guid")
    return Entry(
        key=item_key(str(guid) if guid else None, link, title, published),
        url=link,
        title=title,
        published_at=published,
        content=content,
    )
