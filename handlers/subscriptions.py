"""/topics, /subscribe, /unsubscribe, /mysubs — for the chat they are sent in, or, from a
private chat, for a channel the user administers (`/subscribe @channel topic`); and the
keyboard of topics, a toggle per topic, that /topics, /start and a bare /subscribe show."""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence
from typing import NamedTuple

from telegram import (
    Chat,
    ChatFullInfo,
    ChatMemberAdministrator,
    ChatMemberOwner,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MaybeInaccessibleMessage,
    Update,
)
from telegram.error import BadRequest, Forbidden

from bot.callbacks import Action
from bot.context import NewsContext
from bot.delivery.render import BUTTON_NAME_LIMIT, cut_text
from bot.i18n import t
from bot.topics import topic_named
from handlers.common import (
    e,
    echo,
    lang_of,
    may_change_subscriptions,
    reply,
    stale_button,
    thread_of,
    topic_list,
)
from storage import Topic


async def topics(update: Update, context: NewsContext) -> None:
    lang = await lang_of(update, context)
    found = await context.storage.topics()
    if not found:
        await reply(update, t(lang, "topics_empty"))
        return
    lines = [t(lang, "topics_header")]
    lines += [t(lang, "topic_line", slug=e(tp.slug), name=e(tp.name(lang))) for tp in found]
    await reply(update, "\n".join(lines), await chat_topic_keyboard(update, context, lang))


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
        # Nothing named at all: the topics to tap as well (not after "@channel" alone: the
        # keyboard changes this chat, not the channel).
        markup = None if context.args else await chat_topic_keyboard(update, context, lang)
        await reply(update, t(lang, "usage_subscribe", example=e(example)), markup)
        return
    topic = await find_topic(update, context, slug)
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
        markup = None if context.args else await chat_topic_keyboard(update, context, lang)
        await reply(update, t(lang, "usage_unsubscribe"), markup)
        return
    topic = await find_topic(update, context, slug)
    if topic is None:
        return
    removed = await context.storage.remove_subscription(
        target.chat_id, topic.id, thread_id=target.thread_id
    )
    await reply(
        update,
        _answer(lang, "unsubscribed" if removed else "not_subscribed", target, topic.name(lang)),
    )


async def find_topic(update: Update, context: NewsContext, phrase: str) -> Topic | None:
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


# --- the topic keyboard: one toggle per topic ---------------------------------------------
#
# A button carries what its tap asks for (subscribe or unsubscribe, as the button showed), so
# a double tap, or two admins tapping the same old keyboard, cannot undo each other; and the
# forum thread the keyboard belongs to, for a message too old for Telegram to show on a press.
TOGGLE_TOPIC = Action("subt", (int, int, int, int))  # topic id, 1 subscribe / 0 not, page, thread
TOPICS_PAGE = Action("subp", (int, int))  # page, thread
PAGE_SIZE = 30  # topics on one page of the keyboard (Telegram allows 100 buttons)
ONE_PER_ROW = 6  # up to this many topics, a row each (whole names); more: two a row


def topic_keyboard(
    topics: Sequence[Topic],
    subscribed: Collection[int],
    lang: str,
    *,
    page: int = 0,
    thread: int = 0,
) -> InlineKeyboardMarkup | None:
    """A toggle per topic, ✅ on those subscribed, sorted by name in the chat's language; past
    PAGE_SIZE topics, pages with ◀ ▶ (a page past the end shows the last). None: no topics."""
    if not topics:
        return None
    ordered = sorted(topics, key=lambda topic: (topic.name(lang).casefold(), topic.id))
    pages = math.ceil(len(ordered) / PAGE_SIZE)
    page = min(max(page, 0), pages - 1)
    buttons = []
    for topic in ordered[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]:
        name = cut_text(topic.name(lang), BUTTON_NAME_LIMIT)
        on = topic.id in subscribed
        data = TOGGLE_TOPIC.data(topic.id, int(not on), page, thread)
        buttons.append(InlineKeyboardButton(f"✅ {name}" if on else name, callback_data=data))
    per_row = 1 if len(ordered) <= ONE_PER_ROW else 2
    rows = [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]
    turn = []
    if page > 0:
        turn.append(
            InlineKeyboardButton(
                f"◀ {page}/{pages}", callback_data=TOPICS_PAGE.data(page - 1, thread)
            )
        )
    if page < pages - 1:
        turn.append(
            InlineKeyboardButton(
                f"{page + 2}/{pages} ▶", callback_data=TOPICS_PAGE.data(page + 1, thread)
            )
        )
    if turn:
        rows.append(turn)
    return InlineKeyboardMarkup(rows)


async def chat_topic_keyboard(
    update: Update, context: NewsContext, lang: str, *, page: int = 0, thread: int | None = None
) -> InlineKeyboardMarkup | None:
    """The topic keyboard for the chat (and forum thread) of this update."""
    chat = update.effective_chat
    if chat is None:
        return None
    thread = thread_of(update) if thread is None else thread
    storage = context.storage
    mine = {s.topic.id for s in await storage.subscriptions(chat.id) if s.thread_id == thread}
    return topic_keyboard(await storage.topics(), mine, lang, page=page, thread=thread)


async def topic_pressed(update: Update, context: NewsContext) -> None:
    """A toggle: subscribe or unsubscribe as the button said, a toast, the keyboard redrawn."""
    query = update.callback_query
    assert query is not None
    match TOGGLE_TOPIC.parse(query.data):
        case (int() as topic_id, 0 | 1 as wanted, int() as page, int() as carried):
            pass
        case _:
            await stale_button(update, context)
            return
    topic = await context.storage.topic_by_id(topic_id)
    if topic is None:  # removed since the keyboard was drawn
        await stale_button(update, context)
        return
    if not await may_press_here(update, context):
        return
    lang, thread = await lang_of(update, context), pressed_thread(update, carried)
    await set_subscription(update, context, topic, thread, subscribe=bool(wanted))
    toast = "toast_subscribed" if wanted else "toast_unsubscribed"
    await query.answer(t(lang, toast, name=topic.name(lang)))  # a toast is plain text
    await edit_keyboard(
        update, await chat_topic_keyboard(update, context, lang, page=page, thread=thread)
    )


async def topics_page_pressed(update: Update, context: NewsContext) -> None:
    """◀ ▶ under the topic keyboard: another page of it, in place. Anyone may turn pages."""
    query = update.callback_query
    assert query is not None
    match TOPICS_PAGE.parse(query.data):
        case (int() as page, int() as carried):
            pass
        case _:
            await stale_button(update, context)
            return
    lang = await lang_of(update, context)
    await query.answer()
    thread = pressed_thread(update, carried)
    await edit_keyboard(
        update, await chat_topic_keyboard(update, context, lang, page=page, thread=thread)
    )


# --- what every press that changes subscriptions needs (the card buttons too) -------------


async def may_press_here(update: Update, context: NewsContext) -> bool:
    """May the presser change this chat's subscriptions? Not in a channel, where every reader
    could press (the bot puts no such buttons there: a press is forged); in a group, its
    administrators only. A refusal is answered here."""
    chat = update.effective_chat
    if chat is None or chat.type == Chat.CHANNEL:
        await stale_button(update, context)
        return False
    return await may_change_subscriptions(update, context)


def shown(message: MaybeInaccessibleMessage | None) -> bool:
    """Does Telegram still show the bot the pressed message? Not one too old (it then
    sends only its chat and id, dated 0)."""
    return message is not None and message.is_accessible


def pressed_thread(update: Update, carried: int) -> int:
    """The forum thread a press acts in: the pressed message's own while Telegram still shows
    the message; for one too old to be shown, the thread the button carries, in a supergroup
    (no other chat has threads: a carried one elsewhere is forged and ignored)."""
    query, chat = update.callback_query, update.effective_chat
    if query is not None and shown(query.message):
        return thread_of(update)
    return carried if chat is not None and chat.type == Chat.SUPERGROUP else 0


async def set_subscription(
    update: Update, context: NewsContext, topic: Topic, thread: int, *, subscribe: bool
) -> None:
    """Subscribe the update's chat (registering it) or unsubscribe it; doing what is already
    so is no error."""
    chat = update.effective_chat
    assert chat is not None
    storage, now = context.storage, context.now()
    if subscribe:
        lang = await lang_of(update, context)
        await storage.upsert_chat(chat.id, type=chat.type, language=lang, now=now)
        await storage.add_subscription(chat.id, topic.id, now=now, thread_id=thread)
    else:
        await storage.remove_subscription(chat.id, topic.id, thread_id=thread)


async def edit_keyboard(update: Update, markup: InlineKeyboardMarkup | None) -> None:
    """Redraw the pressed message's buttons. Nothing to redraw (a second tap), a message gone,
    or one too old to be shown or edited: the press was answered already, nothing more."""
    query = update.callback_query
    assert query is not None
    if not shown(query.message):
        return
    try:
        await query.edit_message_reply_markup(markup)
    except BadRequest as exc:
        problem = exc.message.lower()
        harmless = ("message is not modified", "message to edit not found", "can't be edited")
        if not any(reason in problem for reason in harmless):
            raise
