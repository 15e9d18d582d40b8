"""The two message catalogues: the same keys, the same placeholders, valid Telegram HTML."""

from __future__ import annotations

import string

import pytest

from bot.i18n import CATALOGUES, language_for, t
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
