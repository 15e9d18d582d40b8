"""Follows of one's own, end to end: /follow a word, a feed publishes an item mentioning an
inflected form, the card arrives (and says why); /following, /unfollow with numbers, phrases
and buttons; and users' own feeds where the configuration allows them."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bot.config import Config, FollowsConfig
from bot.delivery.render import cut_text
from bot.follows import MAX_CHARS, MAX_WORDS
from bot.i18n import t, tn
from handlers.cards import CARD_DOCUMENTS
from handlers.follows import UNFOLLOW
from handlers.news import SHOW_CARD
from tests.e2e.conftest import ADMIN, USER
from tests.support.fake_bot_api import FakeBotApi, SentMessage
from tests.support.feeds import FeedItem, rss
from tests.support.harness import RunningBot, running_bot_against

OTHER = 201
GROUP = -100700
OLD = [FeedItem("old-1", "Старая новость", "Казахстан и соседи обсудили транзит.")]
ABOUT_KAZAKHSTAN = FeedItem(
    "kz-1", "Переговоры в Астане", "Президент Казахстана принял делегацию.", published=1.71e9
)
ABOUT_WEATHER = FeedItem("wx-1", "Погода", "Завтра без осадков.", published=1.71e9 + 1)


@asynccontextmanager
async def bot_with(
    tmp_path: Path, *, follows: FollowsConfig | None = None, private_feeds: bool = True
) -> AsyncIterator[RunningBot]:
    """The e2e bot with its [follows] (and whether feeds on private addresses are allowed)
    set as a test needs."""

    def adjust(config: Config) -> Config:
        polling = dataclasses.replace(config.polling, allow_private_networks=private_feeds)
        return dataclasses.replace(config, follows=follows or FollowsConfig(), polling=polling)

    async with running_bot_against(FakeBotApi(), tmp_path, adjust=adjust) as bot:
        yield bot


async def admin_feed(bot: RunningBot, path: str = "/news.xml", topics: str = "") -> str:
    """An admin's feed with an old item about Kazakhstan (stored, pushed to nobody)."""
    bot.feeds.put(path, rss("Лента", OLD))
    url = bot.feeds.url(path)
    await bot.say(f"/addfeed {url} {topics}".strip(), user=ADMIN, replies=2)
    return url


async def cards_to(bot: RunningBot, chat: int, count: int) -> list[SentMessage]:
    """The cards the chat got, once there are `count` of them and the outbox is settled."""
    await bot.outbox_is({"sent": count} if count else {})
    return [m for m in bot.api.messages_to(chat) if "news.example" in m.text]


async def edited(bot: RunningBot, message: SentMessage, edits: int) -> SentMessage:
    """The message once the bot has edited it `edits` times (the edit follows the answer)."""
    await bot.wait_for(lambda: bot.api.message(message.chat_id, message.message_id).edits >= edits)
    return bot.api.message(message.chat_id, message.message_id)


async def test_a_follow_matches_a_new_item(running_bot: RunningBot) -> None:
    bot = running_bot
    await admin_feed(bot)
    (answer,) = await bot.say("/follow Казахстан", user=USER)
    assert answer.text == t(
        "ru", "follow_added", phrase="Казахстан", count=1, limit=FollowsConfig().per_chat
    )
    assert await bot.storage.outbox_counts() == {}  # the old item mentions it: not pushed
    await bot.publish("/news.xml", [ABOUT_WEATHER, ABOUT_KAZAKHSTAN, *OLD])
    (card,) = await cards_to(bot, USER, 1)
    assert "Переговоры в Астане" in card.text  # "Казахстана": an inflected form
    assert t("ru", "card_followed", phrase="Казахстан") in card.text
    assert "Погода" not in card.text


async def test_an_item_for_a_topic_and_a_follow_comes_once(running_bot: RunningBot) -> None:
    bot = running_bot
    await admin_feed(bot)
    await bot.say("/subscribe central-asia", user=USER)
    await bot.say("/follow «казахстан»", user=USER)
    await bot.say("/follow Казахстан", user=OTHER, language="en")  # a chat with the follow only
    await bot.publish("/news.xml", [ABOUT_KAZAKHSTAN, *OLD])
    await bot.outbox_is({"sent": 2})
    (mine,) = [m for m in bot.api.messages_to(USER) if "Переговоры" in m.text]
    assert t("ru", "card_followed", phrase="казахстан") in mine.text  # as that chat typed it
    (theirs,) = [m for m in bot.api.messages_to(OTHER) if "Переговоры" in m.text]
    assert t("en", "card_followed", phrase="Казахстан") in theirs.text
    # A subscriber with no follow gets the card without the line.
    await bot.say("/subscribe central-asia", user=202)
    await bot.publish("/news.xml", [FeedItem("kz-2", "Казахстан снова", "Текст."), *OLD])
    await bot.outbox_is({"sent": 5})
    (plain,) = [m for m in bot.api.messages_to(202) if "Казахстан снова" in m.text]
    assert "🔎" not in plain.text


async def test_follow_answers_every_bad_phrase_clearly(running_bot: RunningBot) -> None:
    bot = running_bot
    (usage,) = await bot.say("/follow", user=USER)
    assert usage.text == t(
        "ru", "usage_follow", example="Казахстан", words=MAX_WORDS, chars=MAX_CHARS
    )
    assert t("ru", "usage_follow_feeds") not in usage.text  # users' feeds are off
    answers = {
        "/follow " + "а" * (MAX_CHARS + 1): t("ru", "follow_too_long", chars=MAX_CHARS),
        "/follow раз два три четыре пять шесть": t("ru", "follow_too_many_words", words=MAX_WORDS),
        "/follow G20": t("ru", "follow_not_words", example="Казахстан"),
        "/follow Казах.*": t("ru", "follow_not_words", example="Казахстан"),
        "/follow нефть, газ": t("ru", "follow_not_words", example="Казахстан"),
        "/follow ...": t("ru", "follow_not_words", example="Казахстан"),
        "/follow и в на": t("ru", "follow_only_stopwords", phrase="и в на"),
        "/follow <b>": t("ru", "follow_not_words", example="Казахстан"),
    }
    for command, expected in answers.items():
        (answer,) = await bot.say(command, user=USER)
        assert answer.text == expected, command
    assert await bot.storage.follows(USER) == []
    await bot.say("/follow Нефть", user=USER)
    for again in ("/follow нефть", "/follow «НЕФТЬ».", "/follow  нефть "):
        (answer,) = await bot.say(again, user=USER)
        assert answer.text == t("ru", "follow_already", phrase=again[8:].strip(" «».").strip())
    assert [f.shown for f in await bot.storage.follows(USER)] == ["Нефть"]


async def test_a_chat_follows_at_most_its_limit(tmp_path: Path) -> None:
    async with bot_with(tmp_path, follows=FollowsConfig(per_chat=2)) as bot:
        await bot.say("/follow нефть", user=USER)
        (second,) = await bot.say("/follow газ", user=USER)
        assert second.text == t("ru", "follow_added", phrase="газ", count=2, limit=2)
        (refused,) = await bot.say("/follow уголь", user=USER)
        assert refused.text == tn("ru", "follow_limit_n", 2)
        (again,) = await bot.say("/follow газ", user=USER)  # "already" before "limit"
        assert again.text == t("ru", "follow_already", phrase="газ")
        await bot.say("/unfollow 1", user=USER)
        (now,) = await bot.say("/follow уголь", user=USER)
        assert now.text == t("ru", "follow_added", phrase="уголь", count=2, limit=2)
        (other,) = await bot.say("/follow уголь", user=OTHER)  # the limit is per chat
        assert other.text.startswith("🔎")


async def test_following_lists_and_unfollow_removes_by_number_phrase_and_button(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    (empty,) = await bot.say("/following", user=USER)
    assert empty.text == t("ru", "following_empty", example="Казахстан")
    for phrase in ("нефть", "Газпром", "саммит ШОС", "уголь"):
        await bot.say(f"/follow {phrase}", user=USER)
    (listed,) = await bot.say("/following", user=USER)
    limit = FollowsConfig().per_chat
    assert listed.text.splitlines() == [
        t("ru", "following_header"),
        t("ru", "following_words", count=4, limit=limit),
        "1. нефть",
        "2. Газпром",
        "3. саммит ШОС",
        "4. уголь",
        "",
        t("ru", "following_hint"),
    ]
    (removed,) = await bot.say("/unfollow 2", user=USER)
    assert removed.text == t("ru", "unfollowed", phrase="Газпром")
    (removed,) = await bot.say("/unfollow Саммит шос", user=USER)
    assert removed.text == t("ru", "unfollowed", phrase="саммит ШОС")
    for unknown in ("/unfollow 3", "/unfollow 0", "/unfollow 99999999999", "/unfollow газ"):
        (answer,) = await bot.say(unknown, user=USER)
        assert answer.text == t("ru", "unfollow_unknown", phrase=unknown[10:]), unknown
    (picker,) = await bot.say("/unfollow", user=USER)
    assert picker.text == t("ru", "unfollow_pick")
    follows = await bot.storage.follows(USER)
    assert picker.buttons == [
        [("❌ 1. нефть", UNFOLLOW.data(follows[0].id))],
        [("❌ 2. уголь", UNFOLLOW.data(follows[1].id))],
    ]
    answer = await bot.press(picker, picker.button_data("нефть"), user=USER)
    assert (answer["text"], answer["show_alert"]) == (t("ru", "unfollowed", phrase="нефть"), False)
    shown = await edited(bot, picker, 1)
    assert shown.edits == 1 and shown.buttons == [[("❌ 1. уголь", UNFOLLOW.data(follows[1].id))]]
    again = await bot.press(picker, UNFOLLOW.data(follows[0].id), user=USER)  # a second tap
    assert again["text"] == t("ru", "button_stale")
    await bot.press(picker, UNFOLLOW.data(follows[1].id), user=USER)
    last = await edited(bot, picker, 2)
    assert (last.text, last.buttons) == (t("ru", "following_empty", example="Казахстан"), [])
    assert await bot.storage.follows(USER) == []
    assert await bot.storage.phrase_count() == 0  # nobody follows them: forgotten


async def test_an_unfollowed_phrase_brings_nothing_more(running_bot: RunningBot) -> None:
    bot = running_bot
    await admin_feed(bot)
    await bot.say("/follow Казахстан", user=USER)
    await bot.say("/follow Казахстан", user=OTHER)
    await bot.say("/unfollow казахстан", user=USER)
    await bot.publish("/news.xml", [ABOUT_KAZAKHSTAN, *OLD])
    await bot.outbox_is({"sent": 1})
    assert [m for m in bot.api.messages_to(OTHER) if "Переговоры" in m.text]
    assert not [m for m in bot.api.messages_to(USER) if "Переговоры" in m.text]


FORGED: list[Any] = [
    None,
    "unfollow",
    "unfollow:",
    "unfollow:x",
    "unfollow:1:2",
    "unfollow:01",
    "unfollow:-0",
    "unfollow:99999999999999999999",
]


async def test_forged_or_foreign_presses_remove_nothing(running_bot: RunningBot) -> None:
    bot = running_bot
    await bot.say("/follow нефть", user=USER)
    await bot.say("/follow газ", user=OTHER)
    (picker,) = await bot.say("/unfollow", user=USER)
    (theirs,) = await bot.storage.follows(OTHER)
    for data in [*FORGED, UNFOLLOW.data(theirs.id)]:  # another chat's follow: not from here
        answer = await bot.press(picker, data, user=USER)
        assert answer["text"] == t("ru", "button_stale"), data
    assert len(await bot.storage.follows(USER)) == len(await bot.storage.follows(OTHER)) == 1
    assert bot.api.message(USER, picker.message_id).edits == 0
    assert not [m for m in bot.api.sent if "пошло не так" in m.text or "went wrong" in m.text]


async def test_in_a_group_only_its_admins_change_what_it_follows(running_bot: RunningBot) -> None:
    bot = running_bot
    bot.api.members[(GROUP, ADMIN + 1)] = "administrator"
    group = {"chat_id": GROUP, "chat_type": "group"}
    (refused,) = await bot.say("/follow нефть", user=USER, **group)
    assert refused.text == t("ru", "group_admins_only")
    (done,) = await bot.say("/follow нефть", user=ADMIN + 1, **group)
    assert done.text.startswith("🔎")
    (listed,) = await bot.say("/following", user=USER, **group)  # anyone may look
    assert "1. нефть" in listed.text
    (refused,) = await bot.say("/unfollow 1", user=USER, **group)
    assert refused.text == t("ru", "group_admins_only")
    (picker,) = await bot.say("/unfollow", user=USER, **group)
    answer = await bot.press(picker, picker.button_data("нефть"), user=USER, chat_type="group")
    assert (answer["text"], answer["show_alert"]) == (t("ru", "group_admins_only"), True)
    assert len(await bot.storage.follows(GROUP)) == 1


async def test_a_feed_address_is_refused_unless_users_may_add_feeds(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    bot.feeds.put("/mine.xml", rss("Моя лента", OLD))
    (refused,) = await bot.say(f"/follow {bot.feeds.url('/mine.xml')}", user=USER)
    assert refused.text == t("ru", "follow_feeds_off")
    assert bot.feeds.statuses("/mine.xml") == []  # not even fetched
    assert await bot.storage.feeds() == []
    # The bot's admins may: they could add the feed for everyone anyway. A long title is
    # cut in the answer, and on the ❌ button.
    long = "Лента" + "ы" * 150  # one word: cut at exactly the limit
    bot.feeds.put("/mine.xml", rss(long, OLD))
    _checking, added = await bot.say(f"/follow {bot.feeds.url('/mine.xml')}", user=ADMIN, replies=2)
    title = cut_text(long, 100)
    assert added.text == t("ru", "follow_feed_added", title=title, count=1, limit=5)
    (picker,) = await bot.say("/unfollow", user=ADMIN)
    assert [label for row in picker.buttons for label, _ in row] == [f"❌ 1. {cut_text(long, 40)}"]


async def test_a_users_feed_reaches_its_followers_only(tmp_path: Path) -> None:
    follows = FollowsConfig(users_can_add_feeds=True, feeds_per_chat=1)
    async with bot_with(tmp_path, follows=follows) as bot:
        (usage,) = await bot.say("/follow", user=USER)
        assert usage.text.endswith(t("ru", "usage_follow_feeds"))
        bot.feeds.put("/mine.xml", rss("Моя лента", OLD))
        url = bot.feeds.url("/mine.xml")
        checking, added = await bot.say(f"/follow {url}", user=USER, replies=2)
        assert checking.text == t("ru", "feed_checking")
        assert added.text == t("ru", "follow_feed_added", title="Моя лента", count=1, limit=1)
        (feed,) = await bot.storage.feeds()
        # Another chat follows the same address (spelt differently): one feed, shared.
        (shared,) = await bot.say(
            f"/follow {url.upper().replace('/MINE.XML', '/mine.xml')}/", user=OTHER
        )
        assert shared.text == t("ru", "follow_feed_added", title="Моя лента", count=1, limit=1)
        assert [f.id for f in await bot.storage.feeds()] == [feed.id]
        (again,) = await bot.say(f"/follow {url}", user=USER)
        assert again.text == t("ru", "follow_feed_already", title="Моя лента")
        bot.feeds.put("/other.xml", rss("Другая", OLD))
        (limit,) = await bot.say(f"/follow {bot.feeds.url('/other.xml')}", user=USER)
        assert limit.text == tn("ru", "follow_feed_limit_n", 1)
        # Its items are its followers' only: not filed under topics, not matched to phrases.
        await bot.say("/subscribe central-asia", user=202)
        await bot.say("/follow Казахстан", user=203)
        await bot.publish("/mine.xml", [ABOUT_KAZAKHSTAN, *OLD], title="Моя лента")
        await bot.outbox_is({"sent": 2})
        for chat in (USER, OTHER):
            (card,) = [m for m in bot.api.messages_to(chat) if "Переговоры" in m.text]
            assert "Моя лента" in card.text and "🔎" not in card.text
        for chat in (202, 203):
            assert not [m for m in bot.api.messages_to(chat) if "Переговоры" in m.text]
        (latest, *_) = await bot.say("/latest central-asia", user=202)
        assert "Переговоры" not in latest.text
        # Nor anyone's /latest or /search.
        (latest,) = await bot.say("/latest", user=202)
        assert "Переговоры" not in latest.text
        (found,) = await bot.say("/search переговоры", user=202)
        assert found.text.startswith(t("ru", "search_none", query="переговоры"))
        (listed,) = await bot.say("/following", user=USER)
        assert f"1. Моя лента — {feed.url}" in listed.text
        assert t("ru", "following_feeds", count=1, limit=1) in listed.text
        # The last follower gone, the feed is removed: it is not checked again.
        (gone,) = await bot.say(f"/unfollow {url}", user=USER)
        assert gone.text == t("ru", "unfollowed", phrase="Моя лента")
        assert await bot.storage.feed(feed.id) is not None
        await bot.say("/unfollow 1", user=OTHER)
        assert await bot.storage.feeds() == []


async def test_a_users_feed_goes_through_the_guarded_fetcher(tmp_path: Path) -> None:
    follows = FollowsConfig(users_can_add_feeds=True)
    async with bot_with(tmp_path, follows=follows, private_feeds=False) as bot:
        bot.feeds.put("/mine.xml", rss("Моя лента", OLD))
        url = bot.feeds.url("/mine.xml")  # 127.0.0.1: refused before any connection
        _checking, failed = await bot.say(f"/follow {url}", user=USER, replies=2)
        # Said without the address it resolved to: users cannot map a private network.
        assert failed.text == t("ru", "feed_failed", url=url, reason=t("ru", "not_public"))
        assert bot.feeds.statuses("/mine.xml") == []
        assert await bot.storage.feeds() == [] and await bot.storage.follows(USER) == []
        for bad in ("https://user:pw@news.example/rss", "https://", "http://x.example/a b"):
            (answer,) = await bot.say(f"/follow {bad}", user=USER)
            assert answer.text == t("ru", "follow_bad_url", url=bad), bad


async def test_forged_buttons_show_no_one_an_item_of_a_users_feed(tmp_path: Path) -> None:
    follows = FollowsConfig(users_can_add_feeds=True)
    async with bot_with(tmp_path, follows=follows) as bot:
        bot.feeds.put("/mine.xml", rss("Моя лента", OLD))
        await bot.say(f"/follow {bot.feeds.url('/mine.xml')}", user=USER, replies=2)
        await bot.publish("/mine.xml", [ABOUT_KAZAKHSTAN, *OLD], title="Моя лента")
        await bot.outbox_is({"sent": 1})
        (card,) = [m for m in bot.api.messages_to(USER) if "Переговоры" in m.text]
        item = await bot.storage.newest_item_id()  # the item of the card
        assert await bot.storage.latest_items(None, 50) == []  # not everyone's news
        before = len(bot.api.messages_to(OTHER))
        for data in (SHOW_CARD.data(item), CARD_DOCUMENTS.data(item, 0)):
            answer = await bot.press(card.message_id, data, user=OTHER)
            assert answer["text"] in (t("ru", "item_gone"), t("ru", "button_stale")), data
        assert len(bot.api.messages_to(OTHER)) == before
        # Its follower may open it.
        await bot.press(card, SHOW_CARD.data(item), user=USER)
        await bot.wait_for(
            lambda: sum("Переговоры" in m.text for m in bot.api.messages_to(USER)) == 2
        )
