"""Commands with good and bad input, and the sender's answers to Telegram's refusals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from bot.delivery.pacing import Pacer
from bot.delivery.render import cut_text
from bot.i18n import t
from tests.conftest import REPO_ROOT
from tests.e2e.conftest import ADMIN, USER
from tests.support.fake_bot_api import FakeBotApi
from tests.support.feeds import FeedItem, rss
from tests.support.harness import RunningBot, eventually
from tests.support.telegram_html import telegram_html_problems


async def test_wrong_arguments_get_usage_lines(running_bot: RunningBot) -> None:
    bot = running_bot
    (answer,) = await bot.say("/subscribe", user=USER)
    assert answer.text.startswith("Использование: /subscribe")
    (answer,) = await bot.say("/subscribe no-such-topic", user=USER)
    assert "Темы «no-such-topic» нет" in answer.text and "central-asia" in answer.text
    (answer,) = await bot.say("/unsubscribe central-asia", user=USER)
    assert "не были подписаны" in answer.text
    (answer,) = await bot.say("/latest <b>", user=USER, language="en")
    assert "There is no topic “&lt;b&gt;”" in answer.text
    (answer,) = await bot.say("/addfeed", user=ADMIN)
    assert answer.text.startswith("Использование: /addfeed")
    (answer,) = await bot.say("/addfeed ftp://x/y", user=ADMIN)
    assert "Это не адрес http(s)" in answer.text
    (answer,) = await bot.say(f"/addfeed {bot.feeds.url('/a.xml')} nope", user=ADMIN)
    assert "Неизвестные темы: nope" in answer.text
    (answer,) = await bot.say("/removefeed 999", user=ADMIN)
    assert "Ленты 999 нет" in answer.text
    for message in bot.api.sent:
        assert telegram_html_problems(message.text) == []


async def test_a_failing_feed_is_reported_and_not_added(running_bot: RunningBot) -> None:
    bot = running_bot
    _, missing = await bot.say(f"/addfeed {bot.feeds.url('/missing.xml')}", user=ADMIN, replies=2)
    assert "Не удалось добавить ленту" in missing.text and "HTTP 404" in missing.text
    bot.feeds.put("/page.html", b"<html><body>not a feed</body></html>", content_type="text/html")
    _, page = await bot.say(f"/addfeed {bot.feeds.url('/page.html')}", user=ADMIN, replies=2)
    assert "not an RSS, Atom or JSON feed" in page.text
    assert await bot.storage.feeds() == []


async def test_feed_errors_are_kept_on_the_row_and_others_go_on(running_bot: RunningBot) -> None:
    bot = running_bot
    bot.feeds.put("/good.xml", rss("Good", [FeedItem("g1", "Казахстан: старое", "x")]))
    bot.feeds.put("/bad.xml", rss("Bad", [FeedItem("b1", "старое", "x")]))
    await bot.say(f"/addfeed {bot.feeds.url('/good.xml')} central-asia", user=ADMIN, replies=2)
    await bot.say(f"/addfeed {bot.feeds.url('/bad.xml')}", user=ADMIN, replies=2)
    await bot.say("/subscribe central-asia", user=USER)

    bot.feeds.put("/bad.xml", b"", status=500)
    bot.feeds.put(
        "/good.xml",
        rss(
            "Good",
            [FeedItem("g2", "Казахстан: новое", "x"), FeedItem("g1", "Казахстан: старое", "x")],
        ),
    )
    bot.clock.advance(601)
    await bot.poll()
    await bot.wait_for_messages(USER, 2)  # subscribe answer + the new card

    bad, good = sorted(await bot.storage.feeds(), key=lambda f: f.url)
    assert (bad.error_count, bad.last_error) == (1, "HTTP 500 Internal Server Error")
    # First failure: the usual interval, with ±25 % jitter so failing feeds do not stay in step.
    assert 450 <= bad.next_check_at - bot.clock.now <= 750
    assert good.last_error is None
    bot.clock.advance(bad.next_check_at - bot.clock.now)
    await bot.poll()
    again = await bot.storage.feed(bad.id)
    assert again is not None and again.error_count == 2
    assert 900 <= again.next_check_at - bot.clock.now <= 1500  # then backing off, doubling

    (listing,) = await bot.say("/feeds", user=ADMIN)
    assert "HTTP 500 Internal Server Error" in listing.text and "Good" in listing.text
    (answer,) = await bot.say(f"/removefeed {bot.feeds.url('/bad.xml')}", user=ADMIN)
    assert "Лента удалена" in answer.text
    assert [f.url for f in await bot.storage.feeds()] == [good.url]


async def test_blocked_chat_is_deactivated_and_a_429_is_waited_out(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    blocked, limited = 301, 302
    bot.feeds.put("/news.xml", rss("News", [FeedItem("a", "старое", "x")]))
    await bot.say(f"/addfeed {bot.feeds.url('/news.xml')} central-asia", user=ADMIN, replies=2)
    for chat in (blocked, limited):
        await bot.say("/subscribe central-asia", user=chat)
    bot.api.fail_next_send(blocked, 403, "Forbidden: bot was blocked by the user")
    bot.api.fail_next_send(limited, 429, "Too Many Requests: retry after 1", retry_after=1)
    bot.feeds.put(
        "/news.xml", rss("News", [FeedItem("b", "новое", "x"), FeedItem("a", "старое", "x")])
    )
    bot.clock.advance(601)
    await bot.poll()

    # The pacer holds the limited chat for retry_after and sends again: nothing is dropped,
    # and the row never learns of the 429.
    (_, card) = await bot.wait_for_messages(limited, 2)  # the subscribe answer, then the card
    assert "новое" in card.text

    async def settled() -> bool:
        return await bot.storage.outbox_counts() == {"failed": 1, "sent": 1}

    await eventually(settled)
    chat = await bot.storage.chat(blocked)
    assert chat is not None and not chat.active
    pacer = bot.app.bot.rate_limiter
    assert isinstance(pacer, Pacer) and pacer.retries == 1


def test_newsbot_run_polls_the_configured_api(tmp_path: Path) -> None:
    """The console entry point starts, talks to the Bot API and stops cleanly on SIGINT."""
    api = FakeBotApi().start()
    try:
        config = tmp_path / "config.toml"
        config.write_text(
            f'[bot]\ndatabase = "{tmp_path / "bot.db"}"\napi_base_url = "{api.base_url}"\n',
            encoding="utf-8",
        )
        env = {**os.environ, "BOT_TOKEN": api.token}
        command = [sys.executable, "-m", "bot", "run", "--config", str(config)]
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            with api._cond:
                assert api._cond.wait_for(lambda: "getUpdates" in api.calls, timeout=30)
            # A second bot on the same database refuses to start, naming the one running.
            second = subprocess.run(
                command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60
            )
            assert second.returncode == 1
            assert second.stderr.strip().splitlines() == [
                f"error: the database is in use by process {process.pid} "
                f"(lock {tmp_path / 'bot.db'}.lock); stop that bot first, "
                "or give this one its own database"
            ]
            process.send_signal(signal.SIGINT)
            output, _ = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
        assert process.returncode == 0, output.decode()
        assert "getMe" in api.calls
        # Edits never re-run a command; the bot hears of presses of its buttons and of
        # being blocked or removed.
        assert api.allowed_updates == {"message", "callback_query", "my_chat_member"}
        assert (tmp_path / "bot.db").exists()
    finally:
        api.stop()


async def test_delivery_report_counts_the_queue_the_last_day_and_why_cards_failed(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    bot.feeds.put("/news.xml", rss("Лента", [FeedItem("old", "Казахстан: старое", "Казахстан.")]))
    await bot.say(f"/addfeed {bot.feeds.url('/news.xml')} central-asia", user=ADMIN, replies=2)
    readers = [301, 302, 303, 304]
    for chat in readers:
        await bot.say("/subscribe central-asia", user=chat)
    await bot.say("/digest 08:00", user=304)  # its card waits for the digest
    closed = "Bad Request: TOPIC_CLOSED" + "_" * 300  # no space to cut at: cut at 200 exactly
    bot.api.fail_next_send(301, 400, closed)
    bot.api.fail_next_send(302, 400, closed)
    bot.feeds.put(
        "/news.xml",
        rss(
            "Лента",
            [
                FeedItem("new", "Казахстан: новость", "Казахстан."),
                FeedItem("old", "Казахстан: старое", "Казахстан."),
            ],
        ),
    )
    bot.clock.advance(601)
    queued_at = bot.clock()
    await bot.poll()

    async def settled() -> bool:
        return await bot.storage.outbox_counts() == {"failed": 2, "sent": 1, "pending": 1}

    await eventually(settled)
    # A long reason is cut to 200 characters (what Telegram said, as PTB words it).
    reason = cut_text("bad request: Topic_closed" + closed[len("Bad Request: TOPIC_CLOSED") :], 200)
    expected = "\n".join(
        [
            t("en", "delivery_report", due=0, held=1, sending=0, sent=1, failed=2, paused=0),
            t("en", "delivery_error", count=2, error=reason),
        ]
    )
    (report,) = await bot.say("/delivery", user=ADMIN, language="en")
    assert report.text == expected
    bot.clock.now = queued_at + 24 * 3600 - 1  # a second short of a day: still counted
    (same,) = await bot.say("/delivery", user=ADMIN, language="en")
    assert same.text == expected
    bot.clock.now = queued_at + 24 * 3600 + 1  # a day later: the failures are history
    await bot.send_digests()

    async def digest_sent() -> bool:
        return await bot.storage.outbox_counts() == {"failed": 2, "sent": 2}

    await eventually(digest_sent)
    (later,) = await bot.say("/delivery", user=ADMIN, language="en")
    assert later.text == t(
        "en", "delivery_report", due=0, held=0, sending=0, sent=0, failed=0, paused=0
    )
