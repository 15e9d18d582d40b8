"""Delivery against Telegram's limits: sustained rate, ceiling, fan-out, replies during a broadcast.

Everything runs on 127.0.0.1: the fake Bot API of tests/support (which, with FloodLimits,
answers 429 past Telegram's limits exactly as the tests use it), a temporary SQLite file
through the production opener, and the production Sender, Pacer and storage.

  (1) sustained: --chats private chats x 1 item, through the Sender and the Pacer at
      Telegram's limits (30/s); the fake enforces the same limits. Prints messages/s, the
      ratio to 30/s and the 429s drawn (goal: >= 0.99 x 30/s, zero 429s).
  (2) ceiling: the same broadcast with limits lifted (pacer at 100,000/s, fake without
      limits), beside a raw loop of PTB send_message calls to the same fake, in the same run
      (goal: sender >= 0.6 x raw).
  (3) fan-out: one item stored and queued for --subscribers chats (store_items, one
      transaction), while a ticker measures the event loop's longest stall (goals: <= 1 s;
      the loop never blocked for more than 50 ms).
  (4) replies during a broadcast: --replies command replies sent through the same pacer
      while (1)-style broadcast runs; latency from the call to Telegram's answer, p50/p95/max.

Run: .venv/bin/python bench/delivery_bench.py [--chats 1000] [--subscribers 100000]
Prints figures only; never asserts on timing.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from telegram.ext import ExtBot  # noqa: E402
from telegram.request import HTTPXRequest  # noqa: E402

from bot.app import limits  # noqa: E402
from bot.config import Config  # noqa: E402
from bot.delivery.outbox import Sender  # noqa: E402
from bot.delivery.pacing import Limits, Pacer  # noqa: E402
from storage import FeedCheck, ItemDraft, Storage, open_storage  # noqa: E402
from tests.support.fake_bot_api import FakeBotApi, FloodLimits  # noqa: E402

TELEGRAM = FloodLimits()  # 30/s, 1/s per chat, 20/min per group
AT_TELEGRAMS = limits(Config())  # the pacer at the [delivery] defaults: the same numbers
FIRST_CHAT = 10_000
LIFTED = Limits(per_second=100_000, chat_interval=0.0, group_count=10_000, group_window=0.001)


def pool() -> HTTPXRequest:
    """Connections for the sends in flight, as the Application's own bot has (256)."""
    return HTTPXRequest(connection_pool_size=256)


async def prepared(path: Path, chats: int, *, queue: bool = True) -> tuple[Storage, int]:
    """A database with `chats` subscribers of one topic and, if `queue`, one item queued for
    each. The chats are written with one executemany (setting up 100,000 of them through
    the bot's one-row commands would take minutes and measure nothing of interest)."""
    storage = await open_storage(path)
    topic = await storage.sync_topic("news", "Новости", "News", [])
    feed = await storage.add_feed(
        "https://news.example/rss",
        title="Лента",
        interval_seconds=600,
        next_check_at=1e12,
        now=0,
        topic_ids=(topic.id,),
    )
    await storage.close()
    with closing(sqlite3.connect(path)) as conn, conn:
        ids = range(FIRST_CHAT, FIRST_CHAT + chats)
        conn.executemany("INSERT INTO chats (id, created_at) VALUES (?, 0)", ((c,) for c in ids))
        conn.executemany(
            "INSERT INTO subscriptions (chat_id, topic_id, created_at) VALUES (?, ?, 0)",
            ((c, topic.id) for c in ids),
        )
    storage = await open_storage(path)
    if queue:
        await store_one(storage, feed.id, topic.id, "first")
    return storage, feed.id


async def store_one(storage: Storage, feed_id: int, topic_id: int, key: str) -> int:
    draft = ItemDraft(
        key=key,
        url=f"https://news.example/{key}",
        title=f"Новость {key}",
        published_at=0,
        text="Текст новости.",
        summary="Текст новости.",
        topic_ids=(topic_id,),
        fingerprint=key,
    )
    outcome = await storage.store_items(
        feed_id,
        [draft],
        now=0,
        check=FeedCheck(next_check_at=1e12),
        queue=True,
        push_limit=1000,
    )
    return outcome.queued


async def broadcast(api: FakeBotApi, limits: Limits, chats: int, tmp: Path) -> tuple[float, int]:
    """(seconds, messages) for one item to `chats` chats through the Sender and the Pacer."""
    storage, _ = await prepared(tmp / f"b{time.monotonic_ns()}.db", chats)
    bot: ExtBot[str] = ExtBot(
        api.token, base_url=api.base_url, rate_limiter=Pacer(limits), request=pool()
    )
    await bot.initialize()
    try:
        sender = Sender(bot, storage, timezone="Europe/Moscow", clock=lambda: 0.0)
        started = time.perf_counter()
        sent = await sender.drain()
        return time.perf_counter() - started, sent
    finally:
        await bot.shutdown()
        await storage.close()


async def raw_loop(api: FakeBotApi, messages: int, in_flight: int = 16) -> float:
    """Seconds for `messages` plain send_message calls, `in_flight` at a time, no pacer."""
    bot: ExtBot[None] = ExtBot(api.token, base_url=api.base_url, request=pool())
    await bot.initialize()
    gate = asyncio.Semaphore(in_flight)

    async def one(chat: int) -> None:
        async with gate:
            await bot.send_message(chat, "<b>Новость</b>\nТекст новости.", parse_mode="HTML")

    try:
        started = time.perf_counter()
        await asyncio.gather(*(one(20_000 + n) for n in range(messages)))
        return time.perf_counter() - started
    finally:
        await bot.shutdown()


async def fan_out(subscribers: int, tmp: Path) -> tuple[float, float]:
    """(seconds to queue one item for every subscriber, the loop's longest stall)."""
    storage, feed_id = await prepared(tmp / "fanout.db", subscribers, queue=False)
    (topic,) = await storage.topics()
    stalls: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            stalls.append(now - last - 0.005)
            last = now

    tick = asyncio.create_task(ticker())
    try:
        await asyncio.sleep(0.05)
        started = time.perf_counter()
        queued = await store_one(storage, feed_id, topic.id, "fan-out")
        took = time.perf_counter() - started
        assert queued == subscribers, queued  # the benchmark measured the real thing
    finally:
        done.set()
        await tick
        await storage.close()
    return took, max(stalls)


async def replies_during_broadcast(chats: int, replies: int, tmp: Path) -> list[float]:
    api = FakeBotApi(limits=TELEGRAM).start()
    storage, _ = await prepared(tmp / "replies.db", chats)
    pacer = Pacer(AT_TELEGRAMS)
    bot: ExtBot[str] = ExtBot(api.token, base_url=api.base_url, rate_limiter=pacer, request=pool())
    await bot.initialize()
    latencies: list[float] = []
    try:
        sender = Sender(bot, storage, timezone="Europe/Moscow", clock=lambda: 0.0)
        running = asyncio.create_task(sender.drain())
        await asyncio.sleep(2.0)  # the broadcast is under way: the pacer's queue is full

        async def reply(user: int) -> None:
            started = time.perf_counter()
            await bot.send_message(user, "ответ на команду")
            latencies.append(time.perf_counter() - started)

        # Users write at about 10 commands a second, each from their own chat.
        tasks = []
        for n in range(replies):
            tasks.append(asyncio.create_task(reply(90_000 + n)))
            await asyncio.sleep(0.1)
        await asyncio.gather(*tasks)
        await running
        print(f"    429s drawn: {len(api.too_many)}")
    finally:
        await bot.shutdown()
        await storage.close()
        api.stop()
    return latencies


def quantile(values: list[float], q: float) -> float:
    """The nearest-rank quantile: a value that was measured."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        print(f"(1) sustained, {args.chats} private chats x 1 item, Telegram's limits")
        api = FakeBotApi(limits=TELEGRAM).start()
        try:
            seconds, sent = await broadcast(api, AT_TELEGRAMS, args.chats, tmp)
            rate = sent / seconds
            print(
                f"    {sent} messages in {seconds:.1f} s: {rate:.2f}/s, "
                f"{rate / 30:.3f} x 30/s; 429s drawn: {len(api.too_many)}"
            )
        finally:
            api.stop()

        print(f"(2) ceiling, {args.chats} messages, limits lifted, beside a raw PTB loop")
        api = FakeBotApi().start()
        try:
            seconds, sent = await broadcast(api, LIFTED, args.chats, tmp)
            raw = await raw_loop(api, args.chats)
            print(
                f"    sender {sent / seconds:.0f}/s, raw send_message loop "
                f"{args.chats / raw:.0f}/s: ratio {(sent / seconds) / (args.chats / raw):.2f}"
            )
        finally:
            api.stop()

        print(f"(3) fan-out of one item to {args.subscribers} subscribers")
        took, stall = await fan_out(args.subscribers, tmp)
        print(f"    queued in {took:.2f} s; longest event-loop stall {stall * 1000:.0f} ms")

        print(f"(4) {args.replies} replies during a broadcast to {args.chats} chats")
        latencies = await replies_during_broadcast(args.chats, args.replies, tmp)
        print(
            f"    reply latency p50 {quantile(latencies, 0.5) * 1000:.0f} ms, "
            f"p95 {quantile(latencies, 0.95) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=1000)
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--replies", type=int, default=100)
    asyncio.run(main(parser.parse_args()))
