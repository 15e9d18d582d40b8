"""/stats: the bot at a glance for its admins, in one message, counts in their plural forms."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from handlers.admin import day_start, size_text
from tests.support.feeds import FeedItem
from tests.support.harness import ADMIN, USER, RunningBot

EN_USER, SLOW_USER, PAUSED = 202, 203, 204
TODAYS = (205, 206, 207)  # subscribers from today on: two get their card, one does not
GONE = (301, 302, 303)  # chats that blocked the bot long ago
GROUP, SUPERGROUP, CHANNEL = -100, -100200, -100300
DAY = 24 * 3600


def football(n: int) -> FeedItem:
    return FeedItem(f"f{n}", f"Футбол: матч {n}", "Футбольный клуб сыграл.")


async def shape_a_day_and_a_half(bot: RunningBot) -> None:
    """Chats of every kind; subscriptions; feeds healthy, failing and paused; cards sent and
    failed yesterday and today, and one waiting (each count differs from the others, so a
    count shown in another's place shows)."""
    for user, lang in ((USER, "ru"), (EN_USER, "en"), (PAUSED, "ru")):
        await bot.say("/subscribe sport", user=user, language=lang)
    for chat in (PAUSED, *GONE):
        await bot.storage.upsert_chat(chat, type="private", language="ru", now=bot.clock.now)
        await bot.storage.deactivate_chat(chat)
    bot.api.members[(GROUP, ADMIN)] = "administrator"
    await bot.say("/subscribe central-asia", user=ADMIN, chat_id=GROUP, chat_type="group")
    await bot.storage.upsert_chat(SUPERGROUP, type="supergroup", language="ru", now=bot.clock.now)
    await bot.storage.upsert_chat(CHANNEL, type="channel", language="ru", now=bot.clock.now)
    bot.feeds.put("/sport.xml", b'<?xml version="1.0"?><rss version="2.0"><channel>'
                  b"<title>Sport</title><link>https://s.example/</link><description>d"
                  b"</description></channel></rss>")  # fmt: skip
    await bot.say(f"/addfeed {bot.feeds.url('/sport.xml')}", user=ADMIN, replies=2)
    for n in range(2, 7):  # two failing, three paused
        feed = await bot.storage.add_feed(
            f"https://f{n}.example/rss",
            title=f"f{n}",
            interval_seconds=600,
            next_check_at=bot.clock.now + 30 * DAY,
            now=bot.clock.now,
        )
        if n < 4:
            await bot.storage.record_feed_failure(
                feed.id, error="HTTP 500", now=bot.clock.now, next_check_at=bot.clock.now + 30 * DAY
            )
        else:
            await bot.storage.pause_feed(feed.id, reason="gone")

    # Yesterday: a card sent, one refused.
    bot.api.fail_next_send(EN_USER, 400, "Bad Request: wrong parameters")
    await bot.publish("/sport.xml", [football(1)])
    await bot.outbox_is({"sent": 1, "failed": 1})
    # Today: three cards sent, two refused, and one Telegram could not take yet.
    bot.clock.advance(DAY)
    for user in (SLOW_USER, *TODAYS):
        await bot.say("/subscribe sport", user=user)
    for user in (EN_USER, TODAYS[0]):
        bot.api.fail_next_send(user, 400, "Bad Request: wrong parameters")
    bot.api.fail_next_send(SLOW_USER, 502, "Bad Gateway")
    await bot.publish("/sport.xml", [football(1), football(2)])
    await bot.outbox_is({"sent": 1 + 3, "failed": 1 + 2, "pending": 1})


def database_kb(path: Path) -> int:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        ((size,),) = conn.execute(
            "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size"
        )
    return round(size / 1024)


EXPECTED = {
    "ru": [
        "📊 <b>Статистика</b>",
        "Чаты: 9 активных (6 личных, 2 группы, 1 канал) · 4 на паузе",
        "Подписки по темам:",
        "• Спорт (<code>sport</code>): 6 подписок",
        "• Центральная Азия (<code>central-asia</code>): 1 подписка",
        "Ленты: ✅ 1 в порядке · ⚠️ 2 с ошибками · ⏸ 3 на паузе",
        "Очередь: ждёт 1 доставка · не доставлено сегодня: 2",
        "Доставлено сегодня (Europe/Moscow): 3",
        r"В базе 2 новости · файл базы (\d+) КБ",
    ],
    "en": [
        "📊 <b>Statistics</b>",
        "Chats: 9 active (6 private, 2 groups, 1 channel) · 4 paused",
        "Subscriptions by topic:",
        "• Sport (<code>sport</code>): 6 subscriptions",
        "• Central Asia (<code>central-asia</code>): 1 subscription",
        "Feeds: ✅ 1 healthy · ⚠️ 2 failing · ⏸ 3 paused",
        "Outbox: 1 delivery waiting · failed today: 2",
        "Delivered today (Europe/Moscow): 3",
        r"Stored: 2 items · database (\d+) KB",
    ],
}


@pytest.mark.parametrize("lang", ["ru", "en"])
async def test_stats_count_chats_subscriptions_feeds_the_outbox_and_today(
    running_bot: RunningBot, tmp_path: Path, lang: str
) -> None:
    bot = running_bot
    await shape_a_day_and_a_half(bot)
    (stats,) = await bot.say("/stats", user=ADMIN, language=lang)
    *lines, storage_line = stats.text.split("\n")
    assert lines == EXPECTED[lang][:-1]
    match = re.fullmatch(EXPECTED[lang][-1], storage_line)
    assert match is not None, storage_line
    assert abs(int(match[1]) - database_kb(tmp_path / "newsbot.db")) <= 8


async def test_stats_of_a_new_bot(running_bot: RunningBot) -> None:
    (stats,) = await running_bot.say("/stats", user=ADMIN, language="en")
    assert stats.text.split("\n")[1:-1] == [
        "Chats: 0 active (0 private, 0 groups, 0 channels) · 0 paused",
        "Subscriptions by topic:",
        "• Central Asia (<code>central-asia</code>): 0 subscriptions",
        "• Sport (<code>sport</code>): 0 subscriptions",
        "Feeds: ✅ 0 healthy · ⚠️ 0 failing · ⏸ 0 paused",
        "Outbox: 0 deliveries waiting · failed today: 0",
        "Delivered today (Europe/Moscow): 0",
    ]


def test_today_starts_at_the_local_midnight_even_on_a_clock_change() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    # 29 March 2026: the clocks go from 02:00 to 03:00; the day is 23 hours long.
    late = datetime(2026, 3, 29, 23, 30, tzinfo=berlin).timestamp()
    assert day_start(late, "Europe/Berlin") == datetime(2026, 3, 29, tzinfo=berlin).timestamp()
    assert late - day_start(late, "Europe/Berlin") == 22.5 * 3600
    midnight = datetime(2026, 3, 30, tzinfo=berlin).timestamp()
    assert day_start(midnight, "Europe/Berlin") == midnight
    assert (
        day_start(midnight - 1, "Europe/Berlin") == datetime(2026, 3, 29, tzinfo=berlin).timestamp()
    )


@pytest.mark.parametrize(
    ("size", "ru", "en"),
    [
        (0, "1 КБ", "1 KB"),
        (1536, "2 КБ", "2 KB"),
        (1024**2 - 1, "1024 КБ", "1024 KB"),
        (1024**2, "1,0 МБ", "1.0 MB"),
        (int(45.25 * 1024**2), "45,2 МБ", "45.2 MB"),
        (1024**3 - 1, "1024,0 МБ", "1024.0 MB"),
        (1024**3, "1,0 ГБ", "1.0 GB"),
        (3 * 1024**3 + 1024**3 // 2, "3,5 ГБ", "3.5 GB"),
    ],
)
def test_a_database_size_reads_as_people_write_it(size: int, ru: str, en: str) -> None:
    assert (size_text(size, "ru"), size_text(size, "en")) == (ru, en)
