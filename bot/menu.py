"""The command menu Telegram shows beside the message field: set at start-up, per language
(Russian, English, and the default for every other language), and a larger one in each
admin's private chat."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot.i18n import t

log = logging.getLogger(__name__)

USER_COMMANDS = (
    "start",
    "help",
    "topics",
    "subscribe",
    "unsubscribe",
    "share",
    "mysubs",
    "follow",
    "unfollow",
    "following",
    "latest",
    "summit",
    "documents",
    "search",
    "digest",
    "quiet",
    "timezone",
    "settings",
    "lang",
)
ADMIN_COMMANDS = (
    *USER_COMMANDS,
    "addfeed",
    "removefeed",
    "feeds",
    "feed",
    "refresh",
    "delivery",
    "export",
    "addtopic",
    "edittopic",
    "removetopic",
    "stats",
    "announce",
)


def commands(names: Iterable[str], lang: str) -> list[BotCommand]:
    return [BotCommand(name, t(lang, f"cmd_{name}")) for name in names]


async def set_command_menus(bot: Bot, admins: Iterable[int], default_language: str) -> None:
    """Every user's menu in their language; the admins' own, with the admin commands. An
    admin who never wrote to the bot has no private chat Telegram could put it in: skipped."""
    await bot.set_my_commands(commands(USER_COMMANDS, default_language))
    for lang in ("ru", "en"):
        await bot.set_my_commands(commands(USER_COMMANDS, lang), language_code=lang)
    for admin in sorted(admins):
        try:
            await bot.set_my_commands(
                commands(ADMIN_COMMANDS, default_language), scope=BotCommandScopeChat(admin)
            )
        except TelegramError as exc:
            log.warning("no admin menu for %s: %s", admin, exc)
