"""/latest, /summit, /documents: stored items as cards."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from bot.context import NewsContext
from bot.delivery.render import item_card, render_html
from bot.i18n import t
from handlers.common import echo, lang_of, reply, reply_all, topic_list
from storage import Item

LATEST_COUNT = 3

# A storage query for the newest items: (topic id or None, how many) -> items.
NewestQuery = Callable[[int | None, int], Awaitable[list[Item]]]


class _UnknownTopic(Exception):
    pass


async def _topic_argument(update: Update, context: NewsContext, lang: str) -> int | None:
    """The optional topic argument as a topic id; an unknown one is answered and raised."""
    args = context.args or []
    if not args:
        return None
    topic = await context.storage.topic(args[0].lower())
    if topic is None:
        available = await context.storage.topics()
        await reply(
            update,
            t(lang, "unknown_topic", slug=echo(args[0]), available=topic_list(available, lang)),
        )
        raise _UnknownTopic
    return topic.id


async def _send_cards(
    update: Update, context: NewsContext, lang: str, items: list[Item], empty_key: str
) -> None:
    """Each item as a card (one or more messages), or a clear word that there is none."""
    if not items:
        await reply(update, t(lang, empty_key))
        return
    for item in items:
        await reply_all(update, render_html(item_card(item), lang, context.config.timezone))


async def _topic_cards(
    update: Update, context: NewsContext, newest: NewestQuery, empty_key: str
) -> None:
    """Commands with an optional topic: the newest items of that topic (or of all) as cards."""
    lang = await lang_of(update, context)
    try:
        topic_id = await _topic_argument(update, context, lang)
    except _UnknownTopic:
        return
    items = await newest(topic_id, LATEST_COUNT)
    await _send_cards(update, context, lang, items, empty_key)


async def latest(update: Update, context: NewsContext) -> None:
    await _topic_cards(update, context, context.storage.latest_items, "latest_empty")


async def summit(update: Update, context: NewsContext) -> None:
    """The newest summit card: who met where, the summary, every document signed."""
    lang = await lang_of(update, context)
    item = await context.storage.latest_summit()
    await _send_cards(update, context, lang, [item] if item else [], "summit_empty")


async def documents(update: Update, context: NewsContext) -> None:
    await _topic_cards(update, context, context.storage.latest_with_documents, "documents_empty")
