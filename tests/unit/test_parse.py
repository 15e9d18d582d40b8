"""Feed parsing on real files, and item keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.feeds.parse import FeedParseError, item_key, normalise_url, parse_feed
from bot.reading import read_and_file
from storage import Topic
from tests.conftest import DATA_DIR, shared_file

FEEDS = DATA_DIR / "feeds"


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


def test_not_a_feed_is_an_error() -> None:
    with pytest.raises(FeedParseError, match="not an RSS or Atom feed"):
        parse_feed(b"<html><body><p>Hello</p></body></html>")
    with pytest.raises(FeedParseError):
        parse_feed(b"\x00\xff garbage")


def test_keys_prefer_guid_then_link_then_title_and_date() -> None:
    assert item_key("g1", "https://a/1", "T", 1.0) == item_key("g1", "https://b/2", "X", 2.0)
    assert item_key("g1", None, "T", 1.0) != item_key("g2", None, "T", 1.0)
    same_link = item_key(None, "https://News.example/a/?utm_source=tg#top", "T", None)
    assert same_link == item_key(None, "https://news.example/a", "Other title", 5.0)
    assert item_key(None, None, "Title  here", 1.0) == item_key(None, None, "title here", 1.0)
    assert item_key(None, None, "Title", 1.0) != item_key(None, None, "Title", 2.0)


def test_normalise_url_keeps_meaningful_query() -> None:
    assert (
        normalise_url("HTTPS://Example.com/x/?id=5&utm_medium=rss") == "https://example.com/x?id=5"
    )


def _feedparser_corpus() -> list[Path]:
    root = shared_file("corpora/feedparser-tests")
    return sorted(
        p for p in root.rglob("*") if p.is_file() and p.suffix in (".xml", ".rdf", ".json")
    )


def test_every_feedparser_corpus_file_parses_or_fails_cleanly() -> None:
    """feedparser's own well- and ill-formed feeds go through the ingest path without a crash."""
    files = _feedparser_corpus()
    assert len(files) > 100
    parsed = refused = items = 0
    topics = [Topic(1, "t", "т", "t", ("feed", "новости"))]
    for path in files:
        try:
            feed = parse_feed(path.read_bytes())
        except FeedParseError:
            refused += 1
            continue
        parsed += 1
        for entry in feed.entries:  # and on through the reader and topic matching
            draft, _ = read_and_file(entry, None, topics, [])
            assert draft.key == entry.key
            items += 1
    assert parsed > refused and items > 100


def test_every_real_feed_parses() -> None:
    root = shared_file("corpora/real-feeds")
    files = sorted(p for p in root.iterdir() if p.suffix in (".xml", ".rss", ".atom"))
    assert len(files) == 30
    for path in files:
        feed = parse_feed(path.read_bytes())
        assert feed.entries, path.name
