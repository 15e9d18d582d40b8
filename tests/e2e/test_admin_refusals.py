"""Every admin action tried by someone who is not one of the bot's admins, in a private chat
and in a group: each is refused, and nothing changes — the database's tables are as they
were, no delivery is queued, no feed is fetched, no file is read or sent.

The table is checked against the admin menu (bot/menu.py): an admin command added without an
entry here fails the test.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.i18n import t
from bot.menu import ADMIN_COMMANDS, USER_COMMANDS
from bot.opml import build_opml
from handlers.announce import DROP_ANNOUNCEMENT, SEND_ANNOUNCEMENT
from handlers.topics_admin import KEEP_TOPIC, REMOVE_TOPIC
from tests.support.fake_bot_api import SentMessage
from tests.support.fake_bot_files import FakeBotFiles
from tests.support.feeds import FeedItem, rss
from tests.support.harness import ADMIN, USER, RunningBot, running_bot_against

GROUP = -100777
# The journal of updates taken from Telegram changes with every message, refused or not.
JOURNAL = "updates"

# Each admin command with arguments that would make it act if it went through: follow or
# fetch a feed, remove one, add, change or remove a topic, draft an announcement.
COMMAND_ARGUMENTS: dict[str, Callable[[RunningBot], str]] = {
    "addfeed": lambda bot: f"{bot.feeds.url('/new.xml')} central-asia",
    "removefeed": lambda bot: "1",
    "feeds": lambda bot: "",
    "feed": lambda bot: "1",
    "refresh": lambda bot: "1",
    "delivery": lambda bot: "",
    "export": lambda bot: "",
    "addtopic": lambda bot: "energy | Энергетика | Energy | нефть, газ",
    "edittopic": lambda bot: "sport name_en Football",
    "removetopic": lambda bot: "sport",
    "stats": lambda bot: "",
    "announce": lambda bot: "Всем привет!\nЗавтра бот отдыхает.",
}


@dataclass(frozen=True)
class Place:
    """Where the non-admin tries: their private chat, or a group they administer (a group's
    administrator is not the bot's admin)."""

    name: str
    chat: int
    chat_type: str
    language: str


PLACES = [Place("private", USER, "private", "ru"), Place("group", GROUP, "group", "en")]


@pytest.fixture
async def files_bot(tmp_path: Path) -> AsyncIterator[RunningBot]:
    async with running_bot_against(FakeBotFiles(), tmp_path) as bot:
        yield bot


def tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the journal, in a stable order."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        names = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if r[0] != JOURNAL and not r[0].startswith("sqlite_")
        ]
        return {n: sorted(conn.execute(f'SELECT * FROM "{n}"'), key=repr) for n in names}


async def prepare(bot: RunningBot, place: Place) -> tuple[SentMessage, SentMessage]:
    """Something for every action to act on: a followed feed (not due: only a command that
    went through would fetch it), a feed /addfeed could follow, a subscriber of the topic a
    command could remove, and, in the place, the admin's own removal question and announcement
    draft, whose buttons the non-admin then presses."""
    bot.feeds.put("/old.xml", rss("Old", [FeedItem("o", "Казахстан", "Текст")]))
    bot.feeds.put("/new.xml", rss("New", [FeedItem("n", "Казахстан", "Текст")]))
    await bot.storage.add_feed(
        bot.feeds.url("/old.xml"),
        title="Old",
        interval_seconds=600,
        next_check_at=bot.clock.now + 86_400,
        now=bot.clock.now,
    )
    await bot.say("/subscribe sport", user=ADMIN)
    if place.chat_type != "private":
        bot.api.members[(place.chat, USER)] = "administrator"
    where = {"chat_id": place.chat, "chat_type": place.chat_type}
    (question,) = await bot.say("/removetopic sport", user=ADMIN, **where)
    (draft,) = await bot.say("/announce Завтра бот отдыхает.", user=ADMIN, **where)
    assert question.buttons and draft.buttons
    return question, draft


@pytest.mark.parametrize("place", PLACES, ids=lambda p: p.name)
async def test_every_admin_action_by_a_non_admin_is_refused_and_changes_nothing(
    files_bot: RunningBot, place: Place, tmp_path: Path
) -> None:
    bot, api = files_bot, files_bot.api
    assert isinstance(api, FakeBotFiles)
    assert set(COMMAND_ARGUMENTS) == set(ADMIN_COMMANDS) - set(USER_COMMANDS)
    question, draft = await prepare(bot, place)
    sport = await bot.storage.topic("sport")
    assert sport is not None
    snapshot = tables(tmp_path / "newsbot.db")
    assert snapshot["notices"] and snapshot["subscriptions"]  # a draft, a subscriber
    lang, where = place.language, {"chat_id": place.chat, "chat_type": place.chat_type}

    for command, arguments in COMMAND_ARGUMENTS.items():
        text = f"/{command} {arguments(bot)}".strip()
        (answer,) = await bot.say(text, user=USER, language=lang, **where)
        assert answer.text == t(lang, "admin_only"), command
        assert tables(tmp_path / "newsbot.db") == snapshot, command

    (notice_id,) = SEND_ANNOUNCEMENT.parse(draft.button_data("✅")) or (0,)
    presses = {
        "remove the topic": (question, REMOVE_TOPIC.data(sport.id, "sport")),
        "keep the topic": (question, KEEP_TOPIC.data(sport.id, "sport")),
        "send the announcement": (draft, SEND_ANNOUNCEMENT.data(notice_id)),
        "cancel the announcement": (draft, DROP_ANNOUNCEMENT.data(notice_id)),
    }
    for name, (message, data) in presses.items():
        answer = await bot.press(message, data, user=USER, chat_type=place.chat_type, language=lang)
        assert (answer["text"], answer["show_alert"]) == (t(lang, "admin_only"), True), name
        assert tables(tmp_path / "newsbot.db") == snapshot, name
    assert question.edits == 0 and draft.edits == 0

    # An OPML file: refused in a private chat; in a group the bot does not read documents.
    data = build_opml([(bot.feeds.url("/new.xml"), "New", ["central-asia"])])
    before = len(api.messages_to(place.chat))
    if place.chat_type == "private":
        api.send_document(data, user_id=USER, file_name="feeds.opml", language=lang)
        (answer,) = (await bot.wait_for_messages(USER, before + 1))[before:]
        assert answer.text == t(lang, "opml_not_admin")
    else:
        update_id = api.deliver(
            {"id": place.chat, "type": "group", "title": "g"},
            USER,
            lang,
            {"document": {"file_id": "d1", "file_unique_id": "u1", "file_name": "feeds.opml"}},
        )

        async def handled() -> bool:
            return await bot.storage.update_handled(update_id)

        await bot.until(handled, what="the document handled")
        assert len(api.messages_to(place.chat)) == before  # groups are not answered
    assert tables(tmp_path / "newsbot.db") == snapshot

    assert await bot.storage.outbox_counts() == {}  # nothing queued for anyone
    assert bot.feeds.log == []  # no feed fetched
    assert api.downloads == [] and "getFile" not in api.calls  # no document read
    assert api.documents == []  # /export sent no file
