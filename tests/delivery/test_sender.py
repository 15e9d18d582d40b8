"""The sender's error paths, against the fake Bot API through a real `telegram.Bot`.

Each test queues real outbox rows in a temp SQLite (storage.open_storage), scripts how the
fake Bot API answers sendMessage, drains with an injected clock and reads back the rows.
The last tests check the e2e harness: the production lifecycle, and a dead sender reported.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import sqlite3
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, cast

import pytest
from telegram.ext import ExtBot

from bot.delivery.alerts import AdminAlerts
from bot.delivery.outbox import (
    MAX_ATTEMPTS,
    Sender,
    StorageDown,
    idle_wait,
    retry_delay,
    storage_backoff,
)
from bot.delivery.render import item_card, plain_text, render_html
from bot.i18n import t
from storage import FeedCheck, ItemDraft, Storage, open_storage
from tests.support.fake_bot_api import FakeBotApi
from tests.support.harness import USER, Clock, SenderDied, eventually, running_bot_against
from tests.support.telegram_html import shown_length

TIMEZONE = "Europe/Moscow"
FEED_TITLE = "Вечерний Казахстан"
ALICE, BOB, CAROL = 501, 502, 503

# --- a fake Bot API whose sendMessage answers follow a script per chat ---------------------

OK = "ok"  # accept the message
HANG_UP = "hang-up"  # read the request, then close the connection without an answer
Answer = str | tuple[int, dict[str, Any]]  # OK, HANG_UP or (HTTP status, Bot API body)


def error(status: int, description: str, **parameters: Any) -> tuple[int, dict[str, Any]]:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return status, body


SERVER_ERROR = error(500, "Internal Server Error: try again later")
BAD_GATEWAY = error(502, "Bad Gateway")
BAD_REQUEST = error(400, "Bad Request: TOPIC_CLOSED" + " (the forum topic is closed)" * 30)
BLOCKED = error(403, "Forbidden: bot was blocked by the user")


class _HangUp(Exception):
    """Raised inside the server to drop the connection instead of answering."""


@dataclass
class ScriptedBotApi(FakeBotApi):
    """FakeBotApi whose sendMessage answers follow `script[chat]` in order (then OK);
    chats in `blocked` get 403 every time, as Telegram answers a user who blocked the bot."""

    script: dict[int, list[Answer]] = field(default_factory=dict)
    blocked: set[int] = field(default_factory=set)
    outage: Callable[[], bool] = lambda: False  # while true, every sendMessage gets 502
    attempts: list[int] = field(default_factory=list)  # the chat of every sendMessage call

    def __post_init__(self) -> None:
        super().__post_init__()
        # serve_forever's default 0.5 s poll makes every stop() take that long; 16 tests here.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def tried(self, chat_id: int) -> int:
        with self._cond:
            return self.attempts.count(chat_id)

    def _send_message(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        chat_id = int(params["chat_id"])
        with self._cond:
            self.attempts.append(chat_id)
            planned = self.script.get(chat_id)
            answer: Answer = planned.pop(0) if planned else OK
            if chat_id in self.blocked:
                answer = BLOCKED
            if self.outage():
                answer = BAD_GATEWAY
        if answer == HANG_UP:
            raise _HangUp
        if isinstance(answer, tuple):
            return answer
        return super()._send_message(params)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        base: Any = super()._handler_class()

        class HangingUp(base):  # type: ignore[misc]
            def do_POST(self) -> None:
                try:
                    super().do_POST()
                except _HangUp:
                    self.close_connection = True  # the client sees the connection drop

        return cast(type[BaseHTTPRequestHandler], HangingUp)


# --- the rig: real storage, real Bot, scripted API, injected clock ------------------------


@dataclass(frozen=True)
class Row:
    id: int
    chat_id: int
    item_id: int
    status: str
    attempts: int
    not_before: float
    last_error: str | None
    message_id: int | None
    more: int


@dataclass
class Rig:
    api: ScriptedBotApi
    bot: ExtBot[None]
    storage: Storage
    db: Path
    clock: Clock
    topic_id: int
    feed_id: int
    sender: Sender
    closing: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    _keys: Iterator[int] = field(default_factory=lambda: iter(range(1, 10_000)))

    async def subscriber(self, chat_id: int, language: str = "ru") -> None:
        await self.storage.upsert_chat(chat_id, type="private", language=language, now=self.clock())
        await self.storage.add_subscription(chat_id, self.topic_id, now=self.clock())

    def draft(self, title: str, **fields: Any) -> ItemDraft:
        key = f"item-{next(self._keys)}"
        return ItemDraft(
            key=key,
            url=f"https://news.example/{key}",
            title=title,
            published_at=self.clock() - 60,
            text=f"{title}. Текст новости.",
            summary=f"{title}. Коротко.",
            topic_ids=(self.topic_id,),
            fingerprint=key,
            **fields,
        )

    async def publish(self, *drafts: ItemDraft, push_limit: int = 20) -> None:
        """Store items as one check of the feed would, queueing them for the subscribers."""
        await self.storage.store_items(
            self.feed_id,
            drafts,
            now=self.clock(),
            check=FeedCheck(next_check_at=self.clock() + 600),
            queue=True,
            push_limit=push_limit,
        )

    def rows(self) -> list[Row]:
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=5) as conn:
            found = conn.execute(
                """SELECT id, chat_id, item_id, status, attempts, not_before, last_error,
                          message_id, more FROM outbox ORDER BY id"""
            ).fetchall()
        return [Row(*r) for r in found]

    def row(self, chat_id: int) -> Row:
        (row,) = [r for r in self.rows() if r.chat_id == chat_id]
        return row

    def texts(self, chat_id: int) -> list[str]:
        return [m.text for m in self.api.messages_to(chat_id)]


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    api = ScriptedBotApi()
    api.start()
    db = tmp_path / "newsbot.db"
    storage = await open_storage(db)
    bot: ExtBot[None] = ExtBot(api.token, base_url=api.base_url)
    clock = Clock()
    closing: list[Callable[[], Awaitable[None]]] = []
    try:
        await bot.initialize()
        topic = await storage.sync_topic("central-asia", "Центральная Азия", "Central Asia", [])
        feed = await storage.add_feed(
            "https://news.example/feed.xml",
            title=FEED_TITLE,
            interval_seconds=600,
            next_check_at=clock() + 600,
            now=clock(),
            topic_ids=(topic.id,),
        )
        sender = Sender(bot, storage, timezone=TIMEZONE, clock=clock)
        yield Rig(api, bot, storage, db, clock, topic.id, feed.id, sender, closing)
    finally:
        for close in closing:
            await close()
        await bot.shutdown()
        await storage.close()
        api.stop()


@pytest.fixture
def dead_port() -> Iterator[int]:
    """A loopback port that is bound but not listening: every connection is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield int(sock.getsockname()[1])


async def drained(sender: Sender) -> int:
    """One drain, failing (not hanging) if it never ends: a row that stays due loops it."""
    return await asyncio.wait_for(sender.drain(), timeout=10)


def backoff(attempts: int) -> float:
    """The sender's retry delay after `attempts` earlier attempts: 5 s doubling, at most 15 min."""
    return min(900.0, 5.0 * float(2**attempts))


# --- transient errors ---------------------------------------------------------------------


@pytest.mark.parametrize("failure", ["http-500", "http-502", "hang-up", "refused"])
async def test_a_transient_error_postpones_the_row_and_a_later_drain_sends_it(
    rig: Rig, failure: str, dead_port: int
) -> None:
    await rig.subscriber(ALICE)
    await rig.publish(rig.draft("Переговоры в Астане"))
    first = rig.sender
    if failure == "refused":  # this one drain goes to a port where nothing listens
        offline: ExtBot[None] = ExtBot(rig.api.token, base_url=f"http://127.0.0.1:{dead_port}/bot")
        first = Sender(offline, rig.storage, timezone=TIMEZONE, clock=rig.clock)
        # Never initialized (getMe would fail), so shutdown() would skip it: close its client.
        rig.closing.append(offline.request.shutdown)
    else:
        answers: dict[str, Answer] = {
            "http-500": SERVER_ERROR,
            "http-502": BAD_GATEWAY,
            "hang-up": HANG_UP,
        }
        rig.api.script[ALICE] = [answers[failure]]
    start = rig.clock()

    assert await drained(first) == 0
    row = rig.row(ALICE)
    assert (row.status, row.attempts, row.not_before) == ("pending", 1, start + backoff(0))
    assert row.last_error and row.message_id is None
    assert rig.texts(ALICE) == []

    rig.clock.advance(backoff(0) - 0.5)  # not due yet: nothing is tried
    assert await drained(rig.sender) == 0
    assert rig.row(ALICE).status == "pending"

    rig.clock.advance(0.5)
    assert await drained(rig.sender) == 1
    (card,) = rig.texts(ALICE)
    assert "Переговоры в Астане" in card
    row = rig.row(ALICE)
    assert (row.status, row.attempts) == ("sent", 2)
    assert row.message_id == rig.api.messages_to(ALICE)[0].message_id


async def test_after_max_attempts_transient_failures_the_row_fails_with_the_error_kept(
    rig: Rig,
) -> None:
    await rig.subscriber(ALICE)
    await rig.publish(rig.draft("Переговоры в Астане"))
    tries = 30  # over about six hours of Telegram failing
    rig.api.script[ALICE] = [SERVER_ERROR] * tries
    started = rig.clock()

    for attempt in range(tries - 1):
        assert await drained(rig.sender) == 0
        row = rig.row(ALICE)
        assert (row.status, row.attempts) == ("pending", attempt + 1)
        assert row.not_before == rig.clock() + backoff(attempt)
        rig.clock.advance(backoff(attempt))
    # An outage of Telegram delays the card for hours before it counts as failed.
    assert rig.clock() - started > 5 * 3600

    assert await drained(rig.sender) == 0
    row = rig.row(ALICE)
    assert (row.status, row.attempts) == ("failed", tries)
    assert row.last_error is not None and "Internal Server Error" in row.last_error
    rig.clock.advance(24 * 3600)
    assert await drained(rig.sender) == 0
    assert rig.api.tried(ALICE) == tries and rig.texts(ALICE) == []


async def drain_until_sent(rig: Rig, rows: int) -> int:
    """Drain, then move the clock to the next row due, until `rows` rows are sent; the
    number of drains it took."""
    drains = 0
    while [r.status for r in rig.rows()].count("sent") < rows:
        drains += 1
        assert drains < 200, rig.rows()
        await drained(rig.sender)
        due = await rig.storage.next_outbox_time()
        if due is not None and due > rig.clock():
            rig.clock.advance(due - rig.clock())
    return drains


async def test_telegram_answering_502_for_ten_minutes_delays_every_card_and_drops_none(
    rig: Rig,
) -> None:
    for chat in (ALICE, BOB, CAROL):
        await rig.subscriber(chat)
    titles = ["Переговоры в Астане", "Встреча в Душанбе", "Саммит ШОС"]
    await rig.publish(*(rig.draft(title) for title in titles))
    outage_ends = rig.clock() + 600
    rig.api.outage = lambda: rig.clock() < outage_ends

    await drain_until_sent(rig, 9)

    assert rig.clock() >= outage_ends
    assert rig.api.attempts.count(ALICE) > 3  # tried during the outage, and again after it
    for chat in (ALICE, BOB, CAROL):  # every card once, in order
        assert [text.split("\n")[0] for text in rig.texts(chat)] == [f"<b>{t}</b>" for t in titles]
    assert all(r.status == "sent" for r in rig.rows())


async def test_four_429s_then_a_502_spend_one_attempt_and_the_row_is_delivered(
    rig: Rig,
) -> None:
    await rig.subscriber(ALICE)
    await rig.publish(rig.draft("Переговоры в Астане"))
    too_many = error(429, "Too Many Requests: retry after 3", retry_after=3)
    rig.api.script[ALICE] = [too_many] * 4 + [BAD_GATEWAY]

    await drain_until_sent(rig, 1)

    assert rig.api.tried(ALICE) == 6
    row = rig.row(ALICE)
    assert (row.status, row.attempts) == ("sent", 2)  # the 502, and the send that went
    assert len(rig.texts(ALICE)) == 1


async def test_quiet_hours_hold_a_row_without_spending_an_attempt(rig: Rig) -> None:
    await rig.subscriber(ALICE)
    await rig.subscriber(BOB)
    # The rig's clock is 08:00 UTC, 11:00 in Moscow (the sender's time zone).
    await rig.storage.set_quiet_hours(ALICE, (10 * 60, 12 * 60), now=rig.clock())
    await rig.publish(rig.draft("Переговоры в Астане"))

    assert await drained(rig.sender) == 1  # BOB's; ALICE's waits
    row = rig.row(ALICE)
    assert (row.status, row.attempts, row.last_error) == ("pending", 0, "quiet hours")
    assert row.not_before == rig.clock() + 3600  # 12:00 in Moscow
    assert rig.api.tried(ALICE) == 0
    rig.clock.advance(3600)
    assert await drained(rig.sender) == 1
    assert (rig.row(ALICE).status, rig.row(ALICE).attempts) == ("sent", 1)


# --- refusals -----------------------------------------------------------------------------


async def test_a_bad_request_fails_the_row_at_once(rig: Rig) -> None:
    await rig.subscriber(ALICE)
    await rig.publish(rig.draft("Переговоры в Астане"))
    rig.api.script[ALICE] = [BAD_REQUEST]

    assert await drained(rig.sender) == 0
    row = rig.row(ALICE)
    assert (row.status, row.attempts) == ("failed", 1)
    assert row.last_error is not None and "topic_closed" in row.last_error.lower()
    assert len(row.last_error) == 500  # Telegram's description, cut to what a row keeps
    rig.clock.advance(24 * 3600)  # no retry, however long we wait
    assert await drained(rig.sender) == 0
    assert rig.api.tried(ALICE) == 1 and rig.texts(ALICE) == []


async def test_retry_after_postpones_exactly_that_row_by_retry_after(rig: Rig) -> None:
    await rig.subscriber(ALICE)
    await rig.subscriber(BOB)
    await rig.publish(rig.draft("Переговоры в Астане"))
    rig.api.script[ALICE] = [error(429, "Too Many Requests: retry after 7", retry_after=7)]
    start = rig.clock()

    assert await drained(rig.sender) == 1
    assert len(rig.texts(BOB)) == 1  # the other chat's row is not held back
    row = rig.row(ALICE)
    # Telegram's own pacing spends no attempt: the row waits, it does not come nearer failing.
    assert (row.status, row.attempts, row.not_before) == ("pending", 0, start + 7)
    assert await rig.storage.pending_outbox(start + 6.9) == []

    rig.clock.advance(7)
    assert await drained(rig.sender) == 1
    assert len(rig.texts(ALICE)) == 1 and rig.row(ALICE).status == "sent"


async def test_forbidden_deactivates_the_chat_and_fails_its_pending_rows(rig: Rig) -> None:
    await rig.subscriber(ALICE)
    await rig.subscriber(BOB)
    await rig.publish(rig.draft("Переговоры в Астане"), rig.draft("Встреча в Душанбе"))
    rig.api.blocked.add(ALICE)

    assert await drained(rig.sender) == 2  # BOB's two cards
    chat = await rig.storage.chat(ALICE)
    assert chat is not None and not chat.active
    alice_rows = [r for r in rig.rows() if r.chat_id == ALICE]
    assert [r.status for r in alice_rows] == ["failed", "failed"]
    assert len(rig.texts(BOB)) == 2
    # Told once that the chat blocked the bot, the sender stops sending there.
    assert rig.api.tried(ALICE) == 1
    rig.clock.advance(3600)
    await rig.publish(rig.draft("Саммит ШОС"))
    assert await drained(rig.sender) == 1
    assert rig.api.tried(ALICE) == 1 and len(rig.texts(BOB)) == 3


@pytest.mark.parametrize(
    "refusal",
    [
        "Bad Request: chat not found",
        "Bad Request: not enough rights to send text messages to the chat",
        "Bad Request: have no rights to send a message",
    ],
)
async def test_a_chat_that_cannot_be_written_to_is_paused_like_a_block(
    rig: Rig, refusal: str
) -> None:
    await rig.subscriber(ALICE)
    await rig.subscriber(BOB)
    await rig.publish(rig.draft("Переговоры в Астане"), rig.draft("Встреча в Душанбе"))
    rig.api.script[ALICE] = [error(400, refusal)]

    assert await drained(rig.sender) == 2  # BOB's two cards
    chat = await rig.storage.chat(ALICE)
    assert chat is not None and not chat.active
    assert [r.status for r in rig.rows() if r.chat_id == ALICE] == ["failed", "failed"]
    assert rig.api.tried(ALICE) == 1  # not tried again for the second card
    assert [s.topic.slug for s in await rig.storage.subscriptions(ALICE)] == ["central-asia"]


async def test_a_group_that_became_a_supergroup_is_followed(rig: Rig) -> None:
    group, supergroup = -4100, -1004100
    await rig.subscriber(group)
    await rig.subscriber(BOB)
    await rig.publish(rig.draft("Переговоры в Астане"), rig.draft("Встреча в Душанбе"))
    upgraded = "Bad Request: group chat was upgraded to a supergroup chat"
    rig.api.script[group] = [error(400, upgraded, migrate_to_chat_id=supergroup)]

    assert await drained(rig.sender) == 4  # BOB's two, then both again in the supergroup
    assert rig.api.tried(group) == 1
    assert [m.text.split("\n")[0] for m in rig.api.messages_to(supergroup)] == [
        "<b>Переговоры в Астане</b>",
        "<b>Встреча в Душанбе</b>",
    ]
    assert [s.chat_id for s in await rig.storage.subscriptions(supergroup)] == [supergroup]
    moved = await rig.storage.chat(supergroup)
    assert moved is not None and moved.active and moved.type == "supergroup"
    assert {r.chat_id for r in rig.rows()} == {supergroup, BOB}
    assert {r.status for r in rig.rows()} == {"sent"}


# --- split cards, bad rows, "and N more" --------------------------------------------------


def long_documents() -> list[dict[str, str]]:
    """Forty long document titles: a card far over one message's 4096 characters."""
    return [
        {
            "title": f"Соглашение № {n} о сотрудничестве в области энергетики, транспорта и "
            f"образования между министерствами Республики Казахстан и Республики Таджикистан "
            f"на 2024–2026 годы, включая обмен опытом и подготовку кадров"
        }
        for n in range(1, 41)
    ]


async def long_card(rig: Rig) -> list[str]:
    await rig.publish(rig.draft("Переговоры в Астане", documents=long_documents()))
    (row,) = {r.item_id for r in rig.rows()}
    item = await rig.storage.item(row)
    assert item is not None
    parts = render_html(item_card(item), "ru", TIMEZONE)
    assert len(parts) >= 2
    return parts


async def test_a_split_card_is_sent_whole_and_marked_sent_with_its_first_message(
    rig: Rig,
) -> None:
    await rig.subscriber(ALICE)
    parts = await long_card(rig)

    assert await drained(rig.sender) == 1
    assert rig.texts(ALICE) == parts
    row = rig.row(ALICE)
    assert row.status == "sent"
    assert row.message_id == rig.api.messages_to(ALICE)[0].message_id


async def test_a_split_card_whose_second_part_fails_sends_only_the_rest_on_retry(
    rig: Rig,
) -> None:
    await rig.subscriber(ALICE)
    parts = await long_card(rig)
    rig.api.script[ALICE] = [OK, SERVER_ERROR]

    assert await drained(rig.sender) == 0
    assert rig.texts(ALICE) == parts[:1]
    first = rig.api.messages_to(ALICE)[0].message_id
    row = rig.row(ALICE)
    assert (row.status, row.attempts, row.message_id) == ("pending", 1, first)

    rig.clock.advance(backoff(0))
    assert await drained(rig.sender) == 1
    assert rig.texts(ALICE) == parts  # part 1 once, then the rest
    assert (rig.row(ALICE).status, rig.row(ALICE).message_id) == ("sent", first)


async def test_html_telegram_cannot_parse_is_sent_again_as_plain_text(rig: Rig) -> None:
    await rig.subscriber(ALICE)
    parts = await long_card(rig)
    refusal = error(400, "Bad Request: can't parse entities: unsupported start tag at 0")
    rig.api.script[ALICE] = [OK, refusal]  # part 2 refused

    assert await drained(rig.sender) == 1
    sent = rig.api.messages_to(ALICE)
    assert [m.text for m in sent] == [parts[0], plain_text(parts[1]).strip(), *parts[2:]]
    assert [m.params.get("parse_mode") for m in sent][:2] == ["HTML", None]
    assert (rig.row(ALICE).status, rig.row(ALICE).attempts) == ("sent", 1)


@pytest.mark.parametrize("limit", [4096, 1500])
async def test_a_part_telegram_finds_too_long_goes_as_plain_text_in_smaller_pieces(
    rig: Rig, limit: int
) -> None:
    """Telegram counting a part longer than we did: the words go as plain text, halved
    until Telegram takes them; nothing is lost and the row is sent."""
    await rig.subscriber(ALICE)
    parts = await long_card(rig)
    rig.api.message_limit = limit
    if limit == 4096:
        rig.api.script[ALICE] = [error(400, "Bad Request: message is too long")]

    assert await drained(rig.sender) == 1
    sent = rig.api.messages_to(ALICE)
    if limit == 4096:
        assert [m.text for m in sent] == [plain_text(parts[0]).strip(), *parts[1:]]
    else:
        assert len(sent) > len(parts)
        assert all(shown_length(m.text) <= limit for m in sent)
    words = [w for m in sent for w in plain_text(m.text).split()]
    assert words == [w for p in parts for w in plain_text(p).split()]
    assert rig.row(ALICE).status == "sent"


async def test_a_part_too_long_even_in_small_pieces_fails_the_row(rig: Rig) -> None:
    await rig.subscriber(ALICE)
    await long_card(rig)
    rig.api.message_limit = 100

    assert await drained(rig.sender) == 0
    assert (rig.row(ALICE).status, rig.texts(ALICE)) == ("failed", [])
    assert "too long" in (rig.row(ALICE).last_error or "")


async def test_a_row_that_cannot_be_rendered_does_not_stop_the_drain(rig: Rig) -> None:
    await rig.subscriber(ALICE)
    await rig.subscriber(BOB)
    # A stored item whose documents are not objects: rendering its card raises.
    broken = cast(list[dict[str, str]], ["not a document object"])
    await rig.publish(rig.draft("Сломанная запись", documents=broken))
    await rig.publish(rig.draft("Переговоры в Астане"))

    assert await drained(rig.sender) == 2
    failed = [r for r in rig.rows() if r.status == "failed"]
    assert len(failed) == 2 and all((r.last_error or "").startswith("internal") for r in failed)
    for chat in (ALICE, BOB):
        (card,) = rig.texts(chat)
        assert "Переговоры в Астане" in card


async def test_an_answer_telegram_cannot_have_given_fails_that_row_only(rig: Rig) -> None:
    """A send that raises something other than Telegram's error (here: "ok" with no message
    in it) is a bug kept to its row: the row fails, the other chats still get their card."""
    for chat in (ALICE, BOB):
        await rig.subscriber(chat)
    await rig.publish(rig.draft("Переговоры в Астане"))
    rig.api.script[ALICE] = [(200, {"ok": True, "result": {"message_id": 7}})]

    assert await drained(rig.sender) == 1
    assert rig.row(ALICE).status == "failed"
    assert (rig.row(ALICE).last_error or "").startswith("internal")
    assert (rig.row(BOB).status, len(rig.texts(BOB))) == ("sent", 1)


async def test_a_transient_failure_in_one_chat_does_not_stop_the_drain(rig: Rig) -> None:
    for chat in (ALICE, BOB, CAROL):
        await rig.subscriber(chat)
    await rig.publish(rig.draft("Переговоры в Астане"))
    first = min(rig.rows(), key=lambda r: r.id).chat_id
    rig.api.script[first] = [HANG_UP]

    assert await drained(rig.sender) == 2
    assert rig.row(first).status == "pending"
    assert {c for c in (ALICE, BOB, CAROL) if rig.texts(c)} == {ALICE, BOB, CAROL} - {first}


async def test_a_more_row_sends_and_n_more_not_the_items_card(rig: Rig) -> None:
    await rig.subscriber(ALICE)
    await rig.subscriber(BOB, language="en")
    titles = ["Переговоры в Астане", "Встреча в Душанбе", "Саммит ШОС", "Форум в Бишкеке"]
    await rig.publish(*(rig.draft(t) for t in titles), push_limit=1)
    assert sorted(r.more for r in rig.rows()) == [0, 0, 3, 3]

    assert await drained(rig.sender) == 4
    for chat, phrase in ((ALICE, "и ещё 3 новых записей"), (BOB, "and 3 more new items")):
        card, more = rig.texts(chat)
        assert titles[0] in card
        assert phrase in more and FEED_TITLE in more
        assert not any(title in more for title in titles)
    assert all(r.status == "sent" for r in rig.rows())


# --- the e2e harness ----------------------------------------------------------------------


async def test_the_harness_runs_the_shutdown_of_run_polling(tmp_path: Path) -> None:
    """updater.stop → stop → post_stop → shutdown → post_shutdown (production's)."""
    seen: list[tuple[str, bool, bool]] = []
    async with running_bot_against(FakeBotApi(), tmp_path) as bot:
        app = bot.app
        production_post_stop, production_post_shutdown = app.post_stop, app.post_shutdown
        assert production_post_stop is not None and production_post_shutdown is not None
        assert app.updater is not None
        updater = app.updater

        def record(step: str) -> None:
            # PTB keeps no public "initialized" flag; _initialized is what shutdown() clears.
            seen.append((step, updater.running or app.running, app._initialized))

        async def post_stop(application: Any) -> None:
            await production_post_stop(application)
            record("post_stop")
            # The Bot still works here: the sender stopped on its own, not cancelled.
            assert sender is not None and sender.done()
            assert not sender.cancelled() and sender.exception() is None

        async def post_shutdown(application: Any) -> None:
            record("post_shutdown")
            await production_post_shutdown(application)

        app.post_stop = post_stop
        app.post_shutdown = post_shutdown
        sender = bot.sender_task
        assert sender is not None and not sender.done()
        record("running")
    assert seen == [
        ("running", True, True),
        ("post_stop", False, True),
        ("post_shutdown", False, False),
    ]
    assert app.bot_data.services is None


async def test_rows_a_stopped_bot_had_in_hand_are_sent_at_the_next_start(tmp_path: Path) -> None:
    storage = await open_storage(tmp_path / "newsbot.db")
    try:
        topic = await storage.sync_topic("central-asia", "Центральная Азия", "Central Asia", [])
        feed = await storage.add_feed(
            "https://news.example/feed.xml",
            title=FEED_TITLE,
            interval_seconds=600,
            next_check_at=10**10,
            now=0,
            topic_ids=(topic.id,),
        )
        await storage.upsert_chat(USER, type="private", language="ru", now=0)
        await storage.add_subscription(USER, topic.id, now=0)
        draft = ItemDraft(
            key="k1",
            url="https://news.example/k1",
            title="Переговоры в Астане",
            published_at=0,
            text="Переговоры в Астане. Текст.",
            summary="Переговоры в Астане.",
            topic_ids=(topic.id,),
            fingerprint="k1",
        )
        check = FeedCheck(next_check_at=10**10)
        await storage.store_items(feed.id, [draft], now=0, check=check, queue=True, push_limit=20)
        assert len(await storage.claim_deliveries(0)) == 1  # then the process died
    finally:
        await storage.close()
    async with running_bot_against(FakeBotApi(), tmp_path) as bot:
        (card,) = await bot.wait_for_messages(USER, 1)
        assert "Переговоры в Астане" in card.text

        async def sent() -> bool:
            return await bot.storage.outbox_counts() == {"sent": 1}

        await eventually(sent)


async def test_a_dead_sender_fails_the_harness_waits_at_once(tmp_path: Path) -> None:
    async with running_bot_against(FakeBotApi(), tmp_path) as bot:
        services = bot.app.bot_data.services
        assert services is not None and bot.sender_task is not None
        # The database goes away: the sender's next look at the outbox raises, and its
        # task ends with that error.
        await bot.storage.close()
        services.sender.wake()
        with pytest.raises(SenderDied) as died:
            # A long deadline: only the sender check can end this wait in time.
            await bot.wait_for_messages(USER, 1, timeout=30)
        # aiosqlite or sqlite3 says so, depending on where the sender was when it closed.
        assert isinstance(died.value.__cause__, ValueError | sqlite3.ProgrammingError)
        assert bot.sender_task.done()
        with pytest.raises(SenderDied):
            await bot.say("/help", user=USER)


async def test_a_sender_that_died_unnoticed_fails_the_test_at_stop(tmp_path: Path) -> None:
    with pytest.raises(SenderDied):
        async with running_bot_against(FakeBotApi(), tmp_path) as bot:
            services = bot.app.bot_data.services
            assert services is not None and bot.sender_task is not None
            await bot.storage.close()
            services.sender.wake()
            await asyncio.wait({bot.sender_task}, timeout=30)
            assert bot.sender_task.done()


# --- storage failing under the sender ------------------------------------------------------


@contextmanager
def storage_failing(db: Path, column: str) -> Iterator[None]:
    """Every update of outbox.<column> fails inside SQLite, as on a full disk, until the
    block ends. A trigger in the database: the sender's own connection sees the failure."""
    with closing(sqlite3.connect(db, isolation_level=None)) as conn:
        conn.execute(
            f"""CREATE TRIGGER storage_fails BEFORE UPDATE OF {column} ON outbox
                BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"""
        )
    try:
        yield
    finally:
        with closing(sqlite3.connect(db, isolation_level=None)) as conn:
            conn.execute("DROP TRIGGER storage_fails")


@pytest.mark.parametrize("in_flight", [1, 16])
async def test_a_card_telegram_accepted_but_storage_could_not_record_is_never_sent_again(
    rig: Rig, in_flight: int
) -> None:
    sender = Sender(rig.bot, rig.storage, timezone=TIMEZONE, clock=rig.clock, in_flight=in_flight)
    await rig.subscriber(ALICE)
    await rig.subscriber(BOB)
    titles = ["Переговоры в Астане", "Встреча в Душанбе", "Саммит ШОС"]
    await rig.publish(*(rig.draft(title) for title in titles))
    with storage_failing(rig.db, "message_ids"):
        for _ in range(3):
            with pytest.raises(StorageDown):
                await drained(sender)
        # Sending stopped at the first failure: no card was tried twice, and one at a time
        # BOB's was not even tried (with more in flight it may have gone beside ALICE's).
        assert rig.api.tried(ALICE) == 1
        assert rig.api.tried(BOB) == (0 if in_flight == 1 else rig.api.tried(BOB)) <= 1
    # Storage is back: what was not written is written, then the queue goes on.
    assert await drained(sender) == 6
    for chat in (ALICE, BOB):  # every card once, in order
        assert [text.split("\n")[0] for text in rig.texts(chat)] == [f"<b>{t}</b>" for t in titles]
    assert [r.status for r in rig.rows()] == ["sent"] * 6
    # Storage failing spent no attempt: each row was tried once, as far as it knows.
    assert [r.attempts for r in rig.rows()] == [1] * 6
    first = next(r for r in rig.rows() if r.chat_id == ALICE)
    assert first.message_id == rig.api.messages_to(ALICE)[0].message_id


async def test_the_sender_pauses_while_storage_fails_says_so_once_and_resumes(
    rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    await rig.subscriber(ALICE)
    await rig.publish(rig.draft("Переговоры в Астане"))
    claims = count_calls(rig.storage, "claim_deliveries")
    task = asyncio.create_task(rig.sender.run_forever())
    rig.closing.append(lambda: stopped(rig.sender, task))
    with caplog.at_level(logging.INFO, logger="bot.delivery.outbox"):
        with storage_failing(rig.db, "status"):  # not even a row can be claimed

            async def paused() -> bool:
                return any("sending paused" in r.getMessage() for r in caplog.records)

            await eventually(paused)
            # Told at the first failure (the next try is a second away).
            assert (claims[0], rig.api.tried(ALICE)) == (1, 0)
        await rig.api.wait_for(lambda: len(rig.api.messages_to(ALICE)) == 1)
        await eventually(lambda: settled(rig, "sent"))
    messages = [r.getMessage() for r in caplog.records]
    assert sum("sending paused" in m for m in messages) == 1
    assert any("storage works again" in m for m in messages)
    assert not task.done()

    # A second outage is told of once too.
    await rig.publish(rig.draft("Встреча в Душанбе"))
    with caplog.at_level(logging.INFO, logger="bot.delivery.outbox"):
        with storage_failing(rig.db, "status"):
            before = claims[0]
            rig.sender.wake()

            async def paused_twice() -> bool:
                return sum("sending paused" in r.getMessage() for r in caplog.records) == 2

            await eventually(paused_twice)
            assert claims[0] == before + 1  # at this outage's first failure too
        await rig.api.wait_for(lambda: len(rig.api.messages_to(ALICE)) == 2)


def count_calls(storage: Storage, name: str) -> list[int]:
    """Count the calls of one Storage method (the count is the list's only element)."""
    calls = [0]
    method = getattr(storage, name)

    async def counted(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return await method(*args, **kwargs)

    setattr(storage, name, counted)
    return calls


async def settled(rig: Rig, status: str) -> bool:
    return [r.status for r in rig.rows()] == [status]


async def stopped(sender: Sender, task: asyncio.Task[None]) -> None:
    await sender.stop()
    await asyncio.wait_for(task, timeout=10)


def test_how_long_the_sender_waits() -> None:
    """Idle: until the next row is due, at most 30 s (wake() cuts it short). Storage down:
    1 s doubling, at most a minute. Telegram failing: 5 s doubling, at most 15 minutes."""
    assert [idle_wait(due, 100.0) for due in (None, 95.0, 100.0, 105.5, 130.0, 500.0)] == [
        30.0,
        0.0,
        0.0,
        5.5,
        30.0,
        30.0,
    ]
    assert [storage_backoff(n) for n in (1, 2, 3, 6, 7, 8, 50)] == [1, 2, 4, 32, 60, 60, 60]
    delays = [retry_delay(n) for n in range(MAX_ATTEMPTS)]
    assert delays[:9] == [5, 10, 20, 40, 80, 160, 320, 640, 900]
    assert set(delays[8:]) == {900} and retry_delay(10_000) == 900


async def test_an_outage_finds_at_most_one_batch_of_rows_in_hand(rig: Rig) -> None:
    """Rows are claimed a hundred at a time: what a crash or an outage can leave 'sending'."""
    sender = Sender(rig.bot, rig.storage, timezone=TIMEZONE, clock=rig.clock, in_flight=1)
    for chat in range(1000, 1150):
        await rig.subscriber(chat)
    await rig.publish(rig.draft("Переговоры в Астане"))
    with storage_failing(rig.db, "message_ids"):
        with pytest.raises(StorageDown):
            await drained(sender)
        assert await rig.storage.outbox_counts() == {"sending": 100, "pending": 50}
        assert len(rig.api.sent) == 1


# --- admin alerts: the same Bot, one message per admin --------------------------------------


async def test_an_alert_reaches_every_admin_though_one_cannot_be_reached(
    rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    rig.api.blocked.add(ALICE)
    feed = await rig.storage.add_feed(
        "https://news.example/a?x=1&y=<2>", title="", interval_seconds=600, next_check_at=0, now=0
    )
    named = await rig.storage.feed(rig.feed_id)
    assert named is not None
    alerts = AdminAlerts(rig.bot, [CAROL, ALICE, BOB], "ru")
    with caplog.at_level(logging.WARNING, logger="bot.delivery.alerts"):
        await alerts("failing", feed, "HTTP 503 <Service Unavailable>")
        await alerts("back", named, "")
    url = "https://news.example/a?x=1&amp;y=&lt;2&gt;"
    failing = t(
        "ru",
        "alert_failing",
        id=feed.id,
        title=url,  # a feed without a title is named by its address
        url=url,
        reason="HTTP 503 &lt;Service Unavailable&gt;",
    )
    back = t("ru", "alert_back", id=named.id, title=FEED_TITLE, url="", reason="")
    assert rig.texts(ALICE) == []
    assert rig.texts(BOB) == rig.texts(CAROL) == [failing, back]
    for message in rig.api.messages_to(BOB):
        assert json.loads(message.params["link_preview_options"]) == {"is_disabled": True}
    warnings = [r.getMessage() for r in caplog.records if r.name == "bot.delivery.alerts"]
    assert len(warnings) == 2 and all(f"admin {ALICE}" in w for w in warnings)
