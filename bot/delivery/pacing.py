"""One pacer for every Bot API call that sends: Telegram's three limits at once.

Telegram allows about 30 messages per second overall, about one per second to one chat and
20 per minute to one group or channel; past them it answers 429 with `retry_after`. The pacer
is PTB's rate limiter (`ApplicationBuilder.rate_limiter`), so cards, command replies and
alerts all pass through it:

- each chat has a window (private chats: one start per `chat_interval`; groups and channels,
  whose ids are negative: `group_count` starts in any `group_window`); a request waits for its
  chat's window without holding up other chats;
- then it takes a global slot: starts are spaced 1/`per_second` apart (by start time, so the
  rate does not fall with latency, and several sends may be in flight); interactive requests
  (everything not marked BROADCAST) take the next slot before any broadcast request;
- a 429 holds that chat (or, when several chats get one within a second, every chat: the
  global limit) for `retry_after`, and the request is tried again, never dropped.

Windows keep a margin (`slack`) over the exact limits: Telegram counts arrivals, and
arrivals jitter by a few milliseconds around the starts.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

BROADCAST = "broadcast"  # rate_limit_args of the sender's calls: they yield to replies
# Bot API methods that post something to a chat (and count against its limits).
SENDING_PREFIXES = ("send", "copyMessage", "forwardMessage")
GLOBAL_429_CHATS = 3  # 429s for this many chats within a second mean the global limit
KEPT_WINDOWS = 10_000  # chat windows kept before idle ones are forgotten


@dataclass(frozen=True)
class Limits:
    """Telegram's limits (bot.app.limits builds them from [delivery]; 30, 1 s, 20 per 60 s)."""

    per_second: float
    chat_interval: float
    group_count: int
    group_window: float
    slack: float = 0.01  # seconds added to every window


class _ChatWindow:
    """When the next message to one chat may start."""

    def __init__(self, count: int, seconds: float) -> None:
        self._starts: deque[float] = deque(maxlen=count)
        self._seconds = seconds
        self.hold_until = -math.inf  # a 429's retry_after

    def ready_at(self) -> float:
        full = len(self._starts) == self._starts.maxlen
        window_end = self._starts[0] + self._seconds if full else -math.inf
        return max(window_end, self.hold_until)

    def record(self, now: float) -> None:
        self._starts.append(now)

    def idle(self, now: float) -> bool:
        """Nothing recent: forgetting the window changes no future decision."""
        recent = bool(self._starts) and self._starts[-1] + self._seconds > now
        return not recent and self.hold_until <= now


class Pacer(BaseRateLimiter[str]):
    def __init__(
        self,
        limits: Limits,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        kept_windows: int = KEPT_WINDOWS,
    ) -> None:
        self.limits = limits
        self._clock = clock
        self._sleep = sleep
        self._chats: dict[object, _ChatWindow] = {}
        self._queue: list[tuple[bool, int, asyncio.Future[None]]] = []  # (priority, order, go)
        self._order = itertools.count()
        self._next_start = 0.0
        self._dispatcher: asyncio.Task[None] | None = None
        self._recent_429: deque[tuple[float, object]] = deque(maxlen=GLOBAL_429_CHATS)
        self.retries = 0  # requests tried again after a 429 (for tests and benchmarks)
        self._kept_windows = kept_windows
        self._forget_at = kept_windows

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        """Requests still waiting for a slot are cancelled, not left hanging."""
        if self._dispatcher is not None:
            self._dispatcher.cancel()
        for _, _, go in self._queue:
            go.cancel()
        self._queue.clear()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: str | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if not endpoint.startswith(SENDING_PREFIXES):
            return await callback(*args, **kwargs)
        chat = data.get("chat_id")
        priority = rate_limit_args == BROADCAST  # False sorts first: replies go ahead
        while True:
            await self.slot(chat, priority)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                self.retries += 1
                self.hold(chat, retry_seconds(exc.retry_after))

    async def slot(self, chat: object, priority: bool = False) -> None:
        """Wait until a message to `chat` may start now (and count it as started)."""
        window = self._window(chat)
        while True:
            while (ready := window.ready_at()) > (now := self._clock()):
                await self._sleep(ready - now)
            await self._global_slot(priority)
            if window.ready_at() <= (now := self._clock()):
                window.record(now)
                return
            # Another message to this chat started meanwhile: wait for the chat again.

    async def _global_slot(self, priority: bool) -> None:
        go: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._queue, (priority, next(self._order), go))
        if self._dispatcher is None or self._dispatcher.done():
            self._dispatcher = asyncio.create_task(self._dispatch(), name="newsbot-pacer")
        await go

    @property
    def tracked_chats(self) -> int:
        """Chats whose recent messages the pacer remembers."""
        return len(self._chats)

    def hold(self, chat: object, seconds: float) -> None:
        """Telegram said 429 for `chat`: nothing more to it for `seconds`; several chats
        held within a second mean the global limit: everything waits."""
        now = self._clock()
        until = now + seconds + self.limits.slack
        window = self._window(chat)
        window.hold_until = max(window.hold_until, until)
        self._recent_429.append((now, chat))
        chats = {c for t, c in self._recent_429 if now - t <= 1.0}
        if len(chats) >= GLOBAL_429_CHATS:
            log.warning(
                "429 for %d chats within a second: all sending waits %s s", len(chats), seconds
            )
            self._next_start = max(self._next_start, until)
        else:
            log.info("429 for chat %s: it waits %s s", chat, seconds)

    def _window(self, chat: object) -> _ChatWindow:
        window = self._chats.get(chat)
        if window is None:
            if len(self._chats) >= self._forget_at:  # one window per chat ever written to
                now = self._clock()
                self._chats = {c: w for c, w in self._chats.items() if not w.idle(now)}
                self._forget_at = max(self._kept_windows, 2 * len(self._chats))
            limits = self.limits
            if is_group_chat(chat):
                window = _ChatWindow(limits.group_count, limits.group_window + limits.slack)
            else:
                window = _ChatWindow(1, limits.chat_interval + limits.slack)
            self._chats[chat] = window
        return window

    async def _dispatch(self) -> None:
        """Release waiting requests one global slot at a time, interactive ones first."""
        spacing = (1.0 + self.limits.slack) / self.limits.per_second
        while self._queue:
            while (now := self._clock()) < self._next_start:
                await self._sleep(self._next_start - now)
            _, _, go = heapq.heappop(self._queue)
            if go.done():  # its request was cancelled while waiting
                continue
            go.set_result(None)
            self._next_start = max(now, self._next_start) + spacing


def is_group_chat(chat: object) -> bool:
    """Groups, supergroups and channels have negative ids; @channel usernames are channels."""
    if isinstance(chat, str):
        return chat.startswith("@") or chat.startswith("-")
    return isinstance(chat, int) and chat < 0


def retry_seconds(retry_after: float | timedelta) -> float:
    """RetryAfter.retry_after in seconds (PTB gives an int, or a timedelta if so configured)."""
    if isinstance(retry_after, timedelta):
        return retry_after.total_seconds()
    return float(retry_after)
