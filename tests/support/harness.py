"""Driving the real Application by hand against the fake Bot API, in run_polling's order.

`RunningBot.start` and `stop` call what `Application.run_polling` calls, in the same order,
so the production start-up and shutdown paths (bot/app.py post_init and post_shutdown) run in
every end-to-end test. The waits fail at once when the sender task has died, instead of
timing out while the cards it should have sent never come.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.app import ALLOWED_UPDATES, build_application
from bot.config import Config, DeliveryConfig, PollingConfig, TopicConfig
from bot.context import NewsApplication
from storage import Storage, open_storage
from tests.support.fake_bot_api import FakeBotApi, SentMessage
from tests.support.feed_server import FeedServer
from tests.support.feeds import FeedItem, rss

ADMIN = 100
USER = 200
SENDER_TASK = "newsbot-sender"  # the name bot/app.py post_init gives the outbox task


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


class SenderDied(AssertionError):
    """The outbox task stopped while the bot runs: nothing queued will be delivered."""


@dataclass
class RunningBot:
    app: NewsApplication
    api: FakeBotApi
    feeds: FeedServer
    storage: Storage
    clock: Clock
    sender_task: asyncio.Task[Any] | None = field(default=None, init=False)
    _stopping: bool = field(default=False, init=False)
    _sender_reported: bool = field(default=False, init=False)

    async def start(self) -> None:
        """Application.run_polling's start: initialize → post_init → start_polling → start.

        As in run_polling, a failed start still runs the shutdown sequence.
        """
        try:
            await self.app.initialize()
            if self.app.post_init is not None:
                await self.app.post_init(self.app)
            self.sender_task = _task_named(SENDER_TASK)
            assert self.app.updater is not None
            await self.app.updater.start_polling(
                poll_interval=0.0, timeout=1, allowed_updates=ALLOWED_UPDATES
            )
            await self.app.start()
        except BaseException:
            await self._shut_down()
            raise

    async def stop(self) -> None:
        """run_polling's shutdown; then fail if the sender died and no wait reported it."""
        died = self._sender_failure()
        await self._shut_down()
        if died is not None and not self._sender_reported:
            raise died

    async def _shut_down(self) -> None:
        """updater.stop → stop → post_stop → shutdown → post_shutdown, as run_polling does
        (post_stop only if stop ran; post_shutdown after shutdown)."""
        self._stopping = True
        assert self.app.updater is not None
        if self.app.updater.running:
            await self.app.updater.stop()
        if self.app.running:
            await self.app.stop()
            if self.app.post_stop is not None:
                await self.app.post_stop(self.app)
        await self.app.shutdown()
        if self.app.post_shutdown is not None:
            await self.app.post_shutdown(self.app)

    # --- the sender ---------------------------------------------------------------------

    def _sender_failure(self) -> SenderDied | None:
        task = self.sender_task
        if task is None or not task.done() or (self._stopping and task.cancelled()):
            return None
        if task.cancelled():
            return SenderDied(f"the {SENDER_TASK} task was cancelled while the bot runs")
        error = task.exception()
        died = SenderDied(f"the {SENDER_TASK} task died: {error!r}")
        died.__cause__ = error
        return died

    def check_sender(self) -> None:
        """Raise SenderDied (caused by the sender's own exception) if the sender has stopped."""
        died = self._sender_failure()
        if died is not None:
            self._sender_reported = True
            raise died

    async def until(
        self, check: Callable[[], Awaitable[bool]], *, timeout: float = 10.0, what: str = ""
    ) -> None:
        """Wait until `check` holds, failing after `timeout` s or at once if the sender died."""
        deadline = time.monotonic() + timeout
        while True:
            self.check_sender()
            if await check():
                return
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(
                    f"{what or 'condition'} not met within {timeout} s; sent: {self.api.sent!r}"
                )
            # The sender task is the other thing worth waking for: its end ends the wait.
            assert self.sender_task is not None
            await asyncio.wait({self.sender_task}, timeout=min(0.01, remaining))

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        """Like FakeBotApi.wait_for, but a dead sender fails the wait at once."""

        async def check() -> bool:
            return predicate()

        await self.until(check, timeout=timeout)

    async def wait_for_messages(
        self, chat_id: int, count: int, timeout: float = 10.0
    ) -> list[SentMessage]:
        """Every message sent to `chat_id`, once there are `count`; fails at once if the
        sender died."""

        async def enough() -> bool:
            return len(self.api.messages_to(chat_id)) >= count

        await self.until(enough, timeout=timeout, what=f"{count} messages to {chat_id}")
        return self.api.messages_to(chat_id)

    # --- what tests do ------------------------------------------------------------------

    async def say(
        self, text: str, *, user: int, replies: int = 1, language: str = "ru", **kw: Any
    ) -> list[SentMessage]:
        """Send a command as `user` (in a group: `chat_id=`) and return the bot's `replies`
        answers to it."""
        chat = kw.get("chat_id") or user
        before = len(self.api.messages_to(chat))
        self.api.send_command(text, user_id=user, language=language, **kw)
        messages = await self.wait_for_messages(chat, before + replies)
        return messages[before:]

    async def press(
        self, message: SentMessage | int, data: str | None, *, user: int, **kw: Any
    ) -> dict[str, Any]:
        """Press a button under `message` as `user`; returns the bot's answer to the press
        (answerCallbackQuery), which it must always give."""
        query = self.api.press(message, data, user_id=user, **kw)
        await self.wait_for(lambda: self.api.answer_to(query) is not None)
        answer = self.api.answer_to(query)
        assert answer is not None
        return answer

    async def poll(self) -> None:
        """Run the scheduled poll job once, now, as the JobQueue would, and wait until the
        checks it started (and the ones they started in turn) have finished."""
        assert self.app.job_queue is not None
        (job,) = self.app.job_queue.get_jobs_by_name("poll-feeds")
        await job.run(self.app)
        services = self.app.bot_data.services
        assert services is not None
        await services.feeds.wait_idle()
        self.check_sender()

    async def publish(self, path: str, items: list[FeedItem], title: str = "Лента") -> None:
        """The feed at `path` now carries `items`; its next check is due and is run now."""
        self.feeds.put(path, rss(title, items))
        self.clock.advance(601)
        await self.poll()

    async def outbox_is(self, expected: dict[str, int]) -> None:
        """Wait until the outbox's rows are, by status, as `expected`."""

        async def settled() -> bool:
            return await self.storage.outbox_counts() == expected

        await self.until(settled, what=f"outbox {expected}")

    async def send_digests(self) -> None:
        """Run the digest job once, now, as the JobQueue would."""
        assert self.app.job_queue is not None
        (job,) = self.app.job_queue.get_jobs_by_name("send-digests")
        await job.run(self.app)
        self.check_sender()

    def wake_sender(self) -> None:
        """The clock moved past rows' not_before: the sender looks now, not at its next
        real-time timeout."""
        services = self.app.bot_data.services
        assert services is not None
        services.sender.wake()


def _task_named(name: str) -> asyncio.Task[Any]:
    tasks = [task for task in asyncio.all_tasks() if task.get_name() == name]
    if len(tasks) != 1:
        raise AssertionError(f"post_init started {len(tasks)} tasks named {name!r}, not one")
    return tasks[0]


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
        # Reading in threads: each test's bot starts faster than with reader processes
        # (test_crash.py and the console test run `newsbot run` with them).
        polling=PollingConfig(allow_private_networks=True, check_timeout=5, reader_processes=0),
        # The pacer runs, with limits a test does not wait for (tests/delivery/test_pacing.py
        # holds it to Telegram's, scaled).
        delivery=DeliveryConfig(messages_per_second=1000, chat_interval=0.0, group_per_minute=60),
    )


@asynccontextmanager
async def running_bot_against(
    api: FakeBotApi,
    tmp_path: Path,
    *,
    delivery: DeliveryConfig | None = None,
    adjust: Callable[[Config], Config] | None = None,
) -> AsyncIterator[RunningBot]:
    """The real Application against `api` (started here) and a feed server, both local;
    `delivery` replaces the e2e configuration's [delivery], `adjust` changes the rest."""
    api.start()
    feeds = FeedServer().start()
    storage = await open_storage(tmp_path / "newsbot.db")
    clock = Clock()
    config = e2e_config(api, tmp_path)
    if delivery is not None:
        config = dataclasses.replace(config, delivery=delivery)
    if adjust is not None:
        config = adjust(config)
    # The poll job's own timer is set far out: tests run it explicitly with `poll()`.
    app = build_application(config, storage=storage, clock=clock, poll_tick=3600)
    bot = RunningBot(app, api, feeds, storage, clock)
    try:
        await bot.start()
        try:
            yield bot
        finally:
            await bot.stop()
    finally:
        await storage.close()
        feeds.stop()
        api.stop()
