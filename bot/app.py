"""The one wiring file: every handler, job and service of newsbot is attached here."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

import httpx
from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, CommandHandler, ContextTypes, Defaults

from bot.config import Config
from bot.context import BotData, NewsApplication, NewsContext, Services
from bot.delivery.outbox import Sender
from bot.feeds.fetch import new_client
from bot.feeds.refresh import EntryReader, FeedService
from bot.jobs import poll_feeds
from bot.reading import read_and_file
from handlers import admin, news, start, subscriptions
from handlers.errors import on_error
from storage import Storage, open_storage

log = logging.getLogger(__name__)

POLL_TICK = 10.0  # how often the poll job asks storage which feeds are due


def build_application(
    config: Config,
    *,
    storage: Storage | None = None,
    http_client: httpx.AsyncClient | None = None,
    clock: Callable[[], float] = time.time,
    reader: EntryReader = read_and_file,
    poll_tick: float = POLL_TICK,
) -> NewsApplication:
    """Build the bot. Storage and the HTTP client are opened at start-up unless given."""
    if not config.token:
        raise ValueError("BOT_TOKEN is not set")
    builder = (
        ApplicationBuilder()
        .token(config.token)
        .context_types(ContextTypes(context=NewsContext, bot_data=BotData))
        .defaults(Defaults(parse_mode=ParseMode.HTML))
    )
    if config.api_base_url:
        builder = builder.base_url(config.api_base_url)
    app: NewsApplication = builder.build()  # type: ignore[assignment]
    tasks: list[asyncio.Task[Any]] = []

    async def post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        db = storage or await open_storage(config.database)
        client = http_client or new_client()
        sender = Sender(app.bot, db, timezone=config.timezone, clock=clock)
        feeds = FeedService(
            storage=db,
            client=client,
            read_entry=reader,
            clock=clock,
            default_interval=config.poll_interval,
            on_queued=sender.wake,
        )
        app.bot_data.services = Services(config, db, feeds, sender, clock)
        await sync_config(config, db, clock())
        tasks.append(asyncio.create_task(sender.run_forever(), name="newsbot-sender"))

    async def post_shutdown(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        services = app.bot_data.services
        if services is not None:
            if http_client is None:
                await services.feeds.client.aclose()
            if storage is None:
                await services.storage.close()
        app.bot_data.services = None

    app.post_init = post_init
    app.post_shutdown = post_shutdown

    # Handlers, in the order /help lists them. Users first:
    app.add_handler(CommandHandler("start", start.start))
    app.add_handler(CommandHandler("help", start.help_command))
    app.add_handler(CommandHandler("topics", subscriptions.topics))
    app.add_handler(CommandHandler("subscribe", subscriptions.subscribe))
    app.add_handler(CommandHandler("unsubscribe", subscriptions.unsubscribe))
    app.add_handler(CommandHandler("mysubs", subscriptions.mysubs))
    app.add_handler(CommandHandler("latest", news.latest))
    app.add_handler(CommandHandler("summit", news.summit))
    app.add_handler(CommandHandler("documents", news.documents))
    # ... then admins (each handler checks the admin list itself and refuses politely):
    app.add_handler(CommandHandler("addfeed", admin.addfeed))
    app.add_handler(CommandHandler("removefeed", admin.removefeed))
    app.add_handler(CommandHandler("feeds", admin.feeds))
    # One error handler for everything a handler did not expect.
    app.add_error_handler(on_error)

    # Jobs: the poll job runs often and asks storage which feeds are due (schedule by data).
    assert app.job_queue is not None
    app.job_queue.run_repeating(poll_feeds, interval=poll_tick, first=poll_tick, name="poll-feeds")
    return app


async def sync_config(config: Config, storage: Storage, now: float) -> None:
    """Bring the configured topics up to date and follow configured feeds not yet followed."""
    topic_ids = {}
    for topic in config.topics:
        stored = await storage.sync_topic(topic.slug, topic.name_ru, topic.name_en, topic.keywords)
        topic_ids[topic.slug] = stored.id
    for feed in config.feeds:
        if await storage.feed_by_url(feed.url) is None:
            await storage.add_feed(
                feed.url,
                title=feed.url,
                interval_seconds=config.poll_interval,
                next_check_at=now,
                now=now,
                fulltext=feed.fulltext,
                topic_ids=[topic_ids[s] for s in feed.topics],
            )


def run(config: Config) -> None:
    """Run the bot with long polling until interrupted."""
    app = build_application(config)
    app.run_polling(allowed_updates=Update.ALL_TYPES)
