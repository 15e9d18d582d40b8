"""1,000 users send /subscribe at once while a broadcast runs, against a fake Bot API that
enforces Telegram's limits (scaled up so the test takes seconds): every user gets exactly
one answer, the broadcast reaches every chat, and no limit is broken."""

from __future__ import annotations

from pathlib import Path

from bot.config import DeliveryConfig
from bot.i18n import t
from tests.support.fake_bot_api import FakeBotApi, FloodLimits
from tests.support.feeds import FeedItem, rss
from tests.support.harness import ADMIN, running_bot_against

USERS = range(50_000, 51_000)
READERS = range(60_000, 60_300)  # subscribed before the broadcast
# Telegram's limits, 200 messages/s overall instead of 30; the bot is told the same numbers.
TELEGRAM = FloodLimits(per_second=200, chat_interval=0.1, group_count=20, group_window=60.0)
DELIVERY = DeliveryConfig(messages_per_second=200, chat_interval=0.1, group_per_minute=20)


async def test_a_thousand_subscribes_during_a_broadcast_each_get_one_answer(
    tmp_path: Path,
) -> None:
    api = FakeBotApi(limits=TELEGRAM)
    async with running_bot_against(api, tmp_path, delivery=DELIVERY) as bot:
        topic = await bot.storage.topic("central-asia")
        assert topic is not None
        for chat in READERS:
            await bot.storage.upsert_chat(chat, type="private", language="ru", now=bot.clock())
            await bot.storage.add_subscription(chat, topic.id, now=bot.clock())
        old = [FeedItem("old", "Казахстан: старая новость", "Казахстан.")]
        bot.feeds.put("/news.xml", rss("Лента", old))
        await bot.say(f"/addfeed {bot.feeds.url('/news.xml')} central-asia", user=ADMIN, replies=2)
        news = FeedItem("new", "Казахстан: новость дня", "Казахстан и Таджикистан.")
        bot.feeds.put("/news.xml", rss("Лента", [news, *old]))
        bot.clock.advance(601)
        await bot.poll()  # 300 cards queued; the sender starts on them

        for user in USERS:
            api.send_command("/subscribe central-asia", user_id=user)

        await bot.wait_for(
            lambda: (
                all(api.messages_to(user) for user in USERS)
                and all(api.messages_to(chat) for chat in READERS)
            ),
            timeout=60,
        )
        answer = t("ru", "subscribed", name="Центральная Азия")
        assert all([m.text for m in api.messages_to(user)] == [answer] for user in USERS)
        assert all(len(api.messages_to(chat)) == 1 for chat in READERS)
        assert api.too_many == []  # the pacer kept every limit: Telegram never said 429
        # The two overlapped: answers went out while cards were still going.
        order = [m.chat_id for m in api.sent]
        first_answer = min(order.index(user) for user in USERS)
        last_card = max(order.index(chat) for chat in READERS)
        assert first_answer < last_card
        subscribed = [await bot.storage.subscriptions(user) for user in USERS]
        assert all(len(subs) == 1 for subs in subscribed)
