"""/topics, /subscribe, /unsubscribe, /mysubs — for the chat they are sent in, or, from a
private chat, for a channel the user administers (`/subscribe @channel topic`)."""

from __future__ import annotations

import re
from typing import NamedTuple

from telegram import Chat, ChatFullInfo, ChatMemberAdministrator, ChatMemberOwner, Update
from telegram.error import BadRequest, Forbidden

from bot.context import NewsContext
from bot.i18n import t
from bot.topics import topic_named
from handlers.common import (
    e,
    echo,
    lang_of,
    may_change_subscriptions,
    reply,
    thread_of,
    topic_list,
)
from storage import Topic


async def topics(update: Update, context: NewsContext) -> None:
    lang = await lang_of(update, context)
    found = await context.storage.topics()
    lines = [t(lang, "topics_header")]
    lines += [t(lang, "topic_line", slug=e(tp.slug), name=e(tp.name(lang))) for tp in found]
    await reply(update, "\n".join(lines) if found else t(lang, "topics_empty"))


class Target(NamedTuple):
    """The chat whose subscriptions a command changes: the one it was sent in, or a channel."""

    chat_id: int
    type: str
    thread_id: int
    channel: str | None = None  # how the user named the channel, for the answer


# A channel as a user names it: @username, or the numeric id of a private channel.
_CHANNEL = re.compile(r"@[A-Za-z]\w{3,31}|-100\d{1,16}")


async def subscribe(update: Update, context: NewsContext) -> None:
    lang = await lang_of(update, context)
    found = await _target(update, context, context.args or [])
    if found is None:
        return
    target, slug = found
    if slug is None:
        available = await context.storage.topics()
        example = available[0].slug if available else "news"
        await reply(update, t(lang, "usage_subscribe", example=e(example)))
        return
    topic = await _topic(update, context, slug)
    if topic is None:
        return
    storage, now = context.storage, context.now()
    await storage.upsert_chat(target.chat_id, type=target.type, language=lang, now=now)
    added = await storage.add_subscription(
        target.chat_id, topic.id, now=now, thread_id=target.thread_id
    )
    await reply(
        update,
        _answer(lang, "subscribed" if added else "already_subscribed", target, topic.name(lang)),
    )


async def unsubscribe(update: Update, context: NewsContext) -> None:
    lang = await lang_of(update, context)
    found = await _target(update, context, context.args or [])
    if found is None:
        return
    target, slug = found
    if slug is None:
        await reply(update, t(lang, "usage_unsubscribe"))
        return
    topic = await _topic(update, context, slug)
    if topic is None:
        return
    removed = await context.storage.remove_subscription(
        target.chat_id, topic.id, thread_id=target.thread_id
    )
    await reply(
        update,
        _answer(lang, "unsubscribed" if removed else "not_subscribed", target, topic.name(lang)),
    )


async def _topic(update: Update, context: NewsContext, phrase: str) -> Topic | None:
    """The topic the user named (slug or name, any case, quoted or not); None, with the
    topics there are, if none."""
    available = await context.storage.topics()
    topic = topic_named(phrase, available)
    if topic is None:
        lang = await lang_of(update, context)
        listed = topic_list(available, lang)
        await reply(update, t(lang, "unknown_topic", slug=echo(phrase), available=listed))
    return topic


async def mysubs(update: Update, context: NewsContext) -> None:
    lang = await lang_of(update, context)
    chat = update.effective_chat
    match context.args or []:
        case [] if chat is not None:
            chat_id, channel = chat.id, None
        case [name] if _CHANNEL.fullmatch(name):
            found = await _channel(update, context, name)
            if found is None:
                return
            chat_id, channel = found.id, name
        case _:
            await reply(update, t(lang, "usage_mysubs"))
            return
    subs = await context.storage.subscriptions(chat_id)
    if channel is None:
        header, empty = t(lang, "mysubs_header"), t(lang, "mysubs_empty")
    else:
        header = t(lang, "channel_subs_header", channel=e(channel))
        empty = t(lang, "channel_subs_empty", channel=e(channel))
    lines = [header]
    lines += [t(lang, "topic_line", slug=e(s.topic.slug), name=e(s.topic.name(lang))) for s in subs]
    await reply(update, "\n".join(lines) if subs else empty)


def _answer(lang: str, key: str, target: Target, topic_name: str) -> str:
    if target.channel is None:
        return t(lang, key, name=e(topic_name))
    return t(lang, f"channel_{key}", name=e(topic_name), channel=e(target.channel))


async def _target(
    update: Update, context: NewsContext, args: list[str]
) -> tuple[Target, str | None] | None:
    """Whose subscriptions the command changes, and the topic it names (None: no usable
    arguments). None when the user may not change them; the refusal is answered here."""
    chat = update.effective_chat
    if chat is None:
        return None
    if args and args[0].startswith(("@", "-")):
        if len(args) < 2 or not _CHANNEL.fullmatch(args[0]):
            # No topic, or no channel's name: the usage, which shows both forms.
            return Target(chat.id, chat.type, 0), None
        channel = await _channel(update, context, args[0])
        if channel is None:
            return None
        return Target(channel.id, channel.type, 0, args[0]), " ".join(args[1:])
    if not await may_change_subscriptions(update, context):
        return None
    return Target(chat.id, chat.type, thread_of(update)), " ".join(args) or None


async def _channel(update: Update, context: NewsContext, name: str) -> ChatFullInfo | None:
    """The channel `name`, if the user administers it and the bot may post there; else None,
    with the reason answered. Asked from a private chat only: a group's members would see
    which channels its admins run."""
    lang, chat, user = await lang_of(update, context), update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type != Chat.PRIVATE:
        await reply(update, t(lang, "channel_from_private_chat"))
        return None
    try:
        channel = await context.bot.get_chat(name)
        refusal = await _channel_refusal(context, channel, user.id)
    except (BadRequest, Forbidden):  # no such chat, or one the bot cannot see into
        refusal = "channel_not_found"
    if refusal is not None:
        await reply(update, t(lang, refusal, channel=e(name)))
        return None
    return channel


async def _channel_refusal(context: NewsContext, channel: ChatFullInfo, user_id: int) -> str | None:
    """Why the user may not change this channel's subscriptions (a message key), or None."""
    if channel.type != Chat.CHANNEL:
        return "not_a_channel"
    if not _may_post(await context.bot.get_chat_member(channel.id, context.bot.id)):
        return "channel_bot_cannot_post"
    if not await context.chat_admins.is_admin(context.bot, channel.id, user_id):
        return "channel_admins_only"
    return None


def _may_post(member: object) -> bool:
    return isinstance(member, ChatMemberOwner) or (
        isinstance(member, ChatMemberAdministrator) and bool(member.can_post_messages)
    )
