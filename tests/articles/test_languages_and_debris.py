"""Golden tests for issue 9 (reader parts): the language of an article, page debris in
summaries, titles of articles that come without one. Each text is the smallest that shows
its class."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.articles import read_article
from bot.articles.keywords import extract_keywords
from bot.articles.language import (
    MODEL_MIN_CONFIDENCE,
    MODEL_MIN_LETTERS,
    detect_language,
    normalise_hint,
)
from bot.articles.text import Cleaned, split_sentences, strip_debris, to_lines
from bot.delivery.render import make_card, render_text
from bot.feeds.parse import Entry
from bot.reading import read_and_file
from storage import FeedCheck, Topic, open_storage

# --- languages -------------------------------------------------------------------------

PT_BODY = (
    "O presidente Luiz Inácio Lula da Silva recebeu nesta segunda-feira o presidente da China, "
    "Xi Jinping, em Brasília. Os dois líderes assinaram 15 acordos de cooperação no valor de "
    "20 milhões de reais. A visita de Estado termina amanhã com um jantar no Palácio do "
    "Itamaraty."
)


def test_a_portuguese_article_gets_pt_a_lead_and_no_findings() -> None:
    """Read as English it got "summits", leaders, figures and keywords such as "dos" and "com"."""
    a = read_article("Lula recebe Xi Jinping em Brasília", PT_BODY)
    assert a.lang == "pt"
    assert a.summary == PT_BODY  # the lead: its first sentences, all within the limit
    assert (a.documents, a.participants, a.countries, a.figures, a.keywords) == ((),) * 5
    assert a.place is None and a.is_summit is False


def test_the_lead_of_another_language_stays_within_the_summary_limit() -> None:
    sentence = "O governo anunciou hoje um novo programa de habitação para as famílias do país. "
    a = read_article("Habitação", sentence * 20)
    assert a.lang == "pt"
    assert a.summary == (sentence * 3).strip()  # three sentences, not more
    long = "O governo " + "anunciou hoje um novo programa de habitação, " * 7 + "para o país. "
    assert 300 < len(long) < 600  # two of them are over the 600 characters of a summary
    assert read_article("Habitação", long * 3).summary == long.strip()


@pytest.mark.parametrize(
    ("title", "body", "code"),
    [
        ("Вибухи на Хмельниччині", "Уночі 22 грудня Хмельниччину атакували російські шахеди. "
         "Під час повітряної тривоги жителі області могли чути вибухи.", "uk"),
        ("Νέα μέτρα", "Η κυβέρνηση ανακοίνωσε σήμερα νέα μέτρα για την οικονομία και την "
         "ενέργεια.", "el"),
        ("Neues Gesetz", "Die Bundesregierung hat am Mittwoch ein neues Gesetz über die Rente "
         "beschlossen.", "de"),
        ("Переговоры в Кремле", "Президенты России и Таджикистана провели переговоры в Кремле.",
         "ru"),
        ("Talks in Astana", "The presidents of Kazakhstan and Tajikistan held talks in Astana.",
         "en"),
    ],
)  # fmt: skip
def test_the_language_is_the_one_the_text_is_in(title: str, body: str, code: str) -> None:
    """Ukrainian used to be read as Russian, Greek and German as English."""
    article = read_article(title, body)
    assert article.lang == code
    assert article.summary  # a lead or a summary in every language
    assert bool(article.keywords) is (code in ("ru", "en"))


@pytest.mark.parametrize(
    ("hint", "code"), [("pt-BR", "pt"), ("IT-it", "it"), ("en_US", "en"), (" ru ", "ru")]
)
def test_a_feeds_language_hint_counts(hint: str, code: str) -> None:
    assert normalise_hint(hint) == code
    # A title alone is too short for the model; the hint decides it.
    assert read_article("Reações dos partidos ao veto", "", lang=hint).lang == code


def test_a_hint_that_names_no_language_is_ignored() -> None:
    assert normalise_hint("x-klingon") is None and normalise_hint("") is None
    assert read_article("Reações", PT_BODY, lang="x-klingon").lang == "pt"


def _letters(text: str, n: int) -> str:
    """The text cut after its n-th letter."""
    seen = 0
    for i, ch in enumerate(text):
        seen += ch.isalpha()
        if seen == n:
            return text[: i + 1]
    raise AssertionError("text too short")


GERMAN = "Die Bundesregierung hat am Mittwoch ein neues Gesetz über die Rente beschlossen."


def test_below_the_letter_threshold_the_script_decides() -> None:
    """40 letters: below, a German headline is read by its script (Latin: en), the same way
    every time; from 40 letters on the model is asked and is sure it is German."""
    assert MODEL_MIN_LETTERS == 40
    short = detect_language(_letters(GERMAN, MODEL_MIN_LETTERS - 1), "")
    assert (short.code, short.source) == ("en", "script")
    long = detect_language(_letters(GERMAN, MODEL_MIN_LETTERS), "")
    assert (long.code, long.source) == ("de", "model")
    assert long.confidence >= MODEL_MIN_CONFIDENCE


def test_below_the_confidence_threshold_the_script_decides() -> None:
    """A Russian headline the model calls Bulgarian at 0.83: not sure enough (0.85)."""
    assert MODEL_MIN_CONFIDENCE == 0.85
    guess = detect_language("Стала известна позиция Алиева по встрече с Пашиняном", "")
    assert (guess.code, guess.source) == ("ru", "script")


def test_title_and_body_decide_together() -> None:
    """A short German title alone is read by its script; with its body, as German."""
    assert read_article("Neues Gesetz zur Rente", "").lang == "en"
    assert read_article("Neues Gesetz zur Rente", GERMAN).lang == "de"
    assert read_article("", "Neues Gesetz zur Rente\n" + GERMAN).lang == "de"


@pytest.mark.parametrize(
    ("title", "code"),
    [("Зеленський їде до Києва", "uk"), ("Путин поедет в Ереван", "ru"), ("Νέα μέτρα", "el")],
)
def test_the_script_rule_tells_ukrainian_and_greek(title: str, code: str) -> None:
    """Short Cyrillic is Ukrainian when it has є, ї or ґ and no ы, э, ъ or ё."""
    guess = detect_language(title, "")
    assert (guess.code, guess.source) == (code, "script")


async def test_a_portuguese_item_is_filed_stored_and_rendered(tmp_path: Path) -> None:
    """Downstream of the reader: topics, stories, storage and cards take any language code."""
    entry = Entry("k1", "https://noticias.example/a", "Lula recebe Xi Jinping", 1.7e9, PT_BODY)
    topics = [Topic(1, "brasil", "Бразилия", "Brazil", ("Brasília",))]
    draft = read_and_file(entry, None, topics, [])
    assert draft.lang == "pt" and draft.topic_ids == (1,)
    assert draft.signature is not None  # the story index reads it too
    storage = await open_storage(tmp_path / "pt.db")
    try:
        feed = await storage.add_feed(
            "https://noticias.example/rss", title="Notícias", interval_seconds=900,
            next_check_at=0, now=0,
        )  # fmt: skip
        await storage.store_items(
            feed.id, [replace(draft, topic_ids=())], now=1.0,
            check=FeedCheck(next_check_at=900.0), queue=False, push_limit=20,
        )  # fmt: skip
        (item,) = await storage.latest_items(None, 1)
    finally:
        await storage.close()
    assert item.lang == "pt" and item.summary == PT_BODY
    card = render_text(make_card(item, "Notícias"), "ru", "UTC")
    assert "Lula recebe Xi Jinping" in card and "Palácio do Itamaraty" in card


# --- page debris -----------------------------------------------------------------------

LEAD = (
    "В Кремле прошли переговоры Владимира Путина с Президентом Республики Таджикистан "
    "Эмомали Рахмоном, который находится в России с официальным визитом."
)


def test_a_breadcrumb_and_the_headline_glued_to_the_lead_are_not_the_summary() -> None:
    """A flattened Kremlin page: "События", the headline, the lead, all on one line."""
    a = read_article("", "События Российско-таджикистанские переговоры " + LEAD)
    assert a.title == "Российско-таджикистанские переговоры"
    assert a.summary == LEAD


@pytest.mark.parametrize(
    ("glued", "header", "lead"),
    [
        ("События Телефонный разговор с Президентом Ирана Масудом Пезешкианом Состоялся "
         "телефонный разговор.", "Телефонный разговор с Президентом Ирана Масудом Пезешкианом",
         "Состоялся телефонный разговор."),
        ("События Андрей Кикоть назначен первым заместителем Министра иностранных граждан "
         "Глава государства подписал Указ.", "Андрей Кикоть назначен первым заместителем "
         "Министра иностранных граждан", "Глава государства подписал Указ."),
        ("События Владимир Путин и Эмомали Рахмон сделали заявления для СМИ По итогам "
         "переговоров лидеры выступили перед прессой.", "Владимир Путин и Эмомали Рахмон "
         "сделали заявления для СМИ", "По итогам переговоров лидеры выступили перед прессой."),
        ("События Принята отставка Андрея Никитина Президент подписал Указ.",
         "Принята отставка Андрея Никитина", "Президент подписал Указ."),
        ("Events Russian-Tajik talks In the Kremlin, Vladimir Putin held talks.",
         "Russian-Tajik talks", "In the Kremlin, Vladimir Putin held talks."),
    ],
)  # fmt: skip
def test_a_glued_headline_ends_where_a_clause_begins(glued: str, header: str, lead: str) -> None:
    """A verb or a preposition after any word; a nominative noun after a lowercase noun or a
    surname (not the genitive "заместителем Министра", not "с Президентом" after a
    preposition, not "Эмомали Рахмон" inside a name; a preposition after an abbreviation);
    English function words."""
    cleaned = strip_debris(glued, page_top=True)
    assert (cleaned.header, cleaned.text) == (header, lead)


def test_a_breadcrumb_is_only_looked_for_at_the_top_of_the_page() -> None:
    text = "События Российско-таджикистанские переговоры В Кремле прошли переговоры."
    assert strip_debris(text) == Cleaned("", text)
    assert strip_debris(text, page_top=True) == Cleaned(
        "Российско-таджикистанские переговоры", "В Кремле прошли переговоры."
    )


@pytest.mark.parametrize(
    "dateline",
    [
        "17 марта 2025 года 14:55 Москва, Кремль",
        "6 мая 2025 года 13:20",
        "March 17, 2025, 14:55 The Kremlin, Moscow",
    ],
)
def test_a_dateline_is_not_part_of_a_summary_sentence(dateline: str) -> None:
    """It used to hide the sentence glued to it (a time made it ineligible)."""
    second = (
        "Переговоры начались с беседы лидеров двух стран в формате тет-а-тет, а затем "
        "продолжились с участием членов делегаций."
    )
    a = read_article("Российско-таджикистанские переговоры", f"{LEAD} {dateline} {second}")
    assert a.summary == f"{LEAD} {second}"


def test_a_headline_repeated_under_the_dateline_goes_with_it() -> None:
    a = read_article(
        "",
        "События Заявления по итогам переговоров 4 марта 2025 года 20:10 Москва, Кремль "
        "Заявления по итогам переговоров Владимир Путин и Премьер-министр Мьянмы Мин Аун "
        "Хлайн завершили двусторонние переговоры. По их итогам принято совместное заявление "
        "лидеров, подписан ряд межправительственных документов .",
    )
    assert a.title == "Заявления по итогам переговоров"
    assert a.summary == (
        "Владимир Путин и Премьер-министр Мьянмы Мин Аун Хлайн завершили двусторонние "
        "переговоры. По их итогам принято совместное заявление лидеров, подписан ряд "
        "межправительственных документов."
    )


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("Масуд Пезешкиан Пезешкиан Масуд Президент Исламской Республики Иран в свою очередь "
         "поблагодарил российскую сторону.",
         "Масуд Пезешкиан в свою очередь поблагодарил российскую сторону."),
        ("Это первая поездка Александра Лукашенко Лукашенко Александр Григорьевич Президент "
         "Республики Беларусь после выборов.",
         "Это первая поездка Александра Лукашенко после выборов."),
        ("В форуме участвовали Сергей Лавров Лавров Сергей Викторович Министр иностранных дел "
         "Российской Федерации , Министр финансов Антон Силуанов.",
         "В форуме участвовали Сергей Лавров, Министр финансов Антон Силуанов."),
    ],
)  # fmt: skip
def test_a_glossary_tooltip_leaves_the_name_alone(text: str, clean: str) -> None:
    """The name reversed (in the nominative, with a patronymic) and a title: the tooltip ends
    at a space before punctuation, else after the capitalised title."""
    assert strip_debris(text).text == clean
    assert read_article("Переговоры", text).summary == clean


def test_no_stray_space_before_punctuation() -> None:
    body = "Стороны обсудили торговлю и транспорт , подписали пять документов ."
    assert read_article("Переговоры", body).summary == (
        "Стороны обсудили торговлю и транспорт, подписали пять документов."
    )
    assert strip_debris("Вышла платформа .NET 9 для Linux.").text == (
        "Вышла платформа .NET 9 для Linux."
    )


def test_a_summary_never_opens_with_a_dangling_back_reference() -> None:
    """A sentence too short for the summary, then "По их итогам": it points at nothing."""
    body = (
        "Переговоры завершились. По их итогам принято совместное заявление лидеров и "
        "подписаны документы. Стороны обсудили торговлю, энергетику и транспорт между "
        "двумя странами."
    )
    a = read_article("Путин и Рахмон в Кремле", body)
    assert a.summary == "Стороны обсудили торговлю, энергетику и транспорт между двумя странами."


@pytest.mark.parametrize(
    ("title", "opens"),
    [("Путин и Рахмон провели переговоры", True), ("Новости дня", False)],
)
def test_the_title_can_answer_a_back_reference_to_the_event(title: str, opens: bool) -> None:
    """A summary opens with "По итогам переговоров" only when the title names the talks."""
    first = "По итогам переговоров лидеры подписали совместное заявление о партнёрстве."
    second = "Стороны обсудили торговлю, энергетику и транспорт между двумя странами."
    summary = read_article(title, f"{first} {second}").summary
    assert summary.startswith(first) is opens
    assert summary.endswith(second)


def test_an_english_back_reference_is_dropped_too() -> None:
    body = (
        "The talks ended. They agreed to meet again in Astana next year to sign the treaty. "
        "Trade between the two countries grew by a fifth last year, officials said."
    )
    assert read_article("Presidents meet", body).summary == (
        "Trade between the two countries grew by a fifth last year, officials said."
    )


# --- titles ----------------------------------------------------------------------------


def test_a_text_without_a_title_takes_its_first_sentence() -> None:
    a = read_article("", "Президенты провели переговоры в Астане. Стороны обсудили торговлю.")
    assert a.title == "Президенты провели переговоры в Астане."


def test_keywords_only_for_the_languages_with_morphology() -> None:
    """Ukrainian words through the Russian analyser gave "війня", "черговие", "йий"."""
    sentences = split_sentences(to_lines("Війна триває. Херсон знову під обстрілом."))
    assert extract_keywords("", sentences, "uk") == ()
    assert extract_keywords("", sentences, "ru") != ()
