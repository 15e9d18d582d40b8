"""/latest: the newest stored items as cards."""

from __future__ import annotations

from telegram import Update

from bot.context import NewsContext
from bot.delivery.render import item_card, render_html
from bot.i18n import t
from handlers.common import e, lang_of, reply, reply_all, topic_list

LATEST_COUNT = 3


async def latest(update: Update, context: NewsContext) -> None:
    lang = lang_of(update, context)
    args = context.args or []
    topic_id = None
    if args:
        topic = await context.storage.topic(args[0].lower())
        if topic is None:
            available = await context.storage.topics()
            await reply(
                update,
                t(lang, "unknown_topic", slug=e(args[0]), available=topic_list(available, lang)),
            )
            return
        topic_id = topic.id
    items = await context.storage.latest_items(topic_id, limit=LATEST_COUNT)
    if not items:
        await reply(update, t(lang, "latest_empty"))
        return
    for item in items:
        await reply_all(update, render_html(item_card(item), lang, context.config.timezone))
