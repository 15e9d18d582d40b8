"""A channel subscribed from a private chat by one of its administrators
(`/subscribe @channel topic`), once the bot has checked that it may post there."""

from __future__ import annotations

import pytest

from bot.i18n import t
from tests.e2e.conftest import ADMIN, USER
from tests.support.fake_bot_api import BOT_ID
from tests.support.feeds import FeedItem, rss
from tests.support.harness import RunningBot

CHANNEL, NAME = -1001234567890, "newsroom"
GROUP = -100777
TOPIC_RU = "Центральная Азия"
OLD = [FeedItem("old-1", "Казахстан: старая новость", "Казахстан и соседи.")]
NEW = FeedItem("new-1", "Казахстан: новость дня", "Казахстан и Таджикистан подписали соглашения.")


def channel_run_by(bot: RunningBot, user: int, *, bot_status: str = "administrator") -> None:
    bot.api.add_chat(CHANNEL, NAME)
    bot.api.members[(CHANNEL, user)] = "creator"
    bot.api.members[(CHANNEL, BOT_ID)] = bot_status


async def test_an_admin_of_a_channel_subscribes_it_and_the_channel_gets_the_news(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    channel_run_by(bot, USER)
    bot.feeds.put("/news.xml", rss("Лента", OLD))
    await bot.say(f"/addfeed {bot.feeds.url('/news.xml')} central-asia", user=ADMIN, replies=2)

    (answer,) = await bot.say(f"/subscribe @{NAME} central-asia", user=USER)
    assert answer.text == t("ru", "channel_subscribed", name=TOPIC_RU, channel=f"@{NAME}")
    chat = await bot.storage.chat(CHANNEL)
    assert chat is not None and (chat.type, chat.active) == ("channel", True)
    assert await bot.storage.subscriptions(USER) == []  # the user's own chat is untouched
    (again,) = await bot.say(f"/subscribe {CHANNEL} central-asia", user=USER)  # by id too
    assert again.text == t("ru", "channel_already_subscribed", name=TOPIC_RU, channel=str(CHANNEL))

    bot.feeds.put("/news.xml", rss("Лента", [NEW, *OLD]))
    bot.clock.advance(601)
    await bot.poll()
    (card,) = await bot.wait_for_messages(CHANNEL, 1)
    assert "Казахстан: новость дня" in card.text and card.thread_id is None

    (listed,) = await bot.say(f"/mysubs @{NAME}", user=USER)
    assert listed.text.startswith(t("ru", "channel_subs_header", channel=f"@{NAME}"))
    assert "central-asia" in listed.text
    (own,) = await bot.say("/mysubs", user=USER)
    assert own.text == t("ru", "mysubs_empty")
    (gone,) = await bot.say(f"/unsubscribe @{NAME} central-asia", user=USER)
    assert gone.text == t("ru", "channel_unsubscribed", name=TOPIC_RU, channel=f"@{NAME}")
    (twice,) = await bot.say(f"/unsubscribe @{NAME} central-asia", user=USER)
    assert twice.text == t("ru", "channel_not_subscribed", name=TOPIC_RU, channel=f"@{NAME}")
    (empty,) = await bot.say(f"/mysubs @{NAME}", user=USER, language="en")
    assert empty.text == t("en", "channel_subs_empty", channel=f"@{NAME}")


@pytest.mark.parametrize(
    ("situation", "command", "refusal"),
    [
        ("asked in a group", "/subscribe @newsroom central-asia", "channel_from_private_chat"),
        ("no such channel", "/subscribe @nosuchchannel central-asia", "channel_not_found"),
        ("a group, not a channel", "/subscribe @talkgroup central-asia", "not_a_channel"),
        ("the bot is not an admin", "/subscribe @newsroom central-asia", "channel_bot_cannot_post"),
        ("the bot may not post", "/subscribe @newsroom central-asia", "channel_bot_cannot_post"),
        ("the user is no admin", "/subscribe @newsroom central-asia", "channel_admins_only"),
        ("unsubscribing, no admin", "/unsubscribe @newsroom central-asia", "channel_admins_only"),
        ("listing, no admin", "/mysubs @newsroom", "channel_admins_only"),
    ],
)
async def test_a_channel_is_changed_only_by_its_admins_and_only_where_the_bot_may_post(
    running_bot: RunningBot, situation: str, command: str, refusal: str
) -> None:
    bot = running_bot
    channel_run_by(bot, USER)
    bot.api.add_chat(GROUP, "talkgroup", chat_type="supergroup")
    bot.api.members[(GROUP, USER)] = bot.api.members[(GROUP, BOT_ID)] = "administrator"
    where: dict[str, object] = {}
    if situation == "asked in a group":
        where = {"chat_id": GROUP, "chat_type": "supergroup"}
    elif situation == "the bot is not an admin":
        bot.api.members[(CHANNEL, BOT_ID)] = "member"
    elif situation == "the bot may not post":
        bot.api.cannot_post.add(CHANNEL)
    elif situation.endswith("no admin"):
        bot.api.members[(CHANNEL, USER)] = "member"
    chat = where.get("chat_id", USER)
    assert isinstance(chat, int)
    before = len(bot.api.messages_to(chat))
    bot.api.send_command(command, user_id=USER, **where)  # type: ignore[arg-type]
    (answer,) = (await bot.wait_for_messages(chat, before + 1))[before:]

    name = command.split()[1]
    assert answer.text == t("ru", refusal, channel=name)
    assert (
        await bot.storage.chat(CHANNEL) is None and await bot.storage.subscriptions(CHANNEL) == []
    )


async def test_a_subscribed_channel_admin_who_lost_the_right_can_no_longer_change_it(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    channel_run_by(bot, USER)
    (answer,) = await bot.say(f"/subscribe @{NAME} central-asia", user=USER)
    assert answer.text == t("ru", "channel_subscribed", name=TOPIC_RU, channel=f"@{NAME}")
    bot.api.members[(CHANNEL, USER)] = "member"
    bot.clock.advance(61)  # Telegram's answer is cached for a minute
    (refused,) = await bot.say(f"/unsubscribe @{NAME} central-asia", user=USER)
    assert refused.text == t("ru", "channel_admins_only", channel=f"@{NAME}")
    assert [s.topic.slug for s in await bot.storage.subscriptions(CHANNEL)] == ["central-asia"]


@pytest.mark.parametrize(
    "command", ["/subscribe @ab central-asia", "/subscribe @newsroom", "/mysubs @newsroom extra"]
)
async def test_a_malformed_channel_command_gets_the_usage(
    running_bot: RunningBot, command: str
) -> None:
    bot = running_bot
    channel_run_by(bot, USER)
    (answer,) = await bot.say(command, user=USER)
    usage = {"/subscribe": "usage_subscribe", "/mysubs": "usage_mysubs"}[command.split()[0]]
    assert answer.text == t("ru", usage, example="central-asia")
    assert await bot.storage.subscriptions(CHANNEL) == []
