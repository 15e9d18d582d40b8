"""The two message catalogues: the same keys, the same placeholders, valid Telegram HTML."""

from __future__ import annotations

import string

import pytest

from bot.i18n import CATALOGUES, language_for, t, tn
from tests.support.telegram_html import telegram_html_problems


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_catalogues_have_the_same_keys_and_placeholders() -> None:
    ru, en = CATALOGUES["ru"], CATALOGUES["en"]
    assert sorted(set(ru) ^ set(en)) == []
    differing = [k for k in ru if placeholders(ru[k]) != placeholders(en[k])]
    assert differing == []


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_message_is_telegram_html(lang: str) -> None:
    for key, template in CATALOGUES[lang].items():
        filled = template.format(**dict.fromkeys(placeholders(template), "x"))
        assert telegram_html_problems(filled) == [], key


def test_a_users_language_picks_the_catalogue() -> None:
    assert [language_for(code, "ru") for code in ("ru", "en-US", "uk", None)] == [
        "ru",
        "en",
        "ru",
        "ru",
    ]
    assert language_for("de", "en") == "en"
    assert t("fr", "hint") == t("en", "hint")  # no catalogue of its own: English


@pytest.mark.parametrize(
    ("n", "ru", "en"),
    [
        (0, "0 новостей", "0 items"),
        (1, "1 новость", "1 item"),
        (2, "2 новости", "2 items"),
        (4, "4 новости", "4 items"),
        (5, "5 новостей", "5 items"),
        (11, "11 новостей", "11 items"),
        (12, "12 новостей", "12 items"),
        (14, "14 новостей", "14 items"),
        (21, "21 новость", "21 items"),
        (22, "22 новости", "22 items"),
        (25, "25 новостей", "25 items"),
        (101, "101 новость", "101 items"),
        (111, "111 новостей", "111 items"),
        (112, "112 новостей", "112 items"),
        (1004, "1004 новости", "1004 items"),
    ],
)
def test_counts_take_their_plural_form(n: int, ru: str, en: str) -> None:
    CATALOGUES["ru"]["_test_items_n"] = "{n} новость|{n} новости|{n} новостей"
    CATALOGUES["en"]["_test_items_n"] = "{n} item|{n} items"
    try:
        assert tn("ru", "_test_items_n", n) == ru
        assert tn("en", "_test_items_n", n) == en
        assert tn("fr", "_test_items_n", n) == en
    finally:
        del CATALOGUES["ru"]["_test_items_n"], CATALOGUES["en"]["_test_items_n"]


def test_plural_messages_have_every_form_of_their_language() -> None:
    for key, template in CATALOGUES["ru"].items():
        if key.endswith("_n"):
            assert template.count("|") == 2, key
            assert CATALOGUES["en"][key].count("|") == 1, key


def test_a_value_holding_the_form_separator_stays_whole() -> None:
    CATALOGUES["ru"]["_test_feed_n"] = (
        "{title}: {n} новость|{title}: {n} новости|{title}: {n} новостей"
    )
    CATALOGUES["en"]["_test_feed_n"] = "{title}: {n} item|{title}: {n} items"
    try:
        assert tn("ru", "_test_feed_n", 5, title="Новости | РБК") == "Новости | РБК: 5 новостей"
        assert tn("en", "_test_feed_n", 1, title="A | B") == "A | B: 1 item"
    finally:
        del CATALOGUES["ru"]["_test_feed_n"], CATALOGUES["en"]["_test_feed_n"]
