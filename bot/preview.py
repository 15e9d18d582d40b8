"""`newsbot preview`: what a subscriber would get from a feed, without Telegram or a token."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from bot.config import is_http_url
from bot.delivery.render import make_card, render_text
from bot.feeds.fetch import FetchError, FetchResult, fetch, new_client
from bot.feeds.parse import FeedParseError, parse_feed
from bot.reading import read_entry


async def _download(url: str) -> FetchResult:
    async with new_client() as client:
        return await fetch(client, url)


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
    try:
        feed = parse_feed(content, content_type=content_type, base_url=base)
    except FeedParseError as exc:
        print(f"error: {source}: {exc}", file=sys.stderr)
        return 1
    drafts = [read_entry(entry) for entry in feed.entries[: max(limit, 0)]]
    if as_json:
        rows = [
            {"title": d.title, "url": d.url, "published_at": d.published_at, "summary": d.summary}
            for d in drafts
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    print(f"{feed.title or source} — {len(feed.entries)} items\n")
    for draft in drafts:
        print(render_text(make_card(draft, feed.title), lang, "UTC"))
        print("\n" + "─" * 60 + "\n")
    return 0
