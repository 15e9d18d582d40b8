"""Morphology keys used by topic matching (bot/topics.py)."""

from __future__ import annotations

import pytest

from bot.articles.lemmas import phrase_matches, term_keys, text_keys


@pytest.mark.parametrize(
    "text",
    [
        "развивать все аспекты таджикско-казахстанских отношений",
        "Президент Таджикистана прибыл в Астану",
        "с особой теплотой относятся к таджикскому народу",
        "Tajikistan and Kazakhstan",
    ],
)
def test_country_keyword_matches_forms_and_adjectives(text: str) -> None:
    assert term_keys("Таджикистан") & text_keys(text)


def test_other_countries_do_not_match() -> None:
    keys = text_keys("таджикско-казахстанских отношений")
    assert phrase_matches("Казахстан", keys)
    assert not phrase_matches("Китай", keys)
    assert not phrase_matches("Узбекистан", keys)


def test_english_stems_and_phrases() -> None:
    keys = text_keys("Leaders met at two summits in Central Asia.")
    assert phrase_matches("summit", keys)
    assert phrase_matches("Central Asia", keys)
    assert not phrase_matches("Central Europe", keys)


def test_russian_phrase_needs_all_words() -> None:
    keys = text_keys("Саммит стран Центральной Азии прошёл в Астане")
    assert phrase_matches("Центральная Азия", keys)
    assert phrase_matches("саммит", keys)
    assert not phrase_matches("Центральная Африка", keys)


def test_keys_are_normalised() -> None:
    assert "елка" in term_keys("Ёлка")
    assert phrase_matches("переговоры", text_keys("провели переговоров"))
    assert not phrase_matches("", text_keys("anything"))
    assert text_keys("") == frozenset()
