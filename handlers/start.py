"""/start, /help, and the hint for what the bot does not understand."""

from __future__ import annotations

from telegram import Update

from bot.context import NewsContext
from bot.i18n import t
from handlers.common import e, lang_of, reply


async def start(update: Update, context: NewsContext) -> None:
    lang = await lang_of(update, context)
    chat = update.effective_chat
    if chat is not None:
        await context.storage.upsert_chat(chat.id, type=chat.type, language=lang, now=context.now())
    topics = await context.storage.topics()
    lines = [t(lang, "welcome"), "", t(lang, "topics_header")]
    lines += [t(lang, "topic_line", slug=e(tp.slug), name=e(tp.name(lang))) for tp in topics]
    if not topics:
        lines.append(t(lang, "topics_empty"))
    await reply(update, "\n".join(lines))


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
