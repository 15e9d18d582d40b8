"""The command menu, set at start-up: per language, and a larger one for each admin."""

from __future__ import annotations

from pathlib import Path

from bot.i18n import t
from bot.menu import ADMIN_COMMANDS, USER_COMMANDS
from tests.e2e.conftest import ADMIN
from tests.support.fake_bot_api import FakeBotApi
from tests.support.harness import running_bot_against


async def test_menus_in_each_language_and_for_admins(tmp_path: Path) -> None:
    api = FakeBotApi()
    async with running_bot_against(api, tmp_path):
        menus = {(m["scope"]["type"], m["language_code"]): m["commands"] for m in api.menus}
    assert set(menus) == {("default", None), ("default", "ru"), ("default", "en"), ("chat", None)}
    for lang in ("ru", "en"):
        assert menus[("default", lang)] == [
            {"command": c, "description": t(lang, f"cmd_{c}")} for c in USER_COMMANDS
        ]
    # The default is the configured language's (Russian in these tests).
    assert menus[("default", None)] == menus[("default", "ru")]
    (admin_menu,) = [m for m in api.menus if m["scope"] == {"type": "chat", "chat_id": ADMIN}]
    assert [c["command"] for c in admin_menu["commands"]] == list(ADMIN_COMMANDS)
    assert {"addfeed", "delivery", "export"} <= set(ADMIN_COMMANDS) - set(USER_COMMANDS)


async def test_an_admin_who_never_wrote_to_the_bot_does_not_stop_it_starting(
    tmp_path: Path,
) -> None:
    api = FakeBotApi(never_wrote={ADMIN})
    async with running_bot_against(api, tmp_path) as bot:
        (answer,) = await bot.say("/start", user=ADMIN)
        assert answer.text.startswith(t("ru", "welcome"))
    assert [m["scope"]["type"] for m in api.menus] == ["default"] * 3


def test_help_names_every_command_of_the_menus() -> None:
    for lang in ("ru", "en"):
        user_help, admin_help = t(lang, "help"), t(lang, "help_admin")
        missing = [c for c in USER_COMMANDS if c != "start" and f"/{c} " not in user_help]
        missing += [
            c for c in ADMIN_COMMANDS if c not in USER_COMMANDS and f"/{c}" not in admin_help
        ]
        assert missing == [], lang
