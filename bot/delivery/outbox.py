"""The sender: one long-running task that drains the outbox, each chat's rows in order and
different chats side by side (the pacer spaces their starts).

Rows are claimed ('sending') before their first message goes out and marked sent only after
Telegram accepted every part; a split card records each part, so a retry sends only the rest.
Storage failing under the sender stops sending (with backoff) rather than sending again: a
write that failed is kept and replayed, in order, before anything else is sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import replace
from functools import partial
from typing import Any

from telegram import Chat, InlineKeyboardMarkup, LinkPreviewOptions, Message
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    RetryAfter,
    TelegramError,
)
from telegram.ext import ExtBot

from bot.delivery.pacing import BROADCAST, retry_seconds
from bot.delivery.render import (
    MESSAGE_LIMIT,
    card_keyboard,
    format_date,
    item_card,
    more_items_message,
    plain_text,
    render_digest,
    render_html,
    split_plain,
)
from bot.delivery.schedule import chat_zone, quiet_until
from storage import OutboxEntry, Storage
from storage.store import QUIET_HOURS

log = logging.getLogger(__name__)

# Transient failures (5xx, network, timeouts) retry with doubling delays up to RETRY_CAP; with
# these values a row fails after about six hours of Telegram failing, not after seconds.
MAX_ATTEMPTS = 30
RETRY_BASE = 5.0
RETRY_CAP = 900.0
IDLE_WAIT = 30.0
BATCH = 100  # rows claimed at once
# Sends in flight at once (different chats): at 30 messages/s and ~0.3 s per request to
# Telegram, about ten are needed to keep the pace; more only wait in the pacer.
IN_FLIGHT = 16
STORAGE_BACKOFF_CAP = 60.0
SMALLEST_PIECE = 512  # refused as too long even at this size: the part fails as a bad request
# Telegram's answers that mean the chat cannot be written to at all (the chat is paused).
CHAT_GONE = (
    "chat not found",
    "have no rights to send",
    "not enough rights",
    "chat_write_forbidden",
)

StorageWrite = Callable[[], Awaitable[None]]


class StorageDown(Exception):
    """A storage write of the sender failed; it is kept and replayed before the next send."""


def idle_wait(due: float | None, now: float) -> float:
    """How long the sender sleeps unless woken: until the next row is due, at most IDLE_WAIT."""
    return IDLE_WAIT if due is None else min(IDLE_WAIT, max(0.0, due - now))


def storage_backoff(failures: int) -> float:
    """The pause after `failures` storage failures in a row: 1 s doubling, at most a minute."""
    return min(STORAGE_BACKOFF_CAP, 2.0 ** (failures - 1))


def retry_delay(attempts: int) -> float:
    """The wait before the next try of a row that failed `attempts` times already."""
    delay = RETRY_BASE
    for _ in range(attempts):
        delay = min(RETRY_CAP, delay * 2)
    return delay


class Sender:
    def __init__(
        self,
        bot: ExtBot[Any],
        storage: Storage,
        *,
        timezone: str,
        clock: Callable[[], float],
        in_flight: int = IN_FLIGHT,
    ) -> None:
        self._bot = bot
        self._storage = storage
        self._timezone = timezone
        self._clock = clock
        self._in_flight = asyncio.Semaphore(in_flight)
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        # The claimed batch still to deliver (its rows are 'sending' in storage).
        self._batch: deque[OutboxEntry] = deque()
        # Storage writes that failed, replayed in order before anything is sent again.
        self._unwritten: deque[StorageWrite] = deque()
        # Chats paused (403, gone) or moved (supergroup) during the batch: their rows are done.
        self._blocked: set[int] = set()

    def wake(self) -> None:
        """Something was queued: look at the outbox now rather than at the next timeout."""
        self._wake.set()

    async def stop(self) -> None:
        """Take no more rows: run_forever returns once the message in flight is done."""
        self._stopping.set()
        self._wake.set()

    async def run_forever(self) -> None:
        """Drain whenever there is work until stop(). Storage failing pauses sending with
        backoff; any other exception is a bug in the sender and ends the task, logged."""
        failures = 0
        while not self._stopping.is_set():
            try:
                await self.drain()
                if failures:
                    log.info("sender: storage works again after %d failed tries", failures)
                    failures = 0
                await self._wait_for_work()
            except (StorageDown, sqlite3.Error):
                failures += 1
                if failures == 1:  # one line per outage, not one per retry
                    log.exception("sender: storage failed; sending paused, retrying")
                await self._pause_unless_stopping(storage_backoff(failures))
            except Exception:
                log.exception("sender: stopped by an unexpected error")
                raise
        await self._hand_back_batch()

    async def _pause_unless_stopping(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    async def _wait_for_work(self) -> None:
        due = await self._storage.next_outbox_time()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), idle_wait(due, self._clock()))
        self._wake.clear()

    async def _hand_back_batch(self) -> None:
        """Stopping: claimed rows not sent yet are pending again (the next start would do it,
        so a failure here, storage being down, costs nothing but the log line)."""
        if self._batch:
            try:
                await self._storage.release_claims()
            except Exception:
                log.exception("sender: could not hand back %d claimed rows", len(self._batch))
        self._batch.clear()

    async def drain(self) -> int:
        """Send everything due now; return how many rows were delivered.

        Each chat's rows go in order; different chats' rows are in flight side by side (the
        pacer spaces their starts). Raises StorageDown when storage fails; what was not
        written and the rows not tried yet are kept for the next call.
        """
        while self._unwritten:
            try:
                await self._unwritten[0]()
            except Exception as exc:
                raise StorageDown(f"storage write failed again: {exc!r}") from exc
            self._unwritten.popleft()
        delivered = 0
        while not self._stopping.is_set():
            if not self._batch:
                self._blocked.clear()  # the next batch holds no rows of chats blocked before
                self._batch.extend(await self._storage.claim_deliveries(self._clock(), BATCH))
                if not self._batch:
                    break
            lanes: dict[int, list[OutboxEntry]] = {}
            for entry in self._batch:
                lanes.setdefault(entry.chat_id, []).append(entry)
            self._batch.clear()
            untried: list[OutboxEntry] = []
            counts = await asyncio.gather(*(self._lane(rows, untried) for rows in lanes.values()))
            delivered += sum(counts)
            self._batch.extend(sorted(untried, key=lambda entry: entry.id))
            if self._unwritten:
                raise StorageDown("storage failed during the batch")
        return delivered

    async def _lane(self, rows: list[OutboxEntry], untried: list[OutboxEntry]) -> int:
        """One chat's rows of the batch, in order; what was not tried goes to `untried`."""
        delivered = 0
        for index, entry in enumerate(rows):
            async with self._in_flight:  # looked at only once it may send: things change
                if self._unwritten or self._stopping.is_set():
                    untried.extend(rows[index:])
                    break
                if entry.chat_id in self._blocked:
                    return delivered  # the chat blocked the bot: the rest failed with it
                try:
                    delivered += await self.deliver(entry)
                except StorageDown:
                    untried.extend(rows[index + 1 :])
                    break
        return delivered

    async def deliver(self, entry: OutboxEntry) -> bool:
        """Send the parts of one claimed row not sent yet and record the outcome."""
        storage = self._storage
        tz = chat_zone(entry.chat_timezone, self._timezone)
        quiet_end = quiet_until(self._clock(), tz, entry.quiet)
        if quiet_end is not None:  # the chat's quiet hours: the row waits for their end
            await self._write(
                partial(
                    storage.postpone_delivery,
                    entry.id,
                    not_before=quiet_end,
                    error=QUIET_HOURS,
                    spend_attempt=False,
                )
            )
            return False
        try:
            messages = self._messages(entry, tz.key)
        except Exception as exc:  # a bug in one row must not block the queue behind it
            log.exception("sender: rendering outbox row %s failed", entry.id)
            await self._write(partial(storage.mark_failed, entry.id, error=f"internal: {exc!r}"))
            return False
        # The card's buttons go under its last part (looked up only if that is still to go).
        last = len(messages) - 1
        markup = await self._keyboard(entry) if entry.parts_sent <= last else None
        for index, text in enumerate(messages[entry.parts_sent :], entry.parts_sent):
            try:
                sent = await self._send_part(entry, text, markup if index == last else None)
            except TelegramError as exc:
                await self._write(self._outcome_of_failure(entry, exc))
                return False
            except Exception as exc:  # not Telegram's answer: a bug, kept to this one row
                log.exception("sender: sending outbox row %s failed", entry.id)
                await self._write(
                    partial(storage.mark_failed, entry.id, error=f"internal: {exc!r}")
                )
                return False
            record = partial(storage.record_part, entry.id, message_id=sent.message_id)
            await self._write(record, unfinished=entry.id)
        await self._write(partial(storage.mark_sent, entry.id, now=self._clock()))
        return True

    async def _send_part(
        self, entry: OutboxEntry, text: str, markup: InlineKeyboardMarkup | None = None
    ) -> Message:
        """One part of a card. Telegram refusing its HTML or its length gets the same words
        as plain text, in pieces if need be: the reader loses the bold, not the news. (Pieces
        of one part are recorded together: a failure among them resends the part whole.)"""
        try:
            return await self._send(entry, text, ParseMode.HTML, markup)
        except BadRequest as exc:
            reason = exc.message.lower()
            if "can't parse entities" not in reason and "too long" not in reason:
                raise
            log.warning(
                "chat %s refused a part of %s (%s): sent as plain text",
                entry.chat_id,
                entry.subject,
                exc,
            )
        return await self._send_plain(entry, plain_text(text), MESSAGE_LIMIT, markup)

    async def _send_plain(
        self,
        entry: OutboxEntry,
        text: str,
        limit: int,
        markup: InlineKeyboardMarkup | None = None,
    ) -> Message:
        """Plain text in pieces of `limit`; a piece still too long for Telegram is halved.
        The buttons, if any, go under the last piece."""
        sent: list[Message] = []
        pieces = split_plain(text, limit)
        for index, piece in enumerate(pieces, 1):
            buttons = markup if index == len(pieces) else None
            try:
                sent.append(await self._send(entry, piece, None, buttons))
            except BadRequest as exc:
                if "too long" not in exc.message.lower() or limit <= SMALLEST_PIECE:
                    raise
                sent.append(await self._send_plain(entry, piece, limit // 2, buttons))
        return sent[0]

    async def _send(
        self,
        entry: OutboxEntry,
        text: str,
        parse_mode: str | None,
        markup: InlineKeyboardMarkup | None = None,
    ) -> Message:
        return await self._bot.send_message(
            entry.chat_id,
            text,
            parse_mode=parse_mode,
            message_thread_id=entry.thread_id or None,
            reply_markup=markup,
            link_preview_options=self._link_previews(entry),
            rate_limit_args=BROADCAST if self._bot.rate_limiter else None,
        )

    # --- card buttons ----------------------------------------------------------------------

    async def _keyboard(self, entry: OutboxEntry) -> InlineKeyboardMarkup | None:
        """The buttons under an item's card (bot/delivery/render.py card_keyboard). None for
        digests, "and N more" rows and channels: anyone reading a channel could press them.
        Storage failing here is storage failing: the row is handed back and sending pauses."""
        if entry.digest or entry.more or entry.item is None:  # a notice has no buttons
            return None
        storage = self._storage
        try:
            chat_type, topic = await storage.card_context(
                entry.chat_id, entry.thread_id, entry.item.id
            )
        except sqlite3.Error as exc:
            self._unwritten.append(
                partial(
                    storage.postpone_delivery,
                    entry.id,
                    not_before=self._clock(),
                    error="storage failed",
                    spend_attempt=False,
                )
            )
            raise StorageDown(f"storage read failed: {exc!r}") from exc
        if chat_type == Chat.CHANNEL:
            return None
        documents = len(item_card(entry.item).documents)
        return card_keyboard(
            entry.item.id, documents, topic, entry.chat_language, thread=entry.thread_id
        )

    def _link_previews(self, entry: OutboxEntry) -> LinkPreviewOptions | None:
        """The chat's own choice of link previews; none made: the Bot's default (the
        configuration's)."""
        if entry.link_previews is None:
            defaults = self._bot.defaults
            return defaults.link_preview_options if defaults else None
        return LinkPreviewOptions(is_disabled=not entry.link_previews)

    def _messages(self, entry: OutboxEntry, timezone: str) -> list[str]:
        if entry.notice is not None:  # an announcement or a topic's news: made when queued
            return [entry.notice]
        assert entry.item is not None  # a row carries an item or a notice (a CHECK says so)
        if entry.digest:
            when = format_date(self._clock(), timezone)
            return render_digest(entry.digest, entry.chat_language, when)
        if entry.more:
            return [more_items_message(entry.item, entry.more, entry.chat_language)]
        card = replace(item_card(entry.item), followed=entry.followed)
        return render_html(card, entry.chat_language, timezone)

    def _outcome_of_failure(self, entry: OutboxEntry, exc: TelegramError) -> StorageWrite:
        """What a refused send means for the row (and its chat), as the write that records it."""
        storage, now = self._storage, self._clock()
        if isinstance(exc, RetryAfter):  # Telegram's own pacing: wait, never spend an attempt
            seconds = retry_seconds(exc.retry_after)
            error = f"retry after {seconds} s"
            return partial(
                storage.postpone_delivery,
                entry.id,
                not_before=now + seconds,
                error=error,
                spend_attempt=False,
            )
        if isinstance(exc, ChatMigrated):  # a group became a supergroup: follow it
            log.info("chat %s moved to %s", entry.chat_id, exc.new_chat_id)
            self._blocked.add(entry.chat_id)  # its other claimed rows moved too
            return partial(storage.migrate_chat, entry.chat_id, int(exc.new_chat_id))
        if isinstance(exc, Forbidden) or (
            isinstance(exc, BadRequest) and any(s in exc.message.lower() for s in CHAT_GONE)
        ):
            log.info("chat %s cannot be written to: %s", entry.chat_id, exc)
            self._blocked.add(entry.chat_id)
            return partial(storage.deactivate_chat, entry.chat_id)
        if isinstance(exc, BadRequest):
            log.warning("chat %s refused %s: %s", entry.chat_id, entry.subject, exc)
            return partial(storage.mark_failed, entry.id, error=f"bad request: {exc}")
        if entry.attempts + 1 < MAX_ATTEMPTS:  # 5xx, network, timeouts: Telegram will be back
            not_before = now + retry_delay(entry.attempts)
            return partial(
                storage.postpone_delivery, entry.id, not_before=not_before, error=str(exc)
            )
        return partial(storage.mark_failed, entry.id, error=str(exc))

    async def _write(self, write: StorageWrite, *, unfinished: int | None = None) -> None:
        """Run a storage write; when it fails, keep it for the next drain (and, for a row
        not finished, a hand-back of the row after it), and raise StorageDown."""
        try:
            await write()
        except Exception as exc:
            self._unwritten.append(write)
            if unfinished is not None:
                self._unwritten.append(
                    partial(
                        self._storage.postpone_delivery,
                        unfinished,
                        not_before=self._clock(),
                        error="storage failed",
                        spend_attempt=False,
                    )
                )
            raise StorageDown(f"storage write failed: {exc!r}") from exc
