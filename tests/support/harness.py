"""Driving the real Application by hand against the fake Bot API (no run_polling)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.app import build_application
from bot.config import Config, PollingConfig, TopicConfig
from bot.context import NewsApplication
from storage import Storage, open_storage
from tests.support.fake_bot_api import FakeBotApi, SentMessage
from tests.support.feed_server import FeedServer

ADMIN = 100
USER = 200


@dataclass
class Clock:
    """An injected clock: schedules move only when a test says so."""

    now: float = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 10.0) -> None:
    """Wait until an async condition holds, failing after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(0.01)


@dataclass
class RunningBot:
    app: NewsApplication
    api: FakeBotApi
    feeds: FeedServer
    storage: Storage
    clock: Clock

    async def start(self) -> None:
        await self.app.initialize()
        assert self.app.post_init is not None
        await self.app.post_init(self.app)  # run_polling would call it; we drive by hand
        await self.app.start()
        assert self.app.updater is not None
        await self.app.updater.start_polling(poll_interval=0.0, timeout=1)

    async def stop(self) -> None:
        assert self.app.updater is not None
        if self.app.updater.running:
            await self.app.updater.stop()
        if self.app.running:
            await self.app.stop()
        assert self.app.post_shutdown is not None
        await self.app.post_shutdown(self.app)
        await self.app.shutdown()

    async def say(
        self, text: str, *, user: int, replies: int = 1, language: str = "ru", **kw: Any
    ) -> list[SentMessage]:
        """Send a command as `user` and return the bot's `replies` answers to it."""
        before = len(self.api.messages_to(user))
        self.api.send_command(text, user_id=user, language=language, **kw)
        messages = await self.api.wait_for_messages(user, before + replies)
        return messages[before:]

    async def poll(self) -> None:
        """Run the scheduled poll job once, now, as the JobQueue would, and wait until the
        checks it started (and the ones they started in turn) have finished."""
        assert self.app.job_queue is not None
        (job,) = self.app.job_queue.get_jobs_by_name("poll-feeds")
        await job.run(self.app)
        services = self.app.bot_data.services
        assert services is not None
        await services.feeds.wait_idle()


def e2e_config(api: FakeBotApi, tmp_path: Path) -> Config:
    """The configuration the end-to-end tests run under: one admin, two topics."""
    return Config(
        admins=frozenset({ADMIN}),
        database=tmp_path / "newsbot.db",
        poll_interval=600,
        language="ru",
        timezone="Europe/Moscow",
        api_base_url=api.base_url,
        token=api.token,
        topics=(
            TopicConfig("central-asia", "Центральная Азия", "Central Asia", ("Казахстан",)),
            TopicConfig("sport", "Спорт", "Sport", ("футбол",)),
        ),
        # The feed server runs on 127.0.0.1, which the fetcher refuses unless told otherwise.
        polling=PollingConfig(allow_private_networks=True, check_timeout=5),
    )


@asynccontextmanager
async def running_bot_against(api: FakeBotApi, tmp_path: Path) -> AsyncIterator[RunningBot]:
    """The real Application against `api` (started here) and a feed server, both local."""
    api.start()
    feeds = FeedServer().start()
    storage = await open_storage(tmp_path / "newsbot.db")
    clock = Clock()
    # The poll job's own timer is set far out: tests run it explicitly with `poll()`.
    app = build_application(e2e_config(api, tmp_path), storage=storage, clock=clock, poll_tick=3600)
    bot = RunningBot(app, api, feeds, storage, clock)
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()
        await storage.close()
        feeds.stop()
        api.stop()
