"""Topics as admins type them: the parts of /addtopic and /edittopic, and what is refused."""

from __future__ import annotations

import pytest

from bot.config import TopicConfig
from bot.topic_forms import (
    KEYWORDS_MOST,
    EditForm,
    Problem,
    clash,
    command_text,
    edited,
    parse_edit,
    parse_keywords,
    parse_new_topic,
)
from storage import Topic

SPORT = Topic(1, "sport", "Спорт", "Sport", ("футбол", "хоккей"))
ASIA = Topic(2, "central-asia", "Центральная Азия", "Central Asia", ())
ENERGY = TopicConfig("energy", "Энергетика", "Energy", ("нефть", "газ"))


@pytest.mark.parametrize(
    "text",
    [
        "energy | Энергетика | Energy | нефть, газ",
        "energy Энергетика | Energy | нефть, газ",
        "energy|Энергетика|Energy|нефть,газ",
        "ENERGY | Энергетика | Energy | нефть; газ",
        "energy\nЭнергетика\nEnergy\nнефть\nгаз",
        "energy\n  Энергетика  \n\n Energy \n нефть, газ, Нефть\n",
        "energy | Энергетика | Energy | нефть | газ",
        "energy |  Энергетика |  Energy|нефть ,, газ ,",
    ],
)
def test_a_new_topic_is_read_however_it_is_typed(text: str) -> None:
    assert parse_new_topic(text) == ENERGY


def test_names_keep_their_inner_spaces_and_keywords_are_optional() -> None:
    assert parse_new_topic("eu Европейский   союз | European Union") == TopicConfig(
        "eu", "Европейский союз", "European Union", ()
    )


@pytest.mark.parametrize("text", ["", "energy", "energy | Энергетика", "energy\nЭнергетика"])
def test_too_few_parts_is_no_topic(text: str) -> None:
    assert parse_new_topic(text) is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("e | Э | E", Problem("topic_bad_slug", {"slug": "e"})),
        ("a" * 33 + " | Э | E", Problem("topic_bad_slug", {"slug": "a" * 33})),
        ("en_ergy | Э | E", Problem("topic_bad_slug", {"slug": "en_ergy"})),
        ("энергия | Э | E", Problem("topic_bad_slug", {"slug": "энергия"})),
        ("energy | | E", Problem("topic_value_missing", {"field": "name_ru"})),
        ("energy | Э |  ", Problem("topic_value_missing", {"field": "name_en"})),
        ("energy | " + "э" * 65 + " | E",
         Problem("topic_bad_name", {"field": "name_ru", "name": "э" * 65})),
        ("energy | Э | E\x07", Problem("topic_bad_name", {"field": "name_en", "name": "E\x07"})),
        ("energy | Э\u2066 | E",
         Problem("topic_bad_name", {"field": "name_ru", "name": "Э\u2066"})),
    ],
)  # fmt: skip
def test_a_wrong_part_is_named(text: str, problem: Problem) -> None:
    assert parse_new_topic(text) == problem


def test_the_longest_slug_and_names_fit() -> None:
    form = parse_new_topic("a" * 32 + " | " + "э" * 64 + " | " + "e" * 64)
    assert isinstance(form, TopicConfig) and form.slug == "a" * 32
    assert isinstance(parse_new_topic("ab | Э | E"), TopicConfig)


@pytest.mark.parametrize(
    "keyword",
    [
        "газ.*",
        "[нефть]",
        "(нефть)",
        "G20",
        "COVID-19",
        "a+b",
        "раз два три четыре пять шесть",
        "ж" * 61,
        "...",
        "@channel",
        "<b>",
        "x\u202ey",
        "a b\x00",
    ],
)
def test_a_keyword_is_a_plain_word_or_phrase(keyword: str) -> None:
    assert parse_keywords(keyword) == Problem("topic_bad_keyword", {"keyword": keyword.strip()})


@pytest.mark.parametrize(
    "keyword",
    ["газ", "Шанхайская организация сотрудничества", "раз два три четыре пять", "ж" * 60,
     "Кыргызстан", "Naryn's", "Абу-Даби", "U.S. trade"],
)  # fmt: skip
def test_plain_keywords_are_taken(keyword: str) -> None:
    assert parse_keywords(keyword) == (keyword,)


def test_keywords_are_counted_and_kept_once() -> None:
    many = ", ".join(f"слово{'а' * n}" for n in range(KEYWORDS_MOST))
    keywords = parse_keywords(many + ", Слово, ёж, ЕЖ")
    assert keywords == Problem("topic_keywords_too_many", {"most": str(KEYWORDS_MOST)})
    kept = parse_keywords(many)
    assert isinstance(kept, tuple) and len(kept) == KEYWORDS_MOST
    assert parse_keywords("Ёж, еж, ЁЖ ,  ёж   морской") == ("Ёж", "ёж морской")
    assert parse_keywords(" , ;\n") == ()


def test_an_edit_names_a_topic_a_field_and_a_value() -> None:
    assert parse_edit("") is None
    assert parse_edit("sport") == EditForm("sport", "", "")
    assert parse_edit("sport RU Большой спорт") == EditForm("sport", "name_ru", "Большой спорт")
    assert parse_edit("sport en Sport") == EditForm("sport", "name_en", "Sport")
    assert parse_edit("sport kw a,\nb") == EditForm("sport", "keywords", "a,\nb")
    assert parse_edit("sport name_en") == EditForm("sport", "name_en", "")
    assert parse_edit("sport colour red") == Problem("topic_unknown_field", {"field": "colour"})


@pytest.mark.parametrize(
    ("value", "keywords"),
    [
        ("бокс, теннис", ("бокс", "теннис")),
        ("+ бокс, Футбол", ("футбол", "хоккей", "бокс")),
        ("+бокс", ("футбол", "хоккей", "бокс")),
        ("- ФУТБОЛ, бокс", ("хоккей",)),
        ("-футбол", ("хоккей",)),
        ("-", ()),
        (" - ", ()),
    ],
)
def test_keywords_are_replaced_added_or_removed(value: str, keywords: tuple[str, ...]) -> None:
    assert edited(SPORT, EditForm("sport", "keywords", value)) == TopicConfig(
        "sport", "Спорт", "Sport", keywords
    )


def test_an_edit_is_checked_as_a_new_topic_is() -> None:
    edit = EditForm("sport", "keywords", "")
    assert edited(SPORT, edit) == Problem("topic_value_missing", {"field": "keywords"})
    assert edited(SPORT, EditForm("sport", "keywords", "+ 1:0")) == Problem(
        "topic_bad_keyword", {"keyword": "1:0"}
    )
    words = [f"слово{'а' * n}" for n in range(KEYWORDS_MOST - 1)]  # with SPORT's two: one too many
    assert edited(SPORT, EditForm("sport", "keywords", "+ " + ", ".join(words))) == Problem(
        "topic_keywords_too_many", {"most": str(KEYWORDS_MOST)}
    )
    fits = edited(SPORT, EditForm("sport", "keywords", "+ " + ", ".join(words[1:])))
    assert isinstance(fits, TopicConfig) and len(fits.keywords) == KEYWORDS_MOST
    assert edited(SPORT, EditForm("sport", "name_ru", "  Большой   спорт ")) == TopicConfig(
        "sport", "Большой спорт", "Sport", SPORT.keywords
    )
    assert edited(SPORT, EditForm("sport", "name_en", "")) == Problem(
        "topic_value_missing", {"field": "name_en"}
    )
    # A configured slug outside /addtopic's pattern can still be edited.
    odd = Topic(3, "x_y", "Икс", "X", ())
    assert edited(odd, EditForm("x_y", "name_en", "Ex")) == TopicConfig("x_y", "Икс", "Ex", ())


def test_a_slug_or_name_another_topic_answers_to_clashes() -> None:
    topics = [SPORT, ASIA]
    assert clash(ENERGY, topics) is None
    assert clash(TopicConfig("sport", "Э", "E"), topics) == Problem(
        "topic_name_taken", {"name": "sport", "slug": "sport"}
    )
    assert clash(TopicConfig("energy", "«центральная азия»", "E"), topics) == Problem(
        "topic_name_taken", {"name": "«центральная азия»", "slug": "central-asia"}
    )
    assert clash(TopicConfig("energy", "Э", "SPORT"), topics) == Problem(
        "topic_name_taken", {"name": "SPORT", "slug": "sport"}
    )
    # A topic's own names are not a clash when it is edited.
    assert clash(TopicConfig("sport", "Спорт", "Sports"), topics, topic_id=SPORT.id) is None


def test_the_text_after_the_command() -> None:
    assert command_text("/announce Привет\nвсем ") == "Привет\nвсем"
    assert command_text("/announce@newsbot_test_bot  Привет") == "Привет"
    assert command_text("/announce") == ""
    assert command_text("   ") == ""
    assert command_text("Привет всем") == ""
