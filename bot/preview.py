"""`newsbot preview`: what a subscriber would get, without Telegram or a token.

The source is a feed (file or URL) or a single article (a .txt or .html file, or a page URL).
`--json` prints the reader's findings with where the item comes from: url, date (ISO 8601)
and source (the feed's title, the page's site), null when unknown.
"""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from trafilatura.metadata import extract_metadata

from bot.articles import Article
from bot.config import is_http_url
from bot.delivery.render import make_card, render_text
from bot.feeds.fetch import Fetcher, FetchError, FetchResult
from bot.feeds.parse import Entry, FeedParseError, item_key, parse_feed
from bot.reading import read_entry
from storage import ItemDraft

ARTICLE_SUFFIXES = (".txt", ".text", ".html", ".htm")


async def _download(url: str) -> FetchResult:
    """One fetch under the default policy: the address guard applies to previews too."""
    async with Fetcher() as fetcher:
        return await fetcher.fetch(url)


@dataclass(frozen=True)
class PageInfo:
    """What a page says about itself besides its text; None where it says nothing."""

    title: str | None = None
    date: str | None = None
    url: str | None = None
    source: str | None = None


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
    meta = extract_metadata(html, default_url=url)
    if meta is None:
        return PageInfo(url=url, source=_host(url))
    return PageInfo(
        title=" ".join(meta.title.split()) if meta.title else None,
        date=meta.date or None,
        url=meta.url or url,
        source=meta.sitename or meta.hostname or _host(url),
    )


def _host(url: str | None) -> str | None:
    return (urlsplit(url).hostname or None) if url else None


def _iso(timestamp: float | None) -> str | None:
    return None if timestamp is None else datetime.fromtimestamp(timestamp, UTC).isoformat()


def findings(article: Article, draft: ItemDraft, source: str | None) -> dict[str, object]:
    """The JSON of one item: the reader's findings, the item's title, url, date and source."""
    data = article.to_json()
    data["title"] = draft.title
    data["url"] = draft.url
    data["date"] = _iso(draft.published_at)
    data["source"] = source or None
    return data


def preview_source(source: str, *, lang: str, limit: int, as_json: bool) -> int:
    try:
        if is_http_url(source):
            result = asyncio.run(_download(source))
            content, content_type, base = result.content, result.content_type, result.url
        else:
            content, content_type, base = Path(source).read_bytes(), None, None
    except (OSError, FetchError) as exc:
        print(f"error: cannot read {source}: {exc}", file=sys.stderr)
        return 1
    if not source.lower().endswith(ARTICLE_SUFFIXES):
        try:
            feed = parse_feed(content, content_type=content_type, base_url=base)
        except FeedParseError as exc:
            if not (content_type or "").startswith("text/html"):
                print(f"error: {source}: {exc}", file=sys.stderr)
                return 1
        else:
            if as_json:
                read = [read_entry(e) for e in feed.entries[: max(limit, 0)]]
                _print_json([findings(a, d, feed.title) for a, d in read])
                return 0
            print(f"{feed.title or source} — {len(feed.entries)} items\n")
            entries = feed.entries[: max(limit, 0)]
            return _print([read_entry(e) for e in entries], feed.title or source, lang)
    text = content.decode("utf-8", "replace")
    if source.lower().endswith((".txt", ".text")):
        title, body = article_from_text_file(text)
        info = PageInfo(url=base, source=_host(base))
    else:
        info = page_info(text, base)
        title, body = info.title or "", text
    published = _timestamp(info.date)
    entry = Entry(item_key(None, info.url, title, published), info.url, title, published, body)
    article, draft = read_entry(entry)
    if as_json:
        data = findings(article, draft, info.source)
        data["date"] = info.date  # as the page gives it: often a day without a time
        _print_json(data)
        return 0
    return _print([(article, draft)], info.source or Path(source).name, lang)


def _timestamp(date: str | None) -> float | None:
    """A page's ISO date as a timestamp (midnight UTC for a bare day); None if unreadable."""
    if not date:
        return None
    try:
        when = datetime.fromisoformat(date)
    except ValueError:
        return None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _print(read: list[tuple[Article, ItemDraft]], source: str, lang: str) -> int:
    for _, draft in read:
        print(render_text(make_card(draft, source), lang, "UTC"))
        print("\n" + "─" * 60 + "\n")
    return 0
