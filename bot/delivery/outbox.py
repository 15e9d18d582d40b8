"""The sender: one long-running task that drains the outbox in order.

A row is marked sent only after Telegram accepted every message of it; on restart the task
resumes with whatever is still pending.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.delivery.render import item_card, more_items_message, render_html
from storage import OutboxEntry, Storage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
IDLE_WAIT = 30.0


class Sender:
    def __init__(
        self,
        bot: Bot,
        storage: Storage,
        *,
        timezone: str,
        clock: Callable[[], float],
        pause: float = 1 / 25,
    ) -> None:
        self._bot = bot
        self._storage = storage
        self._timezone = timezone
        self._clock = clock
        self._pause = pause  # basic pacing: stay under Telegram's ~30 messages/s overall
        self._wake = asyncio.Event()
        # Chats that answered 403 during the current batch: their rows are failed already.
        self._blocked: set[int] = set()

    def wake(self) -> None:
        """Something was queued: look at the outbox now rather than at the next timeout."""
        self._wake.set()

    async def run_forever(self) -> None:
        while True:
            try:
                await self.drain()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("sender: draining the outbox failed; retrying shortly")
            await self._wait_for_work()

    async def _wait_for_work(self) -> None:
        due = await self._storage.next_outbox_time()
        timeout = IDLE_WAIT if due is None else min(IDLE_WAIT, max(0.0, due - self._clock()))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout)
        self._wake.clear()

    async def drain(self) -> int:
        """Send everything due now; return how many rows were delivered."""
        delivered = 0
        while batch := await self._storage.pending_outbox(self._clock()):
            self._blocked.clear()  # the next batch holds no rows of chats deactivated before it
            for entry in batch:
                if entry.chat_id in self._blocked:
                    continue  # blocked the bot a moment ago: do not send there again
                try:
                    delivered += await self.deliver(entry)
                except Exception as exc:  # a bug in one row must not block the queue behind it
                    log.exception("sender: delivering outbox row %s failed", entry.id)
                    await self._storage.mark_failed(entry.id, error=f"internal: {exc!r}")
                await asyncio.sleep(self._pause)
        return delivered

    async def deliver(self, entry: OutboxEntry) -> bool:
        if entry.more:
            messages = [more_items_message(entry.item, entry.more, entry.chat_language)]
        else:
            messages = render_html(item_card(entry.item), entry.chat_language, self._timezone)
        first_id: int | None = None
        try:
            for text in messages:
                sent = await self._bot.send_message(
                    entry.chat_id,
                    text,
                    parse_mode=ParseMode.HTML,
                    message_thread_id=entry.thread_id or None,
                )
                first_id = first_id or sent.message_id
        except RetryAfter as exc:
            wait = exc.retry_after
            seconds = wait if isinstance(wait, int | float) else wait.total_seconds()
            await self._storage.postpone_delivery(
                entry.id, not_before=self._clock() + seconds, error=f"retry after {seconds} s"
            )
            return False
        except Forbidden as exc:
            log.info("chat %s blocked the bot or removed it: %s", entry.chat_id, exc)
            await self._storage.deactivate_chat(entry.chat_id)
            self._blocked.add(entry.chat_id)
            return False
        except BadRequest as exc:
            log.warning("chat %s refused item %s: %s", entry.chat_id, entry.item.id, exc)
            await self._storage.mark_failed(entry.id, error=f"bad request: {exc}")
            return False
        except (NetworkError, TelegramError) as exc:
            if entry.attempts + 1 >= MAX_ATTEMPTS:
                await self._storage.mark_failed(entry.id, error=str(exc))
            else:
                delay = 5.0 * 2**entry.attempts
                await self._storage.postpone_delivery(
                    entry.id, not_before=self._clock() + delay, error=str(exc)
                )
            return False
        assert first_id is not None
        await self._storage.mark_sent(entry.id, message_id=first_id, now=self._clock())
        return True
