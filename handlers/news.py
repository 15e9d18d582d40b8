"""/latest, /summit, /documents: stored items. /latest is a list that pages in place (◀ ▶),
with a button per item for its card; /summit and /documents answer with cards."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Update

from bot.callbacks import Action
from bot.context import NewsContext
from bot.delivery.render import cut_text, escape_html, item_card, render_html, without_title
from bot.delivery.schedule import chat_zone
from bot.i18n import t
from bot.search import PAGE_SIZE, item_line
from bot.topics import topic_named
from handlers.common import echo, edit_pressed, lang_of, reply, reply_all, stale_button, topic_list
from storage import Item, Topic

DOCUMENTS_COUNT = 3
LEAD_LIMIT = 150  # the line under a headline in /latest
# A page of /latest: the topic (0: all), the newest item when it was asked for (the pages
# stay put while news arrives), the page.
LATEST_PAGE = Action("late", (int, int, int))
SHOW_CARD = Action("card", (int,))  # the card of one item, under a list of them


class _UnknownTopic(Exception):
    pass


async def _topic_argument(update: Update, context: NewsContext, lang: str) -> Topic | None:
    """The optional topic, named as people type it (slug or name, any case, quoted or not);
    failing the whole argument, its first word. An unknown one is answered and raised."""
    args = context.args or []
    if not args:
        return None
    available = await context.storage.topics()
    topic = topic_named(" ".join(args), available) or topic_named(args[0], available)
    if topic is None:
        await reply(
            update,
            t(
                lang,
                "unknown_topic",
                slug=echo(" ".join(args)),
                available=topic_list(available, lang),
            ),
        )
        raise _UnknownTopic
    return topic


async def chat_timezone(update: Update, context: NewsContext) -> str:
    """The chat's own time zone for dates (its /timezone), else the configured one."""
    chat = update.effective_chat
    stored = await context.storage.chat(chat.id) if chat is not None else None
    return chat_zone(stored.timezone if stored else None, context.config.timezone).key


async def _reply_cards(
    update: Update, context: NewsContext, lang: str, items: Sequence[Item]
) -> None:
    """Items as cards, as the chat has its pushed ones: its time zone, its link previews."""
    chat = update.effective_chat
    stored = await context.storage.chat(chat.id) if chat is not None else None
    timezone = chat_zone(stored.timezone if stored else None, context.config.timezone).key
    choice = stored.link_previews if stored else None
    previews = None if choice is None else LinkPreviewOptions(is_disabled=not choice)
    for item in items:
        await reply_all(update, render_html(item_card(item), lang, timezone), previews)


async def _send_cards(
    update: Update, context: NewsContext, lang: str, items: list[Item], empty_key: str
) -> None:
    """Each item as a card (one or more messages), or a clear word that there is none."""
    if not items:
        await reply(update, t(lang, empty_key))
        return
    await _reply_cards(update, context, lang, items)


async def latest(update: Update, context: NewsContext) -> None:
    """The newest stories, five to a page, each a link with its source, date and lead."""
    lang = await lang_of(update, context)
    try:
        topic = await _topic_argument(update, context, lang)
    except _UnknownTopic:
        return
    newest = await context.storage.newest_item_id()
    shown = await _latest_page(update, context, lang, topic, newest, 1)
    if shown is None:
        await reply(update, t(lang, "latest_empty"))
        return
    await reply(update, *shown)


async def latest_pressed(update: Update, context: NewsContext) -> None:
    """◀ ▶ under /latest: the page asked for, in place."""
    query = update.callback_query
    assert query is not None
    match LATEST_PAGE.parse(query.data):
        case (int() as topic_id, int() as newest, int() as page) if page >= 1 and newest >= 0:
            lang = await lang_of(update, context)
            topic = None
            if topic_id:
                topic = next(
                    (tp for tp in await context.storage.topics() if tp.id == topic_id), None
                )
                if topic is None:  # the topic was removed from the configuration
                    await stale_button(update, context)
                    return
            shown = await _latest_page(update, context, lang, topic, newest, page)
            if shown is None:
                await query.answer(t(lang, "latest_no_more"))
                return
            await query.answer()
            await edit_pressed(update, *shown)
        case _:
            await stale_button(update, context)


async def _latest_page(
    update: Update,
    context: NewsContext,
    lang: str,
    topic: Topic | None,
    newest: int,
    page: int,
) -> tuple[str, InlineKeyboardMarkup] | None:
    """A page of /latest as text and buttons; None when the page has nothing."""
    offset = (page - 1) * PAGE_SIZE
    items = await context.storage.latest_page(
        topic.id if topic else None, newest_item=newest, offset=offset, limit=PAGE_SIZE + 1
    )
    if not items[:PAGE_SIZE]:
        return None
    timezone = await chat_timezone(update, context)
    if topic is None:
        header = t(lang, "latest_header")
    else:
        header = t(lang, "latest_topic_header", topic=escape_html(topic.name(lang)))
    if page > 1:
        header += " · " + t(lang, "page", page=page)
    lines = [
        item_line(offset + n, item, lang, timezone, _lead(item))
        for n, item in enumerate(items[:PAGE_SIZE], 1)
    ]
    markup = page_buttons(
        items[:PAGE_SIZE],
        offset,
        previous=LATEST_PAGE.data(topic.id if topic else 0, newest, page - 1) if page > 1 else None,
        following=(
            LATEST_PAGE.data(topic.id if topic else 0, newest, page + 1)
            if len(items) > PAGE_SIZE
            else None
        ),
    )
    return "\n\n".join([f"<b>{header}</b>", *lines]), markup


def _lead(item: Item) -> str:
    """The line under a headline: the start of its summary (or text), escaped."""
    return escape_html(cut_text(without_title(item.summary or item.text, item.title), LEAD_LIMIT))


def page_buttons(
    items: Sequence[Item], offset: int, *, previous: str | None, following: str | None
) -> InlineKeyboardMarkup:
    """A button per item for its card (numbered as the list is), then ◀ and ▶ where there
    is a page that way."""
    cards = [
        InlineKeyboardButton(str(offset + n), callback_data=SHOW_CARD.data(item.id))
        for n, item in enumerate(items, 1)
    ]
    turns = [
        InlineKeyboardButton(label, callback_data=data)
        for label, data in (("◀", previous), ("▶", following))
        if data is not None
    ]
    return InlineKeyboardMarkup([row for row in (cards, turns) if row])


async def card_pressed(update: Update, context: NewsContext) -> None:
    """A number under a list: that item's card, as a new message."""
    query = update.callback_query
    assert query is not None
    match SHOW_CARD.parse(query.data):
        case (int() as item_id,):
            lang, chat = await lang_of(update, context), update.effective_chat
            item = await context.storage.item_shown_to(item_id, chat.id) if chat else None
            if item is None:  # its feed was removed since (or the number was forged)
                await query.answer(t(lang, "item_gone"), show_alert=True)
                return
            await query.answer()
            await _reply_cards(update, context, lang, [item])
        case _:
            await stale_button(update, context)


async def summit(update: Update, context: NewsContext) -> None:
    """The newest summit card: who met where, the summary, every document signed."""
    lang = await lang_of(update, context)
    item = await context.storage.latest_summit()
    await _send_cards(update, context, lang, [item] if item else [], "summit_empty")


async def documents(update: Update, context: NewsContext) -> None:
    """The newest items that list signed documents (of a topic, if one is named), as cards."""
    lang = await lang_of(update, context)
    try:
        topic = await _topic_argument(update, context, lang)
    except _UnknownTopic:
        return
    items = await context.storage.latest_with_documents(
        topic.id if topic else None, DOCUMENTS_COUNT
    )
    await _send_cards(update, context, lang, items, "documents_empty")
