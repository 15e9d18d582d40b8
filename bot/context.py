"""The typed callback context: handlers reach services as `context.storage`, never bot_data keys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot.chat_admins import ChatAdmins
from bot.config import Config
from bot.delivery.outbox import Sender
from bot.feeds.refresh import FeedService
from storage import Storage


@dataclass
class Services:
    config: Config
    storage: Storage
    feeds: FeedService
    sender: Sender
    clock: Callable[[], float]
    chat_admins: ChatAdmins


class BotData:
    """The application-wide object PTB keeps as bot_data; filled in at start-up."""

    services: Services | None = None


class NewsContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    @property
    def services(self) -> Services:
        services = self.bot_data.services
        if services is None:
            raise RuntimeError("services are not started yet (post_init has not run)")
        return services

    @property
    def config(self) -> Config:
        return self.services.config

    @property
    def storage(self) -> Storage:
        return self.services.storage

    @property
    def feeds(self) -> FeedService:
        return self.services.feeds

    @property
    def sender(self) -> Sender:
        return self.services.sender

    @property
    def chat_admins(self) -> ChatAdmins:
        return self.services.chat_admins

    def now(self) -> float:
        return self.services.clock()


NewsApplication = Application[
    ExtBot[None], NewsContext, dict[Any, Any], dict[Any, Any], BotData, JobQueue[NewsContext]
]
