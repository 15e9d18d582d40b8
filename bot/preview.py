"""`newsbot preview`: what a subscriber would get, without Telegram or a token.

The source is a feed (file or URL) or a single article (a .txt or .html file, or a page URL).
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

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


def article_from_text_file(text: str) -> tuple[str, str]:
    """A plain-text file's first line is its title when the file has more than one line."""
    lines = text.strip().splitlines()
    if len(lines) > 1:
        return lines[0].strip(), "\n".join(lines[1:])
    return "", text


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
            if not as_json:
                print(f"{feed.title or source} — {len(feed.entries)} items\n")
            entries = feed.entries[: max(limit, 0)]
            return _print([read_entry(e) for e in entries], feed.title or source, lang, as_json)
    text = content.decode("utf-8", "replace")
    if source.lower().endswith((".txt", ".text")):
        title, body = article_from_text_file(text)
    else:
        title, body = "", text
    article, draft = read_entry(Entry(item_key(None, base, title, None), base, title, None, body))
    if as_json:
        print(json.dumps(article.to_json(), ensure_ascii=False, indent=2))
        return 0
    return _print([(article, draft)], Path(source).name, lang, as_json)


def _print(read: list[tuple[Article, ItemDraft]], source: str, lang: str, as_json: bool) -> int:
    if as_json:
        print(json.dumps([article.to_json() for article, _ in read], ensure_ascii=False, indent=2))
        return 0
    for _, draft in read:
        print(render_text(make_card(draft, source), lang, "UTC"))
        print("\n" + "─" * 60 + "\n")
    return 0
