"""Feed parsing: formats, item identity within a feed, clean values, bounds, ads."""

from __future__ import annotations

import dataclasses
import html
import json
import re
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.feeds.clean import FEED_TITLE_LIMIT, TITLE_LIMIT
from bot.feeds.parse import (
    MAX_ENTRIES,
    Entry,
    FeedParseError,
    ParsedFeed,
    _Item,
    _Source,
    item_key,
    normalise_url,
    parse_feed,
)
from bot.reading import read_and_file
from storage import Topic
from tests.conftest import DATA_DIR, shared_file

FEEDS = DATA_DIR / "feeds"
TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>|<!--[\s\S]*?-->")


def rss(items: str, channel: str = "", title: str = "Test feed") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://feed.example/</link>{channel}{items}"
        "</channel></rss>"
    ).encode("utf-8", "surrogatepass")


def item(
    title: str = "",
    link: str = "",
    guid: str = "",
    date: str = "",
    description: str = "",
    extra: str = "",
) -> str:
    parts = [f"<title>{title}</title>" if title else ""]
    parts.append(f"<link>{link}</link>" if link else "")
    parts.append(f"<guid>{guid}</guid>" if guid else "")
    parts.append(f"<pubDate>{date}</pubDate>" if date else "")
    parts.append(f"<description>{description}</description>" if description else "")
    return "<item>" + "".join(parts) + extra + "</item>"


def assert_clean_feed(feed: ParsedFeed) -> None:
    """Every stored string: no tag, no character reference, storable as UTF-8."""
    for text in [feed.title, *(s for e in feed.entries for s in (e.title, e.content))]:
        assert TAG.search(text) is None, text[:200]
        assert html.unescape(text) == text, text[:200]
        text.encode("utf-8")
    for entry in feed.entries:
        assert "\n" not in entry.title
        if entry.url is not None:
            entry.url.encode("utf-8")


# --- formats -------------------------------------------------------------------------------


def test_rss_in_windows_1251() -> None:
    feed = parse_feed((FEEDS / "ru_oren_windows1251.xml").read_bytes())
    assert feed.title == "Новости Оренбурга и области / Раздел Новости"
    assert len(feed.entries) == 10
    first = feed.entries[0]
    assert first.title == "В Бузулуке главные стройплощадки – детсад и Ледовый дворец"
    assert first.url == "http://www.oren.ru/news/2743422/"
    assert "детского сада" in first.content
    assert first.published_at == 1390401091.0
    assert len({e.key for e in feed.entries}) == 10
    assert feed.ttl == 30 * 60  # <ttl> is in minutes


def test_rss_with_few_descriptions() -> None:
    feed = parse_feed((FEEDS / "ru_bbcrussian.xml").read_bytes())
    assert feed.title == "BBC Russian — Россия"
    assert len(feed.entries) == 31
    assert all(e.title and e.url for e in feed.entries)
    assert sum(1 for e in feed.entries if e.content) == 5


def test_atom() -> None:
    feed = parse_feed((FEEDS / "de_heise.atom").read_bytes())
    assert feed.title == "heise developer neueste Meldungen"
    assert len(feed.entries) == 15
    assert feed.entries[0].title == "Java-Anwendungsserver: Red Hat gibt WildFly 10 frei"
    assert feed.entries[0].published_at is not None


def test_json_feed_1_1() -> None:
    """feedparser 6.0 does not read JSON Feed (it reports a bozo XML error): we do."""
    feed = parse_feed((FEEDS / "jsonfeed_1_1.json").read_bytes())
    assert (feed.title, feed.link) == ("Steppe Wire", "https://steppe-wire.example/")
    assert feed.skipped == 1  # "Sponsored: …"
    talks, grain = feed.entries
    assert talks.title == "Presidents sign four agreements in Astana"
    assert talks.url == "https://steppe-wire.example/2025/03/talks?utm_source=jsonfeed"
    assert talks.published_at == 1741065300.0  # 2025-03-04T10:15:00+05:00
    assert talks.content == (
        "The two presidents met in Astana on Tuesday.\n\nThey signed:\n\n"
        "- an agreement on water use;\n- a memorandum on transit;\n"
        "- a programme of cultural exchange;\n- a joint statement."
    )
    assert grain.title == "Grain exports up 12% & rising"
    assert grain.url == "https://partner.example/story/77"  # external_url when no url
    assert grain.content == "Exports of grain rose by 12% in February.\n\nTraders expect more."
    assert talks.key == item_key("sw-1042", None, "", None)


def test_json_feed_1_0() -> None:
    feed = parse_feed((FEEDS / "jsonfeed_1_0.json").read_bytes())
    assert feed.title == "Caspian Notes"
    numbered, untitled = feed.entries
    assert numbered.key == item_key("7", None, "", None)  # 1.0 feeds give numeric ids
    assert numbered.published_at == 1559395800.0
    assert untitled.title == "" and untitled.content == "A short note without a title."
    assert untitled.published_at is None  # "not a date"


def test_atom_0_3() -> None:
    feed = parse_feed((FEEDS / "atom03.xml").read_bytes())
    assert feed.title == "Old Atom Desk"
    bridge, budget = feed.entries
    assert bridge.url == "http://old-atom.example/2005/07/bridge"
    assert bridge.content == "The bridge reopened on Sunday."  # the photo credit is gone
    assert bridge.published_at == 1122796800.0
    assert budget.title == "Council votes on budget"  # escaped twice in the file


def test_rss_0_91_with_netscape_entities() -> None:
    feed = parse_feed((FEEDS / "rss091.xml").read_bytes())
    assert feed.title == "Café Gazette"
    terrace, menu = feed.entries
    assert terrace.title == "Le café ouvre une terrasse"
    assert terrace.content == "La terrasse ouvre lundi."  # pixel and "Lire la suite" gone
    assert menu.title == "Nouveau menu d'été"


def test_rss_0_90() -> None:
    feed = parse_feed((FEEDS / "rss090.rdf").read_bytes())
    assert feed.title == "First Wire"
    assert [(e.title, e.url) for e in feed.entries] == [
        ("Station opens", "http://first-wire.example/station"),
        ("Road closed", "http://first-wire.example/road"),
    ]


def test_rss_1_0_rdf() -> None:
    feed = parse_feed((FEEDS / "rss10_rdf.xml").read_bytes())
    route, weather = feed.entries
    assert route.content == (
        "Министерство транспорта открыло новый маршрут.\n\nПодписаны документы:\n\n"
        "- Соглашение о перевозках\n- Меморандум о тарифах"
    )
    assert route.published_at == 1714968000.0
    assert weather.content == "Ожидается тепло (до +25)."


def test_not_a_feed_is_an_error() -> None:
    with pytest.raises(FeedParseError, match="not an RSS, Atom or JSON feed"):
        parse_feed(b"<html><body><p>Hello</p></body></html>")
    with pytest.raises(FeedParseError):
        parse_feed(b"\x00\xff garbage")
    with pytest.raises(FeedParseError, match="JSON Feed version"):
        parse_feed(b'{"title": "an API answer", "items": []}')
    with pytest.raises(FeedParseError):
        parse_feed(b'{"version": "https://jsonfeed.org/version/1.1", "items": [')
    with pytest.raises(FeedParseError):
        parse_feed(b"[" * 100_000)


def test_json_feed_with_odd_values_keeps_its_good_items() -> None:
    doc = (
        '{"version": "https://jsonfeed.org/version/1.1", "title": ["not", "a", "string"],'
        '"items": [7, null, {"id": ' + "9" * 5000 + ', "title": "Huge id",'
        '"url": "https://x.example/1"}, {"id": true, "title": {"x": 1}, "url": 5,'
        '"content_text": "Odd types"}, {"id": "ok", "title": "Fine", "url": "https://x.example/2"}]}'
    ).encode()
    feed = parse_feed(doc)
    assert feed.title == ""
    assert [e.title for e in feed.entries] == ["Huge id", "", "Fine"]
    assert len({e.key for e in feed.entries}) == 3


def json_feed(*items: dict[str, object]) -> bytes:
    return json.dumps(
        {"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": list(items)}
    ).encode()


def test_a_number_where_a_json_feed_wants_text_is_no_text() -> None:
    """Up to 64 digits a number is read as a number: an id, but no title and no text."""
    number = int("9" * 64)
    doc = json_feed({"id": number, "title": number, "content_text": number, "url": "https://x/1"})
    (entry,) = parse_feed(doc).entries
    assert (entry.title, entry.content) == ("", "")
    assert entry.key == item_key("9" * 64, None, "", None)


@pytest.mark.parametrize(
    ("value", "stamp"),
    [
        ("2025-03-04T10:15:00+05:00", 1741065300.0),
        ("2025-03-04T05:15:00", 1741065300.0),  # no zone: UTC
        ("1970-01-01T00:00:01Z", 1.0),
        ("1970-01-01T00:00:00Z", None),  # the epoch is how some feeds say "unknown"
        ("1969-12-31T23:59:59Z", None),
        ("1970-01-01T00:00:01Z".rjust(64), 1.0),  # 64 characters, blanks around: read
        ("1970-01-01T00:00:01Z".rjust(65), None),  # longer than any date: not read
        ("", None),
        ("not a date", None),
    ],
)
@pytest.mark.parametrize("field", ["date_published", "date_modified"])
def test_json_feed_dates(field: str, value: str, stamp: float | None) -> None:
    (entry,) = parse_feed(json_feed({"id": "1", "title": "T", field: value})).entries
    assert entry.published_at == stamp


def atom_entry(published: str, updated: str = "") -> bytes:
    return (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
        '<entry><title>T</title><id>urn:t:1</id><link href="https://x.example/1"/>'
        f"<published>{published}</published>"
        + (f"<updated>{updated}</updated>" if updated else "")
        + "</entry></feed>"
    ).encode()


@pytest.mark.parametrize(
    ("published", "updated", "stamp"),
    [
        ("2024-05-06T04:00:00Z", "", 1714968000.0),
        # feedparser reads these into a time tuple (year 0, year 10000) that calendar refuses.
        ("0000-01-01T00:00:00Z", "2024-05-06T04:00:00Z", 1714968000.0),
        ("9999-12-31T23:59:59-05:00", "", None),
    ],
)
def test_a_date_outside_the_calendar_gives_way_to_the_next_date(
    published: str, updated: str, stamp: float | None
) -> None:
    (entry,) = parse_feed(atom_entry(published, updated)).entries
    assert entry.published_at == stamp


def test_an_embed_fallback_text_is_not_article_text() -> None:
    """The text inside <iframe> and <object> is for browsers that cannot show them.

    feedparser's HTML sanitizer drops those tags and keeps their text; our own converter
    skips them with their content, so feedparser must hand the markup over unsanitized.
    """
    description = (
        "<![CDATA[<p>The match was postponed.</p>"
        '<iframe src="https://v.example/1">Your browser cannot play this video.</iframe>'
        '<object data="clip.swf">Flash is required.</object>]]>'
    )
    (entry,) = parse_feed(rss(item("T", "https://x.example/1", description=description))).entries
    assert entry.content == "The match was postponed."


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        ("Caf&#xE9;", "Café"),
        ("&#X41;BC", "ABC"),
        ("&#65;BC", "ABC"),
        ("A&#1;B", "A B"),  # no XML character: a space
        ("A &#99999999999999999999; B", "A \ufffd B"),  # beyond Unicode
        ("A &#xFFFFFFFFFFFFFFFF; B", "A \ufffd B"),
    ],
)
def test_numeric_character_references_in_xml(raw: str, title: str) -> None:
    (entry,) = parse_feed(rss(item(raw, "https://x.example/1"))).entries
    assert entry.title == title


# --- item identity -------------------------------------------------------------------------

EPOCH = "Thu, 01 Jan 1970 00:00:00 +0000"


def test_a_guid_that_copies_a_link_shared_by_different_articles_is_no_key() -> None:
    """Meduza's scrape, with guids: every item names the front page."""
    items = "".join(
        item(title=t, link="https://meduza.example/", guid="https://meduza.example/", date=EPOCH)
        for t in ("Первая новость", "Вторая новость", "Третья новость")
    )
    feed = parse_feed(rss(items))
    assert len(feed.entries) == 3
    assert len({e.key for e in feed.entries}) == 3
    assert [e.published_at for e in feed.entries] == [None, None, None]  # 1970 means unknown
    again = parse_feed(rss(items))
    assert [e.key for e in again.entries] == [e.key for e in feed.entries]


def test_a_shared_link_falls_back_to_title_date_and_text() -> None:
    items = item("One", "https://x.example/", description="a") + item(
        "Two", "https://x.example/", description="b"
    )
    one, two = parse_feed(rss(items)).entries
    assert one.key == item_key(None, None, "One", None, "a")
    assert two.key == item_key(None, None, "Two", None, "b")
    assert one.key != two.key


def test_a_unique_link_is_the_key_and_survives_tracking_and_edits() -> None:
    before = parse_feed(rss(item("Title", "https://News.example/a/?utm_source=rss#top")))
    after = parse_feed(
        rss(item("Title, updated", "https://news.example/a?xtor=RSS-1", description="More"))
    )
    assert before.entries[0].key == after.entries[0].key
    assert before.entries[0].fingerprint != after.entries[0].fingerprint


def test_the_same_guid_twice_is_one_entry_with_the_fuller_text() -> None:
    """lenta.ru lists some items twice."""
    items = item("Dollar", "https://l.example/dollar/", "https://l.example/dollar/") + item(
        "Dollar", "https://l.example/dollar/", "https://l.example/dollar/", description="Rises."
    )
    feed = parse_feed(rss(items + item("Other", "https://l.example/other/")))
    assert [(e.title, e.content) for e in feed.entries] == [("Dollar", "Rises."), ("Other", "")]


def test_one_link_one_title_is_one_article_whatever_the_dates() -> None:
    """Suspilne lists an item twice, 25 minutes apart, once without its description."""
    link = "https://s.example/culture/644982-oskar/"
    items = item("Оскар-2024", link, date="Thu, 21 Dec 2023 22:12:49 +0200") + item(
        "Оскар-2024", link, date="Thu, 21 Dec 2023 21:47:16 +0200", description="Фільм."
    )
    (entry,) = parse_feed(rss(items)).entries
    assert entry.content == "Фільм."
    assert entry.key == item_key(None, link, "", None)


def test_a_redirector_link_is_the_article_it_points_to() -> None:
    """UOL lists a Folha story twice: directly and through Folha's redirector."""
    target = "https://www1.folha.example/poder/2018/09/match.shtml"
    items = item("Match Eleitoral", target) + item(
        "Match Eleitoral", "https://redir.folha.example/redir/online/rss091/*" + target
    )
    assert len(parse_feed(rss(items)).entries) == 1
    assert normalise_url("https://r.example/go/https%3A%2F%2Fa.example%2Fx") == (
        "https://a.example/x"
    )


LEDE = (
    "Президент Украины рассказал о внешней политике страны, которая помогает ей делать большие"
    " шаги в области международного сотрудничества. Украинский лидер отметил, что офис"
    " президента и МИД многое сделали для субъектности Киева на международной арене."
)


REPOST_NEWER = item(
    "Зеленский рассказал о «наглой» политике Украины",
    "https://l.example/news/naflost/",
    "https://l.example/news/naflost/",
    "Sun, 03 Oct 2021 07:55:00 +0300",
    LEDE,
)
REPOST_OLDER = item(
    "Зеленский заявил о «наглой» внешней политике Украины",
    "https://l.example/news/naglo/",
    "https://l.example/news/naglo/",
    "Sun, 03 Oct 2021 05:31:44 +0300",
    LEDE,
)


def test_one_article_posted_under_two_addresses_is_one_entry() -> None:
    """lenta.ru posted a story twice, the second time under a fixed slug and title."""
    (entry,) = parse_feed(rss(REPOST_NEWER + REPOST_OLDER)).entries
    (stored_before,) = parse_feed(rss(REPOST_OLDER)).entries
    assert entry.key == stored_before.key  # what an earlier poll stored: an update, not news
    assert entry.title == "Зеленский рассказал о «наглой» политике Украины"
    assert entry.fingerprint != stored_before.fingerprint


def test_a_short_entry_before_a_repost_does_not_stop_the_merging() -> None:
    brief = item("Коротко", "https://l.example/news/brief/", description="Одна строка.")
    feed = parse_feed(rss(brief + REPOST_NEWER + REPOST_OLDER))
    assert [e.title for e in feed.entries] == [
        "Коротко",
        "Зеленский рассказал о «наглой» политике Украины",
    ]


@pytest.mark.parametrize(
    ("first", "second", "count"),
    [("", "", 1), ("", "Погода на выходные", 2), ("Погода на выходные", "", 2)],
)
def test_a_repeated_text_merges_an_untitled_entry_only_with_an_untitled_one(
    first: str, second: str, count: int
) -> None:
    items = item(first, "https://x.example/1", description=LEDE) + item(
        second, "https://x.example/2", description=LEDE
    )
    assert len(parse_feed(rss(items)).entries) == count


def test_a_text_repeated_under_unrelated_titles_is_not_a_duplicate() -> None:
    items = "".join(
        item(t, f"https://x.example/{i}", description=LEDE)
        for i, t in enumerate(["Погода на выходные", "Курс доллара вырос", "Матч перенесли"])
    )
    assert len(parse_feed(rss(items)).entries) == 3


def test_feedburner_origlink_is_the_url() -> None:
    doc = rss(
        item(
            "Title",
            "http://feeds.example/~r/JN/~3/abc/story.html",
            extra="<feedburner:origLink>https://www.jn.example/story.html</feedburner:origLink>",
        )
    ).replace(b"<rss ", b'<rss xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0" ')
    (entry,) = parse_feed(doc).entries
    assert entry.url == "https://www.jn.example/story.html"


def test_title_date_fallback_keys() -> None:
    assert item_key(None, None, "Title  here", 1.0) == item_key(None, None, "title here", 1.0)
    assert item_key(None, None, "Title", 1.0) != item_key(None, None, "Title", 2.0)
    assert item_key(None, None, "Title", 1.0, "text") != item_key(None, None, "Title", 1.0, "x")
    assert item_key("g1", "https://a/1", "T", 1.0) == item_key("g1", "https://b/2", "X", 2.0)
    assert item_key("g1", None, "T", 1.0) != item_key("g2", None, "T", 1.0)


def test_normalise_url_drops_tracking_and_noise_only() -> None:
    assert normalise_url("HTTPS://Example.com:443/x/?id=5&utm_medium=rss#frag") == (
        "https://example.com/x?id=5"
    )
    assert normalise_url(
        "https://www.bbc.example/news/uk-1?at_medium=RSS&at_campaign=KARANGA"
    ) == normalise_url("https://www.bbc.example/news/uk-1")
    for tracking in ("xtor=RSS-3208", "wt_mc=rss.beitrag", "fbclid=abc", "yclid=1", "wprss=rss"):
        assert normalise_url(f"https://e.example/a?{tracking}") == "https://e.example/a"
    assert normalise_url("https://e.example/a?b=2&a=1") == normalise_url(
        "https://e.example/a?a=1&b=2"
    )
    assert normalise_url("https://e.example/?p=1609") == "https://e.example/?p=1609"
    assert normalise_url("http://e.example:8080/a") != normalise_url("http://e.example/a")


def test_normalise_url_keeps_a_parameter_with_an_empty_value() -> None:
    assert normalise_url("https://e.example/a?b=1&a=") == "https://e.example/a?a=&b=1"
    assert normalise_url("https://e.example/a?a=&b=1") != normalise_url("https://e.example/a?b=1")


def test_a_link_through_three_redirectors_is_the_article() -> None:
    chain = (
        "https://r1.example/go/https://r2.example/rss091/*"
        "https%3A%2F%2Fr3.example%2Fgo%2Fhttps%3A%2F%2Fa.example%2Fstory"
    )
    assert normalise_url(chain) == "https://a.example/story"


def test_a_redirectors_unencoded_target_keeps_its_query() -> None:
    """Two articles behind one redirector are two links, not one."""
    first = normalise_url("https://redir.example/rss091/*https://a.example/p.php?id=7")
    second = normalise_url("https://redir.example/rss091/*https://a.example/p.php?id=8")
    assert first == normalise_url("https://a.example/p.php?id=7") != second
    # Encoded, the target carries its own query; the redirector's own is not the article's.
    encoded = "https://redir.example/go/https%3A%2F%2Fa.example%2Fp.php%3Fid%3D7?src=rss"
    assert normalise_url(encoded) == first


def test_fingerprint_follows_the_text() -> None:
    first = parse_feed(rss(item("T", "https://x.example/1", "g", description="<p>Text</p>")))
    same = parse_feed(rss(item("T", "https://x.example/1", "g", description="Text")))
    edited = parse_feed(rss(item("T", "https://x.example/1", "g", description="Text, fixed")))
    assert first.entries[0].fingerprint == same.entries[0].fingerprint
    assert edited.entries[0].key == first.entries[0].key
    assert edited.entries[0].fingerprint != first.entries[0].fingerprint


# --- ads, ttl, bounds ----------------------------------------------------------------------


def test_ads_are_skipped_and_counted() -> None:
    items = (
        item("News", "https://news.example/1")
        + item("Featured Advertiser", "http://ads.pheedo.com/click.phdo?s=cc0c5fb0&p=4", "cc0c")
        + item("Реклама: туры", "https://news.example/promo")
        + item("Anything", "https://adclick.g.doubleclick.net/pcs/click?x=1")
    )
    feed = parse_feed(rss(items))
    assert [e.title for e in feed.entries] == ["News"]
    assert feed.skipped == 3


@pytest.mark.parametrize(
    ("ttl", "seconds"),
    [("30", 1800.0), ("1.5", 90.0), ("abc", None), ("-5", None), ("99999999", 86400.0)],
)
def test_ttl_in_seconds(ttl: str, seconds: float | None) -> None:
    assert parse_feed(rss(item("T"), f"<ttl>{ttl}</ttl>")).ttl == seconds
    assert parse_feed(rss(item("T"))).ttl is None


def test_a_five_megabyte_title_is_cut() -> None:
    huge = "Заголовок " * 550_000
    feed = parse_feed(rss(item(huge, "https://x.example/1", description=huge), title=huge))
    assert len(feed.title) <= FEED_TITLE_LIMIT and feed.title.startswith("Заголовок")
    (entry,) = feed.entries
    assert len(entry.title) <= TITLE_LIMIT and entry.title.startswith("Заголовок")
    assert len(entry.content) <= 100_000


def test_twenty_thousand_items_keep_the_newest() -> None:
    # Oldest first: the newest are at the end of the document.
    items = "".join(
        f"<item><title>n{i}</title><guid>g{i}</guid>"
        f"<pubDate>{_rfc822(1_700_000_000 + i * 60)}</pubDate></item>"
        for i in range(20_000)
    )
    feed = parse_feed(rss(items))
    assert len(feed.entries) == MAX_ENTRIES
    assert {e.title for e in feed.entries} == {f"n{i}" for i in range(15_000, 20_000)}
    few = parse_feed(rss(items[: 200 * 90]), max_entries=10)
    assert len(few.entries) == 10


def _rfc822(stamp: int) -> str:
    from email.utils import formatdate

    return formatdate(stamp, usegmt=True)


def test_long_links_and_guids_are_bounded() -> None:
    long_link = "https://x.example/" + "a" * 3000
    feed = parse_feed(rss(item("T", long_link, guid="g" * 1_000_000)))
    (entry,) = feed.entries
    assert entry.url is None
    assert len(entry.key) == 32


def test_a_lone_surrogate_reference_costs_nothing() -> None:
    """`&#xD800;` is not a character: it once made a whole feed fail in SQLite."""
    items = (
        item("Before", "https://x.example/1")
        + item("Broken &#xD800; title", "https://x.example/2&#xD800;", description="Text &#xD800;")
        + item("After", "https://x.example/3")
    )
    feed = parse_feed(rss(items))
    assert [e.title.split()[0] for e in feed.entries] == ["Before", "Broken", "After"]
    assert_clean_feed(feed)
    # And in a CDATA section (the value reaches us as the literal reference):
    cdata = parse_feed(rss(item("<![CDATA[Lone &#xD800; here]]>", "https://x.example/4")))
    assert_clean_feed(cdata)
    assert cdata.entries[0].title.startswith("Lone")


# --- the clean-text property over whole feeds ---------------------------------------------

_PIECE = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<b>x</b>",
        "<img src='x'/>",
        "&lt;p&gt;",
        "&lt;img src=x&gt;",
        "&amp;lt;b&amp;gt;",
        "&amp;amp;#40;",
        "&amp;#40;",
        "&#40;",
        "&#xD800;",
        "&#xDFFF;",
        "&#1;",
        "&#0;",
        "&amp;",
        "&nbsp;",
        "&",
        "<",
        "]]>",
        "<![CDATA[",
        "\x01",
        "\x0b",
        "\ud800",  # written as the invalid UTF-8 bytes ED A0 80
        "\xff\xfe",
        "(Image credit: AP)",
        "Continue reading...",
        "Текст",
        "text",
        " ",
        "\n",
    ]
)
_VALUE = st.lists(st.one_of(_PIECE, st.text(max_size=4)), max_size=25).map("".join)


def _as_xml(value: str, mode: int) -> str:
    """The value as a feed writer might put it: raw, escaped, or in a CDATA section."""
    if mode == 0:
        return value
    if mode == 1:
        return escape(value)
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


@given(
    st.lists(st.tuples(_VALUE, _VALUE, st.integers(0, 2), st.integers(0, 2)), max_size=4),
    _VALUE,
)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_whatever_a_feed_holds_its_stored_strings_are_clean(
    entries: list[tuple[str, str, int, int]], feed_title: str
) -> None:
    items = "".join(
        item(_as_xml(t, tm) or "x", f"https://x.example/{i}", description=_as_xml(d, dm) or "x")
        for i, (t, d, tm, dm) in enumerate(entries)
    )
    # Raw markup may make the XML ill-formed, never the feed unreadable.
    feed = parse_feed(rss(items, title=_as_xml(feed_title, 1)))
    assert_clean_feed(feed)
    assert len(feed.entries) <= len(entries)


# --- corpora -------------------------------------------------------------------------------


def _feedparser_corpus() -> list[Path]:
    root = shared_file("corpora/feedparser-tests")
    return sorted(
        p for p in root.rglob("*") if p.is_file() and p.suffix in (".xml", ".rdf", ".json")
    )


def test_every_feedparser_corpus_file_parses_or_fails_cleanly() -> None:
    """feedparser's own well- and ill-formed feeds go through the ingest path without a crash,
    and whatever they hold comes out as clean text."""
    files = _feedparser_corpus()
    assert len(files) > 2000
    parsed = refused = items = summarised = 0
    topics = [Topic(1, "t", "т", "t", ("feed", "новости"))]
    for path in files:
        try:
            feed = parse_feed(path.read_bytes())
        except FeedParseError:
            refused += 1
            continue
        parsed += 1
        assert_clean_feed(feed)
        for entry in feed.entries:  # and on through the reader and topic matching
            draft = read_and_file(entry, None, topics, [])
            # Clean text passes through the reader's own conversion unchanged: what is stored
            # is what the feed said, not a second unescaping or stripping of it.
            assert draft.text == entry.content, path.name
            # A language code (ISO 639-1), whatever the language.
            assert re.fullmatch("[a-z]{2}", draft.lang) and len(draft.summary) <= 600, path.name
            assert TAG.search(draft.summary) is None, path.name
            assert html.unescape(draft.summary) == draft.summary, path.name
            items += 1
            summarised += bool(draft.summary)
    # A reader that gives up (an empty Article) summarises nothing; 21 of 1,215 items today.
    assert parsed > 10 * refused and items > 1000 and summarised > 10


def test_entries_keep_their_fields() -> None:
    """bot/reading.py and bot/feeds/refresh.py build and read entries by these names."""
    entry = Entry("k", "https://x.example/", "T", None, "text")
    assert (entry.key, entry.url, entry.title, entry.published_at, entry.content) == (
        "k",
        "https://x.example/",
        "T",
        None,
        "text",
    )
    assert entry.fingerprint == ""


def test_normalise_url_drops_a_port_that_is_no_port() -> None:
    assert normalise_url("http://e.example:99999/a") == "http://e.example/a"


@pytest.mark.parametrize(
    ("reference", "kept"),
    [(b"&#xD7FF;", True), (b"&#xD800;", False), (b"&#xDFFF;", False), (b"&#xE000;", True)],
)
def test_only_surrogate_references_are_replaced(reference: bytes, kept: bool) -> None:
    body = b"<rss><channel><title>T</title><item><title>A" + reference + b"</title>"
    body += b"<link>https://e.example/1</link></item></channel></rss>"
    (entry,) = parse_feed(body).entries
    assert entry.title.endswith("\ufffd") is not kept


# --- boundaries: what each limit and branch promises -----------------------------------------


def test_parsed_values_are_frozen() -> None:
    """Entries are shared between the poll cycle and the reader process: nobody may edit one."""
    entry = Entry("k", None, "T", None, "text")
    feed = ParsedFeed("F", None, (entry,), 0, None)
    source = _Source(None, None, "T", None, ())
    clean = _Item(None, None, None, "T", None, "", "f")
    for value in (entry, feed, source, clean):
        with pytest.raises(dataclasses.FrozenInstanceError):
            value.title = "changed"  # type: ignore[misc]


def test_normalise_url_drops_the_default_port_of_either_scheme() -> None:
    assert normalise_url("http://e.example:80/a") == "http://e.example/a"
    assert normalise_url("https://e.example:443/a") == "https://e.example/a"
    assert normalise_url("http://e.example:81/a") == "http://e.example:81/a"


def test_normalise_url_trailing_slashes_and_repeated_parameters() -> None:
    assert normalise_url("https://e.example") == "https://e.example/"
    assert normalise_url("https://e.example/") == "https://e.example/"
    assert normalise_url("https://e.example//") == "https://e.example/"
    assert normalise_url("https://e.example/a/") == "https://e.example/a"
    assert normalise_url("https://e.example/a//") == "https://e.example/a"
    assert normalise_url("https://e.example/a?t=2&t=1") == "https://e.example/a?t=1&t=2"


def test_a_chain_of_redirectors_is_unwrapped_three_deep_only() -> None:
    """Three levels is the promise (a bound on the work per link); a fourth stays wrapped."""
    chain = "https://r1.example/go/https://r2.example/go/https://r3.example/go/"
    assert normalise_url(chain + "https://a.example/story") == "https://a.example/story"
    deeper = chain + "https://r4.example/go/https://a.example/story"
    assert normalise_url(deeper) == "https://r4.example/go/https://a.example/story"


def test_a_redirectors_own_query_is_not_given_to_an_encoded_target() -> None:
    wrapped = "https://redir.example/go/https%3A%2F%2Fa.example%2Fstory?src=rss"
    assert normalise_url(wrapped) == "https://a.example/story"


def test_a_plain_redirector_target_keeps_its_escapes() -> None:
    """Its first 12 characters (the scheme part) tell an escaped target: `https%3A%2F%2F`.

    An escape further on, in the path, is the target's own and stays.
    """
    wrapped = "https://redir.example/go/http://t.co/%41b"
    assert normalise_url(wrapped) == "http://t.co/%41b"


def test_an_embedded_target_that_is_no_url_leaves_the_link_alone() -> None:
    broken = "https://r.example/go/https://[oops/x"  # an unclosed IPv6 bracket
    assert normalise_url(broken) == broken
    hostless = "https://r.example/go/https:///x"
    assert normalise_url(hostless) == hostless


def test_a_guid_counts_by_its_first_four_kilobytes() -> None:
    """Guids are bounded at 4096 characters before hashing: a megabyte guid costs nothing."""

    def key(guid: str) -> str:
        (entry,) = parse_feed(rss(item("T", "https://x.example/1", guid))).entries
        return entry.key

    within = "g" * 4095  # the 4096th character still tells two guids apart
    assert key(within + "a") != key(within + "b")
    beyond = "g" * 4096  # the 4097th does not
    assert key(beyond + "a") == key(beyond + "b")


def test_the_guid_is_the_key_whatever_the_link() -> None:
    first = parse_feed(rss(item("T", "https://x.example/old-slug", "tag:x.example,2024:7")))
    moved = parse_feed(rss(item("T", "https://x.example/new-slug", "tag:x.example,2024:7")))
    assert first.entries[0].key == moved.entries[0].key
    assert first.entries[0].key == item_key("tag:x.example,2024:7", None, "", None)


def test_the_rss_channel_link_is_the_feed_link() -> None:
    assert parse_feed(rss(item("T"))).link == "https://feed.example/"


def test_a_non_url_guid_shared_by_different_articles_is_no_key() -> None:
    items = item("One", "https://x.example/1", "same-guid") + item(
        "Two", "https://x.example/2", "same-guid"
    )
    one, two = parse_feed(rss(items)).entries
    assert (one.key, two.key) == (
        item_key(None, "https://x.example/1", "", None),
        item_key(None, "https://x.example/2", "", None),
    )


def test_a_guid_copying_a_shared_link_is_no_key_even_when_the_guid_is_unique() -> None:
    items = item("One", "https://x.example/", "https://x.example/?utm_source=rss", "", "a") + item(
        "Two", "https://x.example/", description="b"
    )
    one, two = parse_feed(rss(items)).entries
    assert one.key == item_key(None, None, "One", None, "a")
    assert two.key == item_key(None, None, "Two", None, "b")


def test_an_entry_without_a_link_does_not_hide_a_link_shared_after_it() -> None:
    items = (
        item("No link", description="x")
        + item("One", "https://x.example/", description="a")
        + item("Two", "https://x.example/", description="b")
    )
    assert [e.title for e in parse_feed(rss(items)).entries] == ["No link", "One", "Two"]


def test_one_article_listed_twice_with_equal_texts_keeps_the_first_listing() -> None:
    items = item("Dollar", "https://l.example/1", "g-1", description="Rises.") + item(
        "Dollar", "https://l.example/1", "g-1", description="Falls."
    )
    (entry,) = parse_feed(rss(items)).entries
    assert entry.content == "Rises."


def _twice(text: str, first: str = "Same title", second: str = "Same title") -> list[Entry]:
    """One text posted under two addresses."""
    items = item(first, "https://x.example/1", description=text) + item(
        second, "https://x.example/2", description=text
    )
    return list(parse_feed(rss(items)).entries)


def test_a_repost_is_recognised_from_two_hundred_characters_of_text() -> None:
    """200 characters: shorter texts (a one-line lead, a disclaimer) repeat by chance."""
    text = ("word " * 50)[:199] + "."
    (merged,) = _twice(text)
    assert len(merged.content) == 200
    assert len(_twice(text[1:])) == 2  # 199 characters: two entries


def test_titles_sharing_half_of_all_their_words_are_one_repost() -> None:
    assert len(_twice(LEDE, "Alpha beta gamma", "Alpha beta delta")) == 1  # 2 of 4 words
    assert len(_twice(LEDE, "Alpha beta gamma", "Alpha delta epsilon")) == 2  # 1 of 5


def test_an_undated_post_counts_as_the_older_of_a_repost() -> None:
    """Even against the earliest date a feed can give (one second after the epoch)."""
    earliest = "Thu, 01 Jan 1970 00:00:01 +0000"
    dated = item("Same title", "https://x.example/dated", date=earliest, description=LEDE)
    undated = item("Same title", "https://x.example/undated", description=LEDE)
    (merged,) = parse_feed(rss(dated + undated)).entries
    (undated_alone,) = parse_feed(rss(undated)).entries
    assert merged.published_at == 1.0  # the newer post's values
    assert merged.key == undated_alone.key  # the older post's key


def test_a_date_one_second_after_the_epoch_is_a_date() -> None:
    (entry,) = parse_feed(rss(item("T", date="Thu, 01 Jan 1970 00:00:01 +0000"))).entries
    assert entry.published_at == 1.0


@pytest.mark.parametrize(
    ("ttl", "seconds"), [("0", None), ("1", 60.0), ("0.5", 30.0), ("nan", None)]
)
def test_ttl_must_be_positive(ttl: str, seconds: float | None) -> None:
    assert parse_feed(rss(item("T"), f"<ttl>{ttl}</ttl>")).ttl == seconds


def _four_texts(*pixels: str) -> bytes:
    """An item whose longer texts are only tracking pixels; its short description is the text."""
    img = '<img src="https://px.example/{}" width="1" height="1"/>'
    places = ["content:encoded", "yandex:full-text", "turbo:content"]
    extra = "".join(
        f"<{tag}><![CDATA[{img.format(name * 40)}]]></{tag}>"
        for tag, name in zip(places, pixels, strict=False)
    )
    return rss(item("T", "https://x.example/1", description="Real text.", extra=extra)).replace(
        b"<rss ",
        b'<rss xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        b'xmlns:yandex="http://news.yandex.ru" xmlns:turbo="http://turbo.yandex.ru" ',
    )


def test_an_empty_longest_text_gives_way_to_the_next_three_candidates_at_most() -> None:
    """Three candidates are cleaned at most: each may be 400,000 characters of markup."""
    (entry,) = parse_feed(_four_texts("a", "b")).entries
    assert entry.content == "Real text."  # the third candidate
    (entry,) = parse_feed(_four_texts("a", "b", "c")).entries
    assert entry.content == ""  # the fourth is not tried


def test_a_self_closed_iframe_does_not_swallow_the_text_after_it() -> None:
    """feedparser's relative-URI rewriting reserialises `<iframe/>` as an open element."""
    description = 'Safe&lt;iframe src="https://v.example/"/&gt; description'
    (entry,) = parse_feed(rss(item("T", "https://x.example/1", description=description))).entries
    assert entry.content == "Safe description"


def test_relative_links_are_resolved_against_the_feed_address() -> None:
    doc = rss(item("T", "/news/1")).replace(b"https://feed.example/", b"/home")
    feed = parse_feed(doc, base_url="https://feed.example/rss/feed.xml")
    assert (feed.link, feed.entries[0].url) == (
        "https://feed.example/home",
        "https://feed.example/news/1",
    )
    assert parse_feed(doc).entries[0].url is None  # no address: no absolute link


def test_the_charset_of_the_content_type_is_honoured() -> None:
    body = (
        '<rss version="2.0"><channel><title>Лента</title>'
        "<item><title>Новости</title><link>https://x.example/1</link></item></channel></rss>"
    ).encode("cp1251")  # no XML declaration: only the header names the encoding
    feed = parse_feed(body, content_type="application/rss+xml; charset=windows-1251")
    assert (feed.title, feed.entries[0].title) == ("Лента", "Новости")


PREFIX = "not an RSS, Atom or JSON feed"


def test_the_reason_a_document_is_no_feed_is_one_short_line() -> None:
    """The reason reaches logs and admin alerts: its first line only, at most 200 characters."""
    declared = b'<?xml version="1.0" encoding="first\rsecond"?><html/>'
    with pytest.raises(FeedParseError) as caught:
        parse_feed(declared)
    assert "first" in str(caught.value) and "second" not in str(caught.value)
    long_name = b'<?xml version="1.0" encoding="' + b"e" * 300 + b'"?><html/>'
    with pytest.raises(FeedParseError) as caught:
        parse_feed(long_name)
    assert len(str(caught.value)) == len(PREFIX + ": ") + 200
    with pytest.raises(FeedParseError) as caught:
        parse_feed(b"<html><body><p>Hello</p></body></html>")  # feedparser names no reason
    assert str(caught.value) == PREFIX


@pytest.mark.parametrize(
    ("reference", "read"),
    [
        (b"&#x" + b"0" * 20 + b"110000;", "\ufffd"),  # beyond Unicode, however written
        (b"&#" + b"9" * 30 + b";", "\ufffd"),
        (b"&#" + b"9" * 5000 + b";", "\ufffd"),  # past what int() converts
        (b"&#x" + b"0" * 30 + b"41;", "A"),  # leading zeros: still the letter
        (b"&#" + b"0" * 30 + b"1114111;", "\U0010ffff"),  # the last code point, 7 digits
        (b"&#1114112;", "\ufffd"),
        (b"&#x10FFFF;", "\U0010ffff"),  # 6 hex digits
        (b"&#x0110000;", "\ufffd"),
    ],
)
def test_a_reference_beyond_unicode_costs_neither_the_item_nor_the_feed(
    reference: bytes, read: str
) -> None:
    doc = rss(item("T", "https://x.example/1")).replace(b"<title>T", b"<title>T" + reference)
    (entry,) = parse_feed(doc).entries
    assert entry.title == "T" + read


def _with_reference(reference: str) -> ParsedFeed:
    """The reference in an item's title, link and text, in a feed whose link holds `&amp;`."""
    items = item(f"A{reference}B", f"https://x.example/a{reference}b", description=f"A{reference}B")
    return parse_feed(
        rss(items).replace(b"https://feed.example/<", b"https://feed.example/?a=1&amp;b=2<")
    )


@pytest.mark.parametrize(
    "reference",
    ["&#x1;", "&#x8;", "&#xB;", "&#xC;", "&#xE;", "&#x1F;", "&#xFFFE;", "&#xFFFF;"],
)
def test_a_reference_to_no_xml_character_is_a_space(reference: str) -> None:
    """Kept, it would make the document ill-formed, and feedparser's loose parser reads the
    feed's `&amp;` as "&amp" (and the character itself would make the item's link no link)."""
    feed = _with_reference(reference)
    assert feed.link == "https://feed.example/?a=1&b=2"
    assert (feed.entries[0].title, feed.entries[0].url) == ("A B", "https://x.example/ab")


@pytest.mark.parametrize(
    ("reference", "text"),
    [
        ("&#x9;", "A B"),
        ("&#xA;", "A\nB"),  # a line break, where a space would join the lines
        ("&#xD;", "A\nB"),
        ("&#x20;", "A B"),
        ("&#xFFFD;", "A\ufffdB"),
        ("&#x10000;", "A\U00010000B"),
        ("&#x10FFFF;", "A\U0010ffffB"),  # the last code point
        ("&#x110000;", "A\ufffdB"),  # beyond it: the replacement character
    ],
)
def test_a_reference_to_an_xml_character_is_kept(reference: str, text: str) -> None:
    feed = _with_reference(reference)
    assert feed.link == "https://feed.example/?a=1&b=2"
    assert feed.entries[0].content == text


def test_json_is_recognised_after_at_most_a_kilobyte_of_blank_space() -> None:
    """The first 1024 bytes are looked at: a `{` later than that is no JSON feed."""
    body = json_feed({"id": "1", "title": "T"})
    assert parse_feed(b" " * 1023 + body).entries[0].title == "T"
    with pytest.raises(FeedParseError):
        parse_feed(b" " * 1024 + body)


def test_a_number_longer_than_sixty_four_digits_stays_the_text_it_was() -> None:
    digits = "9" * 65
    doc = json_feed({"id": "1", "url": "https://x/1"}).replace(
        b'"id": "1"', b'"id": "1", "title": ' + digits.encode()
    )
    (entry,) = parse_feed(doc).entries
    assert entry.title == digits


@pytest.mark.parametrize("odd", [True, 1.5, None, ["a"]])
def test_a_json_id_that_is_no_string_or_integer_is_no_guid(odd: object) -> None:
    (entry,) = parse_feed(json_feed({"id": odd, "url": "https://x.example/1"})).entries
    assert entry.key == item_key(None, "https://x.example/1", "", None)


@pytest.mark.parametrize("odd", [1741065300, ["2025-03-04T10:15:00Z"], {"date": "x"}, None])
def test_a_json_date_that_is_no_string_is_no_date(odd: object) -> None:
    (entry,) = parse_feed(json_feed({"id": "1", "title": "T", "date_published": odd})).entries
    assert entry.published_at is None
