"""Feed bytes turned into plain values: a bounded feed title and keyed, clean entries.

RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 go through feedparser; JSON Feed 1.0/1.1 (which
feedparser 6 does not read) through the standard json module. Every entry's key is chosen
with the whole feed in view, because what identifies an item depends on its neighbours: a
guid or link that several different articles share identifies none of them.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

import feedparser

from bot.articles.resources import word_set
from bot.feeds.clean import (
    FEED_TITLE_LIMIT,
    clean_text,
    clean_title,
    clean_url,
    is_ad,
)

log = logging.getLogger(__name__)

MAX_ENTRIES = 5000
TTL_LIMIT = 24 * 3600.0  # a feed cannot ask to be left alone for more than a day

# Query parameters that only track the reader; the same article with other values is the same.
_TRACKING_PREFIXES = ("utm_", "at_", "hsa_", "wt_", "pk_", "mtm_", "itm_")
_TRACKING_PARAMS = word_set(
    "yclid ysclid fbclid gclid gclsrc dclid gbraid wbraid msclkid twclid igshid srsltid "
    "mc_cid mc_eid mc_tc _hsenc _hsmi mkt_tok _openstat xtor wprss ncid ocid cmpid cmp "
    "s_cid sr_share rss_source ito spm __twitter_impression"
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
# A redirector that carries the article's address in its path: ".../rss091/*https://…".
_EMBEDDED_URL_RE = re.compile(r"[*/](https?(?::|%3A)(?://|%2F%2F).+)$", re.IGNORECASE)
# A numeric character reference, in any ASCII-compatible encoding.
_BAD_CHARREF_RE = re.compile(rb"&#([xX][0-9a-fA-F]+|[0-9]+);")
# Content that may hold the article text, beside content[] and summary.
_EXTRA_TEXT_KEYS = ("yandex_full-text", "turbo_content")
_GUID_LIMIT = 4096
# Two entries are one article posted twice when they share this much text (characters) and
# this share of their title words.
_REPOST_MIN_TEXT = 200
_REPOST_TITLE_OVERLAP = 0.5


class FeedParseError(Exception):
    """The document is not a feed we can read."""


@dataclass(frozen=True)
class Entry:
    key: str
    url: str | None
    title: str  # plain text, one line, at most clean.TITLE_LIMIT characters
    published_at: float | None
    content: str  # plain text: paragraphs and "- item" lines, no markup, no entities
    fingerprint: str = ""  # hash of title and text: a changed text is an update, not news


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    link: str | None
    entries: tuple[Entry, ...]
    skipped: int  # advertisements dropped
    ttl: float | None  # RSS <ttl>, in seconds


@dataclass(frozen=True)
class _Source:
    """One entry's raw values, from whichever parser read it."""

    guid: str | None
    link: str | None
    title: str
    published_at: float | None
    texts: tuple[str, ...]


@dataclass(frozen=True)
class _Item:
    """One entry's clean values, before its key is chosen."""

    guid: str | None
    link: str | None  # normalised, for identity
    url: str | None
    title: str
    published_at: float | None
    content: str
    fingerprint: str

    @property
    def identity(self) -> str:
        """What tells two articles apart within one feed: the title, else the text."""
        return " ".join(self.title.split()).casefold() or "text:" + self.fingerprint


def normalise_url(url: str) -> str:
    """A canonical form for comparing links.

    Lower-case scheme and host, no default port, no fragment, no tracking parameters, no
    trailing slash, sorted query; a redirector's embedded target stands for the link.
    """
    url = _unwrap(url.strip())
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(k.lower())
    )
    path = parts.path.rstrip("/") or "/"  # no trailing slash, but the root is "/"
    # parse_qsl gives one pair per value: a repeated parameter stays repeated.
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def _unwrap(url: str) -> str:
    for _ in range(3):
        match = _EMBEDDED_URL_RE.search(urlsplit(url).path)
        if match is None:
            return url
        embedded = match.group(1)
        encoded = "%" in embedded[:12]
        target = unquote(embedded) if encoded else embedded
        query = urlsplit(url).query
        if query and not encoded and "?" not in target:
            # Written out as it is, the target ends the path: the query is the target's.
            target = f"{target}?{query}"
        try:
            if not urlsplit(target).hostname:
                return url
        except ValueError:
            return url
        url = target
    return url


def _is_tracking(name: str) -> bool:
    return name in _TRACKING_PARAMS or name.startswith(_TRACKING_PREFIXES)


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def item_key(
    guid: str | None,
    link: str | None,
    title: str,
    published_at: float | None,
    content: str = "",
) -> str:
    """A key from whatever identifies an entry: its guid, else its link, else its values.

    parse_feed decides which of guid and link can be trusted within the feed and passes
    only those; the last resort is title, date and a hash of the text.
    """
    if guid and guid.strip():
        return _hash("guid:" + guid.strip())
    if link and link.strip():
        return _hash("link:" + normalise_url(link))
    title_part = " ".join(title.split()).casefold()
    return _hash(f"title:{title_part}|{published_at or ''}|{_hash(content) if content else ''}")


def parse_feed(
    content: bytes,
    *,
    content_type: str | None = None,
    base_url: str | None = None,
    max_entries: int = MAX_ENTRIES,
) -> ParsedFeed:
    """Parse RSS, Atom or JSON Feed bytes into clean, keyed entries (at most max_entries).

    Raises FeedParseError only when this is not a feed at all; a reference to no character
    (a lone surrogate, a code point past Unicode) costs that character, never the entry.
    """
    if _is_json(content):
        title, link, ttl, sources = _read_json_feed(content)
    else:
        title, link, ttl, sources = _read_xml_feed(content, content_type, base_url)
    items: list[_Item] = []
    skipped = 0
    for source in _newest(sources, max_entries):
        item = _clean(source)
        if is_ad(item.title, item.url):
            skipped += 1
            continue
        items.append(item)
    return ParsedFeed(
        title=clean_title(title, FEED_TITLE_LIMIT),
        link=clean_url(link),
        entries=_keyed(items),
        skipped=skipped,
        ttl=ttl,
    )


# --- reading the formats -------------------------------------------------------------------


def _read_xml_feed(
    content: bytes, content_type: str | None, base_url: str | None
) -> tuple[str, str | None, float | None, list[_Source]]:
    headers = {}
    if content_type:
        headers["content-type"] = content_type
    if base_url:
        headers["content-location"] = base_url
    if b"&#" in content:
        content = _BAD_CHARREF_RE.sub(_replace_charref, content)
    try:
        # Our own converter makes plain text of every value, so feedparser's HTML
        # sanitizer and link rewriting would be work thrown away.
        parsed = feedparser.parse(
            content, response_headers=headers, sanitize_html=False, resolve_relative_uris=False
        )
    except Exception as exc:  # a crash inside a third-party parser is the feed's fault here
        log.warning("feedparser failed on a document", exc_info=True)
        raise FeedParseError(f"unreadable feed: {type(exc).__name__}") from exc
    entries = parsed.get("entries", [])
    if not entries and not parsed.get("version"):
        reason = parsed.get("bozo_exception")
        detail = f": {str(reason).splitlines()[0][:200]}" if reason else ""
        raise FeedParseError(f"not an RSS, Atom or JSON feed{detail}")
    feed: Any = parsed.get("feed", {})
    sources = [_from_feedparser(e) for e in entries]
    return _text(feed.get("title")), _text(feed.get("link")) or None, _ttl(feed), sources


def _replace_charref(match: re.Match[bytes]) -> bytes:
    """A reference to what is no XML character becomes one that is (U+FFFD, or a space).

    `&#xD800;` sends feedparser from its strict to its loose parser, which then fails on
    the whole document encoding the lone surrogate; `&#1;` is as invalid in XML.
    """
    digits = match.group(1)
    hexadecimal = digits[:1] in (b"x", b"X")
    significant = (digits[1:] if hexadecimal else digits).lstrip(b"0") or b"0"
    # More digits than 0x10FFFF (6 hex) or 1114111 (7 decimal) have: no character at all,
    # and never handed to int(), which refuses decimal strings past 4,300 digits.
    if len(significant) > (6 if hexadecimal else 7):
        return b"&#xFFFD;"
    code = int(significant, 16 if hexadecimal else 10)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return b"&#xFFFD;"
    if (code < 0x20 and code not in (0x9, 0xA, 0xD)) or code in (0xFFFE, 0xFFFF):
        return b"&#32;"
    return match.group(0)


def _from_feedparser(entry: Any) -> _Source:
    texts = [_text(c.get("value")) for c in entry.get("content") or () if isinstance(c, Mapping)]
    texts.append(_text(entry.get("summary")))
    texts.extend(_text(entry.get(k)) for k in _EXTRA_TEXT_KEYS)
    # feedburner's origLink is the article itself; the <link> is its tracking redirect.
    link = _text(entry.get("feedburner_origlink")) or _text(entry.get("link"))
    guid = _text(entry.get("id"))  # feedparser files RSS <guid> under "id" too
    return _Source(
        guid=guid or None,
        link=link or None,
        title=_text(entry.get("title")),
        published_at=_timestamp(entry),
        texts=tuple(t for t in texts if t),
    )


def _is_json(content: bytes) -> bool:
    """By the body, not the Content-Type: servers label RSS as JSON and JSON as text."""
    return content[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def _read_json_feed(content: bytes) -> tuple[str, str | None, float | None, list[_Source]]:
    """JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1)."""
    try:
        text = content.decode(json.detect_encoding(content), "replace")
        data = json.loads(text, parse_int=_json_int)
    except (ValueError, RecursionError) as exc:
        raise FeedParseError(f"not an RSS, Atom or JSON feed: {type(exc).__name__}") from exc
    version = data.get("version") if isinstance(data, dict) else None
    if not (isinstance(version, str) and version.startswith("https://jsonfeed.org/version/")):
        raise FeedParseError("not an RSS, Atom or JSON feed: JSON without a JSON Feed version")
    items = data.get("items")
    sources = (
        [_from_json(i) for i in items if isinstance(i, dict)] if isinstance(items, list) else []
    )
    return _text(data.get("title")), _text(data.get("home_page_url")) or None, None, sources


def _json_int(digits: str) -> int | str:
    """Python refuses to convert very long numbers: such an id stays the string it was."""
    return int(digits) if len(digits) <= 64 else digits


def _from_json(item: dict[str, Any]) -> _Source:
    guid = item.get("id")
    texts = (_text(item.get("content_html")), _text(item.get("content_text")))
    published = _iso_timestamp(item.get("date_published")) or _iso_timestamp(
        item.get("date_modified")
    )
    return _Source(
        # 1.0 feeds sometimes give numbers; any scalar is a usable id.
        guid=str(guid) if isinstance(guid, str | int) and not isinstance(guid, bool) else None,
        link=_text(item.get("url")) or _text(item.get("external_url")) or None,
        title=_text(item.get("title")),
        published_at=published,
        texts=tuple(t for t in (*texts, _text(item.get("summary"))) if t),
    )


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _ttl(feed: Any) -> float | None:
    """RSS <ttl> is in minutes."""
    try:
        minutes = float(feed.get("ttl", ""))
    except (TypeError, ValueError):
        return None
    if not minutes > 0:  # also NaN
        return None
    return min(minutes * 60.0, TTL_LIMIT)


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


def _iso_timestamp(value: object) -> float | None:
    if not isinstance(value, str) or not value or len(value) > 64:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    # An aware datetime's timestamp is a subtraction from the epoch: no parsed date fails it.
    stamp = moment.timestamp()
    return stamp if stamp > 0 else None


def _newest(sources: Sequence[_Source], limit: int) -> list[_Source]:
    """At most `limit` entries: the newest by date, in feed order (undated ones count last)."""
    if len(sources) <= limit:
        return list(sources)
    ranked = sorted(
        range(len(sources)),
        key=lambda i: -(sources[i].published_at or float("-inf")),
    )
    return [sources[i] for i in sorted(ranked[:limit])]


# --- clean values and keys -----------------------------------------------------------------


def _clean(source: _Source) -> _Item:
    title = clean_title(source.title)
    # The longest candidate is usually the fullest text; an empty one (a lone tracking
    # pixel) gives way to the next.
    content = ""
    for raw in sorted(source.texts, key=len, reverse=True)[:3]:
        content = clean_text(raw)
        if content:
            break
    url = clean_url(source.link)
    return _Item(
        guid=_guid(source.guid),
        link=normalise_url(url) if url else None,
        url=url,
        title=title,
        published_at=source.published_at,
        content=content,
        fingerprint=_hash(title + "\n" + content),
    )


def _guid(guid: str | None) -> str | None:
    """Whitespace-normalised and bounded: it is only ever hashed and compared."""
    if not guid:
        return None
    return " ".join(guid[:_GUID_LIMIT].split()) or None


def _shared(groups: Iterable[tuple[str | None, str]]) -> set[str]:
    """Values carried by entries that are different articles: they identify none of them."""
    seen: dict[str, str] = {}
    shared: set[str] = set()
    for value, identity in groups:
        if value is None:
            continue
        if seen.setdefault(value, identity) != identity:
            shared.add(value)
    return shared


def _keyed(items: Sequence[_Item]) -> tuple[Entry, ...]:
    """Keys chosen with the whole feed in view; genuine duplicates collapse to one entry.

    guid, unless several different articles carry it (or it is a bare copy of such a
    link); else the normalised link, unless several different articles carry it; else
    title, date and a hash of the text. Entries with the same title sharing a guid or link
    are one article listed twice: the one with the most text stays.
    """
    shared_links = _shared((i.link, i.identity) for i in items)
    shared_guids = _shared((i.guid, i.identity) for i in items)
    chosen: dict[str, Entry] = {}
    for item in items:
        guid = item.guid
        if guid is not None and (guid in shared_guids or _link_of(guid) in shared_links):
            guid = None
        link = item.link if item.link not in shared_links else None
        key = item_key(guid, link, item.title, item.published_at, item.content)
        entry = Entry(
            key=key,
            url=item.url,
            title=item.title,
            published_at=item.published_at,
            content=item.content,
            fingerprint=item.fingerprint,
        )
        kept = chosen.get(key)
        if kept is None or len(entry.content) > len(kept.content):
            chosen[key] = entry
    return _merge_republished(list(chosen.values()))


def _merge_republished(entries: list[Entry]) -> tuple[Entry, ...]:
    """One article posted twice under two addresses (lenta.ru fixing a slug) is one entry.

    The signal is the same substantial text under a similar title: a text a feed repeats
    on unrelated items (a disclaimer) has unrelated titles beside it. The merged entry
    keeps the older post's key, which earlier polls stored, and the newer post's values,
    so storage sees an update of that item, not news.
    """
    by_text: dict[str, int] = {}
    merged: list[Entry | None] = list(entries)
    for index, entry in enumerate(entries):
        if len(entry.content) < _REPOST_MIN_TEXT:
            continue
        text_hash = _hash(entry.content)
        first = by_text.setdefault(text_hash, index)
        other = merged[first]
        if first == index or other is None or not _similar_titles(other.title, entry.title):
            continue
        older, newer = sorted((other, entry), key=lambda e: e.published_at or 0.0)
        merged[first] = replace(newer, key=older.key)
        merged[index] = None
    return tuple(e for e in merged if e is not None)


def _similar_titles(a: str, b: str) -> bool:
    """At least half of all their words shared; two untitled posts share all of none."""
    words_a, words_b = set(a.casefold().split()), set(b.casefold().split())
    return len(words_a & words_b) >= _REPOST_TITLE_OVERLAP * len(words_a | words_b)


def _link_of(guid: str) -> str | None:
    """The normalised link a guid copies, if it is a link at all."""
    url = clean_url(guid) if "://" in guid else None
    return normalise_url(url) if url else None
