"""The pacer against a fake Bot API that enforces Telegram's three limits (429 past them).

Limits are scaled down (100 messages/s, 0.1 s per private chat, 3 per 0.5 s per group) so a
broadcast takes seconds; the pacer and the fake are given the same numbers. Nothing here
asserts a duration: the fake counts every 429 it had to give, and arrival order shows who
went first.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from telegram.ext import ExtBot

from bot.delivery.outbox import Sender
from bot.delivery.pacing import Limits, Pacer
from storage import FeedCheck, ItemDraft, Storage, open_storage
from tests.delivery.test_sender import long_documents
from tests.support.fake_bot_api import FakeBotApi, FloodLimits
from tests.support.harness import Clock

LIMITS = Limits(per_second=100, chat_interval=0.1, group_count=3, group_window=0.5)
TELEGRAM = FloodLimits(per_second=100, chat_interval=0.1, group_count=3, group_window=0.5)
TIMEZONE = "Europe/Moscow"


@dataclass
class Broadcast:
    api: FakeBotApi
    bot: ExtBot[str]
    pacer: Pacer
    storage: Storage
    clock: Clock
    topic_id: int
    feed_id: int

    async def subscribers(self, *chats: int) -> None:
        for chat in chats:
            kind = "group" if chat < 0 else "private"
            await self.storage.upsert_chat(chat, type=kind, language="ru", now=self.clock())
            await self.storage.add_subscription(chat, self.topic_id, now=self.clock())

    async def publish(self, key: str, **fields: object) -> None:
        draft = ItemDraft(
            key=key,
            url=f"https://news.example/{key}",
            title=f"Новость {key}",
            published_at=self.clock() - 60,
            text=f"Новость {key}. Текст.",
            summary=f"Новость {key}.",
            topic_ids=(self.topic_id,),
            fingerprint=key,
            **fields,  # type: ignore[arg-type]
        )
        check = FeedCheck(next_check_at=self.clock() + 600)
        await self.storage.store_items(
            self.feed_id, [draft], now=self.clock(), check=check, queue=True, push_limit=1000
        )

    def sender(self, in_flight: int = 16) -> Sender:
        return Sender(
            self.bot, self.storage, timezone=TIMEZONE, clock=self.clock, in_flight=in_flight
        )


@pytest.fixture
async def broadcast(tmp_path: Path) -> AsyncIterator[Broadcast]:
    api = FakeBotApi(limits=TELEGRAM).start()
    storage = await open_storage(tmp_path / "newsbot.db")
    pacer = Pacer(LIMITS)
    bot: ExtBot[str] = ExtBot(api.token, base_url=api.base_url, rate_limiter=pacer)
    clock = Clock()
    try:
        await bot.initialize()
        topic = await storage.sync_topic("asia", "Азия", "Asia", [])
        feed = await storage.add_feed(
            "https://news.example/feed.xml",
            title="Лента",
            interval_seconds=600,
            next_check_at=clock() + 600,
            now=clock(),
            topic_ids=(topic.id,),
        )
        yield Broadcast(api, bot, pacer, storage, clock, topic.id, feed.id)
    finally:
        await bot.shutdown()
        await storage.close()
        api.stop()


async def test_a_broadcast_to_chats_and_groups_with_split_cards_draws_no_429(
    broadcast: Broadcast,
) -> None:
    private = list(range(1001, 1151))
    groups = [-2001, -2002]
    await broadcast.subscribers(*private, *groups)
    await broadcast.publish("a")
    await broadcast.publish("long", documents=long_documents())  # two parts or more
    await broadcast.publish("b")

    delivered = await asyncio.wait_for(broadcast.sender().drain(), timeout=60)

    assert delivered == 3 * (len(private) + len(groups))
    assert broadcast.api.too_many == []  # no limit was broken, so no 429
    assert broadcast.pacer.retries == 0
    assert await broadcast.storage.outbox_counts() == {"sent": delivered}
    for chat in (private[0], private[-1], *groups):  # every chat: its cards, in order
        texts = [m.text for m in broadcast.api.messages_to(chat)]
        assert len(texts) >= 4
        assert "Новость a" in texts[0] and "Новость b" in texts[-1]
        assert all("Новость long" in text for text in texts[1:2])


async def test_a_reply_goes_ahead_of_a_running_broadcast(broadcast: Broadcast) -> None:
    await broadcast.subscribers(*range(1001, 1301))
    await broadcast.publish("a")
    running = asyncio.create_task(broadcast.sender(in_flight=64).drain())
    await broadcast.api.wait_for(lambda: len(broadcast.api.sent) >= 50)
    # 64 broadcast sends are waiting in the pacer now; a reply must not wait behind them.
    overtaken = []
    for user in (7001, 7002, 7003):
        before = len(broadcast.api.sent)
        await broadcast.bot.send_message(user, "ответ на команду")
        position = next(i for i, m in enumerate(broadcast.api.sent) if m.chat_id == user)
        overtaken.append(position - before)  # broadcast messages that arrived in between
    assert not running.done()
    assert await running == 300
    assert max(overtaken) <= 8, overtaken
    assert broadcast.api.too_many == []


async def test_a_429_for_one_chat_holds_that_chat_only_and_the_message_still_goes(
    broadcast: Broadcast,
) -> None:
    chats = list(range(1001, 1021))
    await broadcast.subscribers(*chats)
    await broadcast.publish("a")
    broadcast.api.fail_next_send(1001, 429, "Too Many Requests: retry after 1", retry_after=1)

    assert await asyncio.wait_for(broadcast.sender().drain(), timeout=30) == len(chats)

    assert broadcast.pacer.retries == 1
    order = [m.chat_id for m in broadcast.api.sent]
    assert sorted(order) == chats  # everyone once, the held chat included
    assert order[-1] == 1001  # held for a second; the 19 others did not wait for it
    assert await broadcast.storage.outbox_counts() == {"sent": len(chats)}


# --- the pacer alone, on an injected clock ------------------------------------------------


@dataclass
class FakeTime:
    now: float = 1000.0
    slept: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


async def test_windows_of_quiet_chats_are_forgotten_and_busy_ones_kept() -> None:
    time = FakeTime()
    pacer = Pacer(LIMITS, clock=time.clock, sleep=time.sleep, kept_windows=3)
    for chat in (1, 2, -3):  # a group: 3 per 0.5 s
        await pacer.slot(chat)
    time.now += 0.2  # past a private chat's 0.1 s, inside the group's 0.5 s
    await pacer.slot(4)
    assert pacer.tracked_chats == 2  # 1 and 2 forgotten; the group and 4 kept
    await pacer.slot(-3)
    await pacer.slot(-3)  # the group's third message in its window
    before = time.now
    await pacer.slot(-3)  # the fourth waits for the window: the group was not forgotten
    assert time.now >= before + 0.2


async def test_a_request_waiting_for_a_slot_is_cancelled_at_shutdown() -> None:
    time = FakeTime()
    pacer = Pacer(Limits(per_second=1), clock=time.clock, sleep=asyncio.sleep)
    time.now = 0.0
    await pacer.slot(1)  # the next global slot is a second away (real sleep, fake clock)
    waiting = asyncio.create_task(pacer.slot(2))
    await asyncio.sleep(0)
    await pacer.shutdown()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(waiting, timeout=5)
