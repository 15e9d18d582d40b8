"""Every command with hostile arguments gets one sensible answer: never "something went
wrong", never a reply Telegram refuses (the fake Bot API refuses HTML it cannot parse and
text over 4096 characters, as Telegram does)."""

from __future__ import annotations

import pytest

from bot.i18n import t
from bot.menu import ADMIN_COMMANDS
from handlers.common import ECHO_LIMIT
from tests.e2e.conftest import ADMIN
from tests.support.harness import RunningBot
from tests.support.telegram_html import telegram_html_problems

COMMANDS = ADMIN_COMMANDS  # every command in the menus, the users' and the admins'
HOSTILE = {
    "huge": "ж" * 4000,
    "huge-url": "https://example.com/" + "a" * 4000,
    "markup": "<b>&amp;</b><a href='x'>",
    "controls": "a\x01b\x07c\u200b",
    "right-to-left": "\u202eabc\u202c",
    "brackets": "[[((<<{{",
    "channel-like": "@" + "a" * 40,
    "long-number": "-100" + "9" * 30,
    "superscript": "²",
}


@pytest.mark.parametrize("name", list(HOSTILE))
async def test_every_command_answers_hostile_arguments_sensibly(
    running_bot: RunningBot, name: str
) -> None:
    bot = running_bot
    argument = HOSTILE[name]
    for command in COMMANDS:
        # A command that checks a feed first says it is checking, then what came of it.
        fetches = command in ("addfeed", "follow") and argument.startswith("https://")
        answers = await bot.say(f"/{command} {argument}", user=ADMIN, replies=1 + fetches)
        for answer in answers:
            assert answer.text != t("ru", "internal_error"), (command, name)
            assert telegram_html_problems(answer.text) == [], (command, name)
            if len(argument) > ECHO_LIMIT:  # repeated, a long argument is cut
                assert argument[: ECHO_LIMIT + 1] not in answer.text, (command, name)
    assert bot.storage is not None and await bot.storage.feeds() == []  # nothing was added


async def test_a_reply_repeats_a_hundred_characters_of_the_input_at_most(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    (answer,) = await bot.say("/subscribe " + "ж" * 4000, user=ADMIN)
    assert "«" + "ж" * 99 + "…»" in answer.text  # 100 with the ellipsis
    (whole,) = await bot.say("/subscribe " + "ж" * 100, user=ADMIN)
    assert "«" + "ж" * 100 + "»" in whole.text


@pytest.mark.parametrize(
    "command",
    [
        "/addfeed http://[::1",
        "/addfeed http://host:99999/",
        "/addfeed http://",
        "/addfeed ftp://example.com/feed",
        "/removefeed ²",
        "/removefeed 99999999999999999999",
        "/removefeed -1",
        "/feed ٣",
        "/refresh 1e3",
        "/digest 24:00",
        "/digest 9:60",
        "/quiet 23:00 23:00",
        "/timezone ../../etc/passwd",
        "/lang " + "\u202e",
    ],
)
async def test_the_inputs_that_once_broke_a_command_get_an_answer(
    running_bot: RunningBot, command: str
) -> None:
    (answer,) = await running_bot.say(command, user=ADMIN)
    assert answer.text != t("ru", "internal_error")
    assert await running_bot.storage.feeds() == []
