"""The one wiring file: every handler, job and service of newsbot is attached here."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot.callbacks import Action
from bot.chat_admins import ChatAdmins
from bot.config import Config
from bot.context import BotData, NewsApplication, NewsContext, Services
from bot.delivery.alerts import AdminAlerts
from bot.delivery.outbox import Sender
from bot.delivery.pacing import Limits, Pacer
from bot.feeds.fetch import Fetcher, FetchPolicy
from bot.feeds.refresh import EntryReader, FeedService, PollSettings
from bot.feeds.sync import sync_config
from bot.jobs import housekeeping, poll_feeds, send_digests
from bot.journal import (
    JournalingBot,
    UpdateJournal,
    mark_handled,
    replay_unhandled,
    skip_handled,
)
from bot.menu import set_command_menus
from bot.reading import read_and_file, same_story, start_reader_process
from handlers import (
    admin,
    announce,
    cards,
    follows,
    membership,
    news,
    opml,
    search,
    settings,
    start,
    subscriptions,
    topics_admin,
)
from handlers.common import Handler, stale_button
from handlers.errors import on_error
from storage import Storage, open_storage

log = logging.getLogger(__name__)

SENDER_STOP_TIMEOUT = 15.0  # the send in flight: PTB's own timeouts end it well before
# What Telegram sends the bot: messages, presses of its buttons, and changes of its own
# membership of a chat. Edits
# are left out, so an edited /addfeed or /subscribe never runs twice.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]
POLL_TICK = 1.0  # how often the poll job asks storage which feeds are due (one indexed query)
TELEGRAM_API, TELEGRAM_FILES = "https://api.telegram.org/bot", "https://api.telegram.org/file/bot"
FIRST_GROUP, LAST_GROUP = -1, 1  # the journal's handlers, around the commands' group 0
DIGEST_TICK = 15.0  # how late a digest may be: it asks storage which digests are due
SEARCH_TICK = 2.0  # between two batches of the search index's backlog


def build_application(
    config: Config,
    *,
    storage: Storage | None = None,
    fetcher: Fetcher | None = None,
    clock: Callable[[], float] = time.time,
    reader: EntryReader = read_and_file,
    poll_tick: float = POLL_TICK,
) -> NewsApplication:
    """Build the bot. Storage and the fetcher are opened at start-up unless given."""
    if not config.token:
        raise ValueError("BOT_TOKEN is not set")
    base_url = config.api_base_url or TELEGRAM_API
    journal = UpdateJournal()
    bot = JournalingBot(
        config.token,
        base_url=base_url,
        # Files come from the same server's /file/bot (Telegram's own unless it is one).
        base_file_url=(
            base_url[: -len("bot")] + "file/bot" if base_url.endswith("/bot") else TELEGRAM_FILES
        ),
        defaults=Defaults(
            parse_mode=ParseMode.HTML,
            # One choice for every card, pushed or requested (the sender uses this Bot).
            link_preview_options=LinkPreviewOptions(is_disabled=not config.delivery.link_previews),
        ),
        rate_limiter=Pacer(limits(config)),  # every sending call: Telegram's limits, replies first
        # PTB's own defaults when it builds the Bot: many sends at once, one getUpdates.
        request=HTTPXRequest(connection_pool_size=256),
        get_updates_request=HTTPXRequest(connection_pool_size=1),
        journal=journal,
        clock=clock,
    )
    builder = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(ContextTypes(context=NewsContext, bot_data=BotData))
    )
    app: NewsApplication = builder.build()  # type: ignore[assignment]
    tasks: list[asyncio.Task[Any]] = []

    async def post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        db = storage or await open_storage(config.database)
        pool = reader_pool(config)
        sender = Sender(app.bot, db, timezone=config.timezone, clock=clock)
        feeds = FeedService(
            storage=db,
            fetcher=fetcher or Fetcher(fetch_policy(config)),
            read_entry=reader,
            clock=clock,
            settings=poll_settings(config),
            on_queued=sender.wake,
            alert=AdminAlerts(app.bot, config.admins, config.language),
            same_story=same_story,
            reader_pool=pool,
        )
        app.bot_data.services = Services(config, db, feeds, sender, clock, ChatAdmins(clock))
        journal.storage = db
        await replay_unhandled(db, app.bot, app.update_queue)  # commands a crash interrupted
        await sync_config(config, db, clock())
        await set_command_menus(app.bot, config.admins, config.language)
        released = await db.release_claims()  # rows the last run had in hand: sent again
        if released:
            log.info(
                "outbox: %d rows were being sent when the bot stopped; sending them again", released
            )
        await feeds.start_due()  # feeds due at start-up are not kept waiting for the first tick
        tasks.append(asyncio.create_task(sender.run_forever(), name="newsbot-sender"))

    async def post_stop(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """The Bot still works here: the sender finishes the message in flight, then stops."""
        services = app.bot_data.services
        if services is not None:
            await services.sender.stop()
            done, _ = await asyncio.wait(tasks, timeout=SENDER_STOP_TIMEOUT)
            if len(done) < len(tasks):
                log.warning("the sender did not stop within %s s", SENDER_STOP_TIMEOUT)

    async def post_shutdown(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        services = app.bot_data.services
        if services is not None:
            await services.feeds.aclose()
            if services.feeds.reader_pool is not None:
                await asyncio.to_thread(services.feeds.reader_pool.shutdown, cancel_futures=True)
            if fetcher is None:
                await services.feeds.fetcher.aclose()
            if storage is None:
                await services.storage.close()
        app.bot_data.services = None

    app.post_init = post_init
    app.post_stop = post_stop
    app.post_shutdown = post_shutdown

    # Before any handler: an update handled before (Telegram delivered it again) stops here.
    app.add_handler(TypeHandler(Update, skip_handled), group=FIRST_GROUP)
    # Handlers, in the order /help lists them. Users first:
    app.add_handler(CommandHandler("start", start.start))
    app.add_handler(CommandHandler("help", start.help_command))
    app.add_handler(CommandHandler("topics", subscriptions.topics))
    app.add_handler(CommandHandler("subscribe", subscriptions.subscribe))
    app.add_handler(CommandHandler("unsubscribe", subscriptions.unsubscribe))
    app.add_handler(CommandHandler("share", start.share))  # a topic's deep link
    app.add_handler(CommandHandler("mysubs", subscriptions.mysubs))
    # Follows: words, phrases and users' own feeds; /follow of a feed fetches it (block=False).
    app.add_handler(CommandHandler("follow", follows.follow, block=False))
    app.add_handler(CommandHandler("unfollow", follows.unfollow))
    app.add_handler(CommandHandler("following", follows.following))
    app.add_handler(CommandHandler("digest", settings.digest))
    app.add_handler(CommandHandler("quiet", settings.quiet))
    app.add_handler(CommandHandler(["timezone", "tz"], settings.timezone))
    app.add_handler(CommandHandler("settings", settings.show))
    app.add_handler(CommandHandler("lang", settings.language))
    app.add_handler(CommandHandler("latest", news.latest))
    app.add_handler(CommandHandler("summit", news.summit))
    app.add_handler(CommandHandler("documents", news.documents))
    # /search: stored items by their words in any form (the index: bot/search.py).
    app.add_handler(CommandHandler("search", search.search))
    # ... then admins (each handler checks the admin list itself and refuses politely):
    # /addfeed and /refresh fetch a feed: they run beside other updates (block=False), so a
    # slow feed never makes other users wait.
    app.add_handler(CommandHandler("addfeed", admin.addfeed, block=False))
    app.add_handler(CommandHandler("removefeed", admin.removefeed))
    app.add_handler(CommandHandler("feeds", admin.feeds))
    app.add_handler(CommandHandler("feed", admin.feed))
    app.add_handler(CommandHandler("refresh", admin.refresh, block=False))
    app.add_handler(CommandHandler("delivery", admin.delivery))
    # Topics, statistics and announcements from Telegram (removals and announcements ask first):
    app.add_handler(CommandHandler("addtopic", topics_admin.addtopic))
    app.add_handler(CommandHandler("edittopic", topics_admin.edittopic))
    app.add_handler(CommandHandler("removetopic", topics_admin.removetopic))
    app.add_handler(CommandHandler("stats", admin.stats))
    app.add_handler(CommandHandler("announce", announce.announce))
    # OPML: /export sends every feed as a file; an .opml file sent in a private chat is
    # imported (its feeds are checked by the poll job, not during the import).
    app.add_handler(CommandHandler("export", opml.export))
    app.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & filters.Document.ALL, opml.import_document, block=False
        )
    )
    # Anything else in a private chat (an unknown command, plain text): a pointer to /help.
    app.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & (filters.COMMAND | filters.TEXT), start.hint)
    )
    # Buttons: each kind of press to its handler; a press nobody handles is out of date.
    presses: list[tuple[Handler, Action]] = [
        (settings.language_pressed, settings.SET_LANGUAGE),
        # Lists of items (/latest, /search): ◀ ▶ page in place, a number shows that item's card.
        (news.latest_pressed, news.LATEST_PAGE),
        (search.search_pressed, search.SEARCH_PAGE),
        (news.card_pressed, news.SHOW_CARD),
        (follows.unfollow_pressed, follows.UNFOLLOW),
        # The topic keyboard (a toggle per topic, its pages) and the buttons under cards:
        (subscriptions.topic_pressed, subscriptions.TOGGLE_TOPIC),
        (subscriptions.topics_page_pressed, subscriptions.TOPICS_PAGE),
        (cards.documents_pressed, cards.CARD_DOCUMENTS),
        (cards.unsubscribe_pressed, cards.CARD_UNSUBSCRIBE),
        (cards.resubscribe_pressed, cards.CARD_RESUBSCRIBE),
        # Admins' confirmations: removing a topic, sending an announcement.
        (topics_admin.remove_pressed, topics_admin.REMOVE_TOPIC),
        (topics_admin.keep_pressed, topics_admin.KEEP_TOPIC),
        (announce.send_pressed, announce.SEND_ANNOUNCEMENT),
        (announce.drop_pressed, announce.DROP_ANNOUNCEMENT),
    ]
    for pressed, action in presses:
        app.add_handler(CallbackQueryHandler(pressed, action.pattern))
    # /settings: its pages and choices (several actions, one handler)
    app.add_handler(CallbackQueryHandler(settings.settings_pressed, settings.SETTINGS_BUTTONS))
    app.add_handler(CallbackQueryHandler(stale_button))
    # The bot blocked, removed, or let back in: the chat is paused or resumed at once.
    app.add_handler(ChatMemberHandler(membership.my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
    # After every handler: the update is marked handled in the journal.
    app.add_handler(TypeHandler(Update, mark_handled), group=LAST_GROUP)
    # One error handler for everything a handler did not expect.
    app.add_error_handler(on_error)

    # Jobs: the poll job runs often and asks storage which feeds are due (schedule by data);
    # it starts their checks and returns, and each finished check starts the next due feed.
    assert app.job_queue is not None
    app.job_queue.run_repeating(poll_feeds, interval=poll_tick, first=poll_tick, name="poll-feeds")
    # Digests: like the poll job, a frequent tick asks storage which chats' digests are due.
    app.job_queue.run_repeating(
        send_digests, interval=DIGEST_TICK, first=DIGEST_TICK, name="send-digests"
    )
    app.job_queue.run_repeating(housekeeping, interval=24 * 3600, first=3600, name="housekeeping")
    # The search index: items stored without their keys (those stored before it existed)
    # are indexed a batch at a time, newest first, until none is left.
    app.job_queue.run_repeating(
        search.index_backlog, interval=SEARCH_TICK, first=SEARCH_TICK, name="search-backlog"
    )
    return app


def reader_pool(config: Config) -> ProcessPoolExecutor | None:
    """Processes that read articles, one per core unless configured; None for threads."""
    workers = config.polling.reader_processes
    if workers is None:
        workers = os.cpu_count() or 1
    if workers == 0:
        return None
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),  # no fork of a threaded process
        initializer=start_reader_process,
        initargs=(os.getpid(),),
    )


def limits(config: Config) -> Limits:
    delivery = config.delivery
    return Limits(
        per_second=float(delivery.messages_per_second),
        chat_interval=float(delivery.chat_interval),
        group_count=delivery.group_per_minute,
        group_window=60.0,
    )


def fetch_policy(config: Config) -> FetchPolicy:
    polling = config.polling
    return FetchPolicy(
        allow_private_networks=polling.allow_private_networks,
        allowed_hosts=frozenset(polling.allowed_hosts),
        max_bytes=polling.max_bytes,
        total_timeout=float(polling.check_timeout),
        max_connections=polling.concurrency,
        max_per_host=polling.per_host,
    )


def poll_settings(config: Config) -> PollSettings:
    polling = config.polling
    return PollSettings(
        interval=config.poll_interval,
        max_interval=polling.max_interval,
        max_backoff=polling.max_backoff,
        alert_after=polling.alert_after,
        push_limit=polling.push_limit,
        concurrency=polling.concurrency,
        check_deadline=float(polling.check_timeout),
    )


def run(config: Config) -> None:
    """Run the bot with long polling until interrupted."""
    app = build_application(config)
    app.run_polling(allowed_updates=ALLOWED_UPDATES)
