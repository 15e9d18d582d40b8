"""The bot's own membership of a chat: blocked, removed, or let back in.

Telegram tells the bot (my_chat_member) when a user blocks or unblocks it and when it is
removed from or added to a group or channel; the chat is paused or resumed before any card
meets a 403. Subscriptions are kept either way.
"""

from __future__ import annotations

from telegram import ChatMember, ChatMemberRestricted, Update

from bot.context import NewsContext
from handlers.common import lang_of

_GONE = (ChatMember.LEFT, ChatMember.BANNED)


def _is_out(member: ChatMember) -> bool:
    if isinstance(member, ChatMemberRestricted):
        return not member.is_member
    return member.status in _GONE


async def my_chat_member(update: Update, context: NewsContext) -> None:
    change = update.my_chat_member
    if change is None:
        return
    chat = change.chat
    if _is_out(change.new_chat_member):
        await context.storage.deactivate_chat(chat.id)
    elif _is_out(change.old_chat_member):
        lang = await lang_of(update, context)
        await context.storage.upsert_chat(chat.id, type=chat.type, language=lang, now=context.now())
