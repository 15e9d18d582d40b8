"""The /settings keyboard as values: what each page shows, what each button's data asks for,
and that data nobody made asks for nothing."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.callbacks import MAX_BYTES
from bot.config import Config, DeliveryConfig
from bot.delivery.schedule import utc_offset, zone
from bot.i18n import LANGUAGES, t
from handlers.settings import (
    CHOOSE_DELIVERY,
    CHOOSE_LANGUAGE,
    CHOOSE_PREVIEWS,
    CHOOSE_QUIET,
    CHOOSE_ZONE,
    COMMON_ZONES,
    DELIVERY_PRESETS,
    OPEN_PAGE,
    PAGES,
    QUIET_PRESETS,
    SETTINGS_BUTTONS,
    ChatSettings,
    ChooseDelivery,
    ChooseLanguage,
    ChoosePreviews,
    ChooseQuiet,
    ChooseZone,
    OpenPage,
    chat_settings,
    parse_press,
    settings_view,
)
from storage import Chat

NOW = 1_800_000_000.0  # 2027-01-15 08:00 UTC
MOSCOW = ZoneInfo("Europe/Moscow")


def settings(**changes: object) -> ChatSettings:
    base = ChatSettings("en", MOSCOW, (), None, False)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def labels(page: str, **changes: object) -> list[str]:
    view = settings_view(settings(**changes), page, NOW)
    return [label for row in view.rows for label, _ in row]


def chosen(page: str, **changes: object) -> list[str]:
    return [label for label in labels(page, **changes) if label.startswith("✅ ")]


def test_every_button_of_every_page_asks_for_what_it_says() -> None:
    pressed = []
    for lang in LANGUAGES:
        for page in PAGES:
            view = settings_view(settings(language=lang), page, NOW)
            for row in view.rows:
                for _, data in row:
                    assert len(data.encode()) <= MAX_BYTES and SETTINGS_BUTTONS.match(data)
                    pressed.append(parse_press(data))
    assert None not in pressed
    every_choice = {
        *(OpenPage(page) for page in PAGES),
        *(ChooseLanguage(lang) for lang in LANGUAGES),
        *(ChooseDelivery(times) for times in DELIVERY_PRESETS),
        *(ChooseZone(common.name) for common in COMMON_ZONES),
        *(ChooseQuiet(hours) for hours in QUIET_PRESETS),
        ChoosePreviews(True),
    }
    assert set(pressed) == every_choice  # the home page offers previews "on" when off


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "setpage:lost",
        "setlang:de",
        CHOOSE_ZONE.data(len(COMMON_ZONES)),
        CHOOSE_ZONE.data(-1),
        CHOOSE_DELIVERY.data(len(DELIVERY_PRESETS)),
        CHOOSE_QUIET.data(len(QUIET_PRESETS)),
        CHOOSE_PREVIEWS.data(2),
        CHOOSE_PREVIEWS.data(-1),
        "settz:1:1",
        "settz:x",
        "lang:en",  # /lang's own button: not a settings button
    ],
)
def test_data_nobody_made_asks_for_nothing(data: str | None) -> None:
    assert parse_press(data) is None


def test_indices_name_their_lists_entries() -> None:
    assert parse_press(CHOOSE_ZONE.data(0)) == ChooseZone("UTC")
    assert parse_press(CHOOSE_ZONE.data(len(COMMON_ZONES) - 1)) == ChooseZone("Asia/Novosibirsk")
    assert parse_press(CHOOSE_DELIVERY.data(0)) == ChooseDelivery(())
    assert parse_press(CHOOSE_DELIVERY.data(3)) == ChooseDelivery((480, 780, 1140))
    assert parse_press(CHOOSE_QUIET.data(0)) == ChooseQuiet(None)
    assert parse_press(CHOOSE_QUIET.data(3)) == ChooseQuiet((0, 540))
    assert parse_press(CHOOSE_PREVIEWS.data(0)) == ChoosePreviews(False)
    assert parse_press(CHOOSE_LANGUAGE.data("ru")) == ChooseLanguage("ru")
    assert parse_press(OPEN_PAGE.data("quiet")) == OpenPage("quiet")


def test_the_common_zones_exist_and_run_west_to_east() -> None:
    names = [common.name for common in COMMON_ZONES]
    assert [found.key if (found := zone(name)) else None for name in names] == names
    offsets = [datetime.fromtimestamp(NOW, ZoneInfo(name)).utcoffset() for name in names]
    assert offsets == sorted(offsets)  # type: ignore[type-var]
    assert len(set(names)) == len(names)


@pytest.mark.parametrize(
    ("name", "instant", "expected"),
    [
        ("UTC", NOW, "UTC+0"),
        ("Europe/Moscow", NOW, "UTC+3"),
        ("Europe/London", NOW, "UTC+0"),
        ("Europe/London", NOW + 180 * 86400, "UTC+1"),  # July: summer time
        ("Asia/Kolkata", NOW, "UTC+5:30"),
        ("Asia/Kathmandu", NOW, "UTC+5:45"),
        ("America/St_Johns", NOW, "UTC-3:30"),
        ("America/New_York", NOW, "UTC-5"),
    ],
)
def test_utc_offsets_read_as_people_write_them(name: str, instant: float, expected: str) -> None:
    assert utc_offset(ZoneInfo(name), instant) == expected


def test_a_chat_never_seen_has_the_configured_settings() -> None:
    config = Config(timezone="Asia/Almaty", delivery=DeliveryConfig(link_previews=True))
    assert chat_settings(None, "ru", config) == ChatSettings(
        "ru", ZoneInfo("Asia/Almaty"), (), None, True
    )
    chat = Chat(1, "private", "en", True, None, (540,), (60, 120), None)
    assert chat_settings(chat, "en", config).link_previews is True  # not chosen: configured
    chosen_off = dataclasses.replace(chat, timezone="Asia/Baku", link_previews=False)
    assert chat_settings(chosen_off, "en", config) == ChatSettings(
        "en", ZoneInfo("Asia/Baku"), (540,), (60, 120), False
    )
    chosen_on = dataclasses.replace(chat, link_previews=True)
    assert chat_settings(chosen_on, "en", Config()).link_previews is True


def test_the_home_page_shows_the_settings_and_the_previews_toggle() -> None:
    view = settings_view(settings(digest_times=(540,), quiet=(1380, 420)), "home", NOW)
    assert view.text == t(
        "en",
        "settings",
        timezone="Europe/Moscow",
        mode=t("en", "mode_digest", times="09:00"),
        quiet=t("en", "quiet_hours", start="23:00", end="07:00"),
    )
    assert view.rows[-1] == ((t("en", "settings_previews_off"), CHOOSE_PREVIEWS.data(1)),)
    on = settings_view(settings(link_previews=True), "home", NOW)
    assert on.rows[-1] == ((t("en", "settings_previews_on"), CHOOSE_PREVIEWS.data(0)),)
    assert labels("home", language="ru")[0] == t("ru", "settings_language", language="Русский")
    assert settings_view(settings(), "nonsense", NOW) == settings_view(settings(), "home", NOW)


def test_each_page_marks_the_choice_in_force_and_only_it() -> None:
    assert chosen("lang") == ["✅ English"]
    assert chosen("lang", language="ru") == ["✅ Русский"]
    assert chosen("mode") == ["✅ " + t("en", "settings_instant")]
    assert chosen("mode", digest_times=(480, 780, 1140)) == [
        "✅ " + t("en", "settings_digest_preset", times="08:00 + 13:00 + 19:00")
    ]
    assert chosen("mode", digest_times=(450, 1200)) == []  # typed times: no preset
    assert chosen("tz") == ["✅ Moscow · UTC+3"]
    assert chosen("tz", timezone=ZoneInfo("Asia/Almaty"), language="ru") == [
        "✅ Астана, Алматы · UTC+5"
    ]
    assert chosen("tz", timezone=ZoneInfo("Asia/Aqtobe")) == []
    assert chosen("quiet") == ["✅ " + t("en", "settings_quiet_off")]
    assert chosen("quiet", quiet=(0, 540)) == ["✅ 00:00–09:00"]
    assert chosen("quiet", quiet=(60, 120)) == []


def test_pages_say_what_is_set_and_how_to_type_anything_else() -> None:
    almaty = settings(timezone=ZoneInfo("Asia/Almaty"), digest_times=(450, 1200))
    assert settings_view(almaty, "tz", NOW).text == t(
        "en", "settings_timezone_page", timezone="Asia/Almaty", now="15.01.2027 13:00"
    )
    assert settings_view(almaty, "mode", NOW).text == t(
        "en", "settings_delivery_page", mode=t("en", "mode_digest", times="07:30, 20:00"), most=6
    )
    assert settings_view(settings(quiet=(1320, 480)), "quiet", NOW).text == t(
        "en", "settings_quiet_page", quiet=t("en", "quiet_hours", start="22:00", end="08:00")
    )
    assert settings_view(settings(), "lang", NOW).text == t("en", "language_is", language="English")


def test_every_page_but_home_leads_back_and_zones_come_two_to_a_row() -> None:
    back = ((t("en", "settings_back"), OPEN_PAGE.data("home")),)
    for page in PAGES[1:]:
        assert settings_view(settings(), page, NOW).rows[-1] == back
    zones = settings_view(settings(), "tz", NOW).rows[:-1]
    assert [len(row) for row in zones] == [2] * (len(COMMON_ZONES) // 2)
    assert [label for row in zones for label, _ in row][:2] == ["UTC · UTC+0", "London · UTC+0"]
