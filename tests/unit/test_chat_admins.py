"""Group admins asked of Telegram (the fake Bot API on 127.0.0.1) and kept a minute, in a
table of bounded size."""

from __future__ import annotations

from telegram.ext import ExtBot

from bot.chat_admins import ChatAdmins
from tests.support.fake_bot_api import FakeBotApi
from tests.support.harness import Clock

GROUP = -1001


async def test_the_table_of_answers_is_emptied_past_its_bound() -> None:
    api = FakeBotApi().start()
    bot: ExtBot[None] = ExtBot(api.token, base_url=api.base_url)
    try:
        await bot.initialize()
        api.members[(GROUP, 2)] = "administrator"
        admins = ChatAdmins(Clock(), max_entries=3)

        def asked() -> int:
            return api.calls.count("getChatMember")

        answers = [await admins.is_admin(bot, GROUP, user) for user in (1, 2, 3, 4)]
        assert answers == [False, True, False, False] and asked() == 4
        assert await admins.is_admin(bot, GROUP, 2) and asked() == 4  # four kept: one past 3
        await admins.is_admin(bot, GROUP, 5)  # the table was over its bound: emptied first
        assert asked() == 5
        assert await admins.is_admin(bot, GROUP, 2) and asked() == 6  # forgotten, asked again
    finally:
        await bot.shutdown()
        api.stop()
