"""Updates are written down before Telegram is told they were received: a command taken and
not handled when the bot stopped is handled at the next start; one handled already is not
handled again when Telegram delivers it a second time."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from telegram import Update

from bot.i18n import t
from handlers.settings import SET_LANGUAGE
from storage import open_storage
from tests.support.fake_bot_api import FakeBotApi
from tests.support.harness import USER, RunningBot, eventually, running_bot_against


def start_update(update_id: int, user: int) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 1_800_000_000,
            "chat": {"id": user, "type": "private", "first_name": "u"},
            "from": {"id": user, "is_bot": False, "first_name": "u", "language_code": "en"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


async def test_a_command_taken_before_a_crash_is_answered_at_the_next_start(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.journal")
    storage = await open_storage(tmp_path / "newsbot.db")  # the database the crash left
    await storage.journal_updates(
        [(77, json.dumps(start_update(77, 7007))), (78, json.dumps(start_update(78, 7008)))],
        now=1_800_000_000,
    )
    await storage.mark_update_handled(78)  # answered before the crash
    await storage.close()

    async with running_bot_against(FakeBotApi(), tmp_path) as bot:
        (welcome,) = await bot.wait_for_messages(7007, 1)
        assert welcome.text.startswith(t("en", "welcome"))

        async def all_handled() -> bool:
            return await bot.storage.unhandled_updates() == []

        await eventually(all_handled)
        (answer,) = await bot.say("/start", user=USER)  # and the bot goes on as usual
        assert answer.text.startswith(t("ru", "welcome"))
        assert bot.api.messages_to(7008) == []
    assert "handling 1 updates taken before the last stop" in caplog.text


async def test_an_update_handled_once_is_not_handled_again(running_bot: RunningBot) -> None:
    bot = running_bot
    (answer,) = await bot.say("/start", user=USER)
    (update_id,) = [i for i, u in bot.api.delivered.items() if u["message"]["from"]["id"] == USER]

    async def handled() -> bool:
        return await bot.storage.update_handled(update_id)

    await eventually(handled)

    again = Update.de_json(bot.api.delivered[update_id], bot.app.bot)
    await bot.app.process_update(again)  # Telegram handing the same update over again
    newcomer = USER + 1
    fresh = Update.de_json(start_update(update_id + 1000, newcomer), bot.app.bot)
    await bot.app.process_update(fresh)  # never written down: handled as any update
    (welcome,) = await bot.wait_for_messages(newcomer, 1)
    assert welcome.text.startswith(t("en", "welcome"))
    # The repeat sent nothing.
    assert [m.text for m in bot.api.messages_to(USER)] == [answer.text]


async def beside_the_bot(db: Path, statement: str) -> None:
    """Change the database from another connection, in a thread: the bot's event loop keeps
    running, so a transaction of the bot's in progress can finish and free the lock."""

    def run() -> None:
        with closing(sqlite3.connect(db, isolation_level=None, timeout=30)) as conn:
            conn.execute(statement)

    await asyncio.to_thread(run)


async def test_while_updates_cannot_be_written_down_they_are_left_with_telegram(
    running_bot: RunningBot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bot = running_bot
    db = tmp_path / "newsbot.db"  # the fixture's database
    await beside_the_bot(
        db,
        """CREATE TRIGGER journal_fails BEFORE INSERT ON updates
           BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END""",
    )
    calls = bot.api.calls.count("getUpdates")
    bot.api.send_command("/start", user_id=USER)
    # Taken from Telegram, not written down: not handled, not acknowledged, asked for again.
    await bot.api.wait_for(lambda: bot.api.calls.count("getUpdates") >= calls + 2)
    assert bot.api.messages_to(USER) == []
    assert "storage failed" in caplog.text  # PTB logs the failed getUpdates
    await beside_the_bot(db, "DROP TRIGGER journal_fails")
    (answer,) = await bot.wait_for_messages(USER, 1, timeout=40)  # PTB's backoff: ≤ 30 s
    assert answer.text.startswith(t("ru", "welcome"))


async def test_a_press_handled_after_a_restart_is_acted_on_though_too_late_to_answer(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    (shown,) = await bot.say("/lang", user=USER)
    await bot.press(shown, SET_LANGUAGE.data("en"), user=USER)
    (update_id,) = [i for i, u in bot.api.delivered.items() if "callback_query" in u]
    await bot.storage.set_chat_language(USER, "ru", type="private", now=0)
    replayed = {**bot.api.delivered[update_id], "update_id": update_id + 1000}
    # Handled again (as the journal replays it): Telegram refuses a second answer.
    await bot.app.process_update(Update.de_json(replayed, bot.app.bot))
    assert await bot.storage.chat_language(USER) == "en"
    query_id = replayed["callback_query"]["id"]
    assert await bot.app.bot.answer_callback_query(query_id) is False  # said, not raised
    assert not [m for m in bot.api.messages_to(USER) if m.text == t("ru", "internal_error")]
    assert not [m for m in bot.api.messages_to(USER) if m.text == t("en", "internal_error")]
