"""What a user may follow: phrases taken apart (pure), and the card's line saying why it came."""

from __future__ import annotations

import dataclasses

import pytest

from bot.articles import term_keys
from bot.delivery.render import Card, render_digest, render_html
from bot.follows import (
    Phrase,
    Refused,
    is_feed_address,
    mentions,
    parse_phrase,
    phrase_key,
    shown_form,
)
from bot.i18n import t
from bot.topics import item_keys
from storage import DigestLine, Topic


def test_a_phrase_keeps_what_the_user_typed_and_matches_its_words_in_any_form() -> None:
    parsed = parse_phrase("  «Саммит   ШОС»  ")
    assert parsed == Phrase("Саммит ШОС", "саммит шос", (term_keys("саммит"), term_keys("шос")))
    assert mentions(parsed, item_keys("Итоги", "На саммите лидеры ШОС подписали декларацию."))
    assert not mentions(parsed, item_keys("Итоги", "На саммите подписали декларацию."))
    country = parse_phrase("Казахстан")
    assert isinstance(country, Phrase)
    assert mentions(country, item_keys("", "развитие таджикско-казахстанских связей"))
    assert not mentions(country, item_keys("", "развитие таджикско-узбекских связей"))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Нефть", "нефть"),
        ("«НЕФТЬ».", "нефть"),
        ("ёлка", "елка"),
        ("визит в Китай", "визит Китай"),  # stopwords are not matched, so not told apart
        ("O'Neill", "o'neill"),
        ("Нью-Йорк", "нью-йорк"),
    ],
)
def test_spellings_of_one_phrase_are_one_follow(a: str, b: str) -> None:
    assert phrase_key(a) == phrase_key(b) is not None


def test_stopwords_and_single_letters_are_shown_but_not_matched() -> None:
    parsed = parse_phrase("визит в Китай")
    assert isinstance(parsed, Phrase)
    assert (parsed.shown, parsed.key, len(parsed.word_keys)) == ("визит в Китай", "визит китай", 2)
    assert mentions(parsed, item_keys("", "Визит председателя КНР: Китай и Россия"))
    assert parse_phrase("А я") == Refused("only_stopwords")
    assert parse_phrase("и в на the of") == Refused("only_stopwords")
    assert parse_phrase("x") == Refused("only_stopwords")  # a single letter says nothing


def test_phrase_limits_take_their_ends_and_refuse_one_past() -> None:
    longest = "а" * 10 + " " + "б" * 49  # 60 characters, as /follow's usage says
    assert isinstance(parse_phrase(longest), Phrase)
    assert parse_phrase(longest + "б") == Refused("too_long")
    words = "нефть газ уголь сталь медь"
    assert isinstance(parse_phrase(words), Phrase)
    assert parse_phrase(words + " лес") == Refused("too_many_words")
    assert isinstance(parse_phrase("ЕС"), Phrase)  # two letters make a word (ЕС, UN)


def test_what_a_phrase_is_taken_apart_into_cannot_change() -> None:
    parsed = parse_phrase("нефть")
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.key = "газ"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        Refused("too_long").reason = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    "text",
    ["G20", "COVID-19", "нефть, газ", "Каз.*", "a|b", "(нефть)", "#нефть", "<b>", "...", "", "  "],
)
def test_anything_but_words_of_letters_is_refused(text: str) -> None:
    assert parse_phrase(text) == Refused("not_words")
    assert phrase_key(text) is None


def test_feed_addresses_are_told_from_words() -> None:
    assert is_feed_address("https://news.example/rss")
    assert is_feed_address("  HTTP://news.example/rss")
    assert not is_feed_address("news.example/rss")
    assert not is_feed_address("ftp://news.example/rss")
    assert not is_feed_address("про https://")
    assert shown_form('  "Нефть"  ') == "Нефть"


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_card_brought_by_a_follow_says_so_under_its_source(lang: str) -> None:
    card = Card("Title", "Source <x>", None, None, "Summary.", followed="Нефть & газ")
    (message,) = render_html(card, lang, "UTC")
    lines = message.splitlines()
    assert lines[:3] == [
        "<b>Title</b>",
        "<i>Source &lt;x&gt;</i>",
        t(lang, "card_followed", phrase="Нефть &amp; газ"),
    ]
    (plain,) = render_html(Card("Title", "Source", None, None, "Summary."), lang, "UTC")
    assert "🔎" not in plain
    long = Card("T", "S", None, None, "", followed="ж" * 100)
    (cut,) = render_html(long, lang, "UTC")
    assert "ж" * 61 not in cut and "ж" * 59 in cut


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_digest_groups_what_follows_brought_under_their_phrases(lang: str) -> None:
    asia = Topic(1, "asia", "Азия", "Asia")
    lines = (
        DigestLine("A", None, "S", asia),
        DigestLine("B", None, "S", None, followed="нефть"),
        DigestLine("C", None, "S", None),
        DigestLine("D", None, "S", None, followed="нефть"),
    )
    (digest,) = render_digest(lines, lang, "now")
    groups = [line for line in digest.splitlines() if line.startswith("<b>")][1:]
    assert groups == [
        f"<b>{asia.name(lang)}</b>",
        f"<b>{t(lang, 'digest_followed', phrase='нефть')}</b>",
        f"<b>{t(lang, 'digest_other')}</b>",
    ]
    assert digest.index("• B") < digest.index("• D") < digest.index("• C")
