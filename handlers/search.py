"""/search <words>: stored items by their words in any form, newest first, five to a page
with a snippet each; ◀ ▶ page in place. And the job that indexes items stored unindexed
(before the search index existed, or by a reader that left it out)."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Executor

from telegram import InlineKeyboardMarkup, Update

from bot.callbacks import Action
from bot.context import NewsContext
from bot.i18n import t, tn
from bot.search import (
    PAGE_SIZE,
    Query,
    clamp_page,
    index_rows,
    item_line,
    match_expression,
    page_count,
    parse_query,
    snippet,
)
from handlers.common import echo, edit_pressed, lang_of, reply, stale_button
from handlers.news import chat_timezone, page_buttons
from storage import Storage
from storage.models import SavedSearch

log = logging.getLogger(__name__)

SEARCH_PAGE = Action("srch", (int, int))  # the saved search's id, the page
BACKLOG_BATCH = 500  # items indexed by one run of the backlog job


async def search(update: Update, context: NewsContext) -> None:
    lang = await lang_of(update, context)
    chat = update.effective_chat
    query = parse_query(" ".join(context.args or []))
    if not query or chat is None:
        await reply(update, t(lang, "usage_search"))
        return
    storage = context.storage
    newest = await storage.newest_item_id()
    total = await storage.search_count(match_expression(query), newest_item=newest)
    if total == 0:
        await reply(update, t(lang, "search_none", query=echo(query.text)))
        return
    search_id = await storage.add_search(chat.id, query.text, newest_item=newest, now=context.now())
    saved = SavedSearch(search_id, chat.id, query.text, newest)
    await reply(update, *await _page(update, context, lang, saved, query, total, 1))


async def search_pressed(update: Update, context: NewsContext) -> None:
    """◀ ▶ under search results: the page asked for, of the same results, in place."""
    pressed = update.callback_query
    chat = update.effective_chat
    assert pressed is not None
    match SEARCH_PAGE.parse(pressed.data):
        case (int() as search_id, int() as page) if page >= 1 and chat is not None:
            lang = await lang_of(update, context)
            saved = await context.storage.saved_search(search_id)
            if saved is None or saved.chat_id != chat.id:  # forgotten, or another chat's
                await pressed.answer(t(lang, "search_expired"), show_alert=True)
                return
            query = parse_query(saved.query)
            total = await context.storage.search_count(
                match_expression(query), newest_item=saved.newest_item
            )
            if total == 0:  # every item found then is gone (its feed was removed)
                await pressed.answer(t(lang, "search_gone"), show_alert=True)
                return
            shown = clamp_page(page, total)
            await pressed.answer(t(lang, "search_changed") if shown != page else None)
            await edit_pressed(
                update, *await _page(update, context, lang, saved, query, total, shown)
            )
        case _:
            await stale_button(update, context)


async def _page(
    update: Update,
    context: NewsContext,
    lang: str,
    saved: SavedSearch,
    query: Query,
    total: int,
    page: int,
) -> tuple[str, InlineKeyboardMarkup]:
    """A page of results: how many were found, then each item with its snippet."""
    offset = (page - 1) * PAGE_SIZE
    items = await context.storage.search_items(
        match_expression(query), newest_item=saved.newest_item, offset=offset, limit=PAGE_SIZE
    )
    timezone = await chat_timezone(update, context)
    header = tn(lang, "search_found_n", total, query=echo(query.text))
    pages = page_count(total)
    if pages > 1:
        header += " · " + t(lang, "page_of", page=page, pages=pages)
    lines = [
        item_line(offset + n, item, lang, timezone, snippet(item.text, query))
        for n, item in enumerate(items, 1)
    ]
    markup = page_buttons(
        items,
        offset,
        previous=SEARCH_PAGE.data(saved.id, page - 1) if page > 1 else None,
        following=SEARCH_PAGE.data(saved.id, page + 1) if page < pages else None,
    )
    return "\n\n".join([f"<b>{header}</b>", *lines]), markup


async def index_some(
    storage: Storage, executor: Executor | None, limit: int = BACKLOG_BATCH
) -> int:
    """Index up to `limit` of the items not in the search index yet, newest first; the keys
    are made in `executor` (the reader processes; None: a thread), never on the event loop.
    Returns how many were indexed (0: none was waiting)."""
    rows = await storage.unindexed_items(limit)
    if not rows:
        return 0
    docs = await asyncio.get_running_loop().run_in_executor(executor, index_rows, rows)
    return await storage.index_items(docs)


async def index_backlog(context: NewsContext) -> None:
    """The job: a batch of the unindexed items each run, until none is left."""
    indexed = await index_some(context.storage, context.feeds.reader_pool)
    if indexed:
        log.info("search index: %d more items indexed", indexed)
