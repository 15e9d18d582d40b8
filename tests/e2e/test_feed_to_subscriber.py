"""The foundation scenario: an admin adds a feed, a user subscribes, a new item reaches them."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from tests.e2e.conftest import ADMIN, USER
from tests.support.fake_bot_api import FakeBotApi
from tests.support.feeds import FeedItem, rss
from tests.support.harness import RunningBot, e2e_config, eventually, running_bot_against

OLD_ITEMS = [
    FeedItem("old-1", "Старая новость о Казахстане", "Казахстан и соседи обсудили транзит."),
    FeedItem("old-2", "Вторая старая новость", "Ничего о регионе."),
]
NEW_ITEM = FeedItem(
    "new-1",
    "Президенты обсудили торговлю <и> транзит & логистику",
    "Лидеры Казахстана и соседей договорились увеличить товарооборот.",
    published=1_700_100_000.0,
)


async def test_new_item_reaches_subscriber_once(running_bot: RunningBot) -> None:
    bot = running_bot
    bot.feeds.put("/news.xml", rss("Лента новостей", OLD_ITEMS))
    feed_url = bot.feeds.url("/news.xml")

    _checking, added = await bot.say(f"/addfeed {feed_url} central-asia", user=ADMIN, replies=2)
    assert "Лента добавлена" in added.text
    assert "Лента новостей" in added.text and "записей: 2" in added.text

    (answer,) = await bot.say("/subscribe central-asia", user=USER)
    assert "подписаны" in answer.text

    # The first poll has happened inside /addfeed: old items are stored but queued for nobody.
    assert await bot.storage.outbox_counts() == {}

    bot.feeds.put("/news.xml", rss("Лента новостей", [NEW_ITEM, *OLD_ITEMS]))
    bot.clock.advance(601)
    before = len(bot.api.messages_to(USER))  # the sender may deliver as soon as poll() queues
    await bot.poll()

    counts = await bot.storage.outbox_counts()
    assert sum(counts.values()) == 1, counts
    (card,) = (await bot.wait_for_messages(USER, before + 1))[before:]

    async def delivered() -> bool:
        return await bot.storage.outbox_counts() == {"sent": 1}

    await eventually(delivered)
    assert len(bot.api.messages_to(USER)) == before + 1
    assert "Президенты обсудили торговлю &lt;и&gt; транзит &amp; логистику" in card.text
    assert card.params.get("parse_mode") == "HTML"
    assert "Старая новость" not in card.text
    assert 'href="https://news.example/new-1"' in card.text

    (latest, *_) = await bot.say("/latest central-asia", user=USER)
    assert "Президенты обсудили торговлю" in latest.text
    # No link preview by default, the same for the card pushed and the card asked for.
    for message in (card, latest):
        assert json.loads(message.params["link_preview_options"]) == {"is_disabled": True}


async def test_link_previews_switched_on_show_under_pushed_and_requested_cards(
    tmp_path: Path,
) -> None:
    delivery = dataclasses.replace(e2e_config(FakeBotApi(), tmp_path).delivery, link_previews=True)
    async with running_bot_against(FakeBotApi(), tmp_path, delivery=delivery) as bot:
        bot.feeds.put("/news.xml", rss("Лента новостей", OLD_ITEMS))
        await bot.say(f"/addfeed {bot.feeds.url('/news.xml')} central-asia", user=ADMIN, replies=2)
        await bot.say("/subscribe central-asia", user=USER)
        bot.feeds.put("/news.xml", rss("Лента новостей", [NEW_ITEM, *OLD_ITEMS]))
        bot.clock.advance(601)
        await bot.poll()
        await bot.wait_for(lambda: any("Президенты" in m.text for m in bot.api.messages_to(USER)))
        (latest, *_) = await bot.say("/latest central-asia", user=USER)
        cards = [m for m in bot.api.messages_to(USER) if "Президенты" in m.text]
        assert len(cards) == 2 and cards[-1] is latest
        for message in cards:
            assert json.loads(message.params["link_preview_options"]) == {"is_disabled": False}


async def test_non_admin_cannot_add_feeds(running_bot: RunningBot) -> None:
    bot = running_bot
    bot.feeds.put("/news.xml", rss("Лента", OLD_ITEMS))
    (answer,) = await bot.say(f"/addfeed {bot.feeds.url('/news.xml')}", user=USER)
    assert "только для администраторов" in answer.text
    assert await bot.storage.feeds() == []
    assert bot.feeds.statuses("/news.xml") == []


async def test_not_modified_feed_stores_nothing(running_bot: RunningBot) -> None:
    bot = running_bot
    bot.feeds.put("/news.xml", rss("Лента", OLD_ITEMS))
    await bot.say(f"/addfeed {bot.feeds.url('/news.xml')} central-asia", user=ADMIN, replies=2)
    await bot.say("/subscribe central-asia", user=USER)
    items_before = await bot.storage.latest_items(limit=100)

    bot.clock.advance(601)
    await bot.poll()

    assert bot.feeds.statuses("/news.xml") == [200, 304]
    assert await bot.storage.latest_items(limit=100) == items_before
    assert await bot.storage.outbox_counts() == {}
    (feed,) = await bot.storage.feeds()
    assert feed.last_error is None and feed.next_check_at == bot.clock.now + 600


async def test_a_flood_arrives_as_twenty_cards_and_one_and_n_more(running_bot: RunningBot) -> None:
    bot = running_bot
    bot.feeds.put("/flood.xml", rss("Поток", OLD_ITEMS))
    await bot.say(f"/addfeed {bot.feeds.url('/flood.xml')} central-asia", user=ADMIN, replies=2)
    await bot.say("/subscribe central-asia", user=USER)
    flood = [FeedItem(f"f{n}", f"Новость {n}", f"Текст {n}.") for n in range(25)]
    bot.feeds.put("/flood.xml", rss("Поток", [*flood, *OLD_ITEMS]))
    bot.clock.advance(601)
    before = len(bot.api.messages_to(USER))
    await bot.poll()
    received = (await bot.wait_for_messages(USER, before + 21))[before:]
    assert [m.text.splitlines()[0] for m in received[:20]] == [
        f"<b>Новость {n}</b>" for n in range(20)
    ]
    assert received[20].text == "…и ещё 5 новых записей из <b>Поток</b>. Самые свежие: /latest"

    async def all_sent() -> bool:
        return await bot.storage.outbox_counts() == {"sent": 21}

    await eventually(all_sent)
    assert len(bot.api.messages_to(USER)) == before + 21


STORY = (
    "Президенты Казахстана и Таджикистана провели переговоры в Астане и подписали девять "
    "документов о сотрудничестве в энергетике, транспорте, торговле и водных ресурсах. "
    "Стороны договорились увеличить товарооборот до двух миллиардов долларов."
)


async def test_one_story_from_two_feeds_reaches_a_subscriber_once(running_bot: RunningBot) -> None:
    bot = running_bot
    for path, title in (("/a.xml", "Лента А"), ("/b.xml", "Лента Б")):
        bot.feeds.put(path, rss(title, OLD_ITEMS))
        await bot.say(f"/addfeed {bot.feeds.url(path)} central-asia", user=ADMIN, replies=2)
    await bot.say("/subscribe central-asia", user=USER)
    bot.feeds.put(
        "/a.xml", rss("Лента А", [FeedItem("a-1", "Токаев и Рахмон провели переговоры", STORY)])
    )
    bot.feeds.put(
        "/b.xml",
        rss("Лента Б", [FeedItem("b-7", "Токаев и Рахмон провели переговоры в Астане", STORY)]),
    )
    bot.clock.advance(601)
    before = len(bot.api.messages_to(USER))
    await bot.poll()

    async def settled() -> bool:
        return await bot.storage.outbox_counts() == {"sent": 1}

    await eventually(settled)
    (card,) = bot.api.messages_to(USER)[before:]
    assert "Токаев и Рахмон провели переговоры" in card.text
    (latest,) = await bot.say("/latest", user=USER)
    first, *others = latest.text.split("\n\n")[1:]
    assert "Также в: Лента" in first  # the story once, naming the other feed
    assert "Токаев и Рахмон" not in "".join(others)
