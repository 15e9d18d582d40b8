"""/lang, /digest, /quiet, /timezone, /settings: the chat's language, how and when it gets
its news.

Times are the chat's local times (its /timezone, else the configured one). In a group only
its administrators change them, as with subscriptions.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.callbacks import Action
from bot.context import NewsContext
from bot.delivery.render import format_date
from bot.delivery.schedule import (
    MAX_DIGESTS_A_DAY,
    chat_zone,
    format_clock,
    next_digest_at,
    parse_clock,
    zone,
)
from bot.i18n import LANGUAGES, t
from handlers.common import (
    echo,
    edit_pressed,
    lang_of,
    may_change_subscriptions,
    reply,
    stale_button,
)
from storage import Chat

OFF = ("off", "выкл", "нет")
SET_LANGUAGE = Action("lang", (str,))
LANGUAGE_NAMES = {"ru": "Русский", "en": "English"}


async def language(update: Update, context: NewsContext) -> None:
    """/lang shows the chat's language with a button per language; /lang en sets it."""
    lang, args = await lang_of(update, context), context.args or []
    if not args:
        await reply(update, t(lang, "language_is", language=LANGUAGE_NAMES[lang]), _languages())
        return
    wanted = args[0].lower()
    if len(args) > 1 or wanted not in LANGUAGES:
        await reply(update, t(lang, "usage_lang", given=echo(" ".join(args))))
        return
    if await _set_language(update, context, wanted):
        await reply(update, t(wanted, "language_set"))


async def language_pressed(update: Update, context: NewsContext) -> None:
    query = update.callback_query
    assert query is not None
    match SET_LANGUAGE.parse(query.data):
        case (str() as wanted,) if wanted in LANGUAGES:
            if await _set_language(update, context, wanted):
                await query.answer()
                await edit_pressed(update, t(wanted, "language_set"))
        case _:
            await stale_button(update, context)


def _languages() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(name, callback_data=SET_LANGUAGE.data(code))]
            for code, name in LANGUAGE_NAMES.items()
        ]
    )


async def _set_language(update: Update, context: NewsContext, wanted: str) -> bool:
    """False (answered) if the user may not change this chat's settings."""
    chat = update.effective_chat
    if chat is None or not await may_change_subscriptions(update, context):
        return False
    await context.storage.set_chat_language(chat.id, wanted, type=chat.type, now=context.now())
    return True


async def digest(update: Update, context: NewsContext) -> None:
    lang, args = await lang_of(update, context), context.args or []
    if not args:
        await show(update, context, usage="usage_digest")
        return
    parsed = [parse_clock(a) for a in args]
    times = sorted({m for m in parsed if m is not None})
    off = len(args) == 1 and args[0].lower() in OFF
    if not off and (None in parsed or len(times) > MAX_DIGESTS_A_DAY):
        await reply(update, t(lang, "usage_digest", most=MAX_DIGESTS_A_DAY))
        return
    chat = await _own_chat(update, context)
    if chat is None:
        return
    now, tz = context.now(), chat_zone(chat.timezone, context.config.timezone)
    upcoming = next_digest_at(now, tz, times)
    await context.storage.set_digest_times(chat.id, times, next_at=upcoming, now=now)
    if upcoming is None:
        await reply(update, t(lang, "digest_off"))
        context.sender.wake()  # what was held for the digest goes now
        return
    clocks = ", ".join(format_clock(m) for m in times)
    when = format_date(upcoming, tz.key)
    await reply(update, t(lang, "digest_set", times=clocks, timezone=tz.key, next=when))


async def quiet(update: Update, context: NewsContext) -> None:
    lang, args = await lang_of(update, context), context.args or []
    if not args:
        await show(update, context, usage="usage_quiet")
        return
    hours: tuple[int, int] | None
    match [parse_clock(a) for a in args]:
        case _ if len(args) == 1 and args[0].lower() in OFF:
            hours = None
        case [int() as start, int() as end] if start != end:
            hours = (start, end)
        case _:
            await reply(update, t(lang, "usage_quiet"))
            return
    chat = await _own_chat(update, context)
    if chat is None:
        return
    await context.storage.set_quiet_hours(chat.id, hours, now=context.now())
    if hours is None:
        await reply(update, t(lang, "quiet_off"))
    else:
        tz = chat_zone(chat.timezone, context.config.timezone)
        begins, ends = (format_clock(m) for m in hours)
        await reply(update, t(lang, "quiet_set", start=begins, end=ends, timezone=tz.key))
    context.sender.wake()  # what waited for the old hours to end is looked at again


async def timezone(update: Update, context: NewsContext) -> None:
    lang, args = await lang_of(update, context), context.args or []
    if len(args) != 1:
        await show(update, context, usage="usage_timezone")
        return
    tz = zone(args[0])
    if tz is None:
        await reply(update, t(lang, "unknown_timezone", name=echo(args[0])))
        return
    chat = await _own_chat(update, context)
    if chat is None:
        return
    now = context.now()
    await context.storage.set_timezone(
        chat.id, tz.key, next_at=next_digest_at(now, tz, chat.digest_times)
    )
    await reply(update, t(lang, "timezone_set", timezone=tz.key, now=format_date(now, tz.key)))


async def show(update: Update, context: NewsContext, *, usage: str | None = None) -> None:
    """The chat's settings (and, after a command without arguments, how to change them)."""
    lang, chat = await lang_of(update, context), update.effective_chat
    stored = await context.storage.chat(chat.id) if chat else None
    tz = chat_zone(stored.timezone if stored else None, context.config.timezone)
    times = stored.digest_times if stored else ()
    mode = (
        t(lang, "mode_digest", times=", ".join(format_clock(m) for m in times))
        if times
        else t(lang, "mode_instant")
    )
    hours = stored.quiet if stored else None
    quiet_text = (
        t(lang, "quiet_hours", start=format_clock(hours[0]), end=format_clock(hours[1]))
        if hours
        else t(lang, "quiet_none")
    )
    text = t(lang, "settings", timezone=tz.key, mode=mode, quiet=quiet_text)
    if usage:
        text += "\n\n" + t(lang, usage, most=MAX_DIGESTS_A_DAY)
    await reply(update, text)


async def _own_chat(update: Update, context: NewsContext) -> Chat | None:
    """The chat the command came from, registered; None (answered) if the user may not
    change it."""
    chat = update.effective_chat
    if chat is None or not await may_change_subscriptions(update, context):
        return None
    lang = await lang_of(update, context)
    return await context.storage.upsert_chat(
        chat.id, type=chat.type, language=lang, now=context.now()
    )
