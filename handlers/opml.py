"""OPML in Telegram: an admin sends an .opml document to import feeds; /export sends one back."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.error import TelegramError

from bot.context import NewsContext
from bot.i18n import t
from bot.opml import MAX_OPML_BYTES, OpmlError, name_list, read_opml, too_large
from bot.opml_cli import export_feeds, import_feeds
from handlers.common import admin_only, e, lang_of, reply

EXPORT_FILE_NAME = "newsbot-feeds.opml"


async def import_document(update: Update, context: NewsContext) -> None:
    """A document from an admin: read it as OPML and follow its feeds (none are fetched now)."""
    message = update.effective_message
    document = message.document if message is not None else None
    if document is None:
        return
    lang = await lang_of(update, context)
    user = update.effective_user
    if not context.config.is_admin(user.id if user else None):
        await reply(update, t(lang, "opml_not_admin"))
        return
    name = e(document.file_name or "?")
    try:
        # Refuse by the size Telegram announces before downloading anything.
        if document.file_size is not None and document.file_size > MAX_OPML_BYTES:
            raise too_large(document.file_size)
        telegram_file = await document.get_file()
        data = bytes(await telegram_file.download_as_bytearray())
        parsed = await asyncio.to_thread(read_opml, data)  # up to 2 MiB: off the loop
    except OpmlError as exc:
        await reply(update, t(lang, "opml_failed", name=name, reason=e(exc)))
        return
    except TelegramError as exc:  # the download failed (too big for bots, network, ...)
        await reply(update, t(lang, "opml_failed", name=name, reason=e(exc.message)))
        return
    report = await import_feeds(
        context.storage,
        parsed,
        now=context.now(),
        interval_seconds=context.config.poll_interval,
        added_by=user.id if user else None,
    )
    await reply(
        update,
        t(
            lang,
            "opml_imported",
            name=name,
            added=report.added,
            existing=report.existing,
            skipped=report.skipped,
            unknown=e(name_list(report.unknown_categories)) or t(lang, "none"),
        ),
    )


@admin_only
async def export(update: Update, context: NewsContext) -> None:
    """/export: every followed feed as an .opml document, for another reader or a backup."""
    message = update.effective_message
    if message is None:
        return
    lang = await lang_of(update, context)
    data, count = await export_feeds(context.storage)
    if count == 0:
        await reply(update, t(lang, "export_empty"))
        return
    await message.reply_document(
        document=data,
        filename=EXPORT_FILE_NAME,
        caption=t(lang, "opml_exported", count=count),
        do_quote=False,
    )
