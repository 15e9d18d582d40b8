"""Boundaries of the reader's language, summary and document rules, one smallest case each.

Written against the survivors of a sampled mutation run over bot/articles/documents.py,
summary.py and language.py: every test states what a reader of news expects (a summary fits
600 characters, a lower-case adjective is not part of a capitalised title, a feed's
"pt-BR" is Portuguese) and fails when the rule that gives it is changed. No shared data.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.articles import language
from bot.articles.documents import _balanced, extract_documents, kind_of, listed_documents
from bot.articles.language import (
    MODEL_MIN_CONFIDENCE,
    MODEL_MIN_LETTERS,
    SAMPLE_CHARS,
    LanguageGuess,
    count_scripts,
    detect_language,
    normalise_hint,
    script_language,
)
from bot.articles.lemmas import lemma
from bot.articles.summary import MAX_CHARS, content_lemmas, lead_summary, summarize
from bot.articles.text import Line, Sentence, split_sentences, to_lines, to_plain

# --- helpers ------------------------------------------------------------------------------


def titles(text: str, lang: str = "en", listed: list[str] | None = None) -> list[str]:
    """Documents of a summit text, read through the real text layer."""
    lines = to_lines(to_plain(text))
    found = extract_documents(lines, split_sentences(lines), lang, is_summit=True, listed=listed)
    return [d.title for d in found]


def header_list(
    *items: str, header: str = "The sides signed the following documents:"
) -> list[str]:
    """Titles of a signing header followed by one bullet line per item."""
    return listed_documents([Line(header, False), *(Line(item, True) for item in items)])


def sentences(*texts: str, promo: tuple[int, ...] = ()) -> list[Sentence]:
    """Plain body sentences (never the page's first, so no page-top debris rule applies)."""
    return [
        Sentence(
            text, line=i + 1, index=i + 1, bullet=False, header=False, quote=False, promo=i in promo
        )
        for i, text in enumerate(texts)
    ]


def sized(n: int, word: str = "harbour") -> str:
    """A plain statement of exactly n characters (a long made-up word fills it)."""
    head, tail = f"Ministers of both sides discussed the {word} ", " again."
    text = head + "x" * (n - len(head) - len(tail)) + tail
    assert len(text) == n
    return text


# --- language -----------------------------------------------------------------------------


class _StandInModel:
    """Stands in for py3langid's identifier: a fixed answer, and what it was asked."""

    def __init__(self, code: str, confidence: float) -> None:
        self.code, self.confidence = code, confidence
        self.samples: list[str] = []

    def classify(self, text: str) -> tuple[str, float]:
        self.samples.append(text)
        return self.code, self.confidence


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> Iterator[_StandInModel]:
    model = _StandInModel("pt", 0.99)
    monkeypatch.setattr(language, "_identifier", model)
    yield model


def test_a_hint_or_a_script_decision_claims_no_model_confidence() -> None:
    assert detect_language("Notícias", "", hint="pt-BR") == LanguageGuess("pt", "hint", 0.0)
    guess = detect_language("Talks end", "")
    assert guess.source == "script" and guess.confidence == 0.0


def test_letters_of_every_script_are_counted() -> None:
    counts = count_scripts("Αθήνα Moscow Москва 2024!")
    assert (counts.greek, counts.latin, counts.cyrillic) == (5, 6, 6)
    assert counts.letters == 17
    assert count_scripts("Αθήνα").letters == 5


def test_a_text_without_cyrillic_has_no_russian_or_ukrainian_only_letters() -> None:
    counts = count_scripts("Hello, world")
    assert counts.russian_only == 0 and counts.ukrainian_only == 0


@pytest.mark.parametrize(
    ("hint", "code"),
    [
        ("pt-BR", "pt"),
        ("pt-BR-x", "pt"),
        ("en_US", "en"),
        (" RU ", "ru"),
        ("IT-it", "it"),
        ("eng", None),
        ("e1", None),
        ("ру", None),
        ("", None),
        (None, None),
    ],
)
def test_a_feeds_hint_names_its_language(hint: str | None, code: str | None) -> None:
    assert normalise_hint(hint) == code


def test_cyrillic_is_ukrainian_only_with_its_own_letters_and_none_of_russians() -> None:
    assert script_language(count_scripts("Київ і Львів")) == "uk"
    assert script_language(count_scripts("Київ і Львів, съезд")) == "ru"
    assert script_language(count_scripts("Москва")) == "ru"
    assert script_language(count_scripts("Αθήνα")) == "el"
    assert script_language(count_scripts("1234 — !")) == "ru"
    assert script_language(count_scripts("القاهرة")) is None


def test_the_model_is_asked_from_the_fortieth_letter(stand_in: _StandInModel) -> None:
    short = "a" * (MODEL_MIN_LETTERS - 1)
    assert detect_language("", short) == LanguageGuess("en", "script")
    assert stand_in.samples == []
    assert detect_language("", short + "a") == LanguageGuess("pt", "model", 0.99)


def test_an_answer_exactly_as_sure_as_required_is_taken(stand_in: _StandInModel) -> None:
    stand_in.confidence = MODEL_MIN_CONFIDENCE
    text = "Notícias de hoje sobre a cimeira em Lisboa e os acordos assinados"
    assert detect_language("", text).code == "pt"
    stand_in.confidence = MODEL_MIN_CONFIDENCE - 0.01
    assert detect_language("", text) == LanguageGuess("en", "script")


def test_a_script_of_many_languages_takes_the_model_at_any_length(
    stand_in: _StandInModel,
) -> None:
    stand_in.code, stand_in.confidence = "ar", 0.3
    assert detect_language("القاهرة", "") == LanguageGuess("ar", "model", 0.3)


def test_an_answer_that_is_no_two_letter_code_is_not_taken(stand_in: _StandInModel) -> None:
    stand_in.code = "xyz"
    assert detect_language("", "a" * MODEL_MIN_LETTERS).code == "en"
    assert detect_language("القاهرة", "") == LanguageGuess("und", "script")


def test_the_model_reads_the_title_and_the_bodys_first_600_characters(
    stand_in: _StandInModel,
) -> None:
    body = "b" * SAMPLE_CHARS + "TAIL"
    detect_language("Title", body)
    assert stand_in.samples == ["Title\n" + "b" * SAMPLE_CHARS]


# --- summary ------------------------------------------------------------------------------


def test_content_lemmas_read_the_text_or_the_words_given() -> None:
    assert content_lemmas("Parliament approved the budget.", "en") == {
        lemma(w) for w in ("Parliament", "approved", "budget")
    }
    assert content_lemmas("Parliament approved the budget.", "en", words=["treaty"]) == {
        lemma("treaty")
    }


def test_content_lemmas_keep_three_letter_words_and_drop_shorter_ones() -> None:
    assert content_lemmas("EU tax", "en") == {lemma("tax")}


def test_a_russian_adverb_or_preposition_is_no_content_word() -> None:
    found = content_lemmas("Стороны быстро договорились около границы", "ru")
    assert "быстро" not in found and "около" not in found
    assert {"сторона", "договориться", "граница"} <= found


def test_a_promo_line_is_never_summarised() -> None:
    promo = "Subscribe to our channel for the latest news from the summit."
    body = "The leaders met in Geneva for five hours of talks."
    ss = sentences(promo, body, promo=(0,))
    assert lead_summary(ss) == body
    assert summarize(ss, "en") == body


def test_a_sentence_of_five_words_is_a_candidate_and_one_of_four_is_not() -> None:
    assert lead_summary(sentences("Talks ended in Geneva.")) == ""
    assert lead_summary(sentences("The talks ended in Geneva.")) == "The talks ended in Geneva."


def test_a_summary_of_exactly_600_characters_is_kept_whole() -> None:
    exact = sized(MAX_CHARS)
    assert lead_summary(sentences(exact)) == exact
    assert summarize(sentences(exact), "en") == exact
    first, second = sized(299, "harbour"), sized(300, "railway")
    assert lead_summary(sentences(first, second)) == f"{first} {second}"
    assert summarize(sentences(first, second), "en") == f"{first} {second}"


def test_a_summary_never_exceeds_600_characters() -> None:
    too_long = sized(MAX_CHARS + 1)
    assert lead_summary(sentences(too_long)) == ""
    # an over-long opening is no candidate: the lead goes on with the next sentence
    assert lead_summary(sentences(too_long, _LEAD)) == _LEAD
    assert summarize(sentences(too_long), "en") == ""
    first, second = sized(300, "harbour"), sized(300, "railway")
    assert lead_summary(sentences(first, second)) == first
    assert summarize(sentences(first, second), "en") == first


def test_the_lead_summary_stops_at_the_first_sentence_that_does_not_fit() -> None:
    # the lead is the text's opening: a short third sentence never jumps over the second
    first, second = sized(400, "harbour"), sized(300, "railway")
    third = "The talks ended in Geneva."
    assert lead_summary(sentences(first, second, third)) == first


def test_a_ranked_summary_skips_a_sentence_too_long_and_takes_one_that_fits() -> None:
    first, second = sized(400, "harbour"), sized(300, "railway")
    third = "The talks ended in Geneva."
    assert summarize(sentences(first, second, third), "en") == f"{first} {third}"


_LEAD = "Parliament approved the national budget on Tuesday."
_ASIDE = "Heavy rain flooded several coastal villages overnight."
_GRAIN = (
    "Farmers expect higher grain prices this autumn.",
    "Farmers fear grain prices could fall again.",
    "Grain prices worry farmers across the region.",
)


def test_a_sentence_the_others_echo_wins_over_an_earlier_aside() -> None:
    summary = summarize(sentences(_LEAD, _ASIDE, *_GRAIN), "en", max_sentences=2)
    assert summary == f"{_LEAD} {_GRAIN[0]}"


def test_the_lead_opens_the_summary_however_central_the_rest() -> None:
    assert summarize(sentences(_LEAD, *_GRAIN), "en", max_sentences=1) == _LEAD


def test_position_weighs_as_much_as_centrality() -> None:
    # The second sentence echoes nothing; two later ones echo only each other, a third
    # echoes the lead. The lead bias (1, 1/2, 1/3 …) keeps the second sentence.
    texts = (
        _LEAD,
        _ASIDE,
        "The budget raises pensions for teachers.",
        "Farmers expect higher grain prices this autumn.",
        "Grain stocks remain low across the region.",
    )
    assert summarize(sentences(*texts), "en") == " ".join(texts[:3])


def test_a_sentence_with_one_content_word_is_linked_to_nothing() -> None:
    # "tariffs" and "steel" alone are no topic: sharing them makes no sentence central
    texts = (
        _LEAD,
        _ASIDE,
        "It was all about the tariffs.",
        "Tariffs on steel rise next year.",
        "It was all about the steel.",
    )
    assert summarize(sentences(*texts), "en", max_sentences=2) == f"{_LEAD} {_ASIDE}"


def test_a_summary_has_three_sentences_at_most() -> None:
    texts = (_LEAD, _ASIDE, *_GRAIN)
    assert summarize(sentences(*texts), "en").count(". ") == 2
    assert lead_summary(sentences(*texts)) == " ".join(texts[:3])


def test_an_opening_that_points_back_is_kept_when_the_title_names_the_event() -> None:
    opener = "По итогам переговоров стороны подписали соглашение о торговле."
    body = "Документ вступит в силу через месяц после ратификации."
    ss = sentences(opener, body)
    assert summarize(ss, "ru") == body
    assert summarize(ss, "ru", title="Переговоры в Москве") == f"{opener} {body}"


# --- documents: kinds ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Agreements on Trade and Investment", "agreement"),
        ("Protocols amending the Treaty", "protocol"),
        ("MoUs on Energy", "memorandum"),
        ("Road Map for Trade", "roadmap"),
        ("Дорожная карта по торговле", "roadmap"),
        ("Protocol amending the Agreement on Trade", "protocol"),
    ],
)
def test_a_titles_head_word_gives_its_kind(title: str, kind: str) -> None:
    assert kind_of(title) == kind


def test_a_document_word_after_a_preposition_is_not_the_head() -> None:
    # an exchange of letters about an agreement is no agreement
    assert kind_of("Exchange of Letters on the Agreement on Trade") == "other"


def test_a_head_word_eighth_in_a_long_name_still_gives_the_kind() -> None:
    assert kind_of("U.S.-Saudi Strategic Artificial Intelligence Partnership Memorandum") == (
        "memorandum"
    )


def test_memoranda_are_memoranda() -> None:
    assert kind_of("Memoranda of Understanding on Energy") == "memorandum"


# --- documents: list items ----------------------------------------------------------------


def test_a_list_items_article_is_not_part_of_its_title() -> None:
    assert header_list("An Agreement on Trade and Investment") == [
        "Agreement on Trade and Investment"
    ]


def test_a_list_item_that_counts_documents_is_kept_as_written() -> None:
    assert header_list("Two Memoranda of Understanding on Energy") == [
        "Two Memoranda of Understanding on Energy"
    ]


def test_a_list_title_of_700_characters_is_kept_and_one_longer_is_not() -> None:
    def title(n: int) -> str:
        head = "Agreement on "
        return head + "Trade " * ((n - len(head)) // 6) + "x" * ((n - len(head)) % 6)

    assert len(title(700)) == 700 and header_list(title(700)) == [title(700).rstrip()]
    assert header_list(title(701)) == []


def test_a_one_word_item_is_no_title() -> None:
    assert header_list("Agreement", "Protocol on Customs") == ["Protocol on Customs"]


def test_a_header_list_is_read_to_its_sixtieth_item() -> None:
    items = [f"Agreement No. {n} on Trade" for n in range(1, 62)]
    assert header_list(*items) == items[:60]


# --- documents: English titles in sentences -----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # a verb not in the word list, known by "-ed" and its object
        "The leaders signed an Agreement on Trade and unveiled the new strategy.",
        # "and the" + a lower-case word starts a clause after a capitalised title
        "The leaders signed an Agreement on Trade and the leaders discussed Syria.",
        # a comma, then a clause with a verb of its own
        "The sides signed an Agreement on Trade, officials welcomed investors and banks.",
        # a parenthesis followed by the rest of the sentence
        "The sides signed an Agreement on Trade (the first since 1990) that takes effect in May.",
    ],
)
def test_a_title_ends_where_the_sentence_goes_on(text: str) -> None:
    assert titles(text) == ["Agreement on Trade"]


def test_a_title_never_ends_with_a_preposition() -> None:
    text = "The sides signed a Protocol on Free Trade to which other states may accede."
    assert titles(text) == ["Protocol on Free Trade"]


def test_a_six_letter_gerund_takes_its_object() -> None:
    assert titles("The sides signed an Agreement on Easing the Visa Regime.") == [
        "Agreement on Easing the Visa Regime"
    ]


def test_a_passive_subject_starts_after_the_clause_word() -> None:
    text = "Leaders met in Beijing, where Russia–China Joint Statement on Energy was signed."
    assert titles(text) == ["Russia–China Joint Statement on Energy"]


@pytest.mark.parametrize(
    "text",
    [
        "Could be signing an Agreement on Trade as early as May, officials said.",
        "Ties have grown since the two neighbouring sides finally signed an Agreement on Trade.",
    ],
)
def test_a_signing_to_come_or_long_past_is_not_this_events(text: str) -> None:
    assert titles(text) == []


# --- documents: Russian titles in sentences -----------------------------------------------


def test_a_lower_case_adjective_is_not_part_of_a_capitalised_title() -> None:
    text = "Стороны подписали межправительственное Соглашение о торговле и инвестициях."
    assert titles(text, "ru") == ["Соглашение о торговле и инвестициях"]


def test_a_russian_title_is_given_in_the_nominative() -> None:
    text = "Стороны подписали Совместную декларацию о стратегическом партнёрстве."
    assert titles(text, "ru") == ["Совместная декларация о стратегическом партнёрстве"]


@pytest.mark.parametrize(("city", "found"), [("Жуковском", True), ("Хабаровске", False)])
def test_a_title_without_a_capital_head_counts_within_40_characters_of_the_verb(
    city: str, found: bool
) -> None:
    gap = f" в торжественной обстановке в {city} "
    assert len(gap) == (40 if found else 41)
    text = f"Стороны подписали{gap}Совместное заявление о стратегическом партнёрстве."
    expected = ["Совместное заявление о стратегическом партнёрстве"] if found else []
    assert titles(text, "ru") == expected


# --- documents: one document, one title ---------------------------------------------------


def test_a_title_that_begins_a_longer_one_is_the_same_document() -> None:
    found = extract_documents(
        [],
        [],
        "en",
        is_summit=False,
        listed=["Agreement on Trade", "Agreement on Trade and Investment"],
    )
    assert [d.title for d in found] == ["Agreement on Trade and Investment"]


def test_a_document_listed_twice_keeps_its_first_title() -> None:
    found = extract_documents(
        [], [], "en", is_summit=False, listed=["Agreement on Trade", "AGREEMENT ON TRADE"]
    )
    assert [d.title for d in found] == ["Agreement on Trade"]


def test_at_most_50_documents() -> None:
    listed = [f"Agreement No. {n} on Trade" for n in range(1, 52)]
    found = extract_documents([], [], "en", is_summit=False, listed=listed)
    assert [d.title for d in found] == listed[:50]


def test_a_document_named_in_the_lead_under_a_shorter_name_keeps_the_lists_title() -> None:
    # the list's title starts with another word: the head noun, not the first word, matches
    listed = ["Russia–Iran Joint Statement on Energy and Climate"]
    assert titles("The sides signed a Joint Statement on Energy.", listed=listed) == listed


def test_a_shorter_name_with_its_head_eighth_is_still_the_same_document() -> None:
    listed = [
        "Strategic Artificial Intelligence Partnership Memorandum between the U.S. and Saudi Arabia"
    ]
    text = (
        "The sides signed the U.S.-Saudi Strategic Artificial Intelligence Partnership Memorandum."
    )
    assert titles(text, listed=listed) == listed


def test_a_closing_quote_without_its_opener_is_dropped_alone() -> None:
    # Called directly: extract_documents never passes such a span (the trim keeps a closing
    # quote only after its opener), so this states the helper's own contract.
    text = "the Agreement on Trade” was signed"
    a, b = text.index("Agreement"), text.index("”") + 1
    assert _balanced(text, a, b) == "Agreement on Trade"
