"""A chat's language: taken from the user's Telegram language at first contact, changed with
/lang or its buttons; and presses of buttons nobody made are answered harmlessly."""

from __future__ import annotations

from bot.callbacks import MAX_BYTES
from bot.i18n import t
from handlers.settings import SET_LANGUAGE
from tests.e2e.conftest import ADMIN, USER
from tests.support.harness import RunningBot

GROUP = -100500


async def test_first_contact_sets_the_language_and_it_stays(running_bot: RunningBot) -> None:
    (welcome,) = await running_bot.say("/start", user=USER, language="en")
    assert welcome.text.startswith(t("en", "welcome"))
    assert await running_bot.storage.chat_language(USER) == "en"
    # The user's Telegram switched to Russian: the chat keeps what it had.
    (answer,) = await running_bot.say("/help", user=USER, language="ru")
    assert answer.text.startswith(t("en", "help"))
    (ru_welcome,) = await running_bot.say("/start", user=ADMIN, language="ru")
    assert ru_welcome.text.startswith(t("ru", "welcome"))


async def test_before_first_contact_the_users_language_answers(running_bot: RunningBot) -> None:
    (answer,) = await running_bot.say("/help", user=USER, language="en")
    assert answer.text.startswith(t("en", "help"))
    assert await running_bot.storage.chat_language(USER) is None  # /help registers nothing


async def test_lang_command_changes_the_chats_language(running_bot: RunningBot) -> None:
    await running_bot.say("/start", user=USER, language="ru")
    (done,) = await running_bot.say("/lang EN", user=USER, language="ru")
    assert done.text == t("en", "language_set")
    (answer,) = await running_bot.say("/topics", user=USER, language="ru")
    assert answer.text.startswith(t("en", "topics_header"))
    assert "Central Asia" in answer.text and "Центральная" not in answer.text
    (refused,) = await running_bot.say("/lang de", user=USER)
    assert refused.text == t("en", "usage_lang", given="de")
    (refused,) = await running_bot.say("/lang ru en", user=USER)
    assert refused.text == t("en", "usage_lang", given="ru en")
    assert await running_bot.storage.chat_language(USER) == "en"


async def test_a_language_button_sets_it_and_edits_the_message(running_bot: RunningBot) -> None:
    (shown,) = await running_bot.say("/lang", user=USER, language="ru")
    assert shown.text == t("ru", "language_is", language="Русский")
    assert [b for row in shown.buttons for b in row] == [
        ("Русский", SET_LANGUAGE.data("ru")),
        ("English", SET_LANGUAGE.data("en")),
    ]
    answer = await running_bot.press(shown, shown.button_data("English"), user=USER)
    assert answer["text"] is None and not answer["show_alert"]
    await running_bot.wait_for(lambda: running_bot.api.message(USER, shown.message_id).edits > 0)
    edited = running_bot.api.message(USER, shown.message_id)
    assert (edited.text, edited.edits, edited.buttons) == (t("en", "language_set"), 1, [])
    assert await running_bot.storage.chat_language(USER) == "en"
    # Pressed again (a second tap before the edit showed): the same answer, no error.
    again = await running_bot.press(shown, SET_LANGUAGE.data("en"), user=USER)
    assert again["text"] is None
    # Updates are handled one at a time: once a later press is answered, this one is done.
    await running_bot.press(shown, None, user=USER)
    assert running_bot.api.message(USER, shown.message_id).edits == 1


async def test_in_a_group_only_its_admins_change_the_language(running_bot: RunningBot) -> None:
    running_bot.api.members[(GROUP, ADMIN)] = "administrator"
    (shown,) = await running_bot.say(
        "/lang", user=USER, chat_id=GROUP, chat_type="group", language="ru"
    )
    answer = await running_bot.press(shown, SET_LANGUAGE.data("en"), user=USER, chat_type="group")
    assert (answer["text"], answer["show_alert"]) == (t("ru", "group_admins_only"), True)
    assert await running_bot.storage.chat_language(GROUP) is None
    (refused,) = [
        m for m in await running_bot.say("/lang en", user=USER, chat_id=GROUP, chat_type="group")
    ]
    assert refused.text == t("ru", "group_admins_only")
    assert await running_bot.storage.chat_language(GROUP) is None


FORGED = [
    None,  # a press with no data at all (a game button)
    "",
    "lang",
    "lang:",
    "lang:de",
    "lang:ru:en",
    "lang:ru\n",
    "lang:" + "r" * 70,
    "x" * (MAX_BYTES + 1),
    "nosuchaction:1",
    "lang:<b>",
    "lang:рус",
    "\u202elang:en",
]


async def test_forged_or_stale_presses_are_answered_harmlessly(running_bot: RunningBot) -> None:
    (shown,) = await running_bot.say("/lang", user=USER, language="ru")
    for data in FORGED:
        answer = await running_bot.press(shown, data, user=USER)
        assert answer["text"] == t("ru", "button_stale"), data
    assert running_bot.api.message(USER, shown.message_id).edits == 0
    assert await running_bot.storage.chat_language(USER) is None
    # A press under a message that is gone (or the bot never sent): acted on for the
    # presser's own chat, and the answer comes as a new message.
    before = len(running_bot.api.messages_to(USER))
    answer = await running_bot.press(987654, SET_LANGUAGE.data("en"), user=USER)
    assert answer["text"] is None
    assert await running_bot.storage.chat_language(USER) == "en"
    (new,) = (await running_bot.wait_for_messages(USER, before + 1))[before:]
    assert new.text == t("en", "language_set")
    assert not [m for m in running_bot.api.sent if "went wrong" in m.text or "пошло" in m.text]
