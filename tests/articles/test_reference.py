"""Golden test: the reference article (Tokayev-Rahmon talks in Astana, nine documents)."""

from __future__ import annotations

import pytest
from razdel import sentenize

from bot.articles import Article, read_article
from tests.conftest import shared_file

KINDS = [
    "declaration",
    "memorandum",
    "protocol",
    "memorandum",
    "roadmap",
    "roadmap",
    "plan",
    "memorandum",
    "programme",
]


@pytest.fixture(scope="module")
def reference() -> Article:
    text = shared_file("samples/kz-tj-talks.ru.txt").read_text(encoding="utf-8")
    title, body = text.split("\n", 1)
    return read_article(title, body)


def test_reference_documents(reference: Article) -> None:
    assert [d.kind for d in reference.documents] == KINDS
    first = reference.documents[0].title
    assert first == (
        "Декларация о союзническом взаимодействии между Республикой Казахстан "
        "и Республикой Таджикистан"
    )
    assert reference.documents[-1].title.endswith("на 2023-2025 гг")
    for doc in reference.documents:
        assert not doc.title.endswith((".", ";")) and not doc.title.startswith("-")


def test_reference_entities(reference: Article) -> None:
    assert reference.lang == "ru"
    assert reference.is_summit
    assert reference.participants == ("Касым-Жомарт Токаев", "Эмомали Рахмон")
    assert set(reference.countries) == {"Казахстан", "Таджикистан"}
    assert reference.place == "Астана"
    amounts = {f.split(" — ")[0] for f in reference.figures}
    assert {"2 млрд долларов", "1,5 млрд долларов", "20%", "100 договоров"} <= amounts
    assert "2 млрд долларов — товарооборот, цель" in reference.figures
    assert "таджикистан" in reference.keywords and "казахстан" in reference.keywords


def test_reference_summary(reference: Article) -> None:
    summary = reference.summary
    assert 0 < len(summary) <= 600
    assert 2 <= len(list(sentenize(summary))) <= 3
    assert "Токаев" in summary and "Рахмон" in summary and "переговоры" in summary
    assert "Подпишись" not in summary and "Декларация о союзническом" not in summary


def test_json_round_trip(reference: Article) -> None:
    data = reference.to_json()
    assert list(data) == [
        "lang",
        "title",
        "summary",
        "documents",
        "participants",
        "countries",
        "place",
        "figures",
        "is_summit",
        "keywords",
    ]
    assert Article.from_json(data) == reference


def test_deterministic(reference: Article) -> None:
    text = shared_file("samples/kz-tj-talks.ru.txt").read_text(encoding="utf-8")
    title, body = text.split("\n", 1)
    assert read_article(title, body) == reference
