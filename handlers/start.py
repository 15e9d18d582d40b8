"""/start (with the topic keyboard, and deep links that subscribe), /share, /help, and the
hint for what the bot does not understand.

A deep link `https://t.me/<bot>?start=<topic>` opens the bot with `/start <topic>`;
`?startgroup=<topic>` lets the user pick a group, where `/start <topic>` then arrives (its
administrators' rules apply there as for /subscribe).
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.context import NewsContext
from bot.i18n import t
from bot.topics import topic_named
from handlers.common import e, echo, lang_of, may_change_subscriptions, reply, thread_of
from handlers.subscriptions import chat_topic_keyboard, find_topic
from storage import Topic

# What Telegram passes on from a deep link's start parameter.
PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")
SHARE = "https://t.me/share/url"  # Telegram's own "share with a chat" dialog


def deep_link(bot_username: str, payload: str, *, group: bool = False) -> str:
    """The t.me link that starts the bot with `payload` (in a group the user picks)."""
    if not PAYLOAD.fullmatch(payload):
        raise ValueError(f"not a start parameter Telegram passes on: {payload!r}")
    return f"https://t.me/{bot_username}?{'startgroup' if group else 'start'}={payload}"


def share_url(link: str, text: str) -> str:
    """A button's address that opens Telegram's dialog for sending `link` to any chat."""
    return f"{SHARE}?{urlencode({'url': link, 'text': text})}"


async def start(update: Update, context: NewsContext) -> None:
    lang = await lang_of(update, context)
    chat = update.effective_chat
    if chat is not None:
        await context.storage.upsert_chat(chat.id, type=chat.type, language=lang, now=context.now())
    topics = await context.storage.topics()
    lines: list[str] = []
    if context.args:  # a deep link's topic: subscribed first, then the keyboard shows it ✅
        said = await _subscribe_from_link(update, context, lang, " ".join(context.args), topics)
        if said is not None:
            lines += [said, ""]
    lines += [t(lang, "welcome"), "", t(lang, "topics_header")]
    lines += [t(lang, "topic_line", slug=e(tp.slug), name=e(tp.name(lang))) for tp in topics]
    if not topics:
        lines.append(t(lang, "topics_empty"))
    await reply(update, "\n".join(lines), await chat_topic_keyboard(update, context, lang))


async def _subscribe_from_link(
    update: Update, context: NewsContext, lang: str, payload: str, topics: list[Topic]
) -> str | None:
    """Subscribe the chat to the link's topic; what to say about it first (None: nothing
    more, the refusal in a group was answered already)."""
    chat = update.effective_chat
    topic = topic_named(payload, topics) if PAYLOAD.fullmatch(payload) else None
    if topic is None or chat is None:
        return t(lang, "start_unknown_link", slug=echo(payload))
    if not await may_change_subscriptions(update, context):
        return None
    added = await context.storage.add_subscription(
        chat.id, topic.id, now=context.now(), thread_id=thread_of(update)
    )
    return t(lang, "subscribed" if added else "already_subscribed", name=e(topic.name(lang)))


async def share(update: Update, context: NewsContext) -> None:
    """/share <topic>: the link that subscribes whoever opens it, with buttons to send it to
    a chat or to add the bot to a group with that topic."""
    lang = await lang_of(update, context)
    phrase = " ".join(context.args or [])
    if not phrase:
        available = await context.storage.topics()
        example = available[0].slug if available else "news"
        await reply(update, t(lang, "usage_share", example=e(example)))
        return
    topic = await find_topic(update, context, phrase)
    if topic is None:
        return
    username, name = context.bot.username, topic.name(lang)
    link, group_link = deep_link(username, topic.slug), deep_link(username, topic.slug, group=True)
    text = t(lang, "share_link", name=e(name), link=e(link), group_link=e(group_link))
    buttons = [
        [
            InlineKeyboardButton(
                t(lang, "button_share"), url=share_url(link, t(lang, "share_text", name=name))
            )
        ],
        [InlineKeyboardButton(t(lang, "button_add_to_group"), url=group_link)],
    ]
    await reply(update, text, InlineKeyboardMarkup(buttons))


async def help_command(update: Update, context: NewsContext) -> None:
    lang = await lang_of(update, context)
    text = t(lang, "help")
    user = update.effective_user
    if context.config.is_admin(user.id if user else None):
        text += t(lang, "help_admin")
    await reply(update, text)


async def hint(update: Update, context: NewsContext) -> None:
    """An unknown command or plain text in a private chat: one short pointer to /help.
    (In groups the bot keeps quiet: most messages there are not for it.)"""
    await reply(update, t(await lang_of(update, context), "hint"))
