"""Cards as Telegram HTML: hostile feed strings escaped, messages under the limit."""

from __future__ import annotations

import dataclasses

import pytest

from bot.delivery.render import (
    Block,
    Card,
    cut_text,
    make_card,
    more_items_message,
    pack_messages,
    plain_text,
    render_digest,
    render_html,
    render_text,
    split_plain,
    telegram_length,
    without_title,
)
from storage import DigestLine, Item, ItemDraft, Topic
from tests.support.telegram_html import shown_length, telegram_html_problems

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


def feed_item(feed_title: str) -> Item:
    """A stored item of a feed with this title; only the feed's name matters here."""
    return Item(
        id=1,
        feed_id=1,
        feed_title=feed_title,
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
    item = feed_item("Flood & <Co>")
    message = more_items_message(item, 2995, "en")
    assert message == (
        "…and 2995 more new items from <b>Flood &amp; &lt;Co&gt;</b>. The newest: /latest"
    )
    assert telegram_html_problems(message) == []


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("a" * 10, 10, "a" * 10),  # exactly at the limit: untouched
        ("Abcd. efgh ijkl", 5, "Abcd."),  # a sentence ending exactly at the limit
        ("Ab. Cd. Efghijklmnop", 10, "Ab. Cd."),  # the last sentence end that fits
        ("123456789. abcdefghijklmnop", 21, "123456789."),  # a sentence end at half the limit
        ("123456. abcdefghijk lmnopqrst", 20, "123456. abcdefghijk…"),  # too early: a word
        ("abcdefghij klmnopqrstuvwxyz", 21, "abcdefghij…"),  # a space at half the limit
        ("abcdefghij klmnopqrstuvwxyz", 20, "abcdefghij…"),
        ("abc defghijklmnopqrstuvwxyz", 20, "abc defghijklmnopqr…"),  # space too early: hard cut
        ("abcdefghijkl " + "m" * 40, 30, "abcdefghijkl " + "m" * 16 + "…"),  # 12 < 30 // 2
        ("x" * 30, 10, "x" * 9 + "…"),
        ("abcdefghij, klmnop", 12, "abcdefghij…"),  # no dangling punctuation before '…'
    ],
)
def test_cut_text_boundaries(text: str, limit: int, expected: str) -> None:
    assert cut_text(text, limit) == expected
    assert len(cut_text(text, limit)) <= limit


def test_every_field_is_cut_to_its_own_limit() -> None:
    card = Card(
        title="t" * 1000,
        source="s" * 1000,
        published_at=None,
        url=None,
        summary="x" * 1000,
        documents=("d" * 2000,),
    )
    (message,) = render_html(card, "ru", "UTC")
    assert f"<b>{'t' * 299}…</b>" in message
    assert f"<i>{'s' * 99}…</i>" in message
    assert f"\n\n{'x' * 599}…\n\n" in message
    assert f"1. {'d' * 999}…" in message


def test_who_and_where_lines() -> None:
    def line(participants: tuple[str, ...], place: str | None) -> list[str]:
        card = Card("T", "S", None, None, "", participants=participants, place=place)
        return render_html(card, "ru", "UTC")[0].split("\n\n")[1:]

    assert line(("Токаев", "Рахмон"), "Астана") == ["Токаев, Рахмон — Астана"]
    assert line(("Токаев",), None) == ["Токаев"]
    assert line((), "Астана") == ["Астана"]
    assert line((), None) == []


def test_quotes_in_feed_text_are_kept_as_quotes() -> None:
    (message,) = render_html(Card('Say "hi"', "S", None, None, ""), "ru", "UTC")
    assert message.startswith('<b>Say "hi"</b>')


def test_a_card_falls_back_to_arrival_date_and_to_the_text() -> None:
    draft = ItemDraft(key="k", url=None, title="T", published_at=None, text="The text.")
    card = make_card(draft, "Feed", fallback_date=1_700_000_000.0)
    assert (card.published_at, card.summary) == (1_700_000_000.0, "The text.")
    dated = make_card(
        ItemDraft(key="k", url=None, title="T", published_at=5.0, text="x", summary="Gist."),
        "Feed",
        fallback_date=9.0,
    )
    assert (dated.published_at, dated.summary) == (5.0, "Gist.")


@pytest.mark.parametrize(("size", "messages"), [(4096, 1), (4097, 2)])
def test_messages_fill_up_to_4096_characters(size: int, messages: int) -> None:
    first = "a" * 2000
    second = "b" * (size - 2000 - 2)  # joined by a blank line
    assert len(pack_messages([Block(first), Block(second)])) == messages


def test_long_feed_names_are_cut_in_also_in_and_and_n_more() -> None:
    card = Card("T", "S", None, None, "", other_sources=("w" * 100,))
    (message,) = render_html(card, "en", "UTC")
    assert message.endswith(f"<i>Also in: {'w' * 59}…</i>")
    item = feed_item("f" * 200)
    assert f"<b>{'f' * 99}…</b>" in more_items_message(item, 3, "en")


def test_a_card_is_a_value() -> None:
    """Cards are built once and rendered per language: nothing may change one meanwhile."""
    assert dataclasses.is_dataclass(Card) and Card.__dataclass_params__.frozen  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("<b>Tom</b> &amp; <i>Jerry</i>", 11),
        ('<a href="https://e.x/a?b=1&amp;c=2">link</a>', 4),
        ("😀 ok", 5),  # outside the BMP: two UTF-16 units
        ("<blockquote expandable>1. a\n2. b</blockquote>", 9),
        ("&lt;b&gt;", 3),
    ],
)
def test_length_is_counted_as_telegram_counts(text: str, length: int) -> None:
    assert telegram_length(text) == shown_length(text) == length


def test_messages_are_packed_by_what_telegram_counts_not_by_markup() -> None:
    tagged = Block("<b>" + "a" * 2000 + "</b>")  # 2007 characters, 2000 shown
    assert len(pack_messages([tagged, Block("b" * 2094)])) == 1
    assert len(pack_messages([tagged, Block("b" * 2095)])) == 2
    emoji = Block("😀" * 1000)  # 1000 characters, 2000 units
    assert len(pack_messages([emoji, Block("c" * 2094)])) == 1
    assert len(pack_messages([emoji, Block("c" * 2095)])) == 2


def test_a_card_of_wide_characters_stays_under_the_limit_in_utf16_units() -> None:
    documents = tuple("🇰🇿🇹🇯 " * 240 + str(n) for n in range(12))
    messages = render_html(Card("T", "S", None, None, "", documents=documents), "en", "UTC")
    assert len(messages) > 1
    for message in messages:
        assert telegram_html_problems(message) == []


@pytest.mark.parametrize(("count", "quoted"), [(1, False), (3, False), (4, True), (9, True)])
def test_a_long_document_list_goes_into_an_expandable_quote(count: int, quoted: bool) -> None:
    documents = tuple(f"Соглашение {n}" for n in range(1, count + 1))
    (message,) = render_html(Card("T", "S", None, None, "", documents=documents), "ru", "UTC")
    lines = "\n".join(f"{n}. Соглашение {n}" for n in range(1, count + 1))
    if quoted:
        assert f"</b>\n<blockquote expandable>{lines}</blockquote>" in message
    else:
        assert "blockquote" not in message and f"</b>\n{lines}" in message
    assert telegram_html_problems(message) == []


def test_a_document_list_too_long_for_one_quote_is_several_whole_quotes() -> None:
    documents = tuple(f"Соглашение {n} " + "о сотрудничестве " * 50 for n in range(40))
    messages = render_html(Card("T", "S", None, None, "", documents=documents), "ru", "UTC")
    joined = "\n".join(messages)
    assert joined.count("<blockquote expandable>") == joined.count("</blockquote>") > 2
    for message in messages:
        assert telegram_html_problems(message) == []
        for quote in message.split("<blockquote expandable>")[1:]:
            assert shown_length(quote.split("</blockquote>")[0]) <= 2048
    assert [n for n in range(40) if f"{n + 1}. Соглашение {n} " in joined] == list(range(40))


@pytest.mark.parametrize(
    ("summary", "title", "expected"),
    [
        (
            "Токаев встретился с Рахмоном. Подписано девять документов.",
            "Токаев встретился с Рахмоном",
            "Подписано девять документов.",
        ),
        (
            "  «Токаев встретился с РАХМОНОМ»! Подписано…",
            "Токаев встретился с Рахмоном",
            "Подписано…",
        ),
        (
            "Токаев встретился с Рахмоном в Астане. Подписано.",
            "Токаев встретился с Рахмоном",
            "Токаев встретился с Рахмоном в Астане. Подписано.",
        ),
        (
            "Подписано. Токаев встретился с Рахмоном.",
            "Токаев встретился с Рахмоном",
            "Подписано. Токаев встретился с Рахмоном.",
        ),
        ("Talks in Astana", "Talks in Astana", ""),
        ("Talks in Astana.\nNine documents.", "Talks in Astana", "Nine documents."),
        ("Anything.", "", "Anything."),
        ("", "Title", ""),
    ],
)
def test_the_summary_does_not_repeat_the_title(summary: str, title: str, expected: str) -> None:
    assert without_title(summary, title) == expected
    draft = ItemDraft(key="k", url=None, title=title, published_at=None, text="", summary=summary)
    assert make_card(draft, "Feed").summary == expected


def test_plain_text_is_what_telegram_would_have_shown() -> None:
    card = Card("Tom & Jerry <3", "S", None, "https://e.x", "A < B & C.", documents=("x",) * 5)
    for message in render_html(card, "en", "UTC"):
        shown = plain_text(message)
        assert "<" not in shown.replace("<3", "").replace("A < B", "")
        assert telegram_length(message) == shown_length(message) == len(shown)
    assert plain_text("<b>Tom &amp; Jerry</b> &lt;3") == "Tom & Jerry <3"


def test_plain_text_is_split_at_lines_then_words_never_inside_a_character() -> None:
    lines = "\n".join(f"Строка {n} " + " ".join(["слово"] * 30) for n in range(100))
    pieces = split_plain(lines, 1000)
    assert all(len(p) <= 1000 for p in pieces) and len(pieces) > 1
    assert " ".join(" ".join(pieces).split()) == " ".join(lines.split())
    whole_lines = set(lines.split("\n"))
    assert all(set(p.split("\n")) <= whole_lines for p in pieces)  # cut at line ends
    one_line = " ".join(f"w{n}" for n in range(600))
    words = split_plain(one_line, 1000)
    assert words[0].endswith(" w221") and len(words[0]) == 999  # the space after it is dropped
    assert all(set(p.split()) <= set(one_line.split()) for p in words)
    for first_outside_the_bmp in ("😀", "\U00010000"):  # U+10000 is two units, as any above
        wide = first_outside_the_bmp * 3000
        wide_pieces = split_plain(wide, 4096)
        assert [len(p) for p in wide_pieces] == [2048, 952]
        assert "".join(wide_pieces) == wide
    assert split_plain("a" * 5000, 4096) == ["a" * 4096, "a" * 904]
    assert split_plain("  short  ") == ["short"]
    assert split_plain("") == []


ASIA = Topic(1, "central-asia", "Центральная Азия", "Central Asia")
SPORT = Topic(2, "sport", "Спорт", "Sport")


def test_a_digest_groups_headlines_by_topic_each_a_link() -> None:
    lines = (
        DigestLine("Переговоры в Астане", "https://e.x/1", "Vecher.kz", ASIA),
        DigestLine("Футбол <финал>", 'https://e.x/2?a=1&b="2"', "Спорт-Экспресс", SPORT),
        DigestLine("Саммит ШОС", "javascript:alert(1)", "Vecher.kz", ASIA),
        DigestLine("", None, "Лента", None, more=7),
    )
    (message,) = render_digest(lines, "ru", "27.11.2026 08:00")
    assert message == (
        "<b>Дайджест · 27.11.2026 08:00 · новостей: 10</b>\n\n"
        "<b>Центральная Азия</b>\n"
        '• <a href="https://e.x/1">Переговоры в Астане</a> <i>Vecher.kz</i>\n'
        "• Саммит ШОС <i>Vecher.kz</i>\n\n"
        "<b>Спорт</b>\n"
        '• <a href="https://e.x/2?a=1&amp;b=&quot;2&quot;">Футбол &lt;финал&gt;</a>'
        " <i>Спорт-Экспресс</i>\n\n"
        "<b>Другое</b>\n"
        "• ещё 7 новых записей <i>Лента</i>"
    )
    (english,) = render_digest(lines[:1], "en", "today")
    assert english.startswith("<b>Digest · today · 1 new</b>\n\n<b>Central Asia</b>\n")


def test_a_long_digest_lists_fifty_headlines_and_counts_the_rest() -> None:
    lines = tuple(
        DigestLine(f"Новость {n} " + "очень длинный заголовок " * 10, f"https://e.x/{n}", "S", ASIA)
        for n in range(60)
    )
    messages = render_digest(lines, "ru", "now")
    assert len(messages) > 1
    joined = "\n".join(messages)
    assert [n for n in range(60) if f'href="https://e.x/{n}"' in joined] == list(range(50))
    assert joined.endswith("…и ещё 10. Самые свежие: /latest")
    assert "новостей: 60" in messages[0]
    for message in messages:
        assert telegram_html_problems(message) == []
