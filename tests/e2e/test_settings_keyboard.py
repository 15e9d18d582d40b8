"""/settings as a keyboard: each page changes exactly its setting, as the typed command
would, and delivery follows; groups are for their admins; stale, forged and repeated presses
are answered harmlessly. The injected clock starts at 08:00 UTC (11:00 in Moscow, the
configured zone; 13:00 in Almaty)."""

from __future__ import annotations

import json

import pytest

from bot.i18n import t
from handlers.common import echo
from handlers.settings import (
    CHOOSE_DELIVERY,
    CHOOSE_LANGUAGE,
    CHOOSE_PREVIEWS,
    CHOOSE_QUIET,
    CHOOSE_ZONE,
    COMMON_ZONES,
    DELIVERY_PRESETS,
    OPEN_PAGE,
    QUIET_PRESETS,
)
from storage import Chat
from tests.e2e.conftest import ADMIN, USER
from tests.support.fake_bot_api import SentMessage
from tests.support.feeds import FeedItem, rss
from tests.support.harness import RunningBot, eventually

HOUR = 3600.0
GROUP = -100777
OTHER = USER + 1
OLD = [FeedItem("old-1", "Казахстан: старая новость", "Казахстан и соседи.")]


def item(n: int) -> FeedItem:
    return FeedItem(f"new-{n}", f"Казахстан: новость {n}", f"Казахстан. Текст {n}.")


async def follow_feed(bot: RunningBot, *users: int) -> None:
    bot.feeds.put("/news.xml", rss("Лента", OLD))
    await bot.say(f"/addfeed {bot.feeds.url('/news.xml')} central-asia", user=ADMIN, replies=2)
    for user in users:
        await bot.say("/subscribe central-asia", user=user)


async def open_settings(bot: RunningBot, user: int = USER, **kw: str | int) -> SentMessage:
    (shown,) = await bot.say("/settings", user=user, **kw)
    return shown


async def press(
    bot: RunningBot, message: SentMessage | int, data: str | None, *, user: int, **kw: str
) -> dict[str, object]:
    """Press a button and return the answer, once the bot is done with the press: the bot
    answers before it edits, and handles updates one at a time, so the answer to a second
    press (of nothing) comes after the first press's edit."""
    answer = await bot.press(message, data, user=user, **kw)
    await bot.press(message, None, user=user, **kw)
    return answer


def option_data(message: SentMessage, option: str) -> str:
    """The data of the one button whose label begins with `option` (chosen or not)."""
    found = [
        data
        for row in message.buttons
        for label, data in row
        if label.removeprefix("✅ ").split(" · ")[0] == option
    ]
    assert len(found) == 1, (option, message.buttons)
    return found[0]


async def choose(
    bot: RunningBot, shown: SentMessage, page: str, option: str, *, user: int = USER
) -> dict[str, object]:
    """Open the page whose button says `page`, press the option `option` there; the answer
    to the second press."""
    opened = await press(bot, shown, shown.button_data(page), user=user)
    assert opened["text"] is None
    current = bot.api.message(shown.chat_id, shown.message_id)
    return await press(bot, current, option_data(current, option), user=user)


def digest_preset(times: str) -> str:
    return t("ru", "settings_digest_preset", times=times)


async def stored(bot: RunningBot, chat_id: int = USER) -> Chat:
    chat = await bot.storage.chat(chat_id)
    assert chat is not None
    return chat


def home_text(lang: str, *, zone: str = "Europe/Moscow", mode: str = "", quiet: str = "") -> str:
    return t(
        lang,
        "settings",
        timezone=zone,
        mode=mode or t(lang, "mode_instant"),
        quiet=quiet or t(lang, "quiet_none"),
    )


async def test_settings_show_a_keyboard_whose_pages_open_and_close_in_place(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    await bot.say("/start", user=USER, language="en")
    shown = await open_settings(bot)
    assert shown.text == home_text("en")
    assert shown.buttons == [
        [(t("en", "settings_language", language="English"), OPEN_PAGE.data("lang")),
         (t("en", "settings_delivery"), OPEN_PAGE.data("mode"))],
        [(t("en", "settings_timezone"), OPEN_PAGE.data("tz")),
         (t("en", "settings_quiet"), OPEN_PAGE.data("quiet"))],
        [(t("en", "settings_previews_off"), CHOOSE_PREVIEWS.data(1))],
    ]  # fmt: skip
    home = list(shown.buttons)

    answer = await press(bot, shown, shown.button_data("Time zone"), user=USER)
    assert (answer["text"], answer["show_alert"]) == (None, False)
    page = bot.api.message(USER, shown.message_id)
    assert page.text == t(
        "en", "settings_timezone_page", timezone="Europe/Moscow", now="15.01.2027 11:00"
    )
    labels = [label for row in page.buttons for label, _ in row]
    assert "✅ Moscow · UTC+3" in labels and "Astana, Almaty · UTC+5" in labels
    assert len([label for label in labels if label.startswith("✅")]) == 1
    assert labels[-1] == t("en", "settings_back")
    assert len(labels) == len(COMMON_ZONES) + 1
    assert page.edits == 1 and len(bot.api.messages_to(USER)) == 2  # edited, not sent anew

    await press(bot, page, page.button_data(t("en", "settings_back")), user=USER)
    back = bot.api.message(USER, shown.message_id)
    assert (back.text, back.buttons, back.edits) == (home_text("en"), home, 2)
    assert await stored(bot) == Chat(USER, "private", "en", True)  # looking changed nothing


async def test_a_delivery_preset_holds_items_for_the_digest_and_instant_lets_them_go(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    await follow_feed(bot, USER)
    shown = await open_settings(bot)
    answer = await choose(bot, shown, "Доставка", digest_preset("09:00 + 19:00"))
    assert (answer["text"], answer["show_alert"]) == (None, False)
    chat = await stored(bot)
    assert (chat.digest_times, chat.quiet, chat.timezone, chat.link_previews) == (
        (540, 1140),
        None,
        None,
        None,
    )
    after = bot.api.message(USER, shown.message_id)
    assert after.text == home_text("ru", mode=t("ru", "mode_digest", times="09:00, 19:00"))
    assert after.buttons == shown.buttons  # the overview again
    # The next digest is due at 19:00 in Moscow, as /digest would have set it.
    assert await bot.storage.due_digests(bot.clock.now + 8 * HOUR - 1) == []
    assert [c.id for c in await bot.storage.due_digests(bot.clock.now + 8 * HOUR)] == [USER]

    before = len(bot.api.messages_to(USER))
    await bot.publish("/news.xml", [item(1), *OLD])
    bot.wake_sender()
    await bot.outbox_is({"pending": 1})  # held for the digest
    assert len(bot.api.messages_to(USER)) == before

    page = await press(bot, after, after.button_data("Доставка"), user=USER)
    assert page["text"] is None
    options = bot.api.message(USER, shown.message_id)
    assert [row[0][0] for row in options.buttons[:-1]] == [
        t("ru", "settings_instant"),
        t("ru", "settings_digest_preset", times="09:00"),
        "✅ " + t("ru", "settings_digest_preset", times="09:00 + 19:00"),
        t("ru", "settings_digest_preset", times="08:00 + 13:00 + 19:00"),
    ]
    await press(bot, options, options.button_data(t("ru", "settings_instant")), user=USER)
    (digest,) = (await bot.wait_for_messages(USER, before + 1))[before:]
    assert digest.text.startswith("<b>Дайджест") and "новость 1" in digest.text
    await bot.outbox_is({"sent": 1})
    assert (await stored(bot)).digest_times == ()
    assert bot.api.message(USER, shown.message_id).text == home_text("ru")


async def test_a_time_zone_button_sets_the_zone_and_reckons_the_digest_in_it(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    await bot.say("/start", user=USER)
    await bot.say("/digest 09:00", user=USER)  # 09:00 in Moscow: 06:00 UTC tomorrow
    shown = await open_settings(bot)
    await choose(bot, shown, "Часовой пояс", "Астана, Алматы")
    chat = await stored(bot)
    assert (chat.timezone, chat.digest_times, chat.quiet) == ("Asia/Almaty", (540,), None)
    shown_now = bot.api.message(USER, shown.message_id)
    assert shown_now.text == home_text(
        "ru", zone="Asia/Almaty", mode=t("ru", "mode_digest", times="09:00")
    )
    # 09:00 in Almaty is 04:00 UTC tomorrow, twenty hours from now.
    assert [c.id for c in await bot.storage.due_digests(bot.clock.now + 20 * HOUR)] == [USER]
    (card,) = await bot.say("/tz", user=USER)
    assert card.text.endswith(t("ru", "usage_timezone"))
    assert card.buttons == shown_now.buttons

    # The same as typing it: /tz is /timezone.
    (typed,) = await bot.say("/tz europe/minsk", user=USER)
    assert typed.text == t("ru", "timezone_set", timezone="Europe/Minsk", now="15.01.2027 11:00")
    assert (await stored(bot)).timezone == "Europe/Minsk"


async def test_a_new_zone_ends_the_quiet_hours_that_are_over_there(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    await follow_feed(bot, USER)
    await bot.say("/quiet 23:00 07:00", user=USER)  # in Moscow
    bot.clock.advance(18 * HOUR)  # 05:00 in Moscow, 07:00 in Almaty
    await bot.publish("/news.xml", [item(1), *OLD])
    await eventually(lambda: held(bot))  # until 07:00 in Moscow
    before = len(bot.api.messages_to(USER))
    shown = await open_settings(bot)
    await choose(bot, shown, "Часовой пояс", "Астана, Алматы")
    (card,) = (await bot.wait_for_messages(USER, before + 2))[before + 1 :]
    assert card.text.startswith("<b>Казахстан: новость 1</b>")
    await bot.outbox_is({"sent": 1})


async def test_quiet_hour_presets_hold_cards_and_off_lets_them_go(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    await follow_feed(bot, USER)
    shown = await open_settings(bot)
    await choose(bot, shown, "Тихие часы", "23:00–07:00")
    assert (await stored(bot)).quiet == (1380, 420)
    assert bot.api.message(USER, shown.message_id).text == home_text(
        "ru", quiet=t("ru", "quiet_hours", start="23:00", end="07:00")
    )
    page = await press(bot, shown, OPEN_PAGE.data("quiet"), user=USER)
    assert page["text"] is None
    options = bot.api.message(USER, shown.message_id)
    assert options.buttons[:2] == [
        [(t("ru", "settings_quiet_off"), CHOOSE_QUIET.data(0))],
        [("✅ 23:00–07:00", CHOOSE_QUIET.data(1)), ("22:00–08:00", CHOOSE_QUIET.data(2)),
         ("00:00–09:00", CHOOSE_QUIET.data(3))],
    ]  # fmt: skip
    await press(bot, options, OPEN_PAGE.data("home"), user=USER)

    bot.clock.advance(14 * HOUR)  # 01:00 in Moscow
    before = len(bot.api.messages_to(USER))
    await bot.publish("/news.xml", [item(1), *OLD])
    await eventually(lambda: held(bot))
    assert len(bot.api.messages_to(USER)) == before

    await choose(bot, shown, "Тихие часы", t("ru", "settings_quiet_off"))
    (card,) = (await bot.wait_for_messages(USER, before + 1))[before:]
    assert card.text.startswith("<b>Казахстан: новость 1</b>")
    assert (await stored(bot)).quiet is None
    await bot.outbox_is({"sent": 1})


async def held(bot: RunningBot) -> bool:
    """The one row is pending but not due: the sender put it off (quiet hours)."""
    storage = bot.storage
    return await storage.outbox_counts() == {"pending": 1} and not await storage.pending_outbox(
        bot.clock.now
    )


async def test_link_previews_follow_the_chats_choice_for_its_cards_only(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    await follow_feed(bot, USER, OTHER)
    shown = await open_settings(bot)
    assert shown.button_data("Превью ссылок") == CHOOSE_PREVIEWS.data(1)  # off, as configured
    answer = await press(bot, shown, CHOOSE_PREVIEWS.data(1), user=USER)
    assert answer["text"] is None
    assert (await stored(bot)).link_previews is True
    assert (await stored(bot, OTHER)).link_previews is None
    toggled = bot.api.message(USER, shown.message_id)
    assert toggled.button_data(t("ru", "settings_previews_on")) == CHOOSE_PREVIEWS.data(0)

    await bot.publish("/news.xml", [item(1), *OLD])
    await bot.outbox_is({"sent": 2})

    def previews(user: int) -> dict[str, bool]:
        (card,) = [m for m in bot.api.messages_to(user) if "новость 1" in m.text]
        return json.loads(card.params["link_preview_options"])  # type: ignore[no-any-return]

    assert previews(USER) == {"is_disabled": False}
    assert previews(OTHER) == {"is_disabled": True}
    # A card asked for (/summit, /documents, a number under /latest) looks the same.
    listed = (await bot.say("/latest", user=USER))[0]
    asked = await press(bot, listed, listed.button_data("1"), user=USER)
    assert asked["text"] is None
    await bot.wait_for(
        lambda: len([m for m in bot.api.messages_to(USER) if "новость 1" in m.text]) == 3
    )
    card = [m for m in bot.api.messages_to(USER) if "новость 1" in m.text][-1]
    assert json.loads(card.params["link_preview_options"]) == {"is_disabled": False}

    await press(bot, toggled, CHOOSE_PREVIEWS.data(0), user=USER)
    assert (await stored(bot)).link_previews is False
    assert bot.api.message(USER, shown.message_id).buttons == shown.buttons


async def test_the_language_page_changes_the_language_and_shows_settings_in_it(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    await bot.say("/start", user=USER)
    shown = await open_settings(bot)
    await press(bot, shown, shown.button_data("Язык: Русский"), user=USER)
    page = bot.api.message(USER, shown.message_id)
    assert page.text == t("ru", "language_is", language="Русский")
    assert page.buttons == [
        [("✅ Русский", CHOOSE_LANGUAGE.data("ru")), ("English", CHOOSE_LANGUAGE.data("en"))],
        [(t("ru", "settings_back"), OPEN_PAGE.data("home"))],
    ]
    await press(bot, page, CHOOSE_LANGUAGE.data("en"), user=USER)
    assert await bot.storage.chat_language(USER) == "en"
    now = bot.api.message(USER, shown.message_id)
    assert now.text == home_text("en")
    assert now.button_data("Language: English") == OPEN_PAGE.data("lang")


CHANGES = [
    CHOOSE_LANGUAGE.data("en"),
    CHOOSE_DELIVERY.data(1),
    CHOOSE_ZONE.data(0),
    CHOOSE_QUIET.data(1),
    CHOOSE_PREVIEWS.data(1),
    OPEN_PAGE.data("tz"),
]


async def test_in_a_group_only_its_admins_use_the_settings_keyboard(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    bot.api.members[(GROUP, ADMIN + 1)] = "administrator"
    kw = {"chat_id": GROUP, "chat_type": "group"}
    await bot.say("/start", user=ADMIN + 1, **kw)  # type: ignore[arg-type]
    shown = await open_settings(bot, USER, **kw)
    before = await stored(bot, GROUP)
    for data in CHANGES:
        answer = await press(bot, shown, data, user=USER, chat_type="group")
        assert (answer["text"], answer["show_alert"]) == (t("ru", "group_admins_only"), True)
    assert await stored(bot, GROUP) == before
    assert bot.api.message(GROUP, shown.message_id).edits == 0

    answer = await press(bot, shown, CHOOSE_DELIVERY.data(1), user=ADMIN + 1, chat_type="group")
    assert answer["text"] is None
    assert (await stored(bot, GROUP)).digest_times == (540,)
    edited = bot.api.message(GROUP, shown.message_id)
    assert edited.text == home_text("ru", mode=t("ru", "mode_digest", times="09:00"))


FORGED = [
    None,
    "setpage",
    "setpage:",
    "setpage:nope",
    "setpage:home:1",
    "setlang:de",
    "setlang:RU",
    f"settz:{len(COMMON_ZONES)}",
    "settz:-1",
    "settz:01",
    "settz:Asia/Almaty",
    "settz:99999999999999999999",
    f"setmode:{len(DELIVERY_PRESETS)}",
    "setmode:1.5",
    f"setquiet:{len(QUIET_PRESETS)}",
    "setquiet:-0",
    "setprev:2",
    "setprev:-1",
    "setprev:on",
    "settings:1",
]


async def test_stale_or_forged_presses_are_answered_and_change_nothing(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    await bot.say("/start", user=USER)
    shown = await open_settings(bot)
    before = await stored(bot)
    for data in FORGED:
        answer = await press(bot, shown, data, user=USER)
        assert (answer["text"], answer["show_alert"]) == (t("ru", "button_stale"), False), data
    assert await stored(bot) == before
    assert bot.api.message(USER, shown.message_id).edits == 0
    assert not [m for m in bot.api.sent if "пошло не так" in m.text]


async def test_the_same_choice_twice_is_harmless(running_bot: RunningBot) -> None:
    bot = running_bot
    await follow_feed(bot, USER)
    shown = await open_settings(bot)
    await choose(bot, shown, "Доставка", digest_preset("09:00"))
    edits = bot.api.message(USER, shown.message_id).edits
    again = await press(bot, shown, CHOOSE_DELIVERY.data(1), user=USER)  # a second tap
    assert (again["text"], again["show_alert"]) == (None, False)
    assert bot.api.message(USER, shown.message_id).edits == edits  # nothing new to show
    assert (await stored(bot)).digest_times == (540,)
    for data in (CHOOSE_PREVIEWS.data(1), CHOOSE_PREVIEWS.data(1), OPEN_PAGE.data("home")):
        assert (await press(bot, shown, data, user=USER))["text"] is None
    assert (await stored(bot)).link_previews is True
    assert not [m for m in bot.api.sent if "пошло не так" in m.text]


async def test_a_press_under_a_message_that_is_gone_answers_with_a_new_one(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    await bot.say("/start", user=USER, language="en")
    before = len(bot.api.messages_to(USER))
    answer = await press(bot, 987654, CHOOSE_QUIET.data(2), user=USER)
    assert answer["text"] is None
    assert (await stored(bot)).quiet == (1320, 480)
    (new,) = (await bot.wait_for_messages(USER, before + 1))[before:]
    assert new.text == home_text("en", quiet=t("en", "quiet_hours", start="22:00", end="08:00"))


@pytest.mark.parametrize("argument", ["ж" * 4000, "<b>&amp;</b>", "Mars/Olympus"])
async def test_tz_names_an_unknown_zone_and_changes_nothing(
    running_bot: RunningBot, argument: str
) -> None:
    bot = running_bot
    await bot.say("/start", user=USER)
    (answer,) = await bot.say(f"/tz {argument}", user=USER)
    assert answer.text == t("ru", "unknown_timezone", name=echo(argument))
    (usage,) = await bot.say("/tz Asia/Almaty Europe/Minsk", user=USER)
    assert usage.text.endswith("\n\n" + t("ru", "usage_timezone"))
    assert (await stored(bot)).timezone is None
