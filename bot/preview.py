"""`newsbot preview`: what a subscriber would get, without Telegram or a token.

The source is a feed (file or URL) or a single article (a .txt or .html file, or a page URL).
`--json` prints the reader's findings with where the item comes from: url, date (ISO 8601,
UTC) and source (the feed's title or host, the page's site), null when unknown.

Whatever cannot be previewed (a missing or unreadable file, an empty one, an image or other
binary data named .txt) is one line on stderr and exit status 1: never an empty card.
"""

from __future__ import annotations

import asyncio
import codecs
import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from trafilatura.metadata import extract_metadata
from trafilatura.settings import set_date_params

from bot.articles import Article
from bot.articles.text import to_plain
from bot.config import is_http_url
from bot.delivery.render import make_card, render_text
from bot.feeds.fetch import Fetcher, FetchError, FetchResult
from bot.feeds.parse import Entry, FeedParseError, ParsedFeed, item_key, parse_feed
from bot.i18n import tn
from bot.reading import read_entry
from storage import ItemDraft

ARTICLE_SUFFIXES = (".txt", ".text", ".html", ".htm")

# A page's date with its time and offset when it gives them (trafilatura keeps only the day).
_DATE_CONFIG: dict[str, Any] = {"outputformat": "%Y-%m-%dT%H:%M:%S%z"}


class NotPreviewable(Exception):
    """A source that gives no card; the message says which and why, in one line."""


class NotText(ValueError):
    """Bytes that are no article text: binary data, an unknown encoding, or nothing at all."""


async def _download(url: str) -> FetchResult:
    """One fetch under the default policy: the address guard applies to previews too."""
    async with Fetcher() as fetcher:
        return await fetcher.fetch(url)


class PageInfo(NamedTuple):
    """What a page says about itself besides its text; None where it says nothing."""

    title: str | None = None
    date: str | None = None
    url: str | None = None
    source: str | None = None


# --- text or binary ------------------------------------------------------------------------

# Formats often saved under a wrong name; their first bytes name them in the error.
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx, .odt, .epub)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control characters that text does not contain (tab, line breaks and form feed aside).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Text with more control characters than one in this many is binary data that decoded.
CONTROL_SHARE = 10

_META_CHARSET_RE = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([a-z0-9_.:-]+)", re.I)
_CONTENT_TYPE_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?([a-z0-9_.:-]+)", re.I)


def declared_charset(content: bytes, content_type: str | None = None) -> str | None:
    """The encoding a page declares: HTTP's Content-Type first, then a <meta> in its first
    1024 bytes (where browsers look). None when it declares none that Python knows."""
    found = _CONTENT_TYPE_CHARSET_RE.search(content_type or "")
    if found:
        return _codec(found.group(1))
    meta = _META_CHARSET_RE.search(content[:1024])
    codec = _codec(meta.group(1).decode("ascii")) if meta else None
    # Markup legible as ASCII is not UTF-16 or UTF-32, whatever it says (as browsers hold).
    return None if codec and codec.startswith(("utf-16", "utf-32")) else codec


def _codec(name: str) -> str | None:
    """Python's name of a text encoding; None for an unknown name, a bytes-to-bytes codec
    (base64, zlib, rot13) or one that decodes nothing ("undefined")."""
    try:
        codec = codecs.lookup(name).name
        bytes(4).decode(codec)  # NULs: valid in every real charset, UTF-16 and UTF-32 too
    except (LookupError, UnicodeError):
        return None
    return codec


def decode_text(content: bytes, charset: str | None = None) -> str:
    """An article file's bytes as text, or NotText saying why they are not.

    A byte-order mark decides the encoding; without one, the declared charset if any, else
    UTF-8. Binary is judged by content, never by name: a known magic number, a NUL byte, or
    text that decodes but is full of control characters. Nothing but whitespace is no text.
    """
    if not content:
        raise NotText("empty (0 bytes)")
    for magic, kind in MAGIC:
        if content.startswith(magic):
            raise NotText(f"{kind}, not text")
    for bom, encoding in BOMS:
        if content.startswith(bom):
            text = _decode(content[len(bom) :], encoding)
            break
    else:
        if b"\x00" in content:
            raise NotText("binary data (NUL bytes), not text")
        text = _decode(content, charset or "utf-8")
    controls = len(_CONTROL_RE.findall(text))
    if controls * CONTROL_SHARE > len(text):
        raise NotText(f"binary data ({controls} control characters), not text")
    if not text.strip():
        raise NotText("only whitespace, no text")
    return text


def _decode(content: bytes, encoding: str) -> str:
    try:
        return content.decode(encoding)
    except UnicodeError as exc:  # UnicodeDecodeError, or a codec's own (idna)
        name = codecs.lookup(encoding).name.upper()
        where = ""
        if isinstance(exc, UnicodeDecodeError):
            where = f" (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})"
        raise NotText(f"not {name} text{where}") from None


# --- what the source says about itself -----------------------------------------------------


def article_from_text_file(text: str) -> tuple[str, str]:
    """A plain-text file's first line is its title when the file has more than one line.

    A one-line file has no title line: the reader takes its headline from the text.
    """
    lines = text.strip().splitlines()
    if len(lines) > 1:
        return lines[0].strip(), "\n".join(lines[1:])
    return "", text


def page_info(html: str, url: str | None = None) -> PageInfo:
    """Title (`<title>`, `<h1>`, og:title), date, canonical address and site name of a page.

    trafilatura's extraction drops the headline with the page's furniture, so it is read
    from the markup before the text is.
    """
    meta = extract_metadata(
        html, default_url=url, date_config={**set_date_params(), **_DATE_CONFIG}
    )
    if meta is None:
        return PageInfo(url=url, source=_host(url))
    return PageInfo(
        title=" ".join(meta.title.split()) if meta.title else None,
        date=meta.date or None,
        url=meta.url or url,
        source=meta.sitename or None,  # trafilatura names a site by its host if it does not
    )


def feed_source(feed: ParsedFeed, address: str | None = None) -> str | None:
    """Who publishes a feed: its title, else the host it was fetched from or links to."""
    return feed.title or _host(address) or _host(feed.link)


def feed_header(title: str, total: int, shown: int, lang: str) -> str:
    """The line above a feed's cards: how many items it has and, when fewer are shown,
    how many of them. The title stays outside the counted message: it may hold a "|"."""
    header = f"{title} — {tn(lang, 'preview_items_n', total)}"
    if shown < total:
        header += "\n" + tn(lang, "preview_shown_n", shown, total=total)
    return header


def _host(url: str | None) -> str | None:
    return (urlsplit(url).hostname or None) if url else None


def _iso(timestamp: float | None) -> str | None:
    return None if timestamp is None else datetime.fromtimestamp(timestamp, UTC).isoformat()


def page_timestamp(date: str | None) -> float | None:
    """A page's ISO date as a timestamp (a date or time without an offset is UTC's); None
    if it gives none or none that reads."""
    if not date:
        return None
    try:
        when = datetime.fromisoformat(date)
    except ValueError:
        return None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()


def findings(article: Article, draft: ItemDraft, source: str | None) -> dict[str, object]:
    """The JSON of one item: the reader's findings, the item's title, url, date (UTC) and
    source (the given one, else the host of the item's own address)."""
    data = article.to_json()
    data["title"] = draft.title
    data["url"] = draft.url
    data["date"] = _iso(draft.published_at)
    data["source"] = source or _host(draft.url)
    return data


# --- the command ---------------------------------------------------------------------------


def preview_source(source: str, *, lang: str, limit: int, as_json: bool) -> int:
    """Print a source's cards (or their JSON); 1 with one line on stderr if it has none."""
    try:
        _preview(source, lang=lang, limit=max(limit, 0), as_json=as_json)
    except NotPreviewable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _preview(source: str, *, lang: str, limit: int, as_json: bool) -> None:
    content, content_type, base = _load(source)
    if not source.lower().endswith(ARTICLE_SUFFIXES):
        try:
            feed = parse_feed(content, content_type=content_type, base_url=base)
        except FeedParseError as exc:
            if not (content_type or "").startswith("text/html"):
                raise NotPreviewable(f"{source}: {exc}") from None
        else:
            _preview_feed(feed, source, base, lang=lang, limit=limit, as_json=as_json)
            return
    try:
        text = decode_text(content, declared_charset(content, content_type))
    except NotText as exc:
        raise NotPreviewable(f"{source}: {exc}") from None
    if source.lower().endswith((".txt", ".text")):
        title, body = article_from_text_file(text)
        info = PageInfo(url=base, source=_host(base))
    else:
        info = page_info(text, base)
        title, body = info.title or "", text
        if not title and not to_plain(body).strip():
            raise NotPreviewable(f"{source}: a page with no text")
    published = page_timestamp(info.date)
    entry = Entry(item_key(None, info.url, title, published), info.url, title, published, body)
    article, draft = read_entry(entry)
    if as_json:
        _print_json(findings(article, draft, info.source))
    else:
        _print_cards([draft], info.source or Path(source).name, lang)


def _load(source: str) -> tuple[bytes, str | None, str | None]:
    """The source's bytes, content type and address (after redirects; None for a file)."""
    try:
        if is_http_url(source):
            result = asyncio.run(_download(source))
            content, content_type, base = result.content, result.content_type, result.url
        else:
            content, content_type, base = Path(source).read_bytes(), None, None
    except OSError as exc:
        raise NotPreviewable(f"cannot read {source}: {exc.strerror or exc}") from None
    except FetchError as exc:
        raise NotPreviewable(f"cannot read {source}: {exc}") from None
    if not content:
        raise NotPreviewable(f"{source}: empty (0 bytes)")
    return content, content_type, base


def _preview_feed(
    feed: ParsedFeed, source: str, base: str | None, *, lang: str, limit: int, as_json: bool
) -> None:
    publisher = feed_source(feed, base)
    read = [read_entry(e) for e in feed.entries[:limit]]
    if as_json:
        _print_json([findings(article, draft, publisher) for article, draft in read])
        return
    title = publisher or source
    print(feed_header(title, len(feed.entries), len(read), lang) + "\n")
    _print_cards([draft for _, draft in read], title, lang)


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _print_cards(drafts: list[ItemDraft], source: str, lang: str) -> None:
    for draft in drafts:
        print(render_text(make_card(draft, source), lang, "UTC"))
        print("\n" + "─" * 60 + "\n")
