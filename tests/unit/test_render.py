"""Cards as Telegram HTML: hostile feed strings escaped, messages under the limit."""

from __future__ import annotations

import pytest

from bot.delivery.render import Card, cut_text, more_items_message, render_html, render_text
from storage import Item
from tests.support.telegram_html import telegram_html_problems

HOSTILE = [
    "<script>alert(1)</script>",
    "Tom & Jerry <b>unbalanced",
    "</i></b> closing first & <a href='x'>link",
    "&amp; already escaped &lt;",
    "<<<>>> \" ' &",
]


@pytest.mark.parametrize("title", HOSTILE)
def test_hostile_strings_make_valid_telegram_html(title: str) -> None:
    card = Card(
        title=title,
        source=title,
        published_at=1_700_000_000.0,
        url='https://example.com/a?x=1&y="2"',
        summary=title * 3,
        documents=(title,),
    )
    (message,) = render_html(card, "ru", "Europe/Moscow")
    assert telegram_html_problems(message) == []
    assert "<script>" not in message
    assert 'href="https://example.com/a?x=1&amp;y=&quot;2&quot;"' in message


def test_card_layout() -> None:
    card = Card("Заголовок", "Лента", 1_700_000_000.0, "https://e.x/1", "Кратко. Суть.")
    (message,) = render_html(card, "ru", "Europe/Moscow")
    assert message == (
        "<b>Заголовок</b>\n<i>Лента · 15.11.2023 01:13</i>\n\nКратко. Суть.\n\n"
        '<a href="https://e.x/1">Читать полностью</a>'
    )


def test_non_http_links_are_dropped() -> None:
    card = Card("T", "S", None, "javascript:alert(1)", "")
    (message,) = render_html(card, "en", "UTC")
    assert "href" not in message


def test_long_document_lists_split_between_lines() -> None:
    documents = tuple(
        f"Соглашение о сотрудничестве номер {n} " + "в области " * 40 for n in range(40)
    )
    card = Card("T", "S", None, "https://e.x", "Summary.", documents=documents)
    messages = render_html(card, "ru", "UTC")
    assert len(messages) > 1
    for message in messages:
        assert telegram_html_problems(message) == []
    joined = "\n".join(messages)
    assert "Подписано документов: 40" in joined
    for n in range(40):
        assert f"{n + 1}. Соглашение о сотрудничестве номер {n} " in joined


def test_cut_text_stops_at_a_sentence_or_a_word() -> None:
    text = "Первое предложение здесь. Второе предложение намного длиннее первого и не влезет."
    assert cut_text(text, 40) == "Первое предложение здесь."
    assert cut_text("слово " * 30, 50).endswith("слово…")
    assert len(cut_text("x" * 1000, 100)) <= 100
    assert cut_text("  short  text ", 100) == "short text"


def test_plain_text_card() -> None:
    card = Card("T <b>", "S", None, "https://e.x", "Sum.", documents=("Doc",))
    text = render_text(card, "en", "UTC")
    assert text == "T <b>\nS\n\nSum.\n\nDocuments signed: 1\n1. Doc\n\nhttps://e.x"


def test_a_story_carried_by_other_feeds_names_them() -> None:
    card = Card(
        "Заголовок",
        "Лента",
        None,
        None,
        "Суть.",
        other_sources=("Wire <B>", "ТАСС", "Third", "Fourth", "Fifth", "Sixth"),
    )
    (message,) = render_html(card, "ru", "UTC")
    assert message.endswith("<i>Также в: Wire &lt;B&gt;, ТАСС, Third, Fourth, Fifth</i>")
    assert telegram_html_problems(message) == []


def test_the_and_n_more_message_names_the_feed_escaped() -> None:
    item = Item(
        id=1,
        feed_id=1,
        feed_title="Flood & <Co>",
        key="k",
        url=None,
        title="t",
        published_at=None,
        fetched_at=0.0,
        lang="ru",
        text="",
        summary="",
        documents=[],
        entities={},
        is_summit=False,
    )
    message = more_items_message(item, 2995, "en")
    assert message == (
        "…and 2995 more new items from <b>Flood &amp; &lt;Co&gt;</b>. The newest: /latest"
    )
    assert telegram_html_problems(message) == []
