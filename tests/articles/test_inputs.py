"""English, HTML and full-page inputs, traps that must not become summits, hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.articles import Article, read_article
from bot.articles.reader import STRICT_ENV, detect_lang

DATA = Path(__file__).resolve().parent / "data"


def _read_text_file(name: str) -> Article:
    title, body = (DATA / name).read_text(encoding="utf-8").split("\n", 1)
    return read_article(title, body)


def test_english_talks_with_bullet_list() -> None:
    a = _read_text_file("en_talks.txt")
    assert a.lang == "en" and a.is_summit
    assert [(d.kind, d.title) for d in a.documents] == [
        (
            "treaty",
            "Treaty on Allied Relations between the Republic of Uzbekistan "
            "and the Republic of Kazakhstan",
        ),
        ("agreement", "Agreement on the Demarcation of the State Border"),
        ("memorandum", "Memorandum of Understanding on Cooperation in Renewable Energy"),
    ]
    assert a.participants == ("Shavkat Mirziyoyev", "Kassym-Jomart Tokayev")
    assert set(a.countries) == {"Uzbekistan", "Kazakhstan"}
    assert a.place == "Tashkent"
    assert "$10 billion — trade" in a.figures
    assert "Read also" not in a.summary


def test_html_fragment_list_items_and_promo() -> None:
    a = read_article("", (DATA / "talks.html").read_text(encoding="utf-8"))
    assert a.is_summit
    assert [d.title for d in a.documents] == [
        "Договор о союзнических отношениях между Республикой Узбекистан и Республикой Таджикистан",
        "Соглашение о сотрудничестве в области водных ресурсов",
        "Программа экономического сотрудничества на 2025–2027 годы",
    ]
    assert [d.kind for d in a.documents] == ["treaty", "agreement", "programme"]
    assert a.participants == ("Шавкат Мирзиёев", "Эмомали Рахмон")
    assert a.place == "Душанбе"
    assert "Читайте также" not in a.summary and "трекинг" not in a.summary
    assert "2 млрд долларов — товарооборот, цель" in a.figures


def test_full_page_goes_through_boilerplate_removal() -> None:
    a = read_article("", (DATA / "page.html").read_text(encoding="utf-8"))
    assert a.is_summit
    assert [d.kind for d in a.documents] == ["statement", "agreement"]
    assert a.participants == ("Садыр Жапаров", "Касым-Жомарт Токаев")
    assert a.place == "Бишкек"
    assert "Главная" not in a.summary and "Подпишитесь" not in a.summary
    assert a.summary.startswith("Президент Киргизии Садыр Жапаров")


@pytest.mark.parametrize("name", ["phone_call.ru.txt", "decree.ru.txt", "contract.ru.txt"])
def test_traps_have_no_documents_and_are_not_summits(name: str) -> None:
    a = _read_text_file(name)
    assert not a.is_summit
    assert a.documents == ()
    assert a.participants == ()


def test_summary_never_takes_list_items_or_quotes() -> None:
    body = (
        "Президенты двух стран провели переговоры в Ташкенте в рамках официального визита.\n"
        "«Мы договорились о многом. Это важный день», – сказал президент.\n"
        "Стороны подписали следующие документы:\n"
        "1) Соглашение о торговле;\n"
        "2) Меморандум о транспорте.\n"
        "Переговоры продлились более трех часов и завершились совместной пресс-конференцией.\n"
        "Подпишись на наш Telegram-канал!"
    )
    a = read_article("Переговоры в Ташкенте", body)
    assert [d.title for d in a.documents] == ["Соглашение о торговле", "Меморандум о транспорте"]
    assert "Соглашение" not in a.summary and "«" not in a.summary and "Подпишись" not in a.summary
    assert "Мы договорились" not in a.summary


@pytest.mark.parametrize(
    "body",
    [
        "",
        "   \n\n\t ",
        "\x00\x01\x02\ufffd" * 1000,
        bytes(range(256)).decode("latin-1") * 50,
        bytes(range(256)).decode("utf-8", errors="surrogateescape") * 20,
        "<html><body><script>alert(1)</script></body></html>",
        "<<<<>>>> <p <li </ul>",
        "1. 2. 3. 4. " * 500,
        "Подписаны следующие документы:\n" + "- \n" * 100,
    ],
)
def test_hostile_bodies_give_a_clear_result(body: str) -> None:
    a = read_article("", body)
    assert isinstance(a, Article)
    assert a.lang in ("ru", "en")
    assert a.documents == () and not a.is_summit
    assert len(a.summary) <= 600


def test_huge_body_is_capped() -> None:
    sentence = "Президенты провели переговоры и обсудили торговлю между странами. "
    a = read_article("Переговоры", sentence * 50_000)  # ~3.3 MB
    assert isinstance(a, Article) and 0 < len(a.summary) <= 600


# One sentence with a figure among filler: whether the figure is found tells whether the reader
# read that far. The caps (text.MAX_CHARS for bodies, 1,000 characters for titles) bound the
# work one article can cost; the offsets are literals so that a raised cap fails these tests.
_FILLER = "Погода в городе оставалась тёплой и сухой всю неделю. "
_FIGURE = "Товарооборот между странами достиг 7 млрд долларов."
_FOUND = "7 млрд долларов — товарооборот"


def _figure_at(offset: int, tail: int) -> str:
    return _FILLER * (offset // len(_FILLER)) + "\n" + _FIGURE + "\n" + _FILLER * tail


@pytest.mark.parametrize(("offset", "read"), [(0, True), (50_000, True), (250_000, False)])
def test_a_body_is_read_up_to_about_100_000_characters(offset: int, read: bool) -> None:
    a = read_article("Новости", _figure_at(offset, tail=100))
    assert (_FOUND in a.figures) is read, a.figures


@pytest.mark.parametrize(("offset", "read"), [(300, True), (5_000, False)])
def test_a_title_is_read_up_to_1000_characters(offset: int, read: bool) -> None:
    """A sentence-long "title" (a plain file's first line, a scraped page) is read as text."""
    a = read_article(_figure_at(offset, tail=10), "Текст о погоде.")
    assert (_FOUND in a.figures) is read, a.figures


def test_a_reader_crash_fails_tests_and_gives_the_title_alone_in_production(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Bytes where text belongs crash the pipeline: under the suite's strict mode the error
    propagates; in production (no NEWSBOT_STRICT_READER) the feed gets the cleaned title."""
    body = b"Presidents met in Astana."
    with pytest.raises(TypeError):
        read_article("Talks", body)  # type: ignore[arg-type]
    monkeypatch.delenv(STRICT_ENV)
    a = read_article(" Talks\tin\x00 Astana ", body)  # type: ignore[arg-type]
    assert a == Article(lang="en", title="Talks in Astana", summary="")


def test_lang_detection_and_override() -> None:
    assert detect_lang("Президент провёл переговоры") == "ru"
    assert detect_lang("The president held talks") == "en"
    assert read_article("Talks", "The president held talks.", lang="ru-RU").lang == "ru"


def test_titles_differing_only_in_numbers_are_different_documents() -> None:
    titles = [
        f"Программа сотрудничества между министерствами на {y}-{y + 2} годы" for y in (2020, 2023)
    ]
    body = (
        "<p>В Астане состоялись переговоры Президента Казахстана Касым-Жомарта Токаева и "
        "Президента Таджикистана Эмомали Рахмона.</p>"
        "<p>По итогам переговоров были подписаны следующие документы:</p><ul>"
        + "".join(f"<li>{t}</li>" for t in titles)
        + "</ul>"
    )
    article = read_article("Переговоры в Астане", body)
    assert [d.title for d in article.documents] == titles
