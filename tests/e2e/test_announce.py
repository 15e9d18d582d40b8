"""/announce: a preview with "Send to N chats" and "Cancel", then the admin's text, as
written, in every active chat through the outbox — once, however often the button is pressed."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import build_application
from bot.delivery.notices import ANNOUNCEMENT_LIMIT
from bot.i18n import t, tn
from handlers.announce import DROP_ANNOUNCEMENT, SEND_ANNOUNCEMENT
from storage import open_storage
from tests.support.fake_bot_api import FakeBotApi, SentMessage
from tests.support.feed_server import FeedServer
from tests.support.harness import ADMIN, USER, Clock, RunningBot, e2e_config

SECOND_ADMIN = 101
EN_USER = 202
PAUSED = 203
GROUP = -100300
TEXT = "Завтра <бот> отдыхает & чинится.\nПослезавтра — снова с вами!"
SHOWN = "Завтра &lt;бот&gt; отдыхает &amp; чинится.\nПослезавтра — снова с вами!"


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[RunningBot]:
    """The real Application with two admins, and four chats: two readers (ru, en), a group,
    and a reader who blocked the bot."""
    api = FakeBotApi().start()
    feeds = FeedServer().start()
    config = dataclasses.replace(e2e_config(api, tmp_path), admins=frozenset({ADMIN, SECOND_ADMIN}))
    storage = await open_storage(config.database)
    clock = Clock()
    running = RunningBot(
        build_application(config, storage=storage, clock=clock, poll_tick=3600),
        api,
        feeds,
        storage,
        clock,
    )
    await running.start()
    try:
        await running.say("/start", user=USER, language="ru")
        await running.say("/start", user=EN_USER, language="en")
        await running.say("/start", user=PAUSED, language="ru")
        await storage.deactivate_chat(PAUSED)
        await storage.upsert_chat(GROUP, type="group", language="ru", now=clock.now)
        yield running
    finally:
        await running.stop()
        await storage.close()
        feeds.stop()
        api.stop()


async def preview(bot: RunningBot, text: str = TEXT, *, user: int = ADMIN) -> SentMessage:
    (shown,) = await bot.say(f"/announce {text}", user=user, language="ru")
    return shown


async def test_an_announcement_is_previewed_then_sent_once_to_every_active_chat(
    bot: RunningBot,
) -> None:
    shown = await preview(bot)
    assert shown.text == tn("ru", "announce_preview_n", 3) + "\n\n" + SHOWN
    (notice_id,) = SEND_ANNOUNCEMENT.parse(shown.button_data("✅")) or (0,)
    assert shown.buttons == [
        [(tn("ru", "announce_send_n", 3), SEND_ANNOUNCEMENT.data(notice_id))],
        [(t("ru", "button_cancel"), DROP_ANNOUNCEMENT.data(notice_id))],
    ]
    assert await bot.storage.outbox_counts() == {}  # nothing goes before the press

    answer = await bot.press(shown, SEND_ANNOUNCEMENT.data(notice_id), user=ADMIN)
    assert answer["text"] is None
    assert (shown.text, shown.buttons) == (
        tn("ru", "announce_queued_n", 3) + "\n\n" + SHOWN,
        [],
    )
    await bot.outbox_is({"sent": 3})
    for chat in (USER, EN_USER, GROUP):  # as written, in whatever language the chat reads
        assert bot.api.messages_to(chat)[-1].text == SHOWN
    assert len(bot.api.messages_to(PAUSED)) == 1  # its /start answer only

    # A second tap (the edit had not shown yet): told, and sent nothing more.
    again = await bot.press(shown, SEND_ANNOUNCEMENT.data(notice_id), user=ADMIN)
    assert again["text"] == tn("ru", "announce_already_n", 3)
    cancel = await bot.press(shown, DROP_ANNOUNCEMENT.data(notice_id), user=ADMIN)
    assert cancel["text"] == tn("ru", "announce_already_n", 3)
    await bot.outbox_is({"sent": 3})
    assert shown.edits == 1


async def test_only_the_admin_who_wrote_it_sends_or_cancels_it(bot: RunningBot) -> None:
    shown = await preview(bot)
    for data in (shown.button_data("✅"), shown.button_data(t("ru", "button_cancel"))):
        answer = await bot.press(shown, data, user=SECOND_ADMIN)
        assert (answer["text"], answer["show_alert"]) == (t("ru", "announce_not_yours"), True)
    assert shown.edits == 0
    answer = await bot.press(shown, shown.button_data("✅"), user=ADMIN)
    assert answer["text"] is None
    await bot.outbox_is({"sent": 3})


async def test_a_cancelled_announcement_is_never_sent(bot: RunningBot) -> None:
    shown = await preview(bot)
    send = shown.button_data("✅")
    answer = await bot.press(shown, shown.button_data(t("ru", "button_cancel")), user=ADMIN)
    assert answer["text"] is None
    assert (shown.text, shown.buttons) == (t("ru", "announce_cancelled"), [])
    late = await bot.press(shown, send, user=ADMIN)
    assert late["text"] == t("ru", "announce_was_cancelled")
    assert await bot.storage.outbox_counts() == {}


async def test_stale_or_forged_presses_are_answered_harmlessly(bot: RunningBot) -> None:
    shown = await preview(bot)
    (notice_id,) = SEND_ANNOUNCEMENT.parse(shown.button_data("✅")) or (0,)
    for data in (
        SEND_ANNOUNCEMENT.data(notice_id + 1),  # no such announcement
        DROP_ANNOUNCEMENT.data(notice_id + 1),
        "annsend",
        "annsend:",
        f"annsend:{notice_id}:1",
        "annsend:x",
        f"anndrop:{notice_id}0000000000000000000000",
    ):
        answer = await bot.press(shown, data, user=ADMIN)
        assert answer["text"] == t("ru", "button_stale"), data
    assert shown.edits == 0 and await bot.storage.outbox_counts() == {}


async def test_the_usage_a_text_too_long_and_nobody_to_send_to(bot: RunningBot) -> None:
    (usage,) = await bot.say("/announce", user=ADMIN, language="en")
    assert usage.text == t("en", "usage_announce", chats=tn("en", "chats_n", 3))
    longest = "ж" * ANNOUNCEMENT_LIMIT
    (too_long,) = await bot.say(f"/announce {longest}ж", user=ADMIN)
    assert too_long.text == tn(
        "ru", "announce_too_long_n", ANNOUNCEMENT_LIMIT + 1, most=ANNOUNCEMENT_LIMIT
    )
    # What looks like markup is text (it is shown as typed), and counts as such.
    (markup,) = await bot.say("/announce " + "<b>" * (ANNOUNCEMENT_LIMIT // 3 + 1), user=ADMIN)
    assert markup.text.startswith(
        tn("ru", "announce_too_long_n", ANNOUNCEMENT_LIMIT + 1, most=ANNOUNCEMENT_LIMIT)
    )
    fits = await preview(bot, longest)  # the preview of the longest fits in one message
    assert fits.text.endswith(longest)
    tags = "<i>" * (ANNOUNCEMENT_LIMIT // 3)
    assert (await preview(bot, tags)).text.endswith("&lt;i&gt;" * (ANNOUNCEMENT_LIMIT // 3))
    for chat in (USER, EN_USER, GROUP):
        await bot.storage.deactivate_chat(chat)
    (nobody,) = await bot.say("/announce Привет", user=ADMIN)
    assert nobody.text == t("ru", "announce_no_chats")


async def test_quiet_hours_hold_an_announcement_and_a_digest_does_not(bot: RunningBot) -> None:
    # The clock is 2027-01-15 11:00 in Moscow (the configured zone): inside the hours.
    await bot.say("/quiet 11:00 12:00", user=USER)
    await bot.say("/digest 20:00", user=EN_USER, language="en")
    shown = await preview(bot)
    await bot.press(shown, shown.button_data("✅"), user=ADMIN)
    await bot.outbox_is({"sent": 2, "pending": 1})
    assert bot.api.messages_to(EN_USER)[-1].text == SHOWN  # at once, not in the digest
    assert bot.api.messages_to(USER)[-1].text != SHOWN
    bot.clock.advance(3600)  # the quiet hours are over
    bot.wake_sender()
    await bot.outbox_is({"sent": 3})
    assert bot.api.messages_to(USER)[-1].text == SHOWN
