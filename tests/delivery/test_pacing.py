"""The pacer against a fake Bot API that enforces Telegram's three limits (429 past them).

Limits are scaled down (100 messages/s, 0.1 s per private chat, 3 per 0.5 s per group) so a
broadcast takes seconds; the pacer and the fake are given the same numbers. Nothing here
asserts a duration: the fake counts every 429 it had to give, and arrival order shows who
went first.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from telegram.ext import ExtBot

from bot.delivery.outbox import Sender
from bot.delivery.pacing import Limits, Pacer, is_group_chat, retry_seconds
from storage import FeedCheck, ItemDraft, Storage, open_storage
from tests.delivery.test_sender import long_documents
from tests.support.fake_bot_api import FakeBotApi, FloodLimits
from tests.support.harness import Clock

LIMITS = Limits(per_second=100, chat_interval=0.1, group_count=3, group_window=0.5)
TELEGRAM = FloodLimits(per_second=100, chat_interval=0.1, group_count=3, group_window=0.5)
# The broadcasts below run Telegram's limits ten times faster, but the jitter of arrivals at
# the fake (a thread of this process) does not shrink with them: their pacer keeps 20 ms of
# margin where the bot keeps 10 ms over Telegram's one-second windows.
BROADCAST_LIMITS = dataclasses.replace(LIMITS, slack=0.02)
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
    pacer = Pacer(BROADCAST_LIMITS)
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
    private = list(range(1001, 1501))  # with the groups, over 2,000 messages
    groups = [-2001, -2002, -2003, -2004]
    await broadcast.subscribers(*private, *groups)
    await broadcast.publish("a")
    await broadcast.publish("long", documents=long_documents())  # two parts or more
    await broadcast.publish("b")

    delivered = await asyncio.wait_for(broadcast.sender().drain(), timeout=120)

    assert delivered == 3 * (len(private) + len(groups))
    assert len(broadcast.api.sent) >= 2000
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


async def test_blocks_moves_and_5xx_bursts_mid_broadcast_lose_nothing(
    broadcast: Broadcast,
) -> None:
    private = list(range(1001, 1201))
    await broadcast.subscribers(*private, -2001)
    await broadcast.publish("a")
    api = broadcast.api
    api.fail_next_send(1050, 403, "Forbidden: bot was blocked by the user")
    api.fail_next_send(
        -2001,
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        migrate_to_chat_id=-100_2001,
    )
    bursty = private[100:120]
    for chat in bursty:
        api.fail_next_send(chat, 502, "Bad Gateway")
    sender = broadcast.sender()

    first = await asyncio.wait_for(sender.drain(), timeout=60)
    broadcast.clock.advance(3600)  # the 502s' retries are due
    second = await asyncio.wait_for(sender.drain(), timeout=60)

    assert first + second == len(private)  # all but the blocked chat; the group moved
    assert second == len(bursty)
    got = {m.chat_id for m in api.sent}
    assert got == (set(private) - {1050}) | {-100_2001}
    assert len(api.sent) == len(got)  # once each
    assert await broadcast.storage.outbox_counts() == {"sent": len(private), "failed": 1}
    blocked = await broadcast.storage.chat(1050)
    assert blocked is not None and not blocked.active
    assert api.too_many == []


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


async def test_idle_windows_are_swept_when_the_table_has_doubled_not_at_every_chat() -> None:
    """Sweeping is a pass over every window: done each time the table doubles, its cost per
    new chat stays constant."""
    time = FakeTime()
    pacer = Pacer(LIMITS, clock=time.clock, sleep=time.sleep, kept_windows=2)
    for chat in (1, 2, 3):  # at 3 the table is full: a sweep finds 1 and 2 busy
        await pacer.slot(chat)
    time.now += 1.0  # every window idle now
    await pacer.slot(4)  # 3 of 4 allowed before the next sweep: no sweep yet
    assert pacer.tracked_chats == 4
    await pacer.slot(5)  # the next sweep forgets the three idle windows, keeps 4's
    assert pacer.tracked_chats == 2


def test_limits_are_a_value() -> None:
    assert dataclasses.is_dataclass(Limits) and Limits.__dataclass_params__.frozen  # type: ignore[attr-defined]


async def test_a_request_waiting_for_a_slot_is_cancelled_at_shutdown() -> None:
    time = FakeTime()
    one = Limits(per_second=1, chat_interval=0, group_count=1, group_window=0)
    pacer = Pacer(one, clock=time.clock, sleep=asyncio.sleep)
    time.now = 0.0
    await pacer.slot(1)  # the next global slot is a second away (real sleep, fake clock)
    waiting = asyncio.create_task(pacer.slot(2))
    await asyncio.sleep(0)
    await pacer.shutdown()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(waiting, timeout=5)


TEN = Limits(per_second=10, chat_interval=1.0, group_count=3, group_window=0.5)


async def starts(pacer: Pacer, clock: FakeTime, chats: list[object]) -> list[float]:
    """When each message starts, sent one after the other, relative to the first."""
    first = clock.now
    found = []
    for chat in chats:
        await pacer.slot(chat)
        found.append(round(clock.now - first, 6))
    return found


async def test_starts_are_spaced_by_the_overall_rate() -> None:
    clock = FakeTime()
    pacer = Pacer(TEN, clock=clock.clock, sleep=clock.sleep)
    # Ten chats, one message each: a start every 1.01/10 s (the slack is 1 %).
    assert await starts(pacer, clock, list(range(1, 11))) == [
        round(n * 0.101, 6) for n in range(10)
    ]


async def test_a_group_gets_its_count_per_window_counted_from_the_oldest_start() -> None:
    # Three at once (spaced by the overall rate), the fourth when the first leaves the window.
    for group in (-5, "@channel"):
        clock = FakeTime()
        pacer = Pacer(TEN, clock=clock.clock, sleep=clock.sleep)
        assert await starts(pacer, clock, [group] * 4) == [0.0, 0.101, 0.202, 0.51]
    # A private chat: one per second.
    clock = FakeTime()
    pacer = Pacer(TEN, clock=clock.clock, sleep=clock.sleep)
    assert await starts(pacer, clock, [7, 7]) == [0.0, 1.01]


def test_groups_and_channels_are_told_from_private_chats() -> None:
    assert [is_group_chat(c) for c in (-100123, -5, 5, "@news", "-1001", "123")] == [
        True,
        True,
        False,
        True,
        True,
        False,
    ]


async def test_a_429_holds_its_chat_and_several_hold_everyone() -> None:
    clock = FakeTime()
    pacer = Pacer(TEN, clock=clock.clock, sleep=clock.sleep)
    pacer.hold(1, 5)
    pacer.hold(2, 5)
    assert await starts(pacer, clock, [3]) == [0.0]  # two chats held: the others go on
    assert await starts(pacer, clock, [1]) == [5.01]  # 5 s + slack after the 429
    pacer.hold(4, 5)
    clock.now += 0.5
    pacer.hold(5, 5)
    clock.now += 0.5
    pacer.hold(6, 5)  # a third chat within a second: Telegram's overall limit
    assert await starts(pacer, clock, [8]) == [5.01]


async def test_429s_spread_over_more_than_a_second_hold_only_their_chats() -> None:
    clock = FakeTime()
    pacer = Pacer(TEN, clock=clock.clock, sleep=clock.sleep)
    for chat in (1, 2, 3):
        pacer.hold(chat, 5)
        clock.now += 0.6
    assert await starts(pacer, clock, [4]) == [0.0]


async def test_a_cancelled_request_gives_its_turn_to_the_next() -> None:
    pacer = Pacer(Limits(per_second=1, chat_interval=0, group_count=1, group_window=0))
    await pacer.slot(1)
    waiting = [asyncio.create_task(pacer.slot(chat)) for chat in (2, 3, 4)]
    await asyncio.sleep(0)
    waiting[0].cancel()
    done, _ = await asyncio.wait(waiting[1:], timeout=10)
    assert len(done) == 2


def test_retry_after_in_seconds() -> None:
    assert [retry_seconds(v) for v in (7, 0.5, timedelta(seconds=3))] == [7.0, 0.5, 3.0]
