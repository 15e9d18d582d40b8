"""/topics, /subscribe, /unsubscribe, /mysubs."""

from __future__ import annotations

from telegram import Update

from bot.context import NewsContext
from bot.i18n import t
from handlers.common import (
    e,
    lang_of,
    may_change_subscriptions,
    only_argument,
    reply,
    thread_of,
    topic_list,
)


async def topics(update: Update, context: NewsContext) -> None:
    lang = lang_of(update, context)
    found = await context.storage.topics()
    lines = [t(lang, "topics_header")]
    lines += [t(lang, "topic_line", slug=e(tp.slug), name=e(tp.name(lang))) for tp in found]
    await reply(update, "\n".join(lines) if found else t(lang, "topics_empty"))


async def subscribe(update: Update, context: NewsContext) -> None:
    if not await may_change_subscriptions(update, context):
        return
    lang = lang_of(update, context)
    chat = update.effective_chat
    available = await context.storage.topics()
    argument = only_argument(context)
    if argument is None or chat is None:
        example = available[0].slug if available else "news"
        await reply(update, t(lang, "usage_subscribe", example=e(example)))
        return
    slug = argument.lower()
    topic = await context.storage.topic(slug)
    if topic is None:
        await reply(
            update, t(lang, "unknown_topic", slug=e(slug), available=topic_list(available, lang))
        )
        return
    await context.storage.upsert_chat(chat.id, type=chat.type, language=lang, now=context.now())
    added = await context.storage.add_subscription(
        chat.id, topic.id, now=context.now(), thread_id=thread_of(update)
    )
    key = "subscribed" if added else "already_subscribed"
    await reply(update, t(lang, key, name=e(topic.name(lang))))


async def unsubscribe(update: Update, context: NewsContext) -> None:
    if not await may_change_subscriptions(update, context):
        return
    lang = lang_of(update, context)
    chat = update.effective_chat
    argument = only_argument(context)
    if argument is None or chat is None:
        await reply(update, t(lang, "usage_unsubscribe"))
        return
    slug = argument.lower()
    topic = await context.storage.topic(slug)
    if topic is None:
        available = await context.storage.topics()
        await reply(
            update, t(lang, "unknown_topic", slug=e(slug), available=topic_list(available, lang))
        )
        return
    removed = await context.storage.remove_subscription(
        chat.id, topic.id, thread_id=thread_of(update)
    )
    await reply(
        update, t(lang, "unsubscribed" if removed else "not_subscribed", name=e(topic.name(lang)))
    )


async def mysubs(update: Update, context: NewsContext) -> None:
    lang = lang_of(update, context)
    chat = update.effective_chat
    subs = await context.storage.subscriptions(chat.id) if chat else []
    if not subs:
        await reply(update, t(lang, "mysubs_empty"))
        return
    lines = [t(lang, "mysubs_header")]
    lines += [t(lang, "topic_line", slug=e(s.topic.slug), name=e(s.topic.name(lang))) for s in subs]
    await reply(update, "\n".join(lines))
