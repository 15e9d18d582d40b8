"""Feed health for admins: /feeds at a glance, /feed in detail, /refresh, alerts; and a slow
feed never makes anyone else wait."""

from __future__ import annotations

import time

from tests.e2e.conftest import ADMIN, USER
from tests.support.feeds import FeedItem, rss
from tests.support.harness import RunningBot


async def add(bot: RunningBot, path: str, title: str) -> None:
    bot.feeds.put(path, rss(title, [FeedItem(f"{path}-1", "Старое", "текст")]))
    await bot.say(f"/addfeed {bot.feeds.url(path)} central-asia", user=ADMIN, replies=2)


async def test_feeds_feed_and_refresh_show_health(running_bot: RunningBot) -> None:
    bot = running_bot
    await add(bot, "/ok.xml", "Healthy wire")
    await add(bot, "/bad.xml", "Broken wire")
    await add(bot, "/gone.xml", "Gone wire")
    bot.feeds.put("/bad.xml", b"", status=500)
    bot.feeds.put("/gone.xml", b"", status=410)
    bot.clock.advance(601)
    await bot.poll()

    (listing,) = await bot.say("/feeds", user=ADMIN)
    lines = listing.text.splitlines()
    assert lines[0] == "<b>Ленты</b>: 3 · с ошибками: 1 · остановлены: 1"
    assert any(ln.startswith("✅ №1 Healthy wire — успех") for ln in lines)
    assert "⚠️ №2 Broken wire — ошибок подряд: 1: HTTP 500 Internal Server Error" in lines
    assert "⏸ №3 Gone wire — остановлена: gone" in lines

    (details,) = await bot.say("/feed 2", user=ADMIN, language="en")
    assert "#2 <b>Broken wire</b>" in details.text
    assert "failures in a row: 1 · last error: HTTP 500 Internal Server Error" in details.text
    assert "items stored: 1" in details.text and "topics: central-asia" in details.text

    bot.feeds.put(
        "/bad.xml", rss("Broken wire", [FeedItem("n", "Новое", "x"), FeedItem("o", "Старое", "x")])
    )
    (refreshed,) = await bot.say("/refresh 2", user=ADMIN)
    assert refreshed.text == "Проверил №2 Broken wire: новых 2, обновлено 0, к отправке 0."
    (gone,) = await bot.say("/refresh 3", user=ADMIN)
    assert "ошибка — HTTP 410" in gone.text
    (unknown,) = await bot.say("/feed 99", user=ADMIN)
    assert "Ленты 99 нет" in unknown.text
    for odd in ("²", "#¹", "-1", "99999999999999999999999"):
        (answer,) = await bot.say(f"/feed {odd}", user=ADMIN)
        assert f"Ленты {odd} нет" in answer.text
    (usage,) = await bot.say("/refresh", user=ADMIN)
    assert usage.text.startswith("Использование: /refresh")
    for command in ("/feeds", "/feed 1", "/refresh 1"):
        (refused,) = await bot.say(command, user=USER)
        assert "только для администраторов" in refused.text
    # The gone feed also told the admin once, on its own.
    alerts = [m for m in bot.api.messages_to(ADMIN) if m.text.startswith("⏸ Лента №3")]
    assert len(alerts) == 1 and "/refresh 3" in alerts[0].text


async def test_admins_hear_once_of_a_failing_feed_and_once_of_its_recovery(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    await add(bot, "/flaky.xml", "Flaky")
    bot.feeds.put("/flaky.xml", b"", status=503)
    for _ in range(7):  # alert after 5 failures in a row (the default), and only once
        (feed,) = await bot.storage.feeds()
        bot.clock.advance(feed.next_check_at - bot.clock.now)
        await bot.poll()
    failing = [m for m in bot.api.messages_to(ADMIN) if m.text.startswith("⚠️ Лента №1")]
    assert len(failing) == 1 and "HTTP 503" in failing[0].text
    (feed,) = await bot.storage.feeds()
    assert feed.enabled and feed.error_count == 7

    bot.feeds.put("/flaky.xml", rss("Flaky", [FeedItem("x", "Снова", "x")]))
    bot.clock.advance(feed.next_check_at - bot.clock.now)
    await bot.poll()
    await bot.wait_for(
        lambda: any(m.text.startswith("✅ Лента №1") for m in bot.api.messages_to(ADMIN))
    )


async def test_a_slow_feed_being_added_keeps_no_one_waiting(running_bot: RunningBot) -> None:
    """/addfeed of a feed that trickles runs beside other updates; its deadline ends it."""
    bot = running_bot
    bot.feeds.put("/slow.xml", rss("Slow", [FeedItem("s", "x" * 200, "y" * 200)]), drip=0.05)
    started = time.monotonic()
    bot.api.send_command(f"/addfeed {bot.feeds.url('/slow.xml')}", user_id=ADMIN)
    await bot.wait_for_messages(ADMIN, 1)  # "checking the feed…"
    (welcome,) = await bot.say("/start", user=USER)
    answered_in = time.monotonic() - started
    assert "Здравствуйте" in welcome.text
    assert len(bot.api.messages_to(ADMIN)) == 1  # /addfeed is still waiting for the feed
    _, failed = await bot.wait_for_messages(ADMIN, 2, timeout=15)
    assert "Не удалось добавить ленту" in failed.text and "timed out" in failed.text
    assert answered_in < 3.0  # well inside the 5 s deadline the /addfeed waited out
    assert await bot.storage.feeds() == []


async def test_addfeed_follows_the_feed_text_not_its_article_pages(
    running_bot: RunningBot,
) -> None:
    """Full text is a configured feed's option: /addfeed never fetches the item links."""
    bot = running_bot
    bot.feeds.put("/page.html", b"<html><body><p>Page text</p></body></html>")
    link = bot.feeds.url("/page.html")
    bot.feeds.put("/teasers.xml", rss("Teasers", [FeedItem("t", "Title", "teaser", link=link)]))
    await bot.say(f"/addfeed {bot.feeds.url('/teasers.xml')}", user=ADMIN, replies=2)
    (feed,) = await bot.storage.feeds()
    assert not feed.fulltext
    assert bot.feeds.statuses("/page.html") == []
    (item,) = await bot.storage.latest_items()
    assert item.text == "teaser"
