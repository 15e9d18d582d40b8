"""/settings, /lang, /digest, /quiet, /timezone (/tz): the chat's language, how and when it
gets its news, and whether links show a preview.

Times are the chat's local times (its /timezone, else the configured one). In a group only
its administrators change them, as with subscriptions.

/settings answers with a keyboard: each setting opens its choices by editing the same
message, and a choice applies exactly what the typed command would, then shows the settings
again. Buttons carry an index into the fixed lists below, never a value taken on trust.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.callbacks import Action
from bot.config import Config
from bot.context import NewsContext
from bot.delivery.render import format_date
from bot.delivery.schedule import (
    MAX_DIGESTS_A_DAY,
    chat_zone,
    format_clock,
    next_digest_at,
    parse_clock,
    utc_offset,
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

# --- the /settings keyboard ---------------------------------------------------------------

OPEN_PAGE = Action("setpage", (str,))
CHOOSE_LANGUAGE = Action("setlang", (str,))
CHOOSE_DELIVERY = Action("setmode", (int,))  # an index into DELIVERY_PRESETS
CHOOSE_ZONE = Action("settz", (int,))  # an index into COMMON_ZONES ("/" cannot travel)
CHOOSE_QUIET = Action("setquiet", (int,))  # an index into QUIET_PRESETS
CHOOSE_PREVIEWS = Action("setprev", (int,))  # 1 on, 0 off: the value the press sets
SETTINGS_BUTTONS = re.compile(
    "|".join(
        action.pattern.pattern
        for action in (
            OPEN_PAGE,
            CHOOSE_LANGUAGE,
            CHOOSE_DELIVERY,
            CHOOSE_ZONE,
            CHOOSE_QUIET,
            CHOOSE_PREVIEWS,
        )
    )
)
HOME, LANGUAGE_PAGE, DELIVERY_PAGE, ZONE_PAGE, QUIET_PAGE = "home", "lang", "mode", "tz", "quiet"
PAGES = (HOME, LANGUAGE_PAGE, DELIVERY_PAGE, ZONE_PAGE, QUIET_PAGE)
CHOSEN = "✅ "  # before the option in force

# Instant cards, then the usual digest rhythms (minutes after local midnight); other times
# are typed: /digest 07:30 20:00.
DELIVERY_PRESETS: tuple[tuple[int, ...], ...] = (
    (),
    (9 * 60,),
    (9 * 60, 19 * 60),
    (8 * 60, 13 * 60, 19 * 60),
)
QUIET_PRESETS: tuple[tuple[int, int] | None, ...] = (
    None,
    (23 * 60, 7 * 60),
    (22 * 60, 8 * 60),
    (0, 9 * 60),
)


class CommonZone(NamedTuple):
    """A time zone offered as a button: its IANA name and what people call it."""

    name: str
    ru: str
    en: str

    def city(self, lang: str) -> str:
        return self.ru if lang == "ru" else self.en


# The readers of a Central Asia news bot, west to east; any other zone is typed: /tz Area/City.
COMMON_ZONES = (
    CommonZone("UTC", "UTC", "UTC"),
    CommonZone("Europe/London", "Лондон", "London"),
    CommonZone("Europe/Berlin", "Берлин", "Berlin"),
    CommonZone("Europe/Minsk", "Минск", "Minsk"),
    CommonZone("Europe/Moscow", "Москва", "Moscow"),
    CommonZone("Asia/Tbilisi", "Тбилиси", "Tbilisi"),
    CommonZone("Asia/Yerevan", "Ереван", "Yerevan"),
    CommonZone("Asia/Baku", "Баку", "Baku"),
    CommonZone("Asia/Ashgabat", "Ашхабад", "Ashgabat"),
    CommonZone("Asia/Tashkent", "Ташкент", "Tashkent"),
    CommonZone("Asia/Dushanbe", "Душанбе", "Dushanbe"),
    CommonZone("Asia/Almaty", "Астана, Алматы", "Astana, Almaty"),
    CommonZone("Asia/Bishkek", "Бишкек", "Bishkek"),
    CommonZone("Asia/Novosibirsk", "Новосибирск", "Novosibirsk"),
)


# What a press asks for, once its data is checked.
@dataclass(frozen=True)
class OpenPage:
    page: str


@dataclass(frozen=True)
class ChooseLanguage:
    language: str


@dataclass(frozen=True)
class ChooseDelivery:
    times: tuple[int, ...]


@dataclass(frozen=True)
class ChooseZone:
    zone: str


@dataclass(frozen=True)
class ChooseQuiet:
    hours: tuple[int, int] | None


@dataclass(frozen=True)
class ChoosePreviews:
    on: bool


Press = OpenPage | ChooseLanguage | ChooseDelivery | ChooseZone | ChooseQuiet | ChoosePreviews


def parse_press(data: str | None) -> Press | None:
    """What a press of a settings button asks for; None for stale or forged data (an
    index past its list, a page or language there is not)."""
    if (page := _token(OPEN_PAGE, data, PAGES)) is not None:
        return OpenPage(page)
    if (code := _token(CHOOSE_LANGUAGE, data, LANGUAGES)) is not None:
        return ChooseLanguage(code)
    if (index := _index(CHOOSE_DELIVERY, data, len(DELIVERY_PRESETS))) is not None:
        return ChooseDelivery(DELIVERY_PRESETS[index])
    if (index := _index(CHOOSE_ZONE, data, len(COMMON_ZONES))) is not None:
        return ChooseZone(COMMON_ZONES[index].name)
    if (index := _index(CHOOSE_QUIET, data, len(QUIET_PRESETS))) is not None:
        return ChooseQuiet(QUIET_PRESETS[index])
    if (index := _index(CHOOSE_PREVIEWS, data, 2)) is not None:
        return ChoosePreviews(bool(index))
    return None


def _token(action: Action, data: str | None, known: tuple[str, ...]) -> str | None:
    match action.parse(data):
        case (str() as token,) if token in known:
            return token
        case _:
            return None


def _index(action: Action, data: str | None, size: int) -> int | None:
    match action.parse(data):
        case (int() as index,) if 0 <= index < size:
            return index
        case _:
            return None


@dataclass(frozen=True)
class ChatSettings:
    """Everything /settings shows, defaults filled in."""

    language: str
    timezone: ZoneInfo
    digest_times: tuple[int, ...]
    quiet: tuple[int, int] | None
    link_previews: bool


def chat_settings(chat: Chat | None, lang: str, config: Config) -> ChatSettings:
    """The chat's settings as they apply (a chat never seen has the configured ones)."""
    return ChatSettings(
        language=lang,
        timezone=chat_zone(chat.timezone if chat else None, config.timezone),
        digest_times=chat.digest_times if chat else (),
        quiet=chat.quiet if chat else None,
        link_previews=(
            chat.link_previews
            if chat is not None and chat.link_previews is not None
            else config.delivery.link_previews
        ),
    )


Button = tuple[str, str]  # label, callback_data


@dataclass(frozen=True)
class View:
    """A settings message: its text and its keyboard, row by row."""

    text: str
    rows: tuple[tuple[Button, ...], ...]

    def markup(self) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(label, callback_data=data) for label, data in row]
                for row in self.rows
            ]
        )


def settings_view(settings: ChatSettings, page: str, now: float) -> View:
    """The settings message at `page`: the overview, or the choices of one setting."""
    match page:
        case "lang":
            return _language_page(settings)
        case "mode":
            return _delivery_page(settings)
        case "tz":
            return _zone_page(settings, now)
        case "quiet":
            return _quiet_page(settings)
        case _:
            return _home_page(settings)


def settings_text(settings: ChatSettings) -> str:
    lang = settings.language
    return t(
        lang,
        "settings",
        timezone=settings.timezone.key,
        mode=_mode_text(lang, settings.digest_times),
        quiet=_quiet_text(lang, settings.quiet),
    )


def _home_page(settings: ChatSettings) -> View:
    lang = settings.language
    previews = "settings_previews_on" if settings.link_previews else "settings_previews_off"
    return View(
        settings_text(settings),
        (
            (
                (
                    t(lang, "settings_language", language=LANGUAGE_NAMES[lang]),
                    OPEN_PAGE.data(LANGUAGE_PAGE),
                ),
                (t(lang, "settings_delivery"), OPEN_PAGE.data(DELIVERY_PAGE)),
            ),
            (
                (t(lang, "settings_timezone"), OPEN_PAGE.data(ZONE_PAGE)),
                (t(lang, "settings_quiet"), OPEN_PAGE.data(QUIET_PAGE)),
            ),
            ((t(lang, previews), CHOOSE_PREVIEWS.data(int(not settings.link_previews))),),
        ),
    )


def _language_page(settings: ChatSettings) -> View:
    lang = settings.language
    return View(
        t(lang, "language_is", language=LANGUAGE_NAMES[lang]),
        (
            tuple(
                (_mark(name, code == lang), CHOOSE_LANGUAGE.data(code))
                for code, name in LANGUAGE_NAMES.items()
            ),
            _back(lang),
        ),
    )


def _delivery_page(settings: ChatSettings) -> View:
    lang = settings.language
    options = [
        (
            _mark(
                t(lang, "settings_digest_preset", times=" + ".join(map(format_clock, times)))
                if times
                else t(lang, "settings_instant"),
                times == settings.digest_times,
            ),
            CHOOSE_DELIVERY.data(index),
        )
        for index, times in enumerate(DELIVERY_PRESETS)
    ]
    text = t(
        lang,
        "settings_delivery_page",
        mode=_mode_text(lang, settings.digest_times),
        most=MAX_DIGESTS_A_DAY,
    )
    return View(text, (*((option,) for option in options), _back(lang)))


def _zone_page(settings: ChatSettings, now: float) -> View:
    lang, key = settings.language, settings.timezone.key
    options = [
        (
            _mark(
                f"{common.city(lang)} · {utc_offset(ZoneInfo(common.name), now)}",
                common.name == key,
            ),
            CHOOSE_ZONE.data(index),
        )
        for index, common in enumerate(COMMON_ZONES)
    ]
    pairs = tuple(tuple(options[i : i + 2]) for i in range(0, len(options), 2))
    text = t(lang, "settings_timezone_page", timezone=key, now=format_date(now, key))
    return View(text, (*pairs, _back(lang)))


def _quiet_page(settings: ChatSettings) -> View:
    lang = settings.language
    off, *hours = [
        (
            _mark(
                f"{format_clock(preset[0])}–{format_clock(preset[1])}"
                if preset
                else t(lang, "settings_quiet_off"),
                preset == settings.quiet,
            ),
            CHOOSE_QUIET.data(index),
        )
        for index, preset in enumerate(QUIET_PRESETS)
    ]
    text = t(lang, "settings_quiet_page", quiet=_quiet_text(lang, settings.quiet))
    return View(text, ((off,), tuple(hours), _back(lang)))


def _back(lang: str) -> tuple[Button]:
    return ((t(lang, "settings_back"), OPEN_PAGE.data(HOME)),)


def _mark(label: str, chosen: bool) -> str:
    return CHOSEN + label if chosen else label


def _mode_text(lang: str, times: tuple[int, ...]) -> str:
    if not times:
        return t(lang, "mode_instant")
    return t(lang, "mode_digest", times=", ".join(format_clock(m) for m in times))


def _quiet_text(lang: str, hours: tuple[int, int] | None) -> str:
    if hours is None:
        return t(lang, "quiet_none")
    return t(lang, "quiet_hours", start=format_clock(hours[0]), end=format_clock(hours[1]))


async def show(update: Update, context: NewsContext, *, usage: str | None = None) -> None:
    """/settings: the chat's settings with their keyboard (and, after a command without
    arguments, how to change that one by typing)."""
    lang = await lang_of(update, context)
    view = await _view(update, context, lang, HOME)
    text = view.text + ("\n\n" + t(lang, usage, most=MAX_DIGESTS_A_DAY) if usage else "")
    await reply(update, text, view.markup())


async def settings_pressed(update: Update, context: NewsContext) -> None:
    """A button of the settings keyboard: another page, or a choice applied as its command
    applies it, after which the overview shows again. Answered exactly once."""
    query = update.callback_query
    assert query is not None
    press = parse_press(query.data)
    chat = update.effective_chat
    if press is None or chat is None:
        await stale_button(update, context)
        return
    if not await may_change_subscriptions(update, context):
        return  # refused with an alert; nothing changes
    page = HOME
    match press:
        case OpenPage(page=page):
            pass
        case ChooseLanguage(language=language):
            await context.storage.set_chat_language(
                chat.id, language, type=chat.type, now=context.now()
            )
        case ChooseDelivery(times=times):
            await _apply_digest(context, await _register(update, context), times)
        case ChooseZone(zone=name):
            tz = zone(name)
            assert tz is not None, name  # COMMON_ZONES holds only zones that exist
            await _apply_timezone(context, await _register(update, context), tz)
        case ChooseQuiet(hours=hours):
            await _apply_quiet(context, await _register(update, context), hours)
        case ChoosePreviews(on=on):
            registered = await _register(update, context)
            await context.storage.set_link_previews(registered.id, on)
    await query.answer()
    view = await _view(update, context, await lang_of(update, context), page)
    await edit_pressed(update, view.text, view.markup())


async def _view(update: Update, context: NewsContext, lang: str, page: str) -> View:
    chat = update.effective_chat
    stored = await context.storage.chat(chat.id) if chat else None
    return settings_view(chat_settings(stored, lang, context.config), page, context.now())


# --- the typed commands -------------------------------------------------------------------


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
    times = tuple(sorted({m for m in parsed if m is not None}))
    off = len(args) == 1 and args[0].lower() in OFF
    if not off and (None in parsed or len(times) > MAX_DIGESTS_A_DAY):
        await reply(update, t(lang, "usage_digest", most=MAX_DIGESTS_A_DAY))
        return
    chat = await _own_chat(update, context)
    if chat is None:
        return
    upcoming, tz = await _apply_digest(context, chat, times)
    if upcoming is None:
        await reply(update, t(lang, "digest_off"))
        return
    clocks = ", ".join(format_clock(m) for m in times)
    when = format_date(upcoming, tz.key)
    await reply(update, t(lang, "digest_set", times=clocks, timezone=tz.key, next=when))


async def _apply_digest(
    context: NewsContext, chat: Chat, times: tuple[int, ...]
) -> tuple[float | None, ZoneInfo]:
    """Digests at these local times (none: instant cards, and what was held goes now);
    the next digest and the zone it was reckoned in."""
    now, tz = context.now(), chat_zone(chat.timezone, context.config.timezone)
    upcoming = next_digest_at(now, tz, times)
    await context.storage.set_digest_times(chat.id, times, next_at=upcoming, now=now)
    if upcoming is None:
        context.sender.wake()  # what was held for the digest goes now
    return upcoming, tz


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
    await _apply_quiet(context, chat, hours)
    if hours is None:
        await reply(update, t(lang, "quiet_off"))
    else:
        tz = chat_zone(chat.timezone, context.config.timezone)
        begins, ends = (format_clock(m) for m in hours)
        await reply(update, t(lang, "quiet_set", start=begins, end=ends, timezone=tz.key))


async def _apply_quiet(context: NewsContext, chat: Chat, hours: tuple[int, int] | None) -> None:
    await context.storage.set_quiet_hours(chat.id, hours, now=context.now())
    context.sender.wake()  # what waited for the old hours to end is looked at again


async def timezone(update: Update, context: NewsContext) -> None:
    """/timezone Asia/Almaty, or /tz Asia/Almaty."""
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
    await _apply_timezone(context, chat, tz)
    now = context.now()
    await reply(update, t(lang, "timezone_set", timezone=tz.key, now=format_date(now, tz.key)))


async def _apply_timezone(context: NewsContext, chat: Chat, tz: ZoneInfo) -> None:
    """The chat's zone: its next digest is reckoned again, and so is the end of its quiet
    hours for what waits for it (07:00 in the old zone is another instant)."""
    now = context.now()
    await context.storage.set_timezone(
        chat.id, tz.key, next_at=next_digest_at(now, tz, chat.digest_times)
    )
    if chat.quiet is not None:
        await _apply_quiet(context, chat, chat.quiet)


async def _own_chat(update: Update, context: NewsContext) -> Chat | None:
    """The chat the command came from, registered; None (answered) if the user may not
    change it."""
    chat = update.effective_chat
    if chat is None or not await may_change_subscriptions(update, context):
        return None
    return await _register(update, context)


async def _register(update: Update, context: NewsContext) -> Chat:
    """The chat the update came from, registered (the caller checked the user may change
    it)."""
    chat = update.effective_chat
    assert chat is not None
    lang = await lang_of(update, context)
    return await context.storage.upsert_chat(
        chat.id, type=chat.type, language=lang, now=context.now()
    )
