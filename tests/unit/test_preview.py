"""`newsbot preview` on files: feed cards, and an article's findings as JSON; anything that
gives no card is one line on stderr and exit status 1."""

from __future__ import annotations

import codecs
import json
import random
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.feeds.parse import parse_feed
from bot.preview import (
    NotText,
    article_from_text_file,
    declared_charset,
    decode_text,
    feed_source,
    page_timestamp,
)
from tests.conftest import DATA_DIR, shared_file
from tests.support.feeds import FeedItem, rss

KEYS = {
    "lang", "title", "summary", "documents", "participants", "countries", "place", "figures",
    "is_summit", "keywords", "url", "date", "source",
}  # fmt: skip


def test_preview_of_a_shipped_feed(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["preview", str(DATA_DIR / "feeds" / "ru_oren_windows1251.xml"), "--limit", "2"]) == 0
    )
    out = capsys.readouterr().out
    assert out.startswith("Новости Оренбурга и области / Раздел Новости — 10 новостей\n")
    assert out.splitlines()[1] == "Показаны 2 из 10"
    assert out.count("http://www.oren.ru/news/") == 2
    assert out.count("\n" + "─" * 60 + "\n") == 2  # a rule under each card
    assert "В Бузулуке главные стройплощадки" in out


def test_preview_json_of_a_feed(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["preview", str(DATA_DIR / "feeds" / "de_heise.atom"), "--json", "--limit", "3"]) == 0
    )
    articles = json.loads(capsys.readouterr().out)
    assert len(articles) == 3 and all(set(a) == KEYS for a in articles)
    first = articles[0]
    assert first["title"] == "Java-Anwendungsserver: Red Hat gibt WildFly 10 frei"
    assert first["lang"] == "de" and first["keywords"] == []  # no German morphology: none
    assert first["url"].startswith("http://www.heise.de/developer/meldung/Java-Anwendungsserver-")
    assert first["date"] == "2016-02-01T16:22:00+00:00"  # <published>17:22+01:00
    assert {a["source"] for a in articles} == {"heise developer neueste Meldungen"}


def test_preview_json_of_the_reference_article(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", str(shared_file("samples/kz-tj-talks.ru.txt")), "--json"]) == 0
    article = json.loads(capsys.readouterr().out)
    assert set(article) == KEYS
    assert (article["url"], article["date"], article["source"]) == (None, None, None)
    assert article["is_summit"] is True and article["place"] == "Астана"
    assert article["participants"] == ["Касым-Жомарт Токаев", "Эмомали Рахмон"]
    assert len(article["documents"]) == 9


def test_preview_of_something_unreadable(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    assert main(["preview", str(tmp_path / "absent.xml")]) == 1
    assert (
        capsys.readouterr().err
        == f"error: cannot read {tmp_path / 'absent.xml'}: No such file or directory\n"
    )
    junk = tmp_path / "junk.xml"
    junk.write_bytes(b"\x00\x01 not a feed")
    assert main(["preview", str(junk)]) == 1
    assert "not an RSS, Atom or JSON feed" in capsys.readouterr().err


PAGE = """<!DOCTYPE html><html lang="ru"><head>
<title>Переговоры в Бишкеке — Новости Бишкека</title>
<meta property="og:site_name" content="Новости Бишкека">
<meta property="article:published_time" content="2025-03-17T10:00:00+00:00">
<link rel="canonical" href="https://news.example/2025/talks">
</head><body><article>
<p>Президенты Киргизии и Казахстана провели переговоры в Бишкеке в ходе государственного
визита казахстанского лидера.</p>
<p>Главы государств обсудили вопросы торговли, транзита и водно-энергетического
сотрудничества.</p></article></body></html>"""


def test_an_html_page_keeps_its_title_address_date_and_site(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """A headline only in <title> (the site's name after it dropped) is the item's title; the
    text alone would give its first sentence."""
    page = tmp_path / "talks.html"
    page.write_text(PAGE, encoding="utf-8")
    assert main(["preview", str(page), "--json"]) == 0
    out = capsys.readouterr().out
    assert out.startswith('{\n  "lang": "ru",\n  "title": "Переговоры в Бишкеке",\n')  # legible
    article = json.loads(out)
    assert set(article) == KEYS
    assert article["title"] == "Переговоры в Бишкеке"
    assert article["url"] == "https://news.example/2025/talks"
    assert article["date"] == "2025-03-17T10:00:00+00:00"
    assert article["source"] == "Новости Бишкека"
    assert main(["preview", str(page)]) == 0
    card = capsys.readouterr().out
    assert card.startswith("Переговоры в Бишкеке\n") and "Без заголовка" not in card


def test_a_page_with_only_an_h1_has_that_title(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """An HTML fragment: no <title>, no site, no address, no date."""
    page = tmp_path / "fragment.html"
    page.write_text(
        "<h1>Переговоры в Астане</h1><p>Президенты провели переговоры в Астане и обсудили "
        "торговлю между странами.</p>",
        encoding="utf-8",
    )
    assert main(["preview", str(page), "--json"]) == 0
    article = json.loads(capsys.readouterr().out)
    assert article["title"] == "Переговоры в Астане"
    assert (article["url"], article["date"], article["source"]) == (None, None, None)


def test_a_text_files_first_line_is_its_title() -> None:
    assert article_from_text_file("Title\nThe text.") == ("Title", "The text.")
    assert article_from_text_file("\n Title \nOne.\nTwo.\n") == ("Title", "One.\nTwo.")
    assert article_from_text_file("Only one line.\n") == ("", "Only one line.\n")


def test_a_pages_date_as_a_timestamp() -> None:
    assert page_timestamp("2025-03-17T10:00:00+0300") == 1742194800.0
    assert page_timestamp("2025-03-17") == 1742169600.0  # midnight UTC
    assert [page_timestamp(d) for d in (None, "", "17 марта 2025")] == [None, None, None]


def test_a_page_with_a_title_or_a_text_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Either makes a card: only a page with neither is no article."""
    titled = tmp_path / "titled.html"
    titled.write_text("<html><head><title>Переговоры в Астане</title></head><body></body></html>")
    assert main(["preview", str(titled)]) == 0
    assert capsys.readouterr().out.startswith("Переговоры в Астане\n")
    text = tmp_path / "text.html"
    text.write_text("<div><p>Президенты провели переговоры в Астане.</p></div>")
    assert main(["preview", str(text), "--json"]) == 0
    assert (
        json.loads(capsys.readouterr().out)["summary"] == "Президенты провели переговоры в Астане."
    )


def test_a_page_without_a_site_name_is_named_by_its_host(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "talks.html"
    path.write_text(PAGE.replace('<meta property="og:site_name" content="Новости Бишкека">', ""))
    assert main(["preview", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["source"] == "news.example"


def test_a_refused_address_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """The fetcher's address guard refuses loopback before dialling: no connection is made."""
    url = "http://127.0.0.1:9/feed.xml"
    assert main(["preview", url]) == 1
    refused = "refused: 127.0.0.1 is not a public address"
    assert capsys.readouterr() == ("", f"error: cannot read {url}: {refused}\n")


def test_a_one_line_text_file_gets_a_title(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """A one-line file has no title line: the reader takes the page's headline (a flattened
    Kremlin page) or the first sentence, never "Без заголовка"."""
    page = tmp_path / "one.txt"
    page.write_text(
        "События Российско-таджикистанские переговоры В Кремле прошли переговоры Владимира "
        "Путина с Президентом Таджикистана Эмомали Рахмоном. Стороны обсудили торговлю и "
        "транспорт между двумя странами.\n",
        encoding="utf-8",
    )
    assert main(["preview", str(page)]) == 0
    card = capsys.readouterr().out
    assert card.startswith("Российско-таджикистанские переговоры\n")
    assert "Без заголовка" not in card and "События" not in card


# --- how many items: the header above the cards ---------------------------------------------


def write_feed(path: Path, count: int, title: str = "Степной вестник") -> Path:
    items = [
        FeedItem(
            f"n{i}",
            f"Новость номер {i}",
            f"Президенты обсудили торговлю и транспорт, встреча номер {i}.",
            published=1_700_000_000.0 + i * 60,
        )
        for i in range(count)
    ]
    path.write_bytes(rss(title, items))
    return path


def header(capsys: pytest.CaptureFixture[str]) -> list[str]:
    """The lines before the first blank line: the feed's title and counts."""
    return capsys.readouterr().out.split("\n\n")[0].splitlines()


@pytest.mark.parametrize(
    ("count", "limit", "lang", "lines"),
    [
        (1, 10, "ru", ["Степной вестник — 1 новость"]),
        (1, 10, "en", ["Степной вестник — 1 item"]),
        (3, 3, "ru", ["Степной вестник — 3 новости"]),
        (3, 3, "en", ["Степной вестник — 3 items"]),
        (5, 10, "ru", ["Степной вестник — 5 новостей"]),
        (21, 1, "ru", ["Степной вестник — 21 новость", "Показана 1 из 21"]),
        (21, 1, "en", ["Степной вестник — 21 items", "Showing 1 of 21"]),
        (12, 2, "ru", ["Степной вестник — 12 новостей", "Показаны 2 из 12"]),
        (12, 11, "ru", ["Степной вестник — 12 новостей", "Показано 11 из 12"]),
        (12, 11, "en", ["Степной вестник — 12 items", "Showing 11 of 12"]),
        (0, 10, "ru", ["Степной вестник — 0 новостей"]),
    ],
)
def test_the_header_counts_the_items_in_the_card_language(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    count: int,
    limit: int,
    lang: str,
    lines: list[str],
) -> None:
    """ "Showing n of N" only when the limit hides some; nothing extra when all are shown."""
    feed = write_feed(tmp_path / "feed.xml", count)
    assert main(["preview", str(feed), "--limit", str(limit), "--lang", lang]) == 0
    out = capsys.readouterr().out
    assert out.split("\n\n")[0].splitlines() == lines
    assert out.count("https://news.example/n") == min(count, limit)  # one card each


def test_a_limit_below_zero_shows_no_card(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = write_feed(tmp_path / "feed.xml", 3)
    assert main(["preview", str(feed), "--limit", "-1", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:2] == ["Степной вестник — 3 items", "Showing 0 of 3"]
    assert "https://news.example/n" not in out


def test_a_title_with_a_bar_keeps_its_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Plural forms are split at "|": a feed's title must not be split with them."""
    feed = write_feed(tmp_path / "feed.xml", 2, title="Новости | Сайт")
    assert main(["preview", str(feed)]) == 0
    assert header(capsys) == ["Новости | Сайт — 2 новости"]


# --- --json: url, date (UTC) and source of every item ------------------------------------------


def test_a_feed_without_a_title_is_named_by_its_host(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The feed's own link first (items may live elsewhere), then each item's address."""
    linked = tmp_path / "linked.xml"
    linked.write_bytes(
        rss(
            "",
            [FeedItem("a", "Мост открыт", "Мост открыт после ремонта.", "https://cdn.example/a")],
        )
    )
    assert main(["preview", str(linked), "--json"]) == 0
    [item] = json.loads(capsys.readouterr().out)
    assert (item["url"], item["source"]) == ("https://cdn.example/a", "news.example")
    assert item["date"] == "2023-11-14T22:13:20+00:00"
    assert main(["preview", str(linked)]) == 0
    assert header(capsys) == ["news.example — 1 новость"]

    bare = tmp_path / "bare.xml"
    bare.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel>'
        "<item><title>Мост открыт</title><link>https://one.example/a</link>"
        "<description>Мост открыт после ремонта.</description></item>"
        "<item><title>Дорога закрыта</title><link>https://two.example/b</link></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    assert main(["preview", str(bare), "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert [(i["source"], i["date"]) for i in items] == [
        ("one.example", None),
        ("two.example", None),
    ]


def test_a_fetched_feed_without_a_title_is_named_by_its_address() -> None:
    feed = parse_feed(rss("", [FeedItem("a", "Мост открыт", "Мост открыт после ремонта.")]))
    assert feed_source(feed, "https://feeds.example/rss") == "feeds.example"
    assert feed_source(feed) == "news.example"  # no address: the feed's own link
    titled = parse_feed(rss("Вестник", [FeedItem("a", "Мост открыт", "Текст.")]))
    assert feed_source(titled, "https://feeds.example/rss") == "Вестник"


def page(published: str) -> str:
    return PAGE.replace("2025-03-17T10:00:00+00:00", published)


@pytest.mark.parametrize(
    ("published", "date", "shown"),
    [
        ("2025-03-17T10:00:00+03:00", "2025-03-17T07:00:00+00:00", "17.03.2025 07:00"),
        ("2025-03-16T22:30:00-04:00", "2025-03-17T02:30:00+00:00", "17.03.2025 02:30"),
        ("2025-03-17T10:00:00Z", "2025-03-17T10:00:00+00:00", "17.03.2025 10:00"),
        ("2025-03-17", "2025-03-17T00:00:00+00:00", "17.03.2025 00:00"),  # a day: its UTC start
    ],
)
def test_a_pages_date_is_given_in_utc(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], published: str, date: str, shown: str
) -> None:
    """A page's time and offset are kept (not only its day), and its card shows the same
    moment."""
    path = tmp_path / "talks.html"
    path.write_text(page(published), encoding="utf-8")
    assert main(["preview", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["date"] == date
    assert main(["preview", str(path)]) == 0
    assert f"Новости Бишкека · {shown}" in capsys.readouterr().out


# --- what is no article: one line on stderr, exit status 1 ------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n"
RUSSIAN = "Переговоры в Астане\nПрезиденты обсудили торговлю и транспорт.\n"


def unreadable(
    tmp_path: Path, name: str, content: bytes, capsys: pytest.CaptureFixture[str]
) -> str:
    """Run preview on a file; assert exit 1, nothing on stdout, one line on stderr: return it."""
    path = tmp_path / name
    path.write_bytes(content)
    assert main(["preview", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.endswith("\n")
    assert err.startswith(f"error: {path}: ")
    return err.removeprefix(f"error: {path}: ").rstrip("\n")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty (0 bytes)"),
        ("empty.html", b"", "empty (0 bytes)"),
        ("empty.xml", b"", "empty (0 bytes)"),
        ("blank.txt", b" \n\t\r\n  \n", "only whitespace, no text"),
        ("blank.html", b"\n   \n", "only whitespace, no text"),
        ("bom-blank.txt", codecs.BOM_UTF8 + b"  \n", "only whitespace, no text"),
        ("image.txt", PNG, "a PNG image, not text"),
        ("image.html", PNG, "a PNG image, not text"),
        ("scan.txt", PDF, "a PDF document, not text"),  # all ASCII: only its magic tells
        ("photo.html", b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image, not text"),
        ("nul.txt", b"Title\nSome text\x00 and more text.\n", "binary data (NUL bytes), not text"),
        ("cp1251.txt", RUSSIAN.encode("cp1251"), "not UTF-8 text (byte 0xcf at offset 0)"),
        ("latin.html", b"<p>caf\xe9 au lait</p>", "not UTF-8 text (byte 0xe9 at offset 6)"),
        ("cut.txt", "Новость".encode()[:-1], "not UTF-8 text (byte 0xd1 at offset 12)"),
        (
            "utf16.txt",
            codecs.BOM_UTF16_LE + b"\x00\xd8",
            "not UTF-16-LE text (byte 0x00 at offset 0)",
        ),
        (
            "ctrl.txt",
            bytes(range(1, 32)) * 4 + b"some words",  # 26 controls a round (tab to CR are none)
            "binary data (104 control characters), not text",
        ),
    ],
)
def test_what_is_no_article_is_one_line_and_status_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes, reason: str
) -> None:
    assert unreadable(tmp_path, name, content, capsys) == reason


@pytest.mark.parametrize("name", ["noise.txt", "noise.html"])
def test_random_bytes_are_binary_whatever_their_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    noise = random.Random(5).randbytes(4096)
    assert "binary data (NUL bytes)" in unreadable(tmp_path, name, noise, capsys)
    without_nul = noise.replace(b"\x00", b"")
    assert unreadable(tmp_path, name, without_nul, capsys).startswith("not UTF-8 text")
    ascii_noise = bytes(b % 127 + 1 for b in noise)  # valid UTF-8, a quarter controls
    assert "control characters), not text" in unreadable(tmp_path, name, ascii_noise, capsys)


def test_a_page_of_bare_markup_has_no_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    markup = b"<html><head></head><body><div><p></p></div></body></html>"
    assert unreadable(tmp_path, "bare.html", markup, capsys) == "a page with no text"


def test_a_directory_a_missing_and_an_unreadable_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    missing = tmp_path / "missing.html"
    for path, reason in [(folder, "Is a directory"), (missing, "No such file or directory")]:
        assert main(["preview", str(path)]) == 1
        assert capsys.readouterr() == ("", f"error: cannot read {path}: {reason}\n")
    # A file whose reading fails (root may read any file, so permissions cannot show it).
    if Path("/proc/self/mem").exists():
        broken = tmp_path / "mem.txt"
        broken.symlink_to("/proc/self/mem")
        assert main(["preview", str(broken)]) == 1
        assert capsys.readouterr() == ("", f"error: cannot read {broken}: Input/output error\n")


# --- text in other encodings: by its byte-order mark or its declared charset -----------------


@pytest.mark.parametrize(
    "encoded",
    [
        codecs.BOM_UTF8 + RUSSIAN.encode("utf-8"),
        codecs.BOM_UTF16_LE + RUSSIAN.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + RUSSIAN.encode("utf-16-be"),
        codecs.BOM_UTF32_LE + RUSSIAN.encode("utf-32-le"),
        codecs.BOM_UTF32_BE + RUSSIAN.encode("utf-32-be"),
    ],
)
def test_a_text_file_with_a_byte_order_mark(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoded: bytes
) -> None:
    """The mark picks the encoding and is no part of the title."""
    path = tmp_path / "talks.txt"
    path.write_bytes(encoded)
    assert main(["preview", str(path), "--json"]) == 0
    article = json.loads(capsys.readouterr().out)
    assert article["title"] == "Переговоры в Астане"
    assert article["summary"] == "Президенты обсудили торговлю и транспорт."


def test_a_page_in_its_declared_charset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "talks.html"
    path.write_bytes(PAGE.replace("<head>", '<head><meta charset="windows-1251">').encode("cp1251"))
    assert main(["preview", str(path), "--json"]) == 0
    article = json.loads(capsys.readouterr().out)
    assert (article["title"], article["place"]) == ("Переговоры в Бишкеке", "Бишкек")


def test_the_declared_charset() -> None:
    meta = b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=KOI8-R">'
    assert declared_charset(meta) == "koi8-r"
    assert declared_charset(b"<meta charset='windows-1251'>") == "cp1251"
    assert declared_charset(meta, "text/html; charset=utf-8") == "utf-8"  # HTTP's header wins
    assert declared_charset(b"<p>no declaration</p>", "text/html") is None
    assert declared_charset(b"<meta charset=x-unknown-charset>") is None
    for codec in ("base64", "rot13", "undefined", "punycode"):  # no text encodings
        assert declared_charset(b"<p>", f"text/html; charset={codec}") is None
    assert declared_charset(b"<meta charset=utf-16>") is None  # legible as ASCII: not UTF-16
    assert declared_charset(b"<meta charset=UTF-32LE>") is None
    assert declared_charset(b"", "text/plain; charset=utf-16") == "utf-16"  # HTTP may say so
    # Only the first 1024 bytes are read: a declaration must end inside them.
    meta = b"<meta charset=koi8-r"
    assert declared_charset(b" " * (1024 - len(meta)) + meta + b">") == "koi8-r"
    assert declared_charset(b" " * (1025 - len(meta)) + meta + b">") is None  # "koi8-"


def test_a_charset_decodes_what_utf8_would_refuse() -> None:
    assert decode_text(RUSSIAN.encode("koi8-r"), "koi8-r") == RUSSIAN
    with pytest.raises(NotText, match=r"^not UTF-8 text"):
        decode_text(RUSSIAN.encode("koi8-r"))
    with pytest.raises(NotText, match=r"^binary data \(NUL bytes\)"):
        decode_text(b"text\x00", "cp1251")  # a charset never makes NUL bytes text


def test_a_codec_failing_in_its_own_way_is_not_text() -> None:
    """Not every codec raises UnicodeDecodeError: idna raises a bare UnicodeError."""
    assert declared_charset(b"<meta charset=idna>") == "idna"
    with pytest.raises(NotText, match=r"^not IDNA text$"):
        decode_text(b"xn--abc-9999999999999.example", "idna")


def test_a_few_control_characters_are_still_text() -> None:
    """Binary past one control character in ten; tabs and line breaks are none."""
    at_limit = "\x1b" * 10 + "a" * 90
    assert decode_text(at_limit.encode()) == at_limit
    with pytest.raises(NotText, match=r"^binary data \(11 control characters\)"):
        decode_text(("\x1b" * 11 + "a" * 89).encode())
    with pytest.raises(NotText, match=r"^binary data \(10 control characters\)"):
        decode_text(("\x85" * 10 + "a" * 89).encode())  # C1 controls count too
    layout = "a\tb\r\n\x0c\x0bc\n" * 50
    assert decode_text(layout.encode()) == layout
    with pytest.raises(NotText, match=r"^empty \(0 bytes\)$"):
        decode_text(b"")
