"""The pure parts of the buttons: the topic keyboard, the keyboard under a card, the
documents as a message of their own, and deep links."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from telegram import InlineKeyboardMarkup

from bot.callbacks import MAX_BYTES
from bot.delivery.render import (
    BUTTON_NAME_LIMIT,
    CARD_DOCUMENTS,
    CARD_RESUBSCRIBE,
    CARD_UNSUBSCRIBE,
    MESSAGE_LIMIT,
    PLAIN_DOCUMENTS,
    card_keyboard,
    render_documents,
    telegram_length,
)
from bot.i18n import t
from handlers.start import deep_link, share_url
from handlers.subscriptions import ONE_PER_ROW, PAGE_SIZE, TOGGLE_TOPIC, TOPICS_PAGE, topic_keyboard
from storage import ItemDraft, Topic
from tests.support.telegram_html import telegram_html_problems


def topics(count: int) -> list[Topic]:
    return [Topic(n + 1, f"t{n:03}", f"Тема {n:03}", f"Topic {n:03}") for n in range(count)]


def rows(markup: InlineKeyboardMarkup | None) -> list[list[tuple[str, str | None]]]:
    assert markup is not None
    return [[(b.text, b.callback_data) for b in row] for row in markup.inline_keyboard]


def test_a_toggle_per_topic_ticked_when_subscribed_sorted_by_name() -> None:
    asia = Topic(7, "central-asia", "Центральная Азия", "Central Asia")
    sport = Topic(3, "sport", "Спорт", "Sport")
    assert rows(topic_keyboard([asia, sport], {7}, "ru", thread=5)) == [
        [("Спорт", TOGGLE_TOPIC.data(3, 1, 0, 5))],
        [("✅ Центральная Азия", TOGGLE_TOPIC.data(7, 0, 0, 5))],
    ]
    assert rows(topic_keyboard([sport, asia], set(), "en")) == [
        [("Central Asia", TOGGLE_TOPIC.data(7, 1, 0, 0))],
        [("Sport", TOGGLE_TOPIC.data(3, 1, 0, 0))],
    ]
    assert topic_keyboard([], {1}, "ru") is None


def test_a_few_topics_a_row_each_more_two_a_row() -> None:
    assert [len(row) for row in rows(topic_keyboard(topics(ONE_PER_ROW), set(), "ru"))] == [
        1
    ] * ONE_PER_ROW
    assert [len(row) for row in rows(topic_keyboard(topics(ONE_PER_ROW + 1), set(), "ru"))] == [
        2,
        2,
        2,
        1,
    ]


@pytest.mark.parametrize("count", [PAGE_SIZE, PAGE_SIZE + 1, 40, 1000])
def test_many_topics_come_in_pages_within_telegrams_limits(count: int) -> None:
    every = topics(count)
    pages = -(-count // PAGE_SIZE)
    seen: list[str] = []
    for page in range(pages):
        keyboard = rows(topic_keyboard(every, set(), "en", page=page, thread=4))
        buttons = [b for row in keyboard for b in row]
        assert len(buttons) <= 100 and all(len(d.encode()) <= MAX_BYTES for _, d in buttons if d)
        turns = [b for b in buttons if b[1] and b[1].startswith("subp:")]
        toggles = [label for label, data in buttons if data and data.startswith("subt:")]
        assert len(toggles) == min(PAGE_SIZE, count - page * PAGE_SIZE)
        seen += toggles
        expected = []
        if page > 0:
            expected.append((f"◀ {page}/{pages}", TOPICS_PAGE.data(page - 1, 4)))
        if page < pages - 1:
            expected.append((f"{page + 2}/{pages} ▶", TOPICS_PAGE.data(page + 1, 4)))
        assert turns == expected
        # A toggle remembers its page, so that the redrawn keyboard stays on it.
        first = next(d for _, d in buttons if d and d.startswith("subt:"))
        assert TOGGLE_TOPIC.parse(first) == (page * PAGE_SIZE + 1, 1, page, 4)
    assert seen == [f"Topic {n:03}" for n in range(count)]  # every topic once, in order
    # Past the end (topics were removed since): the last page; before the start: the first.
    last = topic_keyboard(every, set(), "en", page=pages - 1)
    assert topic_keyboard(every, set(), "en", page=pages + 5) == last
    assert topic_keyboard(every, set(), "en", page=-3) == topic_keyboard(every, set(), "en")


def test_a_long_name_is_cut_on_its_button() -> None:
    long = Topic(1, "long", "Очень " * 20 + "длинная тема", "Very " * 20 + "long topic")
    ((label, _),) = rows(topic_keyboard([long], {1}, "en"))[0]
    assert label.startswith("✅ Very Very") and label.endswith("…")
    assert len(label) == len("✅ ") + BUTTON_NAME_LIMIT


ASIA = Topic(7, "central-asia", "Центральная Азия", "Central Asia")


def test_a_card_keyboard_offers_folded_documents_and_leaving_its_topic() -> None:
    assert rows(card_keyboard(42, PLAIN_DOCUMENTS + 1, ASIA, "ru", thread=9)) == [
        [(t("ru", "button_documents", count=PLAIN_DOCUMENTS + 1), CARD_DOCUMENTS.data(42, 9))],
        [("🔕 Отписаться: Центральная Азия", CARD_UNSUBSCRIBE.data(42, 7, 9))],
    ]
    # Documents shown as they are (three or fewer): no button for them.
    assert rows(card_keyboard(42, PLAIN_DOCUMENTS, ASIA, "en")) == [
        [("🔕 Unsubscribe: Central Asia", CARD_UNSUBSCRIBE.data(42, 7, 0))]
    ]
    # After leaving: the undo.
    assert rows(card_keyboard(42, 0, ASIA, "en", subscribed=False)) == [
        [("🔔 Subscribe again: Central Asia", CARD_RESUBSCRIBE.data(42, 7, 0))]
    ]
    # Brought by no topic of the chat (an item it asked for): the documents only, or nothing.
    assert rows(card_keyboard(42, 9, None, "en")) == [
        [("📄 Documents (9)", CARD_DOCUMENTS.data(42, 0))]
    ]
    assert card_keyboard(42, 2, None, "en") is None


def test_the_documents_message_numbers_every_document_escaped_and_fits() -> None:
    documents = [
        {"title": f"Соглашение № {n} о <транзите> & торговле " + "слово " * 60}
        for n in range(1, 41)
    ]
    item = ItemDraft(
        key="k",
        url=None,
        title="Переговоры <в Астане>",
        published_at=None,
        documents=[*documents, {"title": ""}, {"number": "no title"}],
    )
    messages = render_documents(item, "ru")
    assert len(messages) > 1  # forty long documents: more than one message, none cut inside
    text = "\n".join(messages)
    assert messages[0].startswith(
        "<b>Переговоры &lt;в Астане&gt;</b>\n\n<b>Подписано документов: 40</b>"
    )
    for n in range(1, 41):
        assert f"\n{n}. Соглашение № {n} о &lt;транзите&gt; &amp; торговле" in "\n" + text
    assert "41." not in text and "<blockquote" not in text
    for message in messages:
        assert telegram_length(message) <= MESSAGE_LIMIT and telegram_html_problems(message) == []


def test_the_documents_message_is_a_list_under_a_title() -> None:
    item = ItemDraft(
        key="k",
        url=None,
        title="",
        published_at=None,
        documents=[{"title": "Соглашение"}, {"title": "Меморандум"}],
    )
    assert render_documents(item, "en") == [
        "<b>Untitled</b>\n\n<b>Documents signed: 2</b>\n1. Соглашение\n2. Меморандум"
    ]


def test_a_deep_link_starts_the_bot_with_the_topic() -> None:
    assert deep_link("news_bot", "central-asia") == "https://t.me/news_bot?start=central-asia"
    assert deep_link("news_bot", "a_1", group=True) == "https://t.me/news_bot?startgroup=a_1"
    for payload in ("", "a b", "тема", "x" * 65, "a&b=c"):
        with pytest.raises(ValueError):
            deep_link("news_bot", payload)
    address = share_url("https://t.me/news_bot?start=sport", "Новости & спорт?")
    parts = urlsplit(address)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://t.me/share/url"
    assert parse_qs(parts.query) == {
        "url": ["https://t.me/news_bot?start=sport"],
        "text": ["Новости & спорт?"],
    }
