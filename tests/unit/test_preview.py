"""`newsbot preview` on files: feed cards, and an article's findings as JSON."""

from __future__ import annotations

import json

import pytest

from bot.__main__ import main
from tests.conftest import DATA_DIR, shared_file

KEYS = {
    "lang", "title", "summary", "documents", "participants", "countries", "place", "figures",
    "is_summit", "keywords",
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
    assert articles[0]["title"] == "Java-Anwendungsserver: Red Hat gibt WildFly 10 frei"


def test_preview_json_of_the_reference_article(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", str(shared_file("samples/kz-tj-talks.ru.txt")), "--json"]) == 0
    article = json.loads(capsys.readouterr().out)
    assert set(article) == KEYS
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
