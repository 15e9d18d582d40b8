"""Feed values made clean: the one HTML -> text mechanism, credits, tails, bounds, ads."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.articles import read_article
from bot.articles.text import looks_like_html, to_plain
from bot.feeds.clean import (
    CONTENT_LIMIT,
    TITLE_LIMIT,
    URL_LIMIT,
    clean_text,
    clean_title,
    clean_url,
    is_ad,
    truncate,
)
from bot.opml import MAX_URL_LENGTH
from bot.reading import ITEM_TEXT_LIMIT

# The brief's definition of a tag, written independently of the code's own pattern.
TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>|<!--[\s\S]*?-->")


# Bounds of the credit and tail rules, written out rather than imported from the code's private
# constants: the tests state them, so moving one in the code fails here instead of moving the
# boundary the tests check along with it.
CREDIT_AFTER_LABEL = 200  # characters after "Photo:" that a credit line may hold
AGENCY_LINE = 150  # the longest line that can be a bare agency credit ("Pool/Getty Images")
TAIL_WINDOW = 300  # the text's last characters (from a line start) searched for tails


def padded(start: str, end: str, length: int) -> str:
    """`start`, a run of `x`, `end`: a line of exactly `length` characters."""
    line = start + "x" * (length - len(start) - len(end)) + end
    assert len(line) == length and line == line.strip()
    return line


def wordpress_footer(length: int) -> str:
    """WordPress's "The post … appeared first on …" line, `length` characters long."""
    return padded("The post ", " appeared first on Example Blog.", length)


def assert_clean(text: str) -> None:
    """No tag, no character reference left, and storable as UTF-8."""
    assert TAG.search(text) is None, text
    assert html.unescape(text) == text, text
    text.encode("utf-8")


# --- HTML detection and conversion (bot/articles/text.py) --------------------------------


@pytest.mark.parametrize(
    "fragment",
    [
        '<img align="left" src="https://img.example/a.jpg" />  Líder na pesquisa',
        "<figure><img src=x></figure>È stato arrestato",
        "<picture><source srcset=a.webp></picture>Text",
        "text</custom-element>",
        "<!-- comment --> text",
    ],
)
def test_any_tag_makes_a_text_html(fragment: str) -> None:
    assert looks_like_html(fragment)


@pytest.mark.parametrize("text", ["3 < 5 and 7 > 4", "a <3 b", "x </ y", "plain & simple"])
def test_comparisons_are_not_tags(text: str) -> None:
    assert not looks_like_html(text)
    assert clean_text(text) == text


def test_image_led_description_becomes_its_text() -> None:
    raw = (
        '<img align="left" src="https://conteudo.imguol.com.br/c/a_142x100.jpg" />  \t'
        "Líder na pesquisa Ibope de intenção de voto."
    )
    assert clean_text(raw) == "Líder na pesquisa Ibope de intenção de voto."


def test_media_scripts_and_pixels_are_dropped() -> None:
    raw = (
        "<figure><img src=a.jpg><figcaption>Caption text</figcaption></figure>"
        "<p>First.</p><picture><source srcset=b.webp><img src=b.jpg></picture>"
        "<video controls><source src=c.mp4>Your browser cannot play video.</video>"
        "<audio src=d.mp3>No audio.</audio><iframe src=e>frame</iframe>"
        "<script>var x = '<p>no</p>';</script><style>p { color: red }</style>"
        "<noscript>Enable JS</noscript><p>Second.</p>"
        '<img src="http://feeds.feedburner.com/~r/JN/~4/UBnb8Ra3Q1U" height="1" width="1" />'
    )
    assert clean_text(raw) == "First.\n\nSecond."


def test_an_unclosed_media_element_ends_with_its_parent() -> None:
    raw = "<p>Before <video src=a.mp4> fallback</p><p>After.</p>"
    assert clean_text(raw) == "Before\n\nAfter."


def test_entities_are_unescaped_until_stable() -> None:
    # Orenburg's description: the XML held `&amp;#40;`, feedparser gives `&#40;`.
    assert clean_text("уголовное дело &#40;видео&#41;") == "уголовное дело (видео)"
    assert clean_text("уголовное дело &amp;#40;видео&amp;#41;") == "уголовное дело (видео)"
    assert clean_text("AT&amp;amp;amp;T") == "AT&T"


def test_escaped_tags_are_converted_after_unescaping() -> None:
    assert clean_text("&lt;p&gt;Hello&lt;/p&gt;&lt;p&gt;World&lt;/p&gt;") == "Hello\n\nWorld"
    assert clean_text("&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;Text") == "Text"
    assert clean_text("<p>&lt;img src=x&gt;Caption</p>") == "Caption"


def test_cdata_markers_inside_content_are_unwrapped() -> None:
    assert clean_text("<![CDATA[<p>Inside</p>]]> outside") == "Inside\noutside"


def test_paragraphs_and_list_items_are_kept() -> None:
    raw = (
        "<p>The sides signed:</p><ol><li><p>Treaty on friendship</p></li>"
        "<li>Agreement on trade</li></ol><p>Talks will go on.</p>"
    )
    assert clean_text(raw) == (
        "The sides signed:\n\n- Treaty on friendship\n- Agreement on trade\n\nTalks will go on."
    )


def test_the_reader_still_finds_a_document_list_in_clean_text() -> None:
    raw = (
        "<p>Президенты Казахстана и Таджикистана провели переговоры в Астане.</p>"
        "<p>По итогам переговоров подписаны следующие документы:</p><ul>"
        "<li>Договор о союзнических отношениях</li>"
        "<li>Соглашение о сотрудничестве в области водных ресурсов</li></ul>"
    )
    text = clean_text(raw)
    assert to_plain(text) == text  # the reader's own conversion leaves clean text alone
    article = read_article("Переговоры в Астане", text)
    assert [d.kind for d in article.documents] == ["treaty", "agreement"]


# --- credits and tails -------------------------------------------------------------------


def test_credit_lines_go() -> None:
    raw = (
        "<img src=a.jpg><p>A corrections board found the athlete met the requirements.</p>"
        "<p>(Image credit: Pool/Getty Images)</p>"
    )
    assert clean_text(raw) == "A corrections board found the athlete met the requirements."
    assert clean_text("Text.\nФото: РИА Новости\nMore text.") == "Text.\nMore text."
    assert clean_text("Text.\nPhotograph: Ivan Petrov/AFP/Getty Images") == "Text."
    assert clean_text("MANDEL NGAN/AFP via Getty Images\nText.") == "Text."
    assert clean_text("Text (Photo credit: Jane Doe/AP) goes on.") == "Text goes on."


@pytest.mark.parametrize(
    ("line", "is_credit"),
    [
        (padded("Photo: ", " Ivan Petrov", len("Photo:") + CREDIT_AFTER_LABEL), True),
        (padded("Photo: ", " Ivan Petrov", len("Photo:") + CREDIT_AFTER_LABEL + 1), False),
        (padded("Caption ", " Pool/Getty Images", AGENCY_LINE), True),
        (padded("Caption ", " Pool/Getty Images", AGENCY_LINE + 1), False),
        ("Ivan Petrov for Associated Press", True),  # five words: a byline, not a sentence
        ("The ceasefire was reported by Reuters", False),  # six words
    ],
)
def test_credit_lines_are_short(line: str, is_credit: bool) -> None:
    """A label credit holds at most 200 characters after its label; an agency credit is a line
    of at most 150 characters, and without a `/`, "via" or © at most five words."""
    text = f"Lead.\n{line}\nThe rest."
    assert clean_text(text) == ("Lead.\nThe rest." if is_credit else text)


@pytest.mark.parametrize(
    ("credit", "is_credit"),
    [
        (padded("(Photo: ", " Jane Doe/AP)", len("(Photo:)") + CREDIT_AFTER_LABEL), True),
        (padded("(Photo: ", " Jane Doe/AP)", len("(Photo:)") + CREDIT_AFTER_LABEL + 1), False),
    ],
)
def test_credits_in_parentheses_are_short(credit: str, is_credit: bool) -> None:
    text = f"Text {credit} goes on."
    assert clean_text(text) == ("Text goes on." if is_credit else text)


def test_sentences_citing_agencies_stay() -> None:
    text = "The ministry confirmed the figures, Reuters reported."
    assert clean_text(text) == text
    for line in ("Photo exhibitions open in Almaty.", "Photos by the thousands were posted."):
        assert clean_text(line) == line


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('<p>Lead.</p> <a href="https://x.example/a">Continue reading...</a>', "Lead."),
        ("Lead.\nRead full article  &gt;&gt;", "Lead."),
        ("Lead. Read more »", "Lead."),
        ("<p>Текст новости.</p><p><a href=x>Читать далее</a></p>", "Текст новости."),
        ("Senadores por São Paulo.\xa0Leia mais (09/24/2018 - 19h22)", "Senadores por São Paulo."),
        ("La terrasse ouvre lundi. Lire la suite", "La terrasse ouvre lundi."),
        ("Eine Meldung. [...] Weiterlesen", "Eine Meldung.…"),
        ("The text stops here [...]", "The text stops here…"),
        ("<p>Body.</p><p>The post Body appeared first on Example Blog.</p>", "Body."),
        # Three stacked tails: each removal uncovers the next.
        ("Body.\nThe post Body appeared first on Blog.\nRead more [...]", "Body."),
        # A link above a footer still inside the window that tails are searched in.
        ("Lead. Continue reading\n" + wordpress_footer(60), "Lead."),
        ("Lead. Continue reading\n" + wordpress_footer(TAIL_WINDOW - 1), "Lead."),
    ],
)
def test_read_more_tails_go(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "You can read more about the plan on the ministry's site.",
        "Подробнее о мерах рассказал министр.",
        "We will continue reading the reports.",
    ],
)
def test_sentences_that_only_mention_reading_stay(text: str) -> None:
    assert clean_text(text) == text


# --- titles, bounds, links, ads ----------------------------------------------------------


def test_titles_are_one_line_and_bounded() -> None:
    assert clean_title("  Presidents <em>meet</em>\n in  Astana &amp;amp; talk ") == (
        "Presidents meet in Astana & talk"
    )
    long = clean_title("word " * 200_000)
    assert len(long) <= TITLE_LIMIT and long.endswith("…")
    assert clean_title("<b>" * 1_000_000) == ""


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("a" * 20, 20, "a" * 20),  # fits: unchanged
        ("a" * 16 + " " + "b" * 10, 20, "a" * 16 + "…"),  # a word ends at 80%: cut there
        ("a" * 16 + "\n" + "b" * 10, 20, "a" * 16 + "…"),  # a line ends there: the same
        ("a" * 15 + " " + "b" * 10, 20, "a" * 15 + " bbb…"),  # only earlier: a hard cut
        ("x" * 30, 20, "x" * 19 + "…"),  # no word boundary at all: cut
    ],
)
def test_truncate_cuts_at_a_word_when_one_is_near_the_end(
    text: str, limit: int, expected: str
) -> None:
    assert truncate(text, limit) == expected
    assert len(expected) <= limit


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        ("<em>abc</em> " * 1000, "abc " * 1000),  # markup: over two thirds of the raw value
        ("ab&amp;amp;amp;c " * 1000, "ab&c " * 1000),  # references escaped three times: too
    ],
)
@pytest.mark.parametrize("clean", [clean_title, clean_text])
def test_markup_takes_no_room_from_the_bound(
    raw: str, plain: str, clean: Callable[[str, int], str]
) -> None:
    """A value read only up to its bound would lose text to its markup: the bound is filled."""
    assert clean(raw, 100) == clean(plain, 100)
    assert clean(plain, 100).endswith("…")


def test_content_fits_what_the_reader_stores() -> None:
    """The reader stores ITEM_TEXT_LIMIT characters of an entry's text: clean content of that
    length is kept whole, and longer content is cut (with its ellipsis) to fit, not beyond."""
    whole = "x" * ITEM_TEXT_LIMIT
    assert clean_text(whole) == whole
    longer = clean_text(whole + "x")
    assert len(longer) == ITEM_TEXT_LIMIT and longer.endswith("…")


def test_content_is_bounded() -> None:
    text = clean_text("<p>" + "Слово " * 100_000 + "</p>")
    assert CONTENT_LIMIT - 100 < len(text) <= CONTENT_LIMIT


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "mailto:desk@example.org",
        "/relative/path",
        "https://example.org:99999/a",
        "http://[::1/a",
        "https://example.org/\ud800",
        "https://example.org/" + "a" * URL_LIMIT,
        "",
    ],
)
def test_unusable_links_are_none(url: str) -> None:
    assert clean_url(url) is None


@pytest.mark.parametrize(("length", "kept"), [(MAX_URL_LENGTH, True), (MAX_URL_LENGTH + 1, False)])
def test_links_are_kept_up_to_the_length_the_opml_import_allows(length: int, kept: bool) -> None:
    """One bound for links across the bot: an address as long as a feed address may be."""
    url = padded("https://news.example/", "/a", length)
    assert clean_url(url) == (url if kept else None)
    wrapped = url[:1000] + "\n  " + url[1000:]  # whitespace a feed wraps links with: not counted
    assert clean_url(wrapped) == (url if kept else None)


def test_links_lose_whitespace_and_keep_their_form() -> None:
    assert clean_url("\n  https://news.example/a\n   /b?x=1 ") == "https://news.example/a/b?x=1"
    assert clean_url(None) is None and clean_url(42) is None


@pytest.mark.parametrize(
    ("title", "url"),
    [
        ("Featured Advertiser", "http://ads.pheedo.com/click.phdo?s=cc0c5fb0&p=4"),
        ("Any title", "http://ads.pheedo.com/click.phdo?s=1"),
        ("Featured Advertiser", None),
        ("Реклама: лучшие туры сезона", "https://news.example/a"),
        ("[Anzeige] Neue Küchen", "https://news.example/b"),
        ("Sponsored | The best tours", "https://news.example/c"),
        ("Anything", "https://adclick.g.doubleclick.net/pcs/click?x=1"),
    ],
)
def test_ads_are_recognised(title: str, url: str | None) -> None:
    assert is_ad(title, url)


@pytest.mark.parametrize(
    ("title", "url"),
    [
        ("Advertising industry grows by 5%", "https://news.example/a"),
        ("Рекламный рынок вырос", "https://news.example/b"),
        ("Schools minister to kids’ fitness", "http://feeds.washingtonpost.com/click.phdo?i=1"),
        ("Pheedo shuts down", "https://notpheedo.com/a"),
    ],
)
def test_news_about_ads_is_not_an_ad(title: str, url: str) -> None:
    assert not is_ad(title, url)


# --- the clean-text property -------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<b>",
        "</b>",
        "<img src=x>",
        "<figure>",
        "</figure>",
        "<script>",
        "</script>",
        "<li>",
        "<br/>",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        "<!DOCTYPE html>",
        "<?xml version='1.0'?>",
        "&lt;p&gt;",
        "&lt;/p&gt;",
        "&amp;lt;b&amp;gt;",
        "&amp;amp;lt;i&amp;amp;gt;",
        "&amp;",
        "&amp;#40;",
        "&#40;",
        "&#xD800;",
        "&#xDFFF;",
        "&#0;",
        "&#x110000;",
        "&nbsp;",
        "&not",
        "&",
        "#38;",
        "<",
        ">",
        "\x00",
        "\x07",
        "\ud800",
        "\r\n",
        "(Image credit: ",
        ")",
        "Photo: ",
        "Read more",
        "text",
        "Текст",
        " ",
        "\n",
    ]
)
_HOSTILE = st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=40).map("".join)


@given(_HOSTILE)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_clean_text_and_titles_hold_no_markup_whatever_comes_in(raw: str) -> None:
    assert_clean(clean_text(raw))
    title = clean_title(raw)
    assert_clean(title)
    assert "\n" not in title


@given(_HOSTILE)
@settings(max_examples=200, deadline=None)
def test_clean_text_is_stable(raw: str) -> None:
    once = clean_text(raw)
    assert clean_text(once) == once
    assert to_plain(once) == once


def test_a_comment_holding_angle_brackets_is_markup_too() -> None:
    assert clean_text("<!--<-->") == ""
    assert clean_text("Текст <!-- a < b > c --> дальше") == "Текст дальше"


def test_tails_stacked_four_deep_all_go() -> None:
    stacked = "Body. Read more [...]\nThe post Body appeared first on Blog.\nRead more [...]"
    assert clean_text(stacked) == "Body."


def test_a_link_spread_past_what_is_read_is_refused_not_cut_short() -> None:
    assert clean_url("https://news.example/a" + " " * 4096 + "/b") is None
    assert clean_url("https://news.example/a" + " " * 4000 + "/b") == "https://news.example/a/b"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("AT&amp;(Photo: Reuters)#38;T", "AT&T"),
        ("Tom &amp;(Фото: Reuters)amp; Jerry", "Tom & Jerry"),
    ],
)
def test_an_entity_that_a_removed_credit_brings_together_is_read_too(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean
