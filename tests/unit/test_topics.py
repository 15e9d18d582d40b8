from __future__ import annotations

import pytest

from bot.topics import keyword_occurs, matching_topics, topic_named
from storage import Topic

CENTRAL_ASIA = Topic(
    1, "central-asia", "Центральная Азия", "Central Asia", ("Казахстан", "Central Asia")
)
SPORT = Topic(2, "sport", "Спорт", "Sport", ("футбол",))


def test_keywords_are_case_insensitive_whole_words() -> None:
    assert keyword_occurs("Казахстан", "В КАЗАХСТАН прибыл")
    assert keyword_occurs("central asia", "Leaders of Central\nAsia met")
    assert not keyword_occurs("ЕС", "если бы")
    assert not keyword_occurs("футбол", "мини-футболист")
    assert keyword_occurs("ёлка", "Новогодняя елка")
    assert not keyword_occurs("   ", "anything")


def test_keywords_match_word_forms() -> None:
    assert keyword_occurs("Таджикистан", "делегация Таджикистана прибыла")
    assert keyword_occurs("Таджикистан", "таджикско-казахстанских отношений")
    assert keyword_occurs("Таджикистан", "к таджикскому народу")
    assert keyword_occurs("summit", "Two summits were held")
    assert keyword_occurs("переговоры", "по итогам переговоров")
    assert not keyword_occurs("Таджикистан", "в Казахстане")


def test_item_matches_by_keyword_or_by_feed() -> None:
    topics = [CENTRAL_ASIA, SPORT]
    assert matching_topics("Визит в Казахстан", "", topics) == [1]
    assert matching_topics("Новости", "Матч: футбол", topics) == [2]
    assert matching_topics("Новости", "ничего", topics) == []
    assert matching_topics("Новости", "ничего", topics, feed_topic_ids=[2]) == [2]


# The function production calls (bot.reading.read_and_file): inflected forms match, words that
# merely contain the letters do not. Each row is one that substring (or whole-word regex)
# matching gets wrong, or a plain form as the control.
@pytest.mark.parametrize(
    ("keyword", "text", "matches"),
    [
        ("Таджикистан", "Укрепление таджикско-казахстанских отношений", True),
        ("Таджикистан", "Прибыла делегация Таджикистана", True),
        ("Таджикистан", "Обращение к таджикскому народу", True),
        ("Узбекистан", "Прошли узбекско-таджикские переговоры", True),
        ("нефть", "Добыча нефти выросла", True),
        ("газ", "Поставки газа выросли", True),
        ("газ", "Об этом пишет газета", False),
        ("Оман", "Визит султана Омана", True),
        ("Оман", "Автор нового романа", False),
        ("рак", "Новое лечение рака", True),
        ("рак", "Выборы в Ираке", False),
        ("рак", "Запуск ракеты", False),
        ("мир", "Владимир Путин провёл встречу", False),
        ("summit", "Two summits were held", True),
        ("summit", "Leaders met at the summit", True),
        ("art", "The party won the vote", False),
        ("art", "A museum of modern art", True),
        ("oil", "Months of political turmoil", False),
        ("oil", "Oil prices fell", True),
        ("war", "An award for software", False),
        ("war", "Wars in the region", True),
    ],
)
def test_production_matching_is_by_word_forms(keyword: str, text: str, matches: bool) -> None:
    topic = Topic(7, "t", "Тема", "Topic", ("нечто", keyword))
    assert matching_topics("Новости", text, [topic]) == ([7] if matches else [])
    assert matching_topics(text, "", [topic]) == ([7] if matches else []), "in the title"


def test_matching_keeps_the_order_of_topics() -> None:
    gas = Topic(3, "gas", "Газ", "Gas", ("газ",))
    topics = [gas, SPORT, CENTRAL_ASIA]
    text = "Матч по футболу в Казахстане; поставки газа"
    assert matching_topics("", text, topics) == [3, 2, 1]
    assert matching_topics("", "газета о футболе", topics, feed_topic_ids=[1]) == [2, 1]


def test_a_topic_is_found_by_slug_or_either_name_as_typed() -> None:
    topics = [
        Topic(1, "central-asia", "Центральная Азия", "Central Asia"),
        Topic(2, "hedgehogs", "Ёжики", "Hedgehogs"),
    ]
    found = {
        typed: (topic.slug if (topic := topic_named(typed, topics)) else None)
        for typed in (
            "central-asia",
            "CENTRAL-ASIA",
            "central  asia",
            "«центральная азия»",
            "“Central Asia”",
            "ежики",
            "Ёжики",
            "central",
            "asia central",
            '""',
            "",
        )
    }
    assert found == {
        "central-asia": "central-asia",
        "CENTRAL-ASIA": "central-asia",
        "central  asia": "central-asia",
        "«центральная азия»": "central-asia",
        "“Central Asia”": "central-asia",
        "ежики": "hedgehogs",
        "Ёжики": "hedgehogs",
        "central": None,  # a part of a name is no name
        "asia central": None,
        '""': None,
        "": None,
    }
