"""Topics from Telegram: /addtopic, /edittopic, /removetopic (with its confirmation), what
subscribers are told, and what a restart does to topics admins changed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.config import FeedConfig
from bot.feeds.sync import sync_config
from bot.i18n import t, tn
from handlers.topics_admin import KEEP_TOPIC, REMOVE_TOPIC
from storage import Topic
from tests.e2e.test_hostile_arguments import HOSTILE
from tests.support.fake_bot_api import FakeBotApi
from tests.support.feeds import FeedItem
from tests.support.harness import ADMIN, USER, RunningBot, e2e_config, running_bot_against
from tests.support.telegram_html import telegram_html_problems

EN_USER = 202
FORUM = -100900
ENERGY = "/addtopic energy | Энергетика | Energy | нефть, газовая отрасль"


async def topic(bot: RunningBot, slug: str) -> Topic:
    found = await bot.storage.topic(slug)
    assert found is not None, slug
    return found


async def follow_feed(bot: RunningBot, path: str) -> None:
    """The admin follows an empty feed at `path`: what it publishes later is pushed."""
    bot.feeds.put(path, b'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>'
                  b"<link>https://news.example/</link><description>d</description>"
                  b"</channel></rss>")  # fmt: skip
    _, added = await bot.say(f"/addfeed {bot.feeds.url(path)}", user=ADMIN, replies=2)
    assert added.text.startswith("Лента добавлена"), added.text


# --- /addtopic ------------------------------------------------------------------------------


async def test_an_added_topic_files_the_news_that_arrives_next(running_bot: RunningBot) -> None:
    bot = running_bot
    (added,) = await bot.say(ENERGY, user=ADMIN)
    energy = await topic(bot, "energy")
    assert (energy.name_ru, energy.name_en, energy.keywords) == (
        "Энергетика",
        "Energy",
        ("нефть", "газовая отрасль"),
    )
    assert added.text == t(
        "ru", "topic_added", name="Энергетика", slug="energy", keywords="нефть, газовая отрасль"
    )
    (listed,) = await bot.say("/topics", user=USER, language="en")
    assert "Energy" in listed.text
    (done,) = await bot.say("/subscribe Энергетика", user=USER)
    assert done.text == t("ru", "subscribed", name="Энергетика")
    await follow_feed(bot, "/energy.xml")
    await bot.publish(
        "/energy.xml",
        [
            FeedItem("a", "Цены на нефти выросли", "Рынок нефти."),  # an inflected keyword
            FeedItem("b", "Матч отменён", "Футбольный клуб."),
        ],
    )
    (card,) = (await bot.wait_for_messages(USER, 3))[2:]
    assert "Цены на нефти выросли" in card.text
    await bot.outbox_is({"sent": 1})


async def test_a_topic_is_added_line_by_line_too(running_bot: RunningBot) -> None:
    bot = running_bot
    await bot.say("/addtopic Energy-2\nЭнергетика\n\nEnergy\nнефть\nуголь; газ", user=ADMIN)
    added = await topic(bot, "energy-2")
    assert (added.name_ru, added.name_en, added.keywords) == (
        "Энергетика",
        "Energy",
        ("нефть", "уголь", "газ"),
    )
    await bot.say("/addtopic economy Экономика | Economy", user=ADMIN)  # no keywords
    assert (await topic(bot, "economy")).keywords == ()


BAD_TOPICS = [
    ("/addtopic", "usage_addtopic", {}),
    ("/addtopic energy", "usage_addtopic", {}),
    ("/addtopic energy | Энергетика", "usage_addtopic", {}),
    ("/addtopic Энергетика | Energy | нефть", "topic_bad_slug", {"slug": "Энергетика"}),
    ("/addtopic e | Э | E", "topic_bad_slug", {"slug": "e"}),
    ("/addtopic " + "e" * 33 + " | Э | E", "topic_bad_slug", {"slug": "e" * 33}),
    ("/addtopic sport | Спорт2 | Sport2", "topic_slug_taken", {"slug": "sport"}),
    ("/addtopic SPORT | Спорт2 | Sport2", "topic_slug_taken", {"slug": "sport"}),
    ("/addtopic football | СПОРТ | Football", "topic_name_taken",
     {"name": "СПОРТ", "slug": "sport"}),
    ("/addtopic football | Футбол | central asia", "topic_name_taken",
     {"name": "central asia", "slug": "central-asia"}),
    ("/addtopic energy | | Energy", "topic_value_missing", {"field": "name_ru"}),
    ("/addtopic energy | Энергетика | " + "x" * 65, "topic_bad_name",
     {"field": "name_en", "name": "x" * 65}),
    ("/addtopic energy | Энерге\u202eтика | Energy", "topic_bad_name",
     {"field": "name_ru", "name": "Энерге\u202eтика"}),
    ("/addtopic energy | Энергетика | Energy | газ.*", "topic_bad_keyword", {"keyword": "газ.*"}),
    ("/addtopic energy | Энергетика | Energy | [нефть]", "topic_bad_keyword",
     {"keyword": "[нефть]"}),
    ("/addtopic energy | Энергетика | Energy | G20", "topic_bad_keyword", {"keyword": "G20"}),
    ("/addtopic energy | Энергетика | Energy | раз два три четыре пять шесть",
     "topic_bad_keyword", {"keyword": "раз два три четыре пять шесть"}),
    ("/addtopic energy | Энергетика | Energy | нефть, ...", "topic_bad_keyword",
     {"keyword": "..."}),
    ("/addtopic energy | Энергетика | Energy | " + ", ".join(f"слово{'а' * n}" for n in range(51)),
     "topic_keywords_too_many", {"most": "50"}),
]  # fmt: skip


async def test_a_wrong_topic_gets_a_clear_answer_and_adds_nothing(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    before = await bot.storage.topics()
    for text, key, values in BAD_TOPICS:
        (answer,) = await bot.say(text, user=ADMIN)
        assert answer.text.startswith(t("ru", key, **values)), text
    assert await bot.storage.topics() == before


# --- /edittopic -----------------------------------------------------------------------------


async def test_a_topic_is_shown_and_its_keywords_changed(running_bot: RunningBot) -> None:
    bot = running_bot
    await bot.say(ENERGY, user=ADMIN)
    (shown,) = await bot.say("/edittopic ENERGY", user=ADMIN, language="en")
    assert "name_en: Energy" in shown.text
    assert "/edittopic energy keywords нефть, газовая отрасль" in shown.text
    changes = [
        ("+ уголь, нефть", ("нефть", "газовая отрасль", "уголь")),
        ("- Газовая Отрасль", ("нефть", "уголь")),
        ("торф", ("торф",)),
        ("-", ()),
    ]
    for value, keywords in changes:
        (answer,) = await bot.say(f"/edittopic energy keywords {value}", user=ADMIN)
        assert (await topic(bot, "energy")).keywords == keywords, value
        shown_keywords = ", ".join(keywords) or t("ru", "none")
        assert answer.text == t(
            "ru", "topic_edited", slug="energy", name="Энергетика", keywords=shown_keywords
        )
    (same,) = await bot.say("/edittopic energy kw -", user=ADMIN)
    assert same.text == t("ru", "topic_unchanged")
    assert await bot.storage.outbox_counts() == {}  # keywords are nobody's news


async def test_a_rename_is_told_to_the_subscribers_who_read_that_name(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    await bot.say(ENERGY, user=ADMIN)
    await bot.say("/subscribe energy", user=USER, language="ru")
    await bot.say("/subscribe energy", user=EN_USER, language="en")
    (answer,) = await bot.say("/edittopic energy name_ru Энергетика и нефть", user=ADMIN)
    assert tn("ru", "topic_renamed_told_n", 1) in answer.text
    told = (await bot.wait_for_messages(USER, 2))[-1]
    assert told.text == t("ru", "notice_topic_renamed", old="Энергетика", new="Энергетика и нефть")
    await bot.outbox_is({"sent": 1})  # the English reader sees "Energy" still: not told
    await bot.say("/edittopic energy en Power", user=ADMIN)
    told = (await bot.wait_for_messages(EN_USER, 2))[-1]
    assert told.text == t("en", "notice_topic_renamed", old="Energy", new="Power")
    await bot.outbox_is({"sent": 2})
    assert len(bot.api.messages_to(USER)) == 2
    (listed,) = await bot.say("/mysubs", user=EN_USER)
    assert "Power" in listed.text


EDIT_REFUSALS = [
    ("/edittopic", "usage_edittopic", {}),
    ("/edittopic nosuch name_en X", "unknown_topic",
     {"slug": "nosuch", "available": "<code>central-asia</code>, <code>sport</code>"}),
    ("/edittopic sport colour red", "topic_unknown_field", {"field": "colour"}),
    ("/edittopic sport name_ru", "topic_value_missing", {"field": "name_ru"}),
    ("/edittopic sport name_en Central Asia", "topic_name_taken",
     {"name": "Central Asia", "slug": "central-asia"}),
    ("/edittopic sport keywords футбол, 1:0", "topic_bad_keyword", {"keyword": "1:0"}),
]  # fmt: skip


async def test_a_wrong_edit_gets_a_clear_answer_and_changes_nothing(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    before = await bot.storage.topics()
    for text, key, values in EDIT_REFUSALS:
        (answer,) = await bot.say(text, user=ADMIN)
        assert answer.text.startswith(t("ru", key, **values)), text
    assert await bot.storage.topics() == before


# --- /removetopic ---------------------------------------------------------------------------


async def test_removing_a_topic_asks_first_then_tells_each_subscriber(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    await bot.say("/subscribe sport", user=USER, language="ru")
    await bot.say("/subscribe sport", user=EN_USER, language="en")
    bot.api.members[(FORUM, ADMIN)] = "administrator"
    await bot.say(
        "/subscribe sport", user=ADMIN, chat_id=FORUM, chat_type="supergroup", thread_id=7
    )
    (question,) = await bot.say("/removetopic Спорт", user=ADMIN)
    assert question.text == t(
        "ru",
        "removetopic_confirm",
        name="Спорт",
        slug="sport",
        subscribers=tn("ru", "removetopic_subscribers_n", 3),
    )
    sport = await topic(bot, "sport")
    assert question.buttons == [
        [
            (t("ru", "button_remove_topic"), REMOVE_TOPIC.data(sport.id, "sport")),
            (t("ru", "button_keep_topic"), KEEP_TOPIC.data(sport.id, "sport")),
        ]
    ]
    # "Keep it": nothing happens but the question's edit.
    kept = await bot.press(question, question.button_data(t("ru", "button_keep_topic")), user=ADMIN)
    assert kept["text"] is None
    assert question.text == t("ru", "topic_kept", name="Спорт") and question.buttons == []
    assert await bot.storage.topic("sport") is not None

    (question,) = await bot.say("/removetopic sport", user=ADMIN)
    removing = question.button_data("🗑")
    answer = await bot.press(question, removing, user=ADMIN)
    assert answer["text"] is None
    assert question.text == tn("ru", "topic_removed_told_n", 3, name="Спорт", slug="sport")
    assert await bot.storage.topic("sport") is None
    await bot.outbox_is({"sent": 3})
    assert bot.api.messages_to(USER)[-1].text == t("ru", "notice_topic_removed", name="Спорт")
    assert bot.api.messages_to(EN_USER)[-1].text == t("en", "notice_topic_removed", name="Sport")
    in_forum = bot.api.messages_to(FORUM)[-1]
    assert (in_forum.text, in_forum.thread_id) == (
        t("ru", "notice_topic_removed", name="Спорт"),
        7,
    )
    (mine,) = await bot.say("/mysubs", user=USER)
    assert mine.text.startswith(t("ru", "mysubs_empty"))
    # Pressed again (or by a second admin): the topic is gone, nobody is told twice.
    again = await bot.press(question, removing, user=ADMIN)
    assert again["text"] == t("ru", "topic_gone")
    await bot.outbox_is({"sent": 3})


async def test_a_paused_chat_is_not_told_and_presses_of_other_topics_are_harmless(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    await bot.say("/subscribe sport", user=USER)
    await bot.storage.deactivate_chat(USER)  # the user blocked the bot
    (question,) = await bot.say("/removetopic sport", user=ADMIN)
    assert tn("ru", "removetopic_subscribers_n", 0) in question.text
    sport = await topic(bot, "sport")
    for data in (
        REMOVE_TOPIC.data(sport.id, "central-asia"),  # an id and a slug of two topics
        REMOVE_TOPIC.data(sport.id + 100, "sport"),
        KEEP_TOPIC.data(sport.id + 100, "sport"),
    ):
        answer = await bot.press(question, data, user=ADMIN)
        assert answer["text"] == t("ru", "topic_gone"), data
    for data in ("tdel", "tdel:1", "tdel:x:sport", "tdel:1:sport:2", "tkeep:1:<b>"):
        answer = await bot.press(question, data, user=ADMIN)
        assert answer["text"] == t("ru", "button_stale"), data
    assert await bot.storage.topic("sport") is not None and question.edits == 0
    await bot.press(question, question.button_data("🗑"), user=ADMIN)
    assert await bot.storage.topic("sport") is None
    assert await bot.storage.outbox_counts() == {}


# --- a restart --------------------------------------------------------------------------------


async def test_topics_changed_in_telegram_stay_so_after_a_restart(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_bot_against(FakeBotApi(), tmp_path) as bot:
        (answer,) = await bot.say("/edittopic sport name_ru Спорт и игры", user=ADMIN)
        assert t("ru", "topic_from_config") in answer.text
        (question,) = await bot.say("/removetopic central-asia", user=ADMIN)
        await bot.press(question, question.button_data("🗑"), user=ADMIN)
        await bot.say(ENERGY, user=ADMIN)
        edited = await topic(bot, "sport")
    # The next start syncs the configuration, which still lists both topics as they were;
    # the log says which of its entries are not applied.
    caplog.clear()
    async with running_bot_against(FakeBotApi(), tmp_path) as bot:
        assert sorted(r.getMessage() for r in caplog.records if r.name == "bot.feeds.sync") == [
            "topic 'central-asia' was removed in Telegram: its entry in the configuration is "
            "not applied (remove it from the file, or /addtopic it again)",
            "topic 'sport' was changed in Telegram: its names and keywords in the "
            "configuration are not applied",
        ]
        assert await topic(bot, "sport") == edited
        assert await bot.storage.topic("central-asia") is None
        assert (await topic(bot, "energy")).keywords == ("нефть", "газовая отрасль")
        # A configured feed naming the removed topic keeps the others.
        config = dataclasses.replace(
            e2e_config(bot.api, tmp_path),
            feeds=(FeedConfig("https://news.example/rss", ("central-asia", "sport")),),
        )
        await sync_config(config, bot.storage, bot.clock.now)
        (feed,) = await bot.storage.feeds()
        assert feed.topic_ids == (edited.id,)
        # Added again by an admin (as /addtopic does), it is an admin's topic like any other;
        # one changed back to what the file says needs no word in the log.
        assert await bot.storage.add_topic("central-asia", "ЦА", "CA", ()) is not None
        await bot.storage.edit_topic(  # as /edittopic does
            edited.id, name_ru="Спорт", name_en="Sport", keywords=["футбол"], now=bot.clock.now
        )
        caplog.clear()
        await sync_config(config, bot.storage, bot.clock.now)
        assert [r.getMessage() for r in caplog.records if r.name == "bot.feeds.sync"] == [
            "topic 'central-asia' was changed in Telegram: its names and keywords in the "
            "configuration are not applied"
        ]
    async with running_bot_against(FakeBotApi(), tmp_path) as bot:
        assert (await topic(bot, "central-asia")).name_ru == "ЦА"


# --- hostile arguments ------------------------------------------------------------------------


async def test_admin_commands_answer_hostile_arguments_sensibly(running_bot: RunningBot) -> None:
    """As tests/e2e/test_hostile_arguments.py does for the older commands."""
    bot = running_bot
    await bot.say("/start", user=USER)  # someone an announcement could go to
    before = await bot.storage.topics()
    for name, argument in HOSTILE.items():
        for command in ("addtopic", "edittopic", "removetopic", "stats", "announce"):
            for text in (f"/{command} {argument}", f"/{command} sport | {argument} | x"):
                (answer,) = await bot.say(text, user=ADMIN)
                assert answer.text != t("ru", "internal_error"), (text, name)
                assert telegram_html_problems(answer.text) == [], (text, name)
                assert len(answer.text) < 1500 or command == "announce", (text, name)
            (edit,) = await bot.say(f"/edittopic sport name_en {argument}", user=ADMIN)
            assert telegram_html_problems(edit.text) == [], name
    assert [tp.slug for tp in await bot.storage.topics()] == [tp.slug for tp in before]
