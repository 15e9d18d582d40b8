"""Buttons: the topic keyboard of /topics, /start and a bare /subscribe (a toggle per topic
that edits the message in place), and the small keyboard under every pushed card (the
documents, leaving the topic that brought it, and the undo). Forged or stale presses are
answered harmlessly."""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from typing import Any

import pytest

from bot.callbacks import MAX_BYTES
from bot.delivery.render import CARD_DOCUMENTS, CARD_RESUBSCRIBE, CARD_UNSUBSCRIBE
from bot.i18n import t
from handlers.subscriptions import PAGE_SIZE, TOGGLE_TOPIC, TOPICS_PAGE
from storage import FeedCheck, ItemDraft, Topic
from tests.e2e.conftest import ADMIN, USER
from tests.support.fake_bot_api import SentMessage
from tests.support.feeds import FeedItem, rss
from tests.support.harness import RunningBot

GROUP = -100600
FORUM, THREAD = -100700, 77
CHANNEL, CHANNEL_NAME = -1001234567890, "newsroom"
CA_RU, CA_EN, SPORT_RU = "Центральная Азия", "Central Asia", "Спорт"
DOCUMENTS = [
    f"Соглашение № {n} о сотрудничестве в области <энергетики> & транспорта" for n in range(1, 10)
]


async def topic(bot: RunningBot, slug: str) -> Topic:
    found = await bot.storage.topic(slug)
    assert found is not None
    return found


async def subscribed(bot: RunningBot, chat_id: int) -> list[tuple[int, str]]:
    """The chat's subscriptions as (thread, slug)."""
    return [(s.thread_id, s.topic.slug) for s in await bot.storage.subscriptions(chat_id)]


async def edited(bot: RunningBot, message: SentMessage, edits: int) -> SentMessage:
    """The message once the bot has edited it `edits` times (a press is answered first, then
    the keyboard is redrawn)."""
    await bot.wait_for(lambda: bot.api.message(message.chat_id, message.message_id).edits >= edits)
    return bot.api.message(message.chat_id, message.message_id)


async def settle(bot: RunningBot, message: SentMessage | int) -> None:
    """Every press before this one has been handled to its end: updates are handled one
    after another, and this one's answer comes after theirs."""
    await bot.press(message, "subp", user=USER)


def labels(message: SentMessage) -> list[list[str]]:
    return [[label for label, _ in row] for row in message.buttons]


def no_error_messages(bot: RunningBot) -> bool:
    texts = [m.text for m in bot.api.sent]
    return not any(t(lang, "internal_error") in text for text in texts for lang in ("ru", "en"))


# --- the topic keyboard ------------------------------------------------------------------


async def test_a_keyboard_toggle_subscribes_and_edits_the_message(running_bot: RunningBot) -> None:
    bot = running_bot
    ca, sport = await topic(bot, "central-asia"), await topic(bot, "sport")
    (shown,) = await bot.say("/topics", user=USER, language="ru")
    # One toggle per topic, by name in the chat's language, none ticked yet.
    assert shown.buttons == [
        [(SPORT_RU, TOGGLE_TOPIC.data(sport.id, 1, 0, 0))],
        [(CA_RU, TOGGLE_TOPIC.data(ca.id, 1, 0, 0))],
    ]
    listed = shown.text  # the fake's record of a message changes with its edits
    answer = await bot.press(shown, shown.button_data(CA_RU), user=USER)
    assert (answer["text"], answer["show_alert"]) == (
        t("ru", "toast_subscribed", name=CA_RU),
        False,
    )
    assert await subscribed(bot, USER) == [(0, "central-asia")]
    after = await edited(bot, shown, 1)
    assert after.text == listed  # the list stays, the keyboard shows the change
    assert after.buttons == [
        [(SPORT_RU, TOGGLE_TOPIC.data(sport.id, 1, 0, 0))],
        [(f"✅ {CA_RU}", TOGGLE_TOPIC.data(ca.id, 0, 0, 0))],
    ]
    # Tapped again: unsubscribed, and the tick goes.
    answer = await bot.press(after, after.button_data(CA_RU), user=USER)
    assert answer["text"] == t("ru", "toast_unsubscribed", name=CA_RU)
    assert await subscribed(bot, USER) == []
    assert labels(await edited(bot, shown, 2)) == [[SPORT_RU], [CA_RU]]


async def test_a_double_tap_asks_for_the_same_thing_twice_and_changes_it_once(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    (shown,) = await bot.say("/topics", user=USER, language="en")
    data = shown.button_data(CA_EN)
    first = await bot.press(shown, data, user=USER, language="en")
    await edited(bot, shown, 1)
    second = await bot.press(shown, data, user=USER, language="en")  # the old button, again
    await settle(bot, shown)
    assert first["text"] == second["text"] == t("en", "toast_subscribed", name=CA_EN)
    assert await subscribed(bot, USER) == [(0, "central-asia")]
    assert bot.api.message(USER, shown.message_id).edits == 1  # nothing new to draw
    assert no_error_messages(bot)


async def test_start_and_a_bare_subscribe_show_the_keyboard_with_the_ticks(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    await bot.say("/subscribe sport", user=USER)
    (welcome,) = await bot.say("/start", user=USER)
    assert welcome.text.startswith(t("ru", "welcome"))
    assert labels(welcome) == [[f"✅ {SPORT_RU}"], [CA_RU]]
    (usage,) = await bot.say("/subscribe", user=USER)
    assert usage.text == t("ru", "usage_subscribe", example="central-asia")
    assert labels(usage) == [[f"✅ {SPORT_RU}"], [CA_RU]]
    (usage,) = await bot.say("/unsubscribe", user=USER)
    assert usage.text == t("ru", "usage_unsubscribe")
    assert labels(usage) == [[f"✅ {SPORT_RU}"], [CA_RU]]
    # "/subscribe @channel" without a topic is about the channel: no keyboard for this chat.
    (usage,) = await bot.say("/subscribe @newsroom", user=USER)
    assert usage.text == t("ru", "usage_subscribe", example="central-asia") and not usage.buttons


async def test_in_a_group_only_its_admins_toggle(running_bot: RunningBot) -> None:
    bot = running_bot
    bot.api.members[(GROUP, ADMIN)] = "administrator"
    (shown,) = await bot.say("/topics", user=USER, chat_id=GROUP, chat_type="group")
    data = shown.button_data(CA_RU)
    refused = await bot.press(shown, data, user=USER, chat_type="group")
    assert (refused["text"], refused["show_alert"]) == (t("ru", "group_admins_only"), True)
    assert await subscribed(bot, GROUP) == []
    done = await bot.press(shown, data, user=ADMIN, chat_type="group")
    assert done["text"] == t("ru", "toast_subscribed", name=CA_RU)
    assert await subscribed(bot, GROUP) == [(0, "central-asia")]
    assert labels(await edited(bot, shown, 1)) == [[SPORT_RU], [f"✅ {CA_RU}"]]
    assert bot.api.message(GROUP, shown.message_id).edits == 1  # the refusal drew nothing


async def test_in_a_forum_thread_the_keyboard_is_the_threads(running_bot: RunningBot) -> None:
    bot = running_bot
    ca = await topic(bot, "central-asia")
    await bot.say("/subscribe sport", user=ADMIN, chat_id=FORUM, chat_type="supergroup")
    (shown,) = await bot.say(
        "/topics", user=ADMIN, chat_id=FORUM, chat_type="supergroup", thread_id=THREAD
    )
    assert shown.thread_id == THREAD
    assert labels(shown) == [[SPORT_RU], [CA_RU]]  # the chat's own subscription is not the thread's
    await bot.press(shown, shown.button_data(CA_RU), user=ADMIN, chat_type="supergroup")
    assert await subscribed(bot, FORUM) == [(0, "sport"), (THREAD, "central-asia")]
    assert labels(await edited(bot, shown, 1)) == [[SPORT_RU], [f"✅ {CA_RU}"]]
    # A keyboard too old for Telegram to show: the thread the button carries, no redraw.
    old = await bot.press(
        shown, TOGGLE_TOPIC.data(ca.id, 0, 0, THREAD), user=ADMIN, chat_type="supergroup", old=True
    )
    assert old["text"] == t("ru", "toast_unsubscribed", name=CA_RU)
    await settle(bot, shown)
    assert await subscribed(bot, FORUM) == [(0, "sport")]
    assert bot.api.message(FORUM, shown.message_id).edits == 1
    # In a private chat there are no threads: a carried one is ignored.
    (mine,) = await bot.say("/topics", user=USER)
    await bot.press(mine, TOGGLE_TOPIC.data(ca.id, 1, 0, THREAD), user=USER, old=True)
    assert await subscribed(bot, USER) == [(0, "central-asia")]


async def test_forty_topics_are_two_a_row_in_pages(running_bot: RunningBot) -> None:
    bot = running_bot
    for n in range(38):
        await bot.storage.sync_topic(f"t{n:02}", f"Тема {n:02}", f"Topic {n:02}", ["слово"])
    (shown,) = await bot.say("/topics", user=USER)
    first = [b for row in shown.buttons[:-1] for b in row]
    assert len(first) == PAGE_SIZE and all(len(row) == 2 for row in shown.buttons[:-1])
    assert shown.buttons[-1] == [("2/2 ▶", TOPICS_PAGE.data(1, 0))]
    assert all(len(data.encode()) <= MAX_BYTES for row in shown.buttons for _, data in row)
    answer = await bot.press(shown, TOPICS_PAGE.data(1, 0), user=USER)
    assert answer["text"] is None
    second = await edited(bot, shown, 1)
    rest = [label for row in second.buttons[:-1] for label, _ in row]
    assert len(rest) == 40 - PAGE_SIZE and CA_RU in rest  # "Ц" sorts after "Тема"
    assert second.buttons[-1] == [("◀ 1/2", TOPICS_PAGE.data(0, 0))]
    # A toggle on the second page keeps it.
    await bot.press(second, second.button_data(CA_RU), user=USER)
    third = (await edited(bot, shown, 2)).buttons
    assert f"✅ {CA_RU}" in [label for row in third for label, _ in row]
    assert third[-1] == [("◀ 1/2", TOPICS_PAGE.data(0, 0))]
    # A page that no longer exists (topics were removed): the last one there is.
    await bot.press(shown, TOPICS_PAGE.data(9, 0), user=USER)
    await settle(bot, shown)
    assert bot.api.message(USER, shown.message_id).buttons == third


# --- the keyboard under a card -------------------------------------------------------------


async def queue_card(
    bot: RunningBot,
    title: str,
    documents: list[str],
    topic_ids: tuple[int, ...],
    *,
    also: tuple[str, ...] = (),
) -> int:
    """An item stored as a check of a feed would store it, queued for the subscribers of its
    topics; the sender is woken. Returns the item's id. `also`: more items of the same check,
    past its bound: they go as one "and N more" message."""
    feed = await bot.storage.feed_by_url("https://cards.example/feed")
    if feed is None:
        feed = await bot.storage.add_feed(
            "https://cards.example/feed",
            title="Лента карточек",
            interval_seconds=600,
            next_check_at=bot.clock() + 3600,
            now=bot.clock(),
        )
    drafts = [
        ItemDraft(
            key=name,
            url=f"https://cards.example/{len(name)}",
            title=name,
            published_at=bot.clock() - 60,
            text=f"{name}. Текст.",
            summary=f"{name}. Коротко.",
            documents=[{"title": d} for d in documents],
            topic_ids=topic_ids,
            fingerprint=name,
        )
        for name in (title, *also)
    ]
    check = FeedCheck(next_check_at=bot.clock() + 600)
    await bot.storage.store_items(
        feed.id, drafts, now=bot.clock(), check=check, queue=True, push_limit=1
    )
    (item,) = [i for i in await bot.storage.latest_items(limit=100) if i.title == title]
    bot.wake_sender()
    return item.id


async def test_a_card_offers_its_documents_and_leaving_its_topic_with_an_undo(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    ca, sport = await topic(bot, "central-asia"), await topic(bot, "sport")
    await bot.say("/subscribe central-asia", user=USER)
    await bot.say("/subscribe sport", user=USER)
    before = len(bot.api.messages_to(USER))
    item = await queue_card(bot, "Переговоры в Астане", DOCUMENTS, (ca.id, sport.id))
    (card,) = (await bot.wait_for_messages(USER, before + 1))[before:]
    # The topic that brought it: of the two subscribed, the one with the lowest id.
    assert card.buttons == [
        [("📄 Документы (9)", CARD_DOCUMENTS.data(item, 0))],
        [(f"🔕 Отписаться: {CA_RU}", CARD_UNSUBSCRIBE.data(item, ca.id, 0))],
    ]

    # 📄: the documents, every one numbered, as a message of its own.
    answer = await bot.press(card, card.button_data("📄"), user=USER)
    assert answer["text"] is None
    (listed,) = (await bot.wait_for_messages(USER, before + 2))[before + 1 :]
    assert listed.text.startswith("<b>Переговоры в Астане</b>")
    assert "9. Соглашение № 9 о сотрудничестве в области &lt;энергетики&gt; &amp; транспорта" in (
        listed.text
    )
    assert "<blockquote" not in listed.text and not listed.buttons

    # 🔕: unsubscribed at once, a toast, and the button becomes its undo.
    text, buttons = card.text, card.buttons  # the fake's record changes with edits
    answer = await bot.press(card, card.button_data("🔕"), user=USER)
    assert answer["text"] == t("ru", "toast_unsubscribed", name=CA_RU)
    assert await subscribed(bot, USER) == [(0, "sport")]
    undo = await edited(bot, card, 1)
    assert undo.text == text
    assert undo.buttons == [
        [("📄 Документы (9)", CARD_DOCUMENTS.data(item, 0))],
        [(f"🔔 Подписаться снова: {CA_RU}", CARD_RESUBSCRIBE.data(item, ca.id, 0))],
    ]
    answer = await bot.press(undo, undo.button_data("🔔"), user=USER)
    assert answer["text"] == t("ru", "toast_subscribed", name=CA_RU)
    assert await subscribed(bot, USER) == [(0, "central-asia"), (0, "sport")]
    assert (await edited(bot, card, 2)).buttons == buttons


async def test_subscribed_by_a_tap_the_chat_gets_cards_with_the_unsubscribe_button(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    ca = await topic(bot, "central-asia")
    bot.feeds.put("/news.xml", rss("Лента", []))
    await bot.say(f"/addfeed {bot.feeds.url('/news.xml')} central-asia", user=ADMIN, replies=2)
    (shown,) = await bot.say("/topics", user=USER, language="en")
    await bot.press(shown, shown.button_data(CA_EN), user=USER, language="en")
    await edited(bot, shown, 1)
    before = len(bot.api.messages_to(USER))
    await bot.publish("/news.xml", [FeedItem("n1", "Kazakhstan and Tajikistan", "Talks.")])
    (card,) = (await bot.wait_for_messages(USER, before + 1))[before:]
    (item,) = await bot.storage.latest_items(limit=1)
    # No documents on this card: leaving its topic is the one button.
    assert card.buttons == [
        [(f"🔕 Unsubscribe: {CA_EN}", CARD_UNSUBSCRIBE.data(item.id, ca.id, 0))]
    ]


async def test_few_documents_no_topic_channels_and_digests_get_no_such_buttons(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    ca = await topic(bot, "central-asia")
    # Three documents are shown as they are: no button for them.
    await bot.say("/subscribe central-asia", user=USER)
    item = await queue_card(bot, "Три документа", DOCUMENTS[:3], (ca.id,))
    card = (await bot.wait_for_messages(USER, 2))[1]
    assert card.buttons == [[(f"🔕 Отписаться: {CA_RU}", CARD_UNSUBSCRIBE.data(item, ca.id, 0))]]
    # A channel: anyone reading it could press, so its cards carry no buttons at all.
    bot.api.add_chat(CHANNEL, CHANNEL_NAME)
    bot.api.members[(CHANNEL, USER)] = "creator"
    bot.api.members[(CHANNEL, 4242)] = "administrator"
    await bot.say(f"/subscribe @{CHANNEL_NAME} central-asia", user=USER)
    await queue_card(bot, "Девять документов", DOCUMENTS, (ca.id,))
    (posted,) = await bot.wait_for_messages(CHANNEL, 1)
    assert "Девять документов" in posted.text and posted.buttons == []
    # "And N more" from a check past its bound: a pointer to /latest, no buttons.
    await bot.outbox_is({"sent": 3})
    before = len(bot.api.messages_to(USER))
    await queue_card(bot, "Первая", DOCUMENTS, (ca.id,), also=("Вторая", "Третья"))
    (first, more) = (await bot.wait_for_messages(USER, before + 2))[before:]
    assert first.buttons and "Первая" in first.text
    assert "/latest" in more.text and more.buttons == []
    # A digest: headlines, no buttons.
    await bot.say("/digest 08:00", user=ADMIN)
    await bot.say("/subscribe central-asia", user=ADMIN)
    await queue_card(bot, "В дайджест", DOCUMENTS, (ca.id,))
    bot.clock.advance(24 * 3600)
    await bot.send_digests()
    (_, _, digest) = await bot.wait_for_messages(ADMIN, 3)
    assert "В дайджест" in digest.text and digest.buttons == []


async def test_in_a_group_only_admins_leave_a_topic_from_a_card_and_anyone_gets_documents(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    ca = await topic(bot, "central-asia")
    bot.api.members[(GROUP, ADMIN)] = "administrator"
    await bot.say("/subscribe central-asia", user=ADMIN, chat_id=GROUP, chat_type="group")
    await queue_card(bot, "Карточка в группе", DOCUMENTS, (ca.id,))
    (_, card) = await bot.wait_for_messages(GROUP, 2)
    refused = await bot.press(card, card.button_data("🔕"), user=USER, chat_type="group")
    assert (refused["text"], refused["show_alert"]) == (t("ru", "group_admins_only"), True)
    assert await subscribed(bot, GROUP) == [(0, "central-asia")]
    await bot.press(card, card.button_data("📄"), user=USER, chat_type="group")
    (_, _, listed) = await bot.wait_for_messages(GROUP, 3)
    assert "1. Соглашение № 1" in listed.text
    done = await bot.press(card, card.button_data("🔕"), user=ADMIN, chat_type="group")
    assert done["text"] == t("ru", "toast_unsubscribed", name=CA_RU)
    assert await subscribed(bot, GROUP) == []


async def test_an_old_card_in_a_forum_thread_acts_in_its_thread(running_bot: RunningBot) -> None:
    bot = running_bot
    ca = await topic(bot, "central-asia")
    await bot.say(
        "/subscribe central-asia",
        user=ADMIN,
        chat_id=FORUM,
        chat_type="supergroup",
        thread_id=THREAD,
    )
    item = await queue_card(bot, "Карточка в теме форума", DOCUMENTS, (ca.id,))
    (_, card) = await bot.wait_for_messages(FORUM, 2)
    assert card.thread_id == THREAD
    assert card.button_data("🔕") == CARD_UNSUBSCRIBE.data(item, ca.id, THREAD)
    # Days later Telegram no longer shows the bot the message: the button's thread is used.
    await bot.press(card, card.button_data("📄"), user=USER, chat_type="supergroup", old=True)
    (_, _, listed) = await bot.wait_for_messages(FORUM, 3)
    assert listed.thread_id == THREAD
    answer = await bot.press(
        card, card.button_data("🔕"), user=ADMIN, chat_type="supergroup", old=True
    )
    assert answer["text"] == t("ru", "toast_unsubscribed", name=CA_RU)
    await settle(bot, card)
    assert await subscribed(bot, FORUM) == []
    assert bot.api.message(FORUM, card.message_id).edits == 0  # nothing Telegram could edit


async def test_a_card_in_several_parts_carries_its_buttons_under_the_last(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    ca = await topic(bot, "central-asia")
    await bot.say("/subscribe central-asia", user=USER)
    long_documents = [f"Соглашение № {n} " + "о сотрудничестве " * 40 for n in range(1, 31)]
    item = await queue_card(bot, "Большой саммит", long_documents, (ca.id,))
    await bot.outbox_is({"sent": 1})
    parts = bot.api.messages_to(USER)[1:]
    assert len(parts) > 1
    assert [bool(p.buttons) for p in parts] == [False] * (len(parts) - 1) + [True]
    assert parts[-1].button_data("🔕") == CARD_UNSUBSCRIBE.data(item, ca.id, 0)


async def test_a_card_sent_again_as_plain_text_keeps_its_buttons(running_bot: RunningBot) -> None:
    bot = running_bot
    ca = await topic(bot, "central-asia")
    await bot.say("/subscribe central-asia", user=USER)
    bot.api.fail_next_send(USER, 400, "Bad Request: can't parse entities: unsupported start tag")
    item = await queue_card(bot, "Карточка без разметки", DOCUMENTS, (ca.id,))
    await bot.outbox_is({"sent": 1})
    (card,) = bot.api.messages_to(USER)[1:]
    assert "parse_mode" not in card.params and "<b>" not in card.text
    assert card.button_data("📄") == CARD_DOCUMENTS.data(item, 0)


async def test_storage_failing_for_the_cards_buttons_pauses_sending_and_loses_nothing(
    running_bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    """SQLite cannot be made to fail one read on demand, so the read fails at the storage's
    edge, once, as a disk error would: the row goes back, sending pauses, then the card goes
    out once, with its buttons."""
    bot = running_bot
    ca = await topic(bot, "central-asia")
    await bot.say("/subscribe central-asia", user=USER)
    storage, failures = bot.storage, [sqlite3.OperationalError("disk I/O error")]
    read = storage.card_context

    async def failing_once(chat_id: int, thread_id: int, item_id: int) -> Any:
        if failures:
            raise failures.pop()
        return await read(chat_id, thread_id, item_id)

    setattr(storage, "card_context", failing_once)  # noqa: B010
    with caplog.at_level(logging.ERROR, logger="bot.delivery.outbox"):
        item = await queue_card(bot, "После сбоя", DOCUMENTS, (ca.id,))
        await bot.outbox_is({"sent": 1})
    assert any("sending paused" in r.getMessage() for r in caplog.records)
    (card,) = bot.api.messages_to(USER)[1:]
    assert card.button_data("🔕") == CARD_UNSUBSCRIBE.data(item, ca.id, 0)
    # Storage failing spent none of the row's attempts: it was tried once, as far as it knows.
    services = bot.app.bot_data.services
    assert services is not None
    database = f"file:{services.config.database}?mode=ro"
    with closing(sqlite3.connect(database, uri=True)) as conn:
        assert conn.execute("SELECT attempts, last_error FROM outbox").fetchall() == [(1, None)]


async def test_a_card_pressed_after_its_topic_or_item_is_gone_is_out_of_date(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    ca = await topic(bot, "central-asia")
    await bot.say("/subscribe central-asia", user=USER)
    item = await queue_card(bot, "Карточка", DOCUMENTS, (ca.id,))
    (_, card) = await bot.wait_for_messages(USER, 2)
    feed = await bot.storage.feed_by_url("https://cards.example/feed")
    assert feed is not None and await bot.storage.remove_feed(feed.id)  # its items go with it
    answer = await bot.press(card, card.button_data("📄"), user=USER)
    assert answer["text"] == t("ru", "button_stale")
    # Leaving the topic needs no item: done, and the keyboard keeps only the undo.
    await bot.press(card, card.button_data("🔕"), user=USER)
    assert await subscribed(bot, USER) == []
    assert (await edited(bot, card, 1)).buttons == [
        [(f"🔔 Подписаться снова: {CA_RU}", CARD_RESUBSCRIBE.data(item, ca.id, 0))]
    ]
    stale = await bot.press(card, CARD_UNSUBSCRIBE.data(item, 9999, 0), user=USER)
    assert stale["text"] == t("ru", "button_stale")
    # An item with no documents has no such button: data naming it anyway is out of date.
    await bot.press(card, card.button_data("🔔"), user=USER)
    bare = await queue_card(bot, "Без документов", [], (ca.id,))
    (_, _, plain) = await bot.wait_for_messages(USER, 3)
    assert [label for row in plain.buttons for label, _ in row] == [f"🔕 Отписаться: {CA_RU}"]
    stale = await bot.press(plain, CARD_DOCUMENTS.data(bare, 0), user=USER)
    assert stale["text"] == t("ru", "button_stale")
    await settle(bot, plain)
    assert len(bot.api.messages_to(USER)) == 3


# --- forged and stale presses ------------------------------------------------------------

FORGED = [
    "subt",
    "subt:1",
    "subt:1:2:0:0",  # neither subscribe nor unsubscribe
    "subt:-1:1:0:0",
    "subt:9999:1:0:0",  # no such topic
    "subt:1:1:0:0:0",
    "subt:x:1:0:0",
    "subp",
    "subp:x:0",
    "subp:0",
    "cdocs:1",
    "cdocs:999999:0",  # no such item
    "cdocs:1:0:0",
    "cunsub:1:9999:0",
    "cunsub:1:1",
    "cunsub:1:1:0:0",
    "cresub:a:b:c",
    "cresub:1:9999:0",
    "cunsub:1:1:" + "9" * 60,
]


async def test_forged_presses_are_answered_harmlessly(running_bot: RunningBot) -> None:
    bot = running_bot
    (shown,) = await bot.say("/topics", user=USER)
    for data in FORGED:
        answer = await bot.press(shown, data, user=USER)
        assert (answer["text"], answer["show_alert"]) == (t("ru", "button_stale"), False), data
    assert await subscribed(bot, USER) == []
    assert bot.api.message(USER, shown.message_id).edits == 0
    assert len(bot.api.messages_to(USER)) == 1 and no_error_messages(bot)


async def test_a_forged_press_in_a_channel_changes_nothing(running_bot: RunningBot) -> None:
    """The bot puts no subscription buttons on channel posts; data sent under one anyway
    (any reader could) leaves the channel's subscriptions alone."""
    bot = running_bot
    ca = await topic(bot, "central-asia")
    bot.api.add_chat(CHANNEL, CHANNEL_NAME)
    bot.api.members[(CHANNEL, USER)] = "creator"
    bot.api.members[(CHANNEL, 4242)] = "administrator"
    await bot.say(f"/subscribe @{CHANNEL_NAME} central-asia", user=USER)
    item = await queue_card(bot, "Пост в канале", DOCUMENTS, (ca.id,))
    (post,) = await bot.wait_for_messages(CHANNEL, 1)
    for data in (
        CARD_UNSUBSCRIBE.data(item, ca.id, 0),
        TOGGLE_TOPIC.data(ca.id, 0, 0, 0),
        CARD_DOCUMENTS.data(item, 0),
    ):
        answer = await bot.press(post, data, user=USER, chat_type="channel")
        assert answer["text"] == t("ru", "button_stale"), data
    assert await subscribed(bot, CHANNEL) == [(0, "central-asia")]
    assert len(bot.api.messages_to(CHANNEL)) == 1


async def test_a_press_under_a_message_that_is_gone_still_acts(running_bot: RunningBot) -> None:
    bot = running_bot
    ca = await topic(bot, "central-asia")
    answer = await bot.press(987654, TOGGLE_TOPIC.data(ca.id, 1, 0, 0), user=USER)
    assert answer["text"] == t("ru", "toast_subscribed", name=CA_RU)
    assert await subscribed(bot, USER) == [(0, "central-asia")]
    assert no_error_messages(bot)
