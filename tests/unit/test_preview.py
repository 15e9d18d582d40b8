"""`newsbot preview` on files: feed cards, and an article's findings as JSON."""

from __future__ import annotations

import json

import pytest

from bot.__main__ import main
from tests.conftest import DATA_DIR, shared_file

KEYS = {
    "lang", "title", "summary", "documents", "participants", "countries", "place", "figures",
    "is_summit", "keywords", "url", "date", "source",
}  # fmt: skip


def test_preview_of_a_shipped_feed(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["preview", str(DATA_DIR / "feeds" / "ru_oren_windows1251.xml"), "--limit", "2"]) == 0
    )
    out = capsys.readouterr().out
    assert out.startswith("Новости Оренбурга и области / Раздел Новости — 10 items")
    assert out.count("http://www.oren.ru/news/") == 2
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
    assert "cannot read" in capsys.readouterr().err
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
    article = json.loads(capsys.readouterr().out)
    assert set(article) == KEYS
    assert article["title"] == "Переговоры в Бишкеке"
    assert article["url"] == "https://news.example/2025/talks"
    assert article["date"] == "2025-03-17"
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
