"""The real-feeds corpus through parse -> key -> clean -> store: identity, clean text,
encodings, speed.

The expected number of distinct articles per file was decided by reading each file (see
corpora/real-feeds/provenance.md): the table says why where it differs from the item count.
`python -m tests.feeds.test_real_feeds` prints the speed comparison with feedparser alone.
"""

from __future__ import annotations

import html
import re
import time
from pathlib import Path

import feedparser
import pytest

from bot.feeds.clean import clean_text
from bot.feeds.parse import ParsedFeed, parse_feed
from bot.reading import read_and_file, same_story
from storage import FeedCheck, open_storage
from tests.conftest import shared_file

# file number -> (distinct articles, ads skipped, why)
EXPECTED: dict[str, tuple[int, int, str]] = {
    "01": (10, 0, "no guids; ten different links"),
    "02": (198, 0, "200 items: the 'dollar' and 'gosdep' items are listed twice (same guid)"),
    "03": (199, 0, "200 items: one story posted twice, slug 'naglo' then 'naflost', same text"),
    "04": (1, 0, "one item"),
    "05": (1, 0, "one item"),
    "06": (19, 0, "20 items: the Oscar-2024 story twice (same link and title, 25 min apart)"),
    "07": (24, 0, "24 headlines, all with the front-page link and the 1970 date"),
    "08": (31, 0, "no guids; 31 different links"),
    "09": (1, 0, "one untitled item"),
    "10": (16, 0, "16 guids"),
    "11": (25, 0, "25 guids"),
    "12": (15, 0, "15 guids"),
    "13": (30, 0, "30 guids"),
    "14": (41, 0, "41 guids"),
    "15": (54, 0, "54 guids"),
    "16": (55, 0, "55 guids"),
    "17": (26, 3, "29 items: three 'Featured Advertiser' ads linking to ads.pheedo.com"),
    "18": (1, 0, "one item"),
    "19": (50, 0, "50 guids"),
    "20": (14, 0, "15 items: 'Match Eleitoral' directly and through Folha's redirector"),
    "21": (40, 0, "no guids; 40 different links"),
    "22": (1, 0, "one item"),
    "23": (1, 0, "one item"),
    "24": (15, 0, "15 ids"),
    "25": (21, 0, "21 guids"),
    "26": (1, 0, "one item"),
    "27": (1, 0, "one item"),
    "28": (1, 0, "one item"),
    "29": (1, 0, "one item"),
    "30": (40, 0, "40 guids"),
}
TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>|<!--[\s\S]*?-->")
# Junk the feeds carried into cards before: photo credits, tails, pixels, image markup.
JUNK = {
    "01": ["&#40;", "&#41;"],
    "12": ["Image credit", "npr-rss-pixel", "media.npr.org"],
    "14": ["Continue reading"],
    "15": ["Continue reading"],
    "16": ["Continue reading"],
    "17": ["Read full article", "Featured Advertiser", "pheedo", "Add to Facebook"],
    "20": ["img align", "imguol", ".jpg", "Leia mais"],
    "21": ["feedburner", "<img", "height=", "width="],
    "29": ["figure", "ilgcdn", ".jpg"],
}


def _files() -> list[Path]:
    root = shared_file("corpora/real-feeds")
    return sorted(p for p in root.iterdir() if p.suffix in (".xml", ".rss", ".atom"))


def _feed(number: str) -> ParsedFeed:
    (path,) = [p for p in _files() if p.name.startswith(number + "_")]
    return parse_feed(path.read_bytes())


def test_the_table_covers_the_corpus() -> None:
    assert sorted(p.name[:2] for p in _files()) == sorted(EXPECTED)


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_one_key_per_article_and_only_clean_text(number: str) -> None:
    articles, ads, why = EXPECTED[number]
    feed = _feed(number)
    assert len({e.key for e in feed.entries}) == articles, why
    assert len(feed.entries) == articles, why
    assert feed.skipped == ads
    for text in [feed.title, *(s for e in feed.entries for s in (e.title, e.content))]:
        assert TAG.search(text) is None, text[:200]
        assert html.unescape(text) == text, text[:200]
        text.encode("utf-8")
    assert all(e.title for e in feed.entries) or number == "09"  # Nenoksa has no title


@pytest.mark.parametrize("number", sorted(JUNK))
def test_credits_tails_pixels_and_image_markup_are_gone(number: str) -> None:
    feed = _feed(number)
    for entry in feed.entries:
        for junk in JUNK[number]:
            assert junk not in entry.content and junk not in entry.title, (junk, entry.title)
    assert sum(1 for e in feed.entries if e.content) >= len(feed.entries) // 2


def test_meduza_scrape_keeps_all_its_articles() -> None:
    feed = _feed("07")
    assert len({e.key for e in feed.entries}) == 24
    assert {e.url for e in feed.entries} == {"https://meduza.io/"}
    assert {e.published_at for e in feed.entries} == {None}  # 1970 stands for "unknown"


def test_orenburg_double_escaped_description() -> None:
    """The XML holds `&amp;#40;видео&amp;#41;`; the card must show "(видео)"."""
    (path,) = [p for p in _files() if p.name.startswith("01_")]
    raw = feedparser.parse(path.read_bytes()).entries[1].summary
    assert "&#40;" in raw
    assert clean_text(raw) == "Из-за чего теперь на них возбуждено уголовное дело (видео)"


def test_npr_keeps_the_text_without_the_credit() -> None:
    first = _feed("12").entries[0]
    assert first.content == (
        "A South African corrections board found the athlete had meet the minimum parole "
        "requirements after serving half of his 13-year sentence for murder."
    )


@pytest.mark.parametrize(
    ("number", "feed_title", "entry_title"),
    [
        ("01", "Новости Оренбурга и области / Раздел Новости", "В Бузулуке главные"),
        ("20", "UOL Noticias", "Ibope: Bolsonaro perde de Haddad, Ciro e Alckmin em simulações"),
        ("21", "Jornal de Notícias - Últimas Notícias", "Mãe de utente é a nova presidente"),
        ("22", "RSS Feed do Site Inovação Tecnológica", "Revolução nas telas com pontos quânticos"),
        ("23", "Liberal - ΕΠΙΚΑΙΡΟΤΗΤΑ", "«Πορτραίτα καραντίνας» για έμπνευση"),
        ("30", "Golem.de", "Anheuser Busch: US-Brauerei bestellt 40 Tesla-Trucks vor"),
    ],
)
def test_legacy_encodings_are_decoded(number: str, feed_title: str, entry_title: str) -> None:
    """windows-1251, ISO-8859-1 with and without a declaration, ISO-8859-7."""
    feed = _feed(number)
    assert feed.title == feed_title
    assert feed.entries[0].title.startswith(entry_title)
    assert "\ufffd" not in feed.entries[0].title + feed.entries[0].content


def measure(rounds: int = 3) -> tuple[int, float, float]:
    """Entries in the corpus, and the best seconds of feedparser alone and of parse_feed."""
    data = [p.read_bytes() for p in _files()]
    entries = sum(len(feedparser.parse(d).entries) for d in data)
    alone = ours = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for d in data:
            feedparser.parse(d)
        alone = min(alone, time.perf_counter() - start)
        start = time.perf_counter()
        for d in data:
            parse_feed(d)
        ours = min(ours, time.perf_counter() - start)
    return entries, alone, ours


def report(entries: int, alone: float, ours: float) -> str:
    return (
        f"real-feeds corpus, {entries} entries: feedparser.parse alone {entries / alone:.0f}"
        f" entries/s, parse_feed (parse + keys + clean) {entries / ours:.0f} entries/s,"
        f" ratio {alone / ours:.2f} (goal >= 0.70)"
    )


def test_ingest_speed_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    """A benchmark: prints its figures, asserts nothing about time."""
    entries, alone, ours = measure(rounds=1)
    with capsys.disabled():
        print("\n" + report(entries, alone, ours))
    assert entries > 900


if __name__ == "__main__":
    print(report(*measure()))


async def test_every_real_feed_stores_one_item_per_article(tmp_path: Path) -> None:
    """parse -> key -> clean -> store: the database holds exactly the distinct articles, and a
    second check of the same bytes stores and updates nothing."""
    storage = await open_storage(tmp_path / "corpus.db")
    try:
        for path in _files():
            number = path.name[:2]
            feed = await storage.add_feed(
                f"https://corpus.example/{path.name}",
                title=path.name,
                interval_seconds=900,
                next_check_at=0,
                now=0,
            )
            parsed = parse_feed(path.read_bytes())
            drafts = [read_and_file(e, None, [], []) for e in parsed.entries]
            for _round in range(2):
                outcome = await storage.store_items(
                    feed.id,
                    drafts,
                    now=1.0,
                    check=FeedCheck(next_check_at=900.0),
                    queue=True,
                    push_limit=20,
                    same_story=same_story,
                )
                if _round == 1:
                    assert (outcome.new, outcome.updated) == (0, 0), path.name
            assert await storage.item_count(feed.id) == EXPECTED[number][0], path.name
    finally:
        await storage.close()
