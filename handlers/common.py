"""What every handler needs: the user's language, replying, the admin gate."""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from telegram import Chat, Message, Update
from telegram.constants import ParseMode

from bot.context import NewsContext
from bot.delivery.render import cut_text, escape_html
from bot.i18n import language_for, t
from storage import Topic

e = escape_html  # the handlers' short name for it
ECHO_LIMIT = 100  # what a reply repeats of the user's own input, at most


def echo(value: object) -> str:
    """The user's input as a reply repeats it: escaped, and cut, so that a huge argument
    never pushes the reply past Telegram's limit."""
    return e(cut_text(str(value), ECHO_LIMIT))


Handler = Callable[[Update, NewsContext], Coroutine[Any, Any, None]]


def lang_of(update: Update, context: NewsContext) -> str:
    user = update.effective_user
    return language_for(user.language_code if user else None, context.config.language)


async def reply(update: Update, text: str) -> Message | None:
    message = update.effective_message
    if message is None:
        return None
    # Link previews follow the Application's defaults: cards asked for look like cards pushed.
    return await message.reply_text(text, parse_mode=ParseMode.HTML, do_quote=False)


async def reply_all(update: Update, texts: Sequence[str]) -> None:
    for text in texts:
        await reply(update, text)


def admin_only(handler: Handler) -> Handler:
    """Refuse politely unless the user is one of the configured admins."""

    @functools.wraps(handler)
    async def gated(update: Update, context: NewsContext) -> None:
        user = update.effective_user
        if not context.config.is_admin(user.id if user else None):
            await reply(update, t(lang_of(update, context), "admin_only"))
            return
        await handler(update, context)

    return gated


async def may_change_subscriptions(update: Update, context: NewsContext) -> bool:
    """In a group only its administrators (and the bot's admins) may; elsewhere anyone.
    A refusal is answered here."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type not in (Chat.GROUP, Chat.SUPERGROUP):
        return True
    if context.config.is_admin(user.id) or await context.chat_admins.is_admin(
        context.bot, chat.id, user.id
    ):
        return True
    await reply(update, t(lang_of(update, context), "group_admins_only"))
    return False


def only_argument(context: NewsContext) -> str | None:
    """The command's one argument; None when it has none or more than one."""
    match context.args:
        case [argument]:
            return argument
        case _:
            return None


def topic_list(topics: Sequence[Topic], lang: str) -> str:
    return ", ".join(f"<code>{e(topic.slug)}</code>" for topic in topics) or t(lang, "none")


def thread_of(update: Update) -> int:
    """The forum topic the command came from (0 for the chat itself)."""
    message = update.effective_message
    if message is not None and message.is_topic_message and message.message_thread_id:
        return message.message_thread_id
    return 0
