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


async def test_feed_details_of_a_new_a_full_text_and_a_paused_feed(running_bot: RunningBot) -> None:
    bot = running_bot
    long_title = "Заголовок ленты " * 30  # 480 characters
    bot.feeds.put("/long.xml", rss(long_title, [FeedItem("x", "Старое", "текст")]))
    await bot.say(f"/addfeed {bot.feeds.url('/long.xml')}", user=ADMIN, replies=2)
    (feed,) = await bot.storage.feeds()
    assert feed.added_by == ADMIN

    (details,) = await bot.say("/feed 1", user=ADMIN, language="en")
    title_line = details.text.splitlines()[0]
    assert title_line.startswith("#1 <b>") and len(title_line) <= len("#1 <b></b>") + 300
    assert "full text: no" in details.text and "last error: none" in details.text
    assert "last success: never" not in details.text  # /addfeed's check succeeded

    await bot.storage.update_feed_settings(feed.id, topic_ids=[], fulltext=True, source="admin")
    await bot.storage.pause_feed(feed.id, reason="gone")
    (paused,) = await bot.say("/feed 1", user=ADMIN, language="en")
    assert "full text: yes" in paused.text and "next check: paused (gone)" in paused.text

    (listing,) = await bot.say("/feeds", user=ADMIN, language="en")
    line = listing.text.split("\n")[2]
    assert line.startswith("⏸ #1 ") and len(line) <= len("⏸ #1  — paused: gone") + 80


async def test_a_feed_never_checked_and_a_long_error(running_bot: RunningBot) -> None:
    bot = running_bot
    now = bot.clock.now
    await bot.storage.add_feed(
        "https://never.example/rss",
        title="Never",
        interval_seconds=600,
        next_check_at=now + 60,
        now=now,
    )
    (details,) = await bot.say("/feed 1", user=ADMIN, language="en")
    assert "last success: never · last check: never" in details.text
    await bot.storage.add_feed(
        "https://long.example/rss",
        title="T" * 200,
        interval_seconds=600,
        next_check_at=now,
        now=now,
    )
    (listing,) = await bot.say("/feeds", user=ADMIN, language="en")
    assert "✅ #1 Never — ok never" in listing.text.split("\n")
    assert f"✅ #2 {'T' * 79}… — ok never" in listing.text.split("\n")  # 80 characters at most
    await bot.storage.record_feed_failure(1, error="E" * 400, now=now, next_check_at=now + 60)
    (listing,) = await bot.say("/feeds", user=ADMIN, language="en")
    failing = [ln for ln in listing.text.split("\n") if ln.startswith("⚠️")]
    assert failing == [f"⚠️ #1 Never — 1 failures in a row: {'E' * 119}…"]
    (huge,) = await bot.say("/feed 9999999999999999999", user=ADMIN)  # 19 digits: no such id
    assert "Ленты 9999999999999999999 нет" in huge.text


async def test_two_admins_adding_one_feed_at_once_get_one_feed(running_bot: RunningBot) -> None:
    """/addfeed runs beside other updates: a second one for the same address, arriving while
    the first still checks the feed, ends with 'already followed', not a second feed."""
    bot = running_bot
    bot.feeds.put("/same.xml", rss("Same", [FeedItem("a", "Старое", "x")]), drip=0.002)
    url = bot.feeds.url("/same.xml")
    bot.api.send_command(f"/addfeed {url}", user_id=ADMIN)
    bot.api.send_command(f"/addfeed {url}", user_id=ADMIN)
    messages = await bot.wait_for_messages(ADMIN, 4, timeout=30)
    answers = sorted(m.text for m in messages if "Проверяю" not in m.text)
    assert len(answers) == 2
    assert answers[0].startswith("Лента добавлена") and answers[1].startswith("Эта лента уже есть")
    assert len(await bot.storage.feeds()) == 1
