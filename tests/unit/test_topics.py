from __future__ import annotations

from bot.topics import keyword_occurs, matching_topics
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
