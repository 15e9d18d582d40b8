"""`newsbot preview`: what a subscriber would get, without Telegram or a token.

The source is a feed (file or URL) or a single article (a .txt or .html file, or a page URL).
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from bot.articles import Article, read_article
from bot.articles.text import to_plain
from bot.config import is_http_url
from bot.delivery.render import make_card, render_text
from bot.feeds.fetch import FetchError, FetchResult, fetch, new_client
from bot.feeds.parse import Entry, FeedParseError, item_key, parse_feed
from bot.reading import draft_from_article

ARTICLE_SUFFIXES = (".txt", ".text", ".html", ".htm")


async def _download(url: str) -> FetchResult:
    async with new_client() as client:
        return await fetch(client, url)


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
    looks_like_article = source.lower().endswith(ARTICLE_SUFFIXES)
    if not looks_like_article:
        try:
            feed = parse_feed(content, content_type=content_type, base_url=base)
        except FeedParseError as exc:
            if not (content_type or "").startswith("text/html"):
                print(f"error: {source}: {exc}", file=sys.stderr)
                return 1
        else:
            pairs = [
                (entry, read_article(entry.title, entry.content, url=entry.url))
                for entry in feed.entries[: max(limit, 0)]
            ]
            header = f"{feed.title or source} — {len(feed.entries)} items\n"
            return _print(pairs, feed.title or source, lang, as_json, header)
    text = content.decode("utf-8", "replace")
    if source.lower().endswith((".txt", ".text")):
        title, body = article_from_text_file(text)
    else:
        title, body = "", text
    article = read_article(title, body, url=source if is_http_url(source) else None)
    entry = Entry(item_key(None, base, article.title, None), base, article.title, None, body)
    if as_json:
        print(json.dumps(article.to_json(), ensure_ascii=False, indent=2))
        return 0
    return _print([(entry, article)], Path(source).name, lang, False, "")


def _print(
    pairs: list[tuple[Entry, Article]], source: str, lang: str, as_json: bool, header: str
) -> int:
    if as_json:
        print(json.dumps([a.to_json() for _, a in pairs], ensure_ascii=False, indent=2))
        return 0
    if header:
        print(header)
    for entry, article in pairs:
        draft = draft_from_article(entry, article, to_plain(entry.content))
        print(render_text(make_card(draft, source), lang, "UTC"))
        print("\n" + "─" * 60 + "\n")
    return 0
