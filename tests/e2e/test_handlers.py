"""The handlers end to end: each test names one behaviour and fails when it breaks.

Every test here was checked against the mutation it names (issue 7): applied alone to the code,
the test fails; without it, the test passes.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from telegram import Update
from telegram.ext import CommandHandler

from bot.app import build_application
from bot.config import FeedConfig
from bot.context import NewsContext
from bot.i18n import t
from bot.opml import build_opml
from handlers import start
from handlers.common import topic_list
from storage import open_storage
from tests.e2e.conftest import ADMIN, USER
from tests.support.fake_bot_api import FakeBotApi, SentMessage
from tests.support.fake_bot_files import FakeBotFiles
from tests.support.feed_server import FeedServer
from tests.support.feeds import FeedItem, rss
from tests.support.harness import Clock, RunningBot, e2e_config, eventually, running_bot_against

# The topics of tests.support.harness.e2e_config, as each language names them.
NAMES = {
    "ru": {"central-asia": "Центральная Азия", "sport": "Спорт"},
    "en": {"central-asia": "Central Asia", "sport": "Sport"},
}
LANGS = ["ru", "en"]
# Non-admins, one per language (Telegram tells each message's language; the chat stays theirs).
READERS = {"ru": USER, "en": 202}
OTHER_USER = 201  # a second non-admin, for tests that need a chat of their own

OLD_ITEMS = [
    FeedItem("old-1", "Казахстан: старая новость", "Казахстан и соседи обсудили транзит."),
    FeedItem("old-2", "Казахстан: вторая старая новость", "Снова о Казахстане."),
]


def new_item(n: int) -> FeedItem:
    return FeedItem(
        f"new-{n}", f"Казахстан: новость номер {n}", f"Текст {n}.", published=1_700_100_000.0 + n
    )


def topic_line(lang: str, slug: str) -> str:
    return t(lang, "topic_line", slug=slug, name=NAMES[lang][slug])


async def ask(
    bot: RunningBot,
    text: str,
    *,
    user: int,
    chat: int | None = None,
    replies: int = 1,
    language: str = "ru",
    chat_type: str = "private",
    thread_id: int | None = None,
    is_topic_message: bool = True,
) -> list[SentMessage]:
    """Send `text` as `user` in `chat` (their private chat by default); the bot's answers there."""
    where = chat if chat is not None else user
    before = len(bot.api.messages_to(where))
    bot.api.send_command(
        text,
        user_id=user,
        chat_id=chat,
        language=language,
        chat_type=chat_type,
        thread_id=thread_id,
        is_topic_message=is_topic_message,
    )
    return (await bot.wait_for_messages(where, before + replies))[before:]


async def add_feed(bot: RunningBot, path: str, *topics: str) -> None:
    """An admin follows the feed at `path` of the feed server, through /addfeed."""
    url = bot.feeds.url(path)
    _, added = await ask(bot, f"/addfeed {url} {' '.join(topics)}", user=ADMIN, replies=2)
    assert "Лента добавлена" in added.text, added.text


# --- 1. admin commands refused to everyone else -----------------------------------------


@pytest.fixture
async def files_bot(tmp_path: Path) -> AsyncIterator[RunningBot]:
    """The real Application against a fake Bot API that also takes and sends documents."""
    async with running_bot_against(FakeBotFiles(), tmp_path) as bot:
        yield bot


def answers(api: FakeBotFiles, chat: int) -> int:
    """Everything the bot sent to `chat`: messages and documents."""
    return len(api.messages_to(chat)) + len(api.documents_to(chat))


@dataclass(frozen=True)
class AdminAction:
    """One thing only admins may do, and the refusal anyone else gets."""

    name: str
    send: Callable[[RunningBot, str], object]  # (bot, language) -> queue the user's message
    refusal: str  # catalogue key


def _command(text: Callable[[RunningBot], str]) -> Callable[[RunningBot, str], object]:
    return lambda bot, lang: bot.api.send_command(text(bot), user_id=USER, language=lang)


def _opml_document(bot: RunningBot, lang: str) -> object:
    assert isinstance(bot.api, FakeBotFiles)
    data = build_opml([(bot.feeds.url("/new.xml"), "New", ["central-asia"])])
    return bot.api.send_document(data, user_id=USER, file_name="feeds.opml", language=lang)


ADMIN_ACTIONS = [
    AdminAction(
        "addfeed",
        _command(lambda bot: f"/addfeed {bot.feeds.url('/new.xml')} central-asia"),
        "admin_only",
    ),
    AdminAction("removefeed", _command(lambda bot: "/removefeed 1"), "admin_only"),
    AdminAction("feeds", _command(lambda bot: "/feeds"), "admin_only"),
    AdminAction("feed", _command(lambda bot: "/feed 1"), "admin_only"),
    AdminAction("refresh", _command(lambda bot: "/refresh 1"), "admin_only"),
    AdminAction("export", _command(lambda bot: "/export"), "admin_only"),
    AdminAction("delivery", _command(lambda bot: "/delivery"), "admin_only"),
    AdminAction("opml-document", _opml_document, "opml_not_admin"),
]


@pytest.mark.parametrize("action", ADMIN_ACTIONS, ids=lambda a: a.name)
async def test_admin_actions_by_a_non_admin_are_refused_and_change_nothing(
    files_bot: RunningBot, action: AdminAction
) -> None:
    bot = files_bot
    api = bot.api
    assert isinstance(api, FakeBotFiles)
    # Something for each command to act on: a followed feed (not due: only a command that
    # went through would fetch it) and a new feed that /addfeed could follow.
    bot.feeds.put("/old.xml", rss("Old", OLD_ITEMS))
    bot.feeds.put("/new.xml", rss("New", OLD_ITEMS))
    (topic,) = [tp for tp in await bot.storage.topics() if tp.slug == "central-asia"]
    followed = await bot.storage.add_feed(
        bot.feeds.url("/old.xml"),
        title="Old",
        interval_seconds=600,
        next_check_at=bot.clock.now + 86_400,
        now=bot.clock.now,
        topic_ids=[topic.id],
    )
    assert followed.id == 1  # the id the commands name
    before = await bot.storage.feeds()

    for lang in LANGS:
        answered = answers(api, USER)
        action.send(bot, lang)
        await api.wait_for(lambda n=answered: answers(api, USER) > n)  # type: ignore[misc]
        assert api.documents_to(USER) == []  # /export sends no file
        answer = api.messages_to(USER)[-1]
        assert answer.text == t(lang, action.refusal)

    assert await bot.storage.feeds() == before  # nothing added, removed or rescheduled
    assert bot.feeds.log == []  # no feed fetched
    assert api.downloads == [] and "getFile" not in api.calls  # no document read
    assert await bot.storage.outbox_counts() == {}


# --- 2. /help -----------------------------------------------------------------------------


async def test_help_shows_the_admin_section_to_admins_only(running_bot: RunningBot) -> None:
    bot = running_bot
    for lang, user in READERS.items():
        (for_user,) = await ask(bot, "/help", user=user, language=lang)
        assert for_user.text == t(lang, "help")
        assert "/addfeed" not in for_user.text and "/export" not in for_user.text
        (for_admin,) = await ask(bot, "/help", user=ADMIN, language=lang)
        assert for_admin.text == t(lang, "help") + t(lang, "help_admin")
        assert "/addfeed" in for_admin.text and "/export" in for_admin.text


# --- 3. a feed's first check stores its items and pushes none ----------------------------


@asynccontextmanager
async def bot_with_configured_feed(
    tmp_path: Path, path: str, items: list[FeedItem], *, subscriber: int
) -> AsyncIterator[RunningBot]:
    """The bot with a feed in its configuration, and `subscriber` subscribed to the feed's
    topic before the bot starts, so before the feed's first check (which start-up runs)."""
    api = FakeBotApi().start()
    feeds = FeedServer().start()
    feeds.put(path, rss("Лента", items))
    config = replace(
        e2e_config(api, tmp_path), feeds=(FeedConfig(feeds.url(path), ("central-asia",)),)
    )
    storage = await open_storage(config.database)
    clock = Clock()
    (wanted,) = [tp for tp in config.topics if tp.slug == "central-asia"]
    topic = await storage.sync_topic(wanted.slug, wanted.name_ru, wanted.name_en, wanted.keywords)
    await storage.upsert_chat(subscriber, type="private", language="ru", now=clock.now)
    assert await storage.add_subscription(subscriber, topic.id, now=clock.now)
    app = build_application(config, storage=storage, clock=clock, poll_tick=3600)
    bot = RunningBot(app, api, feeds, storage, clock)
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()
        await storage.close()
        feeds.stop()
        api.stop()


async def test_a_configured_feeds_first_check_pushes_nothing_to_a_present_subscriber(
    tmp_path: Path,
) -> None:
    async with bot_with_configured_feed(tmp_path, "/cfg.xml", OLD_ITEMS, subscriber=USER) as bot:
        services = bot.app.bot_data.services
        assert services is not None
        await services.feeds.wait_idle()  # the check start-up began
        (feed,) = await bot.storage.feeds()
        assert feed.source == "config" and feed.primed
        assert await bot.storage.item_count(feed.id) == len(OLD_ITEMS)
        assert await bot.storage.outbox_counts() == {}

        # The subscriber is real: what is new from now on reaches them, and only that.
        await bot.publish("/cfg.xml", [new_item(1), *OLD_ITEMS])
        (card,) = await bot.wait_for_messages(USER, 1)
        assert "новость номер 1" in card.text
        await bot.outbox_is({"sent": 1})
        assert len(bot.api.messages_to(USER)) == 1


async def test_addfeeds_first_check_pushes_nothing_to_a_present_subscriber(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    (subscribed,) = await ask(bot, "/subscribe central-asia", user=USER)
    assert subscribed.text == t("ru", "subscribed", name=NAMES["ru"]["central-asia"])
    bot.feeds.put("/news.xml", rss("Лента", OLD_ITEMS))
    await add_feed(bot, "/news.xml", "central-asia")
    (feed,) = await bot.storage.feeds()
    assert await bot.storage.item_count(feed.id) == len(OLD_ITEMS)
    assert await bot.storage.outbox_counts() == {}  # queued in the same transaction, or never
    # Just checked: the next check is a whole interval away.
    assert feed.primed and feed.next_check_at == bot.clock.now + 600

    await bot.publish("/news.xml", [new_item(1), *OLD_ITEMS])
    (card,) = (await bot.wait_for_messages(USER, 2))[1:]
    assert "новость номер 1" in card.text
    await bot.outbox_is({"sent": 1})
    assert len(bot.api.messages_to(USER)) == 2


# --- 4. forum topics ------------------------------------------------------------------------

FORUM = -1001234567890
THREAD = 77


async def in_forum(bot: RunningBot, text: str, thread: int) -> list[SentMessage]:
    """USER, an administrator of the forum supergroup FORUM, writes `text` in topic `thread`."""
    bot.api.members[(FORUM, USER)] = "administrator"
    return await ask(bot, text, user=USER, chat=FORUM, chat_type="supergroup", thread_id=thread)


async def test_subscribe_in_a_forum_topic_delivers_into_that_topic(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    (answer,) = await in_forum(bot, "/subscribe central-asia", THREAD)
    assert answer.text == t("ru", "subscribed", name=NAMES["ru"]["central-asia"])
    assert answer.thread_id == THREAD  # the answer stays in the topic
    (sub,) = await bot.storage.subscriptions(FORUM)
    assert (sub.thread_id, sub.topic.slug) == (THREAD, "central-asia")
    chat = await bot.storage.chat(FORUM)
    assert chat is not None and chat.type == "supergroup"

    (mysubs,) = await in_forum(bot, "/mysubs", THREAD)
    assert mysubs.thread_id == THREAD
    assert mysubs.text == "\n".join([t("ru", "mysubs_header"), topic_line("ru", "central-asia")])

    bot.feeds.put("/news.xml", rss("Лента", OLD_ITEMS))
    await add_feed(bot, "/news.xml", "central-asia")
    before = len(bot.api.messages_to(FORUM))
    await bot.publish("/news.xml", [new_item(1), *OLD_ITEMS])
    (card,) = (await bot.wait_for_messages(FORUM, before + 1))[before:]
    assert "новость номер 1" in card.text
    assert card.thread_id == THREAD
    await bot.outbox_is({"sent": 1})


async def test_unsubscribe_in_a_forum_topic_is_per_topic(running_bot: RunningBot) -> None:
    bot = running_bot
    await in_forum(bot, "/subscribe central-asia", THREAD)
    (other,) = await in_forum(bot, "/unsubscribe central-asia", THREAD + 1)
    assert other.text == t("ru", "not_subscribed", name=NAMES["ru"]["central-asia"])
    assert [s.thread_id for s in await bot.storage.subscriptions(FORUM)] == [THREAD]
    (done,) = await in_forum(bot, "/unsubscribe central-asia", THREAD)
    assert done.text == t("ru", "unsubscribed", name=NAMES["ru"]["central-asia"])
    assert await bot.storage.subscriptions(FORUM) == []


async def test_a_reply_chain_in_an_ordinary_group_is_not_a_forum_topic(
    running_bot: RunningBot,
) -> None:
    """Telegram numbers reply chains with message_thread_id too; only forum topics count."""
    bot = running_bot
    group = -4242
    bot.api.members[(group, USER)] = "creator"
    (answer,) = await ask(
        bot,
        "/subscribe central-asia",
        user=USER,
        chat=group,
        chat_type="group",
        thread_id=5,
        is_topic_message=False,
    )
    assert answer.text == t("ru", "subscribed", name=NAMES["ru"]["central-asia"])
    assert answer.thread_id is None
    (sub,) = await bot.storage.subscriptions(group)
    assert sub.thread_id == 0


# --- 5. a chat that blocked the bot and came back ---------------------------------------


async def test_a_chat_that_blocked_the_bot_is_active_again_after_start(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    bot.feeds.put("/news.xml", rss("Лента", OLD_ITEMS))
    await add_feed(bot, "/news.xml", "central-asia")
    await ask(bot, "/subscribe central-asia", user=USER)
    bot.api.fail_next_send(USER, 403, "Forbidden: bot was blocked by the user")
    await bot.publish("/news.xml", [new_item(1), *OLD_ITEMS])

    await bot.outbox_is({"failed": 1})
    chat = await bot.storage.chat(USER)
    assert chat is not None and not chat.active
    assert not bot.api.failures[USER]  # the 403 was answered to the card

    (welcome,) = await ask(bot, "/start", user=USER)
    assert welcome.text.startswith(t("ru", "welcome"))
    chat = await bot.storage.chat(USER)
    assert chat is not None and chat.active

    before = len(bot.api.messages_to(USER))
    await bot.publish("/news.xml", [new_item(2), new_item(1), *OLD_ITEMS])
    (card,) = (await bot.wait_for_messages(USER, before + 1))[before:]
    assert "новость номер 2" in card.text
    await bot.outbox_is({"failed": 1, "sent": 1})


async def chat_active(bot: RunningBot, chat_id: int, active: bool) -> None:
    async def check() -> bool:
        chat = await bot.storage.chat(chat_id)
        return chat is not None and chat.active == active

    await eventually(check)


async def test_a_user_who_blocks_the_bot_is_paused_at_once_and_resumed_on_unblocking(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    bot.feeds.put("/news.xml", rss("Лента", OLD_ITEMS))
    await add_feed(bot, "/news.xml", "central-asia")
    await ask(bot, "/subscribe central-asia", user=USER)

    bot.api.membership_change(USER, user_id=USER, old="member", new="kicked")
    await chat_active(bot, USER, False)
    sends = bot.api.calls.count("sendMessage")
    await bot.publish("/news.xml", [new_item(1), *OLD_ITEMS])
    assert await bot.storage.outbox_counts() == {}  # nothing queued, nothing tried
    assert bot.api.calls.count("sendMessage") == sends

    bot.api.membership_change(USER, user_id=USER, old="kicked", new="member")
    await chat_active(bot, USER, True)
    assert [s.topic.slug for s in await bot.storage.subscriptions(USER)] == ["central-asia"]
    before = len(bot.api.messages_to(USER))
    await bot.publish("/news.xml", [new_item(2), new_item(1), *OLD_ITEMS])
    (card,) = (await bot.wait_for_messages(USER, before + 1))[before:]
    assert "новость номер 2" in card.text


@pytest.mark.parametrize(
    ("chat_type", "gone"),
    [("group", "left"), ("supergroup", "kicked"), ("channel", "left"), ("group", "restricted")],
)
async def test_a_group_that_removes_the_bot_is_paused_and_adding_it_back_resumes(
    running_bot: RunningBot, chat_type: str, gone: str
) -> None:
    bot = running_bot
    group = -100500
    bot.api.membership_change(group, user_id=USER, old="left", new="member", chat_type=chat_type)
    await chat_active(bot, group, True)
    chat = await bot.storage.chat(group)
    assert chat is not None and chat.type == chat_type
    bot.api.membership_change(group, user_id=USER, old="member", new=gone, chat_type=chat_type)
    await chat_active(bot, group, False)
    # Made an admin while out (or any change that keeps it out): still paused.
    bot.api.membership_change(group, user_id=USER, old=gone, new=gone, chat_type=chat_type)
    bot.api.membership_change(
        group, user_id=USER, old=gone, new="administrator", chat_type=chat_type
    )
    await chat_active(bot, group, True)
    # A change among the living (promoted, demoted) leaves it active.
    bot.api.membership_change(
        group, user_id=USER, old="administrator", new="member", chat_type=chat_type
    )
    (welcome,) = await ask(bot, "/start", user=USER)  # the updates before it were handled
    assert welcome.text.startswith(t("ru", "welcome"))
    chat = await bot.storage.chat(group)
    assert chat is not None and chat.active


# --- 6. the error handler ---------------------------------------------------------------


class HandlerBug(Exception):
    """What the test handler raises: a failure no handler expected."""


async def _broken_handler(update: Update, context: NewsContext) -> None:
    raise HandlerBug("broken on purpose")


def add_broken_command(bot: RunningBot) -> None:
    """/broken, which raises: installed through the public Application API before the
    catch-all that answers unknown commands (the first matching handler of a group runs)."""
    (catch_all,) = [h for h in bot.app.handlers[0] if getattr(h, "callback", None) is start.hint]
    bot.app.remove_handler(catch_all)
    bot.app.add_handler(CommandHandler("broken", _broken_handler))
    bot.app.add_handler(catch_all)


async def test_a_failing_handler_tells_the_user_in_their_language(
    running_bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    bot = running_bot
    # No command fails on demand without changing the bot's code, so install one that does,
    # through the public Application API; the error handler is the one build_application set.
    add_broken_command(bot)
    for lang, user in READERS.items():
        caplog.clear()
        with caplog.at_level(logging.ERROR, logger="handlers.errors"):
            (answer,) = await ask(bot, "/broken now", user=user, language=lang)
        assert answer.text == t(lang, "internal_error")
        (logged,) = [r for r in caplog.records if r.name == "handlers.errors"]
        assert logged.exc_info is not None and isinstance(logged.exc_info[1], HandlerBug)
        assert f"user {user}" in logged.getMessage() and "/broken now" in logged.getMessage()
        # The bot goes on answering.
        (topics,) = await ask(bot, "/topics", user=user, language=lang)
        assert topics.text.startswith(t(lang, "topics_header"))


# --- 7. what the everyday commands say ---------------------------------------------------


async def test_start_welcomes_lists_the_topics_and_registers_the_chat(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    for lang, user in READERS.items():
        (answer,) = await ask(bot, "/start", user=user, language=lang)
        assert answer.text == "\n".join(
            [
                t(lang, "welcome"),
                "",
                t(lang, "topics_header"),
                topic_line(lang, "central-asia"),
                topic_line(lang, "sport"),
            ]
        )
        chat = await bot.storage.chat(user)
        assert chat is not None
        assert (chat.type, chat.language, chat.active) == ("private", lang, True)


async def test_topics_lists_every_topic_in_the_users_language(running_bot: RunningBot) -> None:
    bot = running_bot
    for lang, user in READERS.items():
        (answer,) = await ask(bot, "/topics", user=user, language=lang)
        assert answer.text == "\n".join(
            [t(lang, "topics_header"), topic_line(lang, "central-asia"), topic_line(lang, "sport")]
        )


async def test_mysubs_lists_this_chats_subscriptions_only(running_bot: RunningBot) -> None:
    bot = running_bot
    await ask(bot, "/subscribe central-asia", user=OTHER_USER)  # another chat's subscription
    for lang, user in READERS.items():
        (empty,) = await ask(bot, "/mysubs", user=user, language=lang)
        assert empty.text == t(lang, "mysubs_empty")
        await ask(bot, "/subscribe sport", user=user, language=lang)
        (mine,) = await ask(bot, "/mysubs", user=user, language=lang)
        assert mine.text == "\n".join([t(lang, "mysubs_header"), topic_line(lang, "sport")])
        await ask(bot, "/subscribe central-asia", user=user, language=lang)
        (both,) = await ask(bot, "/mysubs", user=user, language=lang)
        assert both.text == "\n".join(
            [t(lang, "mysubs_header"), topic_line(lang, "central-asia"), topic_line(lang, "sport")]
        )


async def test_unsubscribe_removes_the_subscription_and_says_so(running_bot: RunningBot) -> None:
    bot = running_bot
    for lang, user in READERS.items():
        await ask(bot, "/subscribe sport", user=user, language=lang)
        await ask(bot, "/subscribe central-asia", user=user, language=lang)
        (answer,) = await ask(bot, "/unsubscribe SPORT", user=user, language=lang)
        assert answer.text == t(lang, "unsubscribed", name=NAMES[lang]["sport"])
        assert [s.topic.slug for s in await bot.storage.subscriptions(user)] == ["central-asia"]
        (mine,) = await ask(bot, "/mysubs", user=user, language=lang)
        assert mine.text == "\n".join([t(lang, "mysubs_header"), topic_line(lang, "central-asia")])
        (again,) = await ask(bot, "/unsubscribe sport", user=user, language=lang)
        assert again.text == t(lang, "not_subscribed", name=NAMES[lang]["sport"])


# --- 8. what every reply looks like, /latest's arguments, a reply that cannot be sent -------


async def test_replies_neither_quote_the_command_nor_preview_links(running_bot: RunningBot) -> None:
    bot = running_bot
    (answer,) = await ask(bot, "/start", user=USER)
    assert "reply_parameters" not in answer.params and "reply_to_message_id" not in answer.params
    assert json.loads(answer.params["link_preview_options"]) == {"is_disabled": True}


async def test_latest_lists_the_newest_items_of_the_topic_its_first_word_names(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    items = [new_item(n) for n in range(1, 7)]
    bot.feeds.put("/news.xml", rss("Лента", items))
    await add_feed(bot, "/news.xml", "central-asia")
    # The topic is the whole argument or, failing that, its first word: never "sport".
    (listed,) = await ask(bot, "/latest central-asia sport", user=USER)
    headlines = re.findall(r"новость номер (\d)", listed.text)
    assert headlines == ["6", "5", "4", "3", "2"]  # newest first, five to a page
    # Nothing more came: the next command's answer is the next message.
    (after,) = await ask(bot, "/topics", user=USER)
    assert after.text.startswith(t("ru", "topics_header"))
    # An unknown topic is named in the refusal, as typed.
    (refusal,) = await ask(bot, "/latest nosuch sport", user=USER)
    available = topic_list(await bot.storage.topics(), "ru")
    assert refusal.text == t("ru", "unknown_topic", slug="nosuch sport", available=available)
    (after,) = await ask(bot, "/topics", user=USER)  # and nothing else: no error on top
    assert after.text.startswith(t("ru", "topics_header"))


async def test_the_error_handler_survives_a_reply_that_cannot_be_sent(
    running_bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    bot = running_bot
    add_broken_command(bot)
    bot.api.fail_next_send(USER, 400, "Bad Request: chat not found")
    with caplog.at_level(logging.ERROR):
        bot.api.send_command("/broken", user_id=USER)
        await bot.api.wait_for(lambda: "sendMessage" in bot.api.calls)

        async def told() -> bool:
            return any(
                r.getMessage() == "could not tell the user about the error" for r in caplog.records
            )

        await eventually(told)
    # Nothing escaped the error handler (PTB would log that separately), and the bot goes on.
    assert not [r for r in caplog.records if r.name.startswith("telegram.ext")]
    (topics,) = await ask(bot, "/topics", user=USER)
    assert topics.text.startswith(t("ru", "topics_header"))


async def test_subscribe_and_unsubscribe_without_a_topic_show_their_usage(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    listed = "<code>central-asia</code>, <code>sport</code>"
    for lang, user in READERS.items():
        (usage,) = await ask(bot, "/subscribe", user=user, language=lang)
        # The example is the first topic there is.
        assert usage.text == t(lang, "usage_subscribe", example="central-asia")
        (usage,) = await ask(bot, "/unsubscribe", user=user, language=lang)
        assert usage.text == t(lang, "usage_unsubscribe")
        # Two topics at once are no topic's name: the answer says which topics there are.
        for command in ("/subscribe", "/unsubscribe"):
            (unknown,) = await ask(bot, f"{command} sport central-asia", user=user, language=lang)
            assert unknown.text == t(
                lang, "unknown_topic", slug="sport central-asia", available=listed
            )
        assert await bot.storage.subscriptions(user) == []


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("Central Asia", "central-asia"),
        ("центральная азия", "central-asia"),
        ("«Центральная Азия»", "central-asia"),
        ('"sport"', "sport"),
        ("SPORT", "sport"),
        ("  Спорт ", "sport"),
    ],
)
async def test_a_topic_is_named_as_people_type_it(
    running_bot: RunningBot, typed: str, slug: str
) -> None:
    bot = running_bot
    (answer,) = await ask(bot, f"/subscribe {typed}", user=USER)
    assert answer.text == t("ru", "subscribed", name=NAMES["ru"][slug])
    assert [s.topic.slug for s in await bot.storage.subscriptions(USER)] == [slug]
    (gone,) = await ask(bot, f"/unsubscribe {typed}", user=USER)
    assert gone.text == t("ru", "unsubscribed", name=NAMES["ru"][slug])


async def test_an_edited_command_is_not_run_again(running_bot: RunningBot) -> None:
    bot = running_bot
    (added,) = await ask(bot, "/subscribe sport", user=USER)
    assert added.text == t("ru", "subscribed", name=NAMES["ru"]["sport"])
    bot.api.send_command("/unsubscribe sport", user_id=USER, edited=True)
    # The next command's answer is the next message: the edit got none and changed nothing.
    (mine,) = await ask(bot, "/mysubs", user=USER)
    assert mine.text == "\n".join([t("ru", "mysubs_header"), topic_line("ru", "sport")])


# --- 9. a group's subscriptions belong to its administrators -------------------------------


async def test_only_a_groups_administrators_change_its_subscriptions(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    group = -100777
    bot.api.members[(group, READERS["en"])] = "administrator"

    async def in_group(text: str, user: int, lang: str = "ru") -> str:
        kind = "supergroup"
        (answer,) = await ask(bot, text, user=user, chat=group, chat_type=kind, language=lang)
        return answer.text

    # An ordinary member: refused, nothing changes; in their language.
    assert await in_group("/subscribe sport", USER) == t("ru", "group_admins_only")
    assert await in_group("/subscribe sport", OTHER_USER, "en") == t("en", "group_admins_only")
    assert await bot.storage.subscriptions(group) == []
    # The group's administrator, and the bot's own admin, may.
    name = NAMES["en"]["sport"]
    assert await in_group("/subscribe sport", READERS["en"], "en") == t(
        "en", "subscribed", name=name
    )
    # The group's first subscription registered it in English: it answers in English now.
    assert await in_group("/unsubscribe sport", USER) == t("en", "group_admins_only")
    assert [s.topic.slug for s in await bot.storage.subscriptions(group)] == ["sport"]
    done = t("en", "unsubscribed", name=NAMES["en"]["sport"])
    assert await in_group("/unsubscribe sport", ADMIN) == done
    # Reading commands stay open to everyone.
    assert (await in_group("/mysubs", USER)) == t("en", "mysubs_empty")
    # Telegram was asked once per member: the answers are kept for a minute.
    assert bot.api.calls.count("getChatMember") == 3
    bot.api.members[(group, USER)] = "creator"  # promoted meanwhile
    assert await in_group("/subscribe sport", USER) == t("en", "group_admins_only")
    bot.clock.advance(59.5)
    assert await in_group("/subscribe sport", USER) == t("en", "group_admins_only")
    bot.clock.advance(0.5)  # a minute after Telegram was asked: asked again
    assert await in_group("/subscribe sport", USER) == t(
        "en", "subscribed", name=NAMES["en"]["sport"]
    )
    assert bot.api.calls.count("getChatMember") == 4


async def test_feed_shows_a_title_of_up_to_300_characters_whole(running_bot: RunningBot) -> None:
    bot = running_bot
    for length, shown in ((300, "Т" * 300), (301, "Т" * 299 + "…")):
        feed = await bot.storage.add_feed(
            f"https://e.example/{length}",
            title="Т" * length,
            interval_seconds=600,
            next_check_at=0,
            now=0,
        )
        (answer,) = await ask(bot, f"/feed {feed.id}", user=ADMIN)
        assert f"<b>{shown}</b>" in answer.text


async def test_what_the_bot_does_not_understand_gets_a_pointer_to_help_in_private_only(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    for text, lang in (("/nosuchcommand", "ru"), ("привет, бот", "ru"), ("hello there", "en")):
        (answer,) = await ask(bot, text, user=USER, language=lang)
        assert answer.text == t(lang, "hint")
    # In a group: silence. The next answer there is the one to the next command.
    group = -100888
    bot.api.send_command("/nosuchcommand", user_id=USER, chat_id=group, chat_type="supergroup")
    bot.api.send_command("just chatting", user_id=USER, chat_id=group, chat_type="supergroup")
    (topics,) = await ask(bot, "/topics", user=USER, chat=group, chat_type="supergroup")
    assert topics.text.startswith(t("ru", "topics_header"))
    assert len(bot.api.messages_to(group)) == 1
