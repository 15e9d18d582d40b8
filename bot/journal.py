"""Commands survive a crash: every update is written down before it is acknowledged.

PTB acknowledges the updates of one getUpdates call with the offset of the next, made as
soon as they are queued, before any handler ran; a kill -9 then loses every queued command.
`JournalingBot` writes the updates to storage inside getUpdates, before PTB sees them; a
handler in the first group skips an update already handled (Telegram may hand it over again
after a restart) and one in the last group marks it handled. At start-up the updates taken
and never handled are queued again. At least once: a command that was being handled when
the process died runs again.

Handlers that run beside others (block=False: /addfeed, /refresh, OPML imports) are marked
handled when they start, not when they finish; those are the commands a crash may still cut.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from telegram import Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import ApplicationHandlerStop, ExtBot

from bot.context import NewsContext
from storage import Storage

log = logging.getLogger(__name__)


class UpdateJournal:
    """Where JournalingBot writes; the storage is attached once it is open."""

    def __init__(self) -> None:
        self.storage: Storage | None = None

    async def write(self, updates: Sequence[Update], now: float) -> None:
        if self.storage is not None:
            await self.storage.journal_updates(
                [(u.update_id, u.to_json()) for u in updates], now=now
            )


class JournalingBot(ExtBot[None]):
    """An ExtBot whose getUpdates writes what it got to the journal before returning it
    (and whose late answers to button presses are no error)."""

    def __init__(
        self, *args: Any, journal: UpdateJournal, clock: Callable[[], float], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        with self._unfrozen():
            self._journal = journal
            self._journal_clock = clock

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        updates = await super().get_updates(*args, **kwargs)
        try:
            await self._journal.write(updates, self._journal_clock())
        except (sqlite3.Error, ValueError) as exc:  # storage failing, or closed
            # As a failed getUpdates: PTB retries with backoff (and the same offset, so
            # Telegram keeps them), or, stopping, gives up on acknowledging them.
            raise TelegramError(f"updates not taken, storage failed: {exc!r}") from exc
        return updates

    async def answer_callback_query(self, *args: Any, **kwargs: Any) -> bool:
        """A press taken before a crash and handled after the restart can no longer be
        answered (Telegram allows some seconds): the press is still acted on."""
        try:
            return await super().answer_callback_query(*args, **kwargs)
        except BadRequest as exc:
            if "query is too old" not in exc.message.lower():
                raise
            log.info("a button press was answered too late: %s", exc.message)
            return False


async def skip_handled(update: object, context: NewsContext) -> None:
    """First of all handlers: an update handled before (delivered again) goes no further."""
    if isinstance(update, Update) and await context.storage.update_handled(update.update_id):
        raise ApplicationHandlerStop


async def mark_handled(update: object, context: NewsContext) -> None:
    """Last of all handlers: the update is done with."""
    if isinstance(update, Update):
        await context.storage.mark_update_handled(update.update_id)


async def replay_unhandled(storage: Storage, bot: ExtBot[None], queue: Any) -> int:
    """Queue the updates the last run took and never handled; how many."""
    pending = await storage.unhandled_updates()
    for _update_id, body in pending:
        update = Update.de_json(json.loads(body), bot)
        if update is not None:
            await queue.put(update)
    if pending:
        log.info("handling %d updates taken before the last stop", len(pending))
    return len(pending)
