"""Telling the admins about a feed that keeps failing, came back, or is gone."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.delivery.render import escape_html
from bot.i18n import t
from storage import Feed

log = logging.getLogger(__name__)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)  # an alert's link is the feed's, not news


class AdminAlerts:
    """Sends one message per admin; a failure to reach one admin does not stop the others."""

    def __init__(self, bot: Bot, admins: Iterable[int], language: str) -> None:
        self._bot = bot
        self._admins = sorted(admins)
        self._language = language

    async def __call__(self, kind: str, feed: Feed, reason: str) -> None:
        text = t(
            self._language,
            f"alert_{kind}",
            id=feed.id,
            title=escape_html(feed.title or feed.url),
            url=escape_html(feed.url),
            reason=escape_html(reason),
        )
        for admin in self._admins:
            try:
                await self._bot.send_message(
                    admin, text, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW
                )
            except TelegramError as exc:
                log.warning("alert to admin %s about feed %s failed: %s", admin, feed.id, exc)
