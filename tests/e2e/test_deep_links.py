"""Deep links: `https://t.me/<bot>?start=<topic>` subscribes on start (in a group too, by its
administrators, through `?startgroup=`), and /share gives a topic's link."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from bot.i18n import t
from tests.e2e.conftest import ADMIN, USER
from tests.support.fake_bot_api import BOT_USER
from tests.support.feeds import FeedItem, rss
from tests.support.harness import RunningBot

BOT = BOT_USER["username"]
GROUP, FORUM, THREAD = -100800, -100900, 12
CA_RU, CA_EN = "Центральная Азия", "Central Asia"
NEWCOMER = 300


async def subscribed(bot: RunningBot, chat_id: int) -> list[tuple[int, str]]:
    return [(s.thread_id, s.topic.slug) for s in await bot.storage.subscriptions(chat_id)]


def welcome_of(text: str, lang: str) -> str:
    """What follows the line about the link: the welcome /start always gives."""
    return text[text.index(t(lang, "welcome")) :]


async def test_a_deep_link_subscribes(running_bot: RunningBot) -> None:
    bot = running_bot
    bot.feeds.put("/news.xml", rss("Лента", []))
    await bot.say(f"/addfeed {bot.feeds.url('/news.xml')} central-asia", user=ADMIN, replies=2)
    (plain,) = await bot.say("/start", user=ADMIN, language="en")

    # Opening t.me/<bot>?start=central-asia: Telegram sends "/start central-asia".
    (answer,) = await bot.say("/start central-asia", user=NEWCOMER, language="en")
    assert answer.text.startswith(t("en", "subscribed", name=CA_EN) + "\n\n")
    assert welcome_of(answer.text, "en") == plain.text  # and the usual welcome
    assert await subscribed(bot, NEWCOMER) == [(0, "central-asia")]
    assert [label for row in answer.buttons for label, _ in row] == [f"✅ {CA_EN}", "Sport"]
    assert await bot.storage.chat_language(NEWCOMER) == "en"

    # The topic's news follows.
    await bot.publish("/news.xml", [FeedItem("n1", "Казахстан и соседи", "Казахстан.")])
    (_, card) = await bot.wait_for_messages(NEWCOMER, 2)
    assert "Казахстан и соседи" in card.text

    # The same link again: already subscribed, said so.
    (again,) = await bot.say("/start central-asia", user=NEWCOMER, language="en")
    assert again.text.startswith(t("en", "already_subscribed", name=CA_EN) + "\n\n")
    assert await subscribed(bot, NEWCOMER) == [(0, "central-asia")]


@pytest.mark.parametrize(
    ("payload", "shown"),
    [
        ("no-such-topic", "no-such-topic"),
        ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),  # Telegram passes on no such link; typed by hand
        ("a" * 65, "a" * 65),  # longer than a start parameter can be
        ("Центральная Азия", "Центральная Азия"),  # a name, not a link's parameter
        ("x" * 300, "x" * 99 + "…"),
    ],
)
async def test_an_unknown_link_gets_the_welcome_with_a_note(
    running_bot: RunningBot, payload: str, shown: str
) -> None:
    bot = running_bot
    (plain,) = await bot.say("/start", user=ADMIN)
    (answer,) = await bot.say(f"/start {payload}", user=USER)
    assert answer.text == t("ru", "start_unknown_link", slug=shown) + "\n\n" + plain.text
    assert await subscribed(bot, USER) == []
    assert answer.buttons == plain.buttons  # the topics to choose from


async def test_a_link_names_a_topic_by_its_slug_in_any_case(running_bot: RunningBot) -> None:
    bot = running_bot
    (answer,) = await bot.say("/start Central-Asia", user=USER)
    assert answer.text.startswith(t("ru", "subscribed", name=CA_RU))
    assert await subscribed(bot, USER) == [(0, "central-asia")]


async def test_a_startgroup_link_subscribes_the_group_for_its_admins_only(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    bot.api.members[(GROUP, NEWCOMER)] = "creator"
    # ?startgroup=central-asia: the user picks a group, where "/start@bot central-asia" arrives.
    refused, welcome = await bot.say(
        f"/start@{BOT} central-asia", user=USER, chat_id=GROUP, chat_type="group", replies=2
    )
    assert refused.text == t("ru", "group_admins_only")
    assert welcome.text.startswith(t("ru", "welcome"))
    assert await subscribed(bot, GROUP) == []
    (done,) = await bot.say(
        f"/start@{BOT} central-asia", user=NEWCOMER, chat_id=GROUP, chat_type="group"
    )
    assert done.text.startswith(t("ru", "subscribed", name=CA_RU))
    assert await subscribed(bot, GROUP) == [(0, "central-asia")]
    # In a forum, in the thread the link's /start came to.
    (threaded,) = await bot.say(
        "/start central-asia", user=ADMIN, chat_id=FORUM, chat_type="supergroup", thread_id=THREAD
    )
    assert threaded.thread_id == THREAD
    assert await subscribed(bot, FORUM) == [(THREAD, "central-asia")]


async def test_share_gives_the_link_that_subscribes(running_bot: RunningBot) -> None:
    bot = running_bot
    (shared,) = await bot.say("/share Центральная Азия", user=USER)
    link = f"https://t.me/{BOT}?start=central-asia"
    group_link = f"https://t.me/{BOT}?startgroup=central-asia"
    assert shared.text == t("ru", "share_link", name=CA_RU, link=link, group_link=group_link)
    (share_row, group_row) = shared.buttons
    assert group_row == [(t("ru", "button_add_to_group"), group_link)]
    (label, address) = share_row[0]
    assert label == t("ru", "button_share")
    parts = urlsplit(address)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "t.me", "/share/url")
    assert parse_qs(parts.query) == {
        "url": [link],
        "text": [t("ru", "share_text", name=CA_RU)],
    }
    # Whoever opens it: Telegram sends the link's start parameter with /start.
    payload = parse_qs(urlsplit(link).query)["start"][0]
    (answer,) = await bot.say(f"/start {payload}", user=NEWCOMER)
    assert answer.text.startswith(t("ru", "subscribed", name=CA_RU))
    assert await subscribed(bot, NEWCOMER) == [(0, "central-asia")]
    assert await subscribed(bot, USER) == []  # sharing subscribes nobody


async def test_share_without_a_topic_or_with_an_unknown_one_says_how(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    (usage,) = await bot.say("/share", user=USER, language="en")
    assert usage.text == t("en", "usage_share", example="central-asia")
    (unknown,) = await bot.say("/share nowhere", user=USER, language="en")
    available = "<code>central-asia</code>, <code>sport</code>"
    assert unknown.text == t("en", "unknown_topic", slug="nowhere", available=available)
    (english,) = await bot.say("/share sport", user=USER, language="en")
    assert english.text == t(
        "en",
        "share_link",
        name="Sport",
        link=f"https://t.me/{BOT}?start=sport",
        group_link=f"https://t.me/{BOT}?startgroup=sport",
    )
