"""Digests at a chat's local times and quiet hours, through the real Application, with the
injected clock (1_800_000_000 is 13:00 in Almaty, 08:00 UTC)."""

from __future__ import annotations

import pytest

from bot.i18n import t
from tests.e2e.conftest import ADMIN, USER
from tests.support.feeds import FeedItem, rss
from tests.support.harness import RunningBot, eventually

HOUR = 3600.0
OLD = [FeedItem("old-1", "Казахстан: старая новость", "Казахстан и соседи.")]


def item(n: int) -> FeedItem:
    return FeedItem(f"new-{n}", f"Казахстан: новость {n}", f"Казахстан. Текст {n}.")


async def follow_feed(bot: RunningBot) -> None:
    bot.feeds.put("/news.xml", rss("Лента", OLD))
    await bot.say(f"/addfeed {bot.feeds.url('/news.xml')} central-asia", user=ADMIN, replies=2)
    await bot.say("/subscribe central-asia", user=USER)


async def test_a_digest_chat_gets_one_message_at_its_local_time(running_bot: RunningBot) -> None:
    bot = running_bot
    await follow_feed(bot)
    (zone,) = await bot.say("/timezone asia/almaty", user=USER)
    assert zone.text == t("ru", "timezone_set", timezone="Asia/Almaty", now="15.01.2027 13:00")
    (answer,) = await bot.say("/digest 19:00 8:00", user=USER)
    assert answer.text == t(
        "ru", "digest_set", times="08:00, 19:00", timezone="Asia/Almaty", next="15.01.2027 19:00"
    )
    before = len(bot.api.messages_to(USER))

    await bot.publish("/news.xml", [item(1), *OLD])  # 13:10
    await bot.publish("/news.xml", [item(2), item(1), *OLD])  # 13:20
    bot.clock.advance(5 * HOUR)  # 18:20: not yet
    await bot.send_digests()
    bot.wake_sender()
    assert await bot.storage.outbox_counts() == {"pending": 2}
    assert len(bot.api.messages_to(USER)) == before

    bot.clock.advance(40 * 60)  # 19:00
    await bot.send_digests()
    (digest,) = (await bot.wait_for_messages(USER, before + 1))[before:]
    assert digest.text.startswith("<b>Дайджест · 15.01.2027 19:00 · новостей: 2</b>")
    assert "<b>Центральная Азия</b>" in digest.text
    assert digest.text.index("новость 1") < digest.text.index("новость 2")  # in queued order
    await bot.outbox_is({"sent": 2})

    # The next item waits for 08:00 the next morning; the job running again sends nothing.
    await bot.publish("/news.xml", [item(3), item(2), item(1), *OLD])
    await bot.send_digests()
    bot.wake_sender()
    assert await bot.storage.outbox_counts() == {"sent": 2, "pending": 1}
    bot.clock.advance(13 * HOUR)  # 08:10 the next day
    await bot.send_digests()
    (morning,) = (await bot.wait_for_messages(USER, before + 2))[before + 1 :]
    assert "новость 3" in morning.text and "новость 1" not in morning.text
    await bot.outbox_is({"sent": 3})


async def test_turning_digests_off_sends_what_was_held_at_once(running_bot: RunningBot) -> None:
    bot = running_bot
    await follow_feed(bot)
    await bot.say("/digest 08:00", user=USER)
    await bot.publish("/news.xml", [item(1), *OLD])
    await bot.publish("/news.xml", [item(2), item(1), *OLD])
    before = len(bot.api.messages_to(USER))

    answers = await bot.say("/digest off", user=USER, replies=2)
    assert t("ru", "digest_off") in [m.text for m in answers]
    (digest,) = [m for m in answers if m.text.startswith("<b>Дайджест")]
    assert "новость 1" in digest.text and "новость 2" in digest.text
    await bot.outbox_is({"sent": 2})
    # Instant again: the next item comes as its own card.
    await bot.publish("/news.xml", [item(3), item(2), item(1), *OLD])
    (card,) = (await bot.wait_for_messages(USER, before + 3))[before + 2 :]
    assert card.text.startswith("<b>Казахстан: новость 3</b>")


async def test_quiet_hours_hold_cards_until_they_end(running_bot: RunningBot) -> None:
    bot = running_bot
    await follow_feed(bot)
    await bot.say("/timezone Asia/Almaty", user=USER)
    (answer,) = await bot.say("/quiet 13:00 15:30", user=USER)  # it is 13:00 there
    assert answer.text == t("ru", "quiet_set", start="13:00", end="15:30", timezone="Asia/Almaty")
    before = len(bot.api.messages_to(USER))

    await bot.publish("/news.xml", [item(1), *OLD])

    async def waiting() -> bool:
        return await bot.storage.outbox_counts() == {"pending": 1}

    await eventually(waiting)
    bot.clock.advance(2 * HOUR)  # 15:10: still quiet
    bot.wake_sender()
    await eventually(waiting)
    assert len(bot.api.messages_to(USER)) == before
    bot.clock.advance(20 * 60)  # 15:30
    bot.wake_sender()
    (card,) = (await bot.wait_for_messages(USER, before + 1))[before:]
    assert "новость 1" in card.text
    # The card's time is the chat's: 22:13 UTC was 04:13 in Almaty (01:13 in Moscow).
    assert "15.11.2023 04:13" in card.text


async def test_quiet_hours_switched_off_let_held_cards_go(running_bot: RunningBot) -> None:
    bot = running_bot
    await follow_feed(bot)
    await bot.say("/quiet 10:00 23:00", user=USER)  # 11:00 in Moscow, the default zone
    await bot.publish("/news.xml", [item(1), *OLD])

    async def waiting() -> bool:
        return await bot.storage.outbox_counts() == {"pending": 1}

    await eventually(waiting)
    before = len(bot.api.messages_to(USER))
    answers = await bot.say("/quiet off", user=USER, replies=2)
    assert sorted(m.text.startswith("<b>Казахстан: новость 1</b>") for m in answers) == [
        False,
        True,
    ]
    assert t("ru", "quiet_off") in [m.text for m in answers]
    assert len(bot.api.messages_to(USER)) == before + 2


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        ("/digest 25:00", "usage_digest"),
        ("/digest 08:00 noon", "usage_digest"),
        ("/digest 1:00 2:00 3:00 4:00 5:00 6:00 7:00", "usage_digest"),
        ("/quiet 23:00", "usage_quiet"),
        ("/quiet 10:00 10:00", "usage_quiet"),
        ("/quiet 10:00 11:00 12:00", "usage_quiet"),
        ("/timezone Mars/Olympus", "unknown_timezone"),
    ],
)
async def test_bad_settings_get_a_clear_answer_and_change_nothing(
    running_bot: RunningBot, command: str, answer: str
) -> None:
    bot = running_bot
    await bot.say("/start", user=USER)
    (reply,) = await bot.say(command, user=USER)
    assert reply.text == t("ru", answer, most=6, name="Mars/Olympus")
    chat = await bot.storage.chat(USER)
    assert chat is not None
    assert (chat.timezone, chat.digest_times, chat.quiet) == (None, (), None)


async def test_settings_show_what_is_set_and_commands_alone_show_their_usage(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    (fresh,) = await bot.say("/settings", user=USER, language="en")
    assert fresh.text == t(
        "en",
        "settings",
        timezone="Europe/Moscow",
        mode=t("en", "mode_instant"),
        quiet=t("en", "quiet_none"),
    )
    await bot.say("/timezone Asia/Dushanbe", user=USER)
    await bot.say("/digest 07:30 20:00", user=USER)
    await bot.say("/quiet 23:00 07:00", user=USER)
    (shown,) = await bot.say("/digest", user=USER)
    settings = t(
        "ru",
        "settings",
        timezone="Asia/Dushanbe",
        mode=t("ru", "mode_digest", times="07:30, 20:00"),
        quiet=t("ru", "quiet_hours", start="23:00", end="07:00"),
    )
    assert shown.text == settings + "\n\n" + t("ru", "usage_digest", most=6)


async def test_in_a_group_only_admins_change_its_settings(running_bot: RunningBot) -> None:
    bot = running_bot
    group = -4242
    kw = {"chat_id": group, "chat_type": "group"}
    bot.api.members[(group, ADMIN + 1)] = "administrator"
    before = len(bot.api.messages_to(group))
    bot.api.send_command("/digest 08:00", user_id=USER, **kw)  # type: ignore[arg-type]
    (refused,) = (await bot.wait_for_messages(group, before + 1))[before:]
    assert refused.text == t("ru", "group_admins_only")
    assert await bot.storage.chat(group) is None
    bot.api.send_command("/digest 08:00", user_id=ADMIN + 1, **kw)  # type: ignore[arg-type]
    (done,) = (await bot.wait_for_messages(group, before + 2))[before + 1 :]
    assert done.text.startswith("Готово: дайджест в 08:00")
    chat = await bot.storage.chat(group)
    assert chat is not None and chat.digest_times == (480,)
