"""The one error handler: log with context, tell the user something went wrong."""

from __future__ import annotations

import logging

from telegram import Update

from bot.context import NewsContext
from bot.i18n import t
from handlers.common import reply, user_language

log = logging.getLogger(__name__)


async def on_error(update: object, context: NewsContext) -> None:
    if isinstance(update, Update):
        message = update.effective_message
        log.error(
            "handling update %s failed (chat %s, user %s, text %r)",
            update.update_id,
            update.effective_chat.id if update.effective_chat else None,
            update.effective_user.id if update.effective_user else None,
            message.text if message else None,
            exc_info=context.error,
        )
        try:
            await reply(update, t(user_language(update, context), "internal_error"))
        except Exception:
            log.exception("could not tell the user about the error")
    else:
        log.error("error outside an update: %r", update, exc_info=context.error)
