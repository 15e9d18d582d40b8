"""What every handler needs: the user's language, replying, the admin gate."""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from telegram import Chat, InlineKeyboardMarkup, LinkPreviewOptions, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

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


def user_language(update: Update, context: NewsContext) -> str:
    """The catalogue for the user's Telegram language (the configured one if none)."""
    user = update.effective_user
    return language_for(user.language_code if user else None, context.config.language)


async def lang_of(update: Update, context: NewsContext) -> str:
    """The chat's language: set at its first contact from the user's Telegram language, or
    by /lang; before the chat is known, the user's."""
    chat = update.effective_chat
    stored = await context.storage.chat_language(chat.id) if chat is not None else None
    return stored or user_language(update, context)


async def reply(
    update: Update,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    previews: LinkPreviewOptions | None = None,
) -> Message | None:
    """Answer in the chat. Link previews: `previews` (a chat's own choice for its cards), else
    the Application's defaults, as cards pushed."""
    message = update.effective_message
    if message is None:
        return None
    if previews is None:  # not passed at all: None would switch the defaults off
        return await message.reply_text(
            text, parse_mode=ParseMode.HTML, do_quote=False, reply_markup=markup
        )
    return await message.reply_text(
        text,
        parse_mode=ParseMode.HTML,
        do_quote=False,
        reply_markup=markup,
        link_preview_options=previews,
    )


async def refuse(update: Update, text: str) -> None:
    """Say no: under a pressed button as a pop-up (the chat stays clean), else as a reply."""
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    else:
        await reply(update, text)


async def edit_pressed(
    update: Update, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Show `text` (and buttons) in place of the message whose button was pressed. Pressing
    twice, or two users at once, may ask for what the message already shows: no error. A
    message that is gone or can no longer be edited is answered with a new one."""
    query = update.callback_query
    assert query is not None
    try:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
    except BadRequest as exc:
        problem = exc.message.lower()
        if "message is not modified" in problem:
            return
        if "message to edit not found" not in problem and "can't be edited" not in problem:
            raise
        await reply(update, text, markup)


async def stale_button(update: Update, context: NewsContext) -> None:
    """A press the bot cannot act on (an old button, or data nobody made): said harmlessly."""
    query = update.callback_query
    if query is not None:
        await query.answer(t(await lang_of(update, context), "button_stale"))


async def reply_all(
    update: Update, texts: Sequence[str], previews: LinkPreviewOptions | None = None
) -> None:
    for text in texts:
        await reply(update, text, previews=previews)


def admin_only(handler: Handler) -> Handler:
    """Refuse politely unless the user is one of the configured admins."""

    @functools.wraps(handler)
    async def gated(update: Update, context: NewsContext) -> None:
        user = update.effective_user
        if not context.config.is_admin(user.id if user else None):
            await refuse(update, t(await lang_of(update, context), "admin_only"))
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
    await refuse(update, t(await lang_of(update, context), "group_admins_only"))
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
