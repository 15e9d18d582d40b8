"""Golden tests for the grammar of document titles (issue 9): the smallest text per failure.

Each text goes through the real text layer (to_lines, split_sentences) into the document
extractor with `is_summit=True`, so a test names one rule of bot/articles/documents.py and
does not depend on the summit decision. The last tests read whole articles end to end.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.articles import read_article
from bot.articles.documents import extract_documents, listed_documents
from bot.articles.text import split_sentences, to_lines, to_plain


def titles(text: str, lang: str) -> list[str]:
    lines = to_lines(to_plain(text))
    found = extract_documents(lines, split_sentences(lines), lang, is_summit=True)
    return [d.title for d in found]


def listed(text: str) -> list[str]:
    return listed_documents(to_lines(to_plain(text)))


# --- English prose lists ---------------------------------------------------------------


def test_english_prose_list_gives_one_title_per_document() -> None:
    text = (
        "In the presence of the two presidents, the sides signed an intergovernmental "
        "agreement on mutual protection of investments; a protocol amending the Agreement "
        "on Trade and Economic Cooperation of 12 May 1997, as well as a programme of "
        "cultural cooperation for 2025-2027."
    )
    assert titles(text, "en") == [
        "intergovernmental agreement on mutual protection of investments",
        "protocol amending the Agreement on Trade and Economic Cooperation of 12 May 1997",
        "programme of cultural cooperation for 2025-2027",
    ]


def test_and_between_two_parties_does_not_cut_the_title() -> None:
    text = (
        "President Biden welcomed the signing of a new Memorandum of Cooperation between "
        "the U.S. National Telecommunication and Information Administration and the Saudi "
        "Ministry of Communications and Information Technology, which will connect companies."
    )
    assert titles(text, "en") == [
        "Memorandum of Cooperation between the U.S. National Telecommunication and "
        "Information Administration and the Saudi Ministry of Communications and "
        "Information Technology"
    ]


def test_generic_adjective_in_front_is_not_part_of_the_title() -> None:
    text = (
        "President Biden welcomed the signing of a bilateral Partnership Framework for "
        "Advancing Clean Energy, with new Saudi investments."
    )
    assert titles(text, "en") == ["Partnership Framework for Advancing Clean Energy"]


def test_a_capitalised_title_starts_at_its_first_capital() -> None:
    text = "The sides signed an updated Memorandum of Understanding on Space Cooperation."
    assert titles(text, "en") == ["Memorandum of Understanding on Space Cooperation"]


def test_between_joins_two_parties_in_a_lower_case_title() -> None:
    text = (
        "The sides signed a memorandum between the ministry of health and the national "
        "medical university on joint training."
    )
    assert titles(text, "en") == [
        "memorandum between the ministry of health and the national medical university on "
        "joint training"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Several documents were signed within the framework of the visit.",
        "Within the framework of the visit, an agreement on visa-free travel was signed.",
    ],
)
def test_within_the_framework_of_the_visit_is_no_title(text: str) -> None:
    expected = ["agreement on visa-free travel"] if "agreement" in text else []
    assert titles(text, "en") == expected


def test_and_that_starts_a_clause_ends_the_title() -> None:
    text = (
        "The two leaders signed the Joint Statement on Comprehensive Strategic Partnership "
        "and discussed regional issues."
    )
    assert titles(text, "en") == ["Joint Statement on Comprehensive Strategic Partnership"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The presidents signed the Agreement between Kazakhstan and Uzbekistan on the "
            "State Border, and the presidents then visited a factory.",
            ["Agreement between Kazakhstan and Uzbekistan on the State Border"],
        ),
        (
            "The leaders signed the Treaty on Strategic Partnership, and we expect more.",
            ["Treaty on Strategic Partnership"],
        ),
        (
            "The two leaders signed a joint statement, and in their presence the ministers "
            "signed an agreement on air services.",
            ["joint statement", "agreement on air services"],
        ),
    ],
)
def test_comma_and_a_new_clause_end_the_title(text: str, expected: list[str]) -> None:
    assert titles(text, "en") == expected


def test_a_series_inside_a_title_is_kept_whole() -> None:
    text = (
        "The presidents signed a Memorandum of Understanding on Cooperation in the Fields "
        "of Energy, Science and Technology."
    )
    assert titles(text, "en") == [
        "Memorandum of Understanding on Cooperation in the Fields of Energy, Science and Technology"
    ]


def test_a_gerund_takes_its_object_into_the_title() -> None:
    text = (
        "The heads of state signed the Joint Statement on Further Deepening the "
        "Comprehensive Strategic Partnership, and witnessed the signing of 20 documents."
    )
    assert titles(text, "en") == [
        "Joint Statement on Further Deepening the Comprehensive Strategic Partnership"
    ]


def test_passive_subject_list() -> None:
    text = "An Agreement on Trade and a Memorandum on Energy were signed in Astana."
    assert titles(text, "en") == ["Agreement on Trade", "Memorandum on Energy"]


def test_documents_counted_then_named_after_including() -> None:
    text = (
        "A number of documents were signed in the presence of the leaders, including an "
        "Agreement on Visa-Free Travel and a Memorandum of Understanding on Tourism."
    )
    assert titles(text, "en") == [
        "Agreement on Visa-Free Travel",
        "Memorandum of Understanding on Tourism",
    ]


def test_signing_of_one_and_of_another() -> None:
    text = (
        "The leaders witnessed the signing of a Statement of Intent on Defense Cooperation, "
        "which advances investments, and of a Memorandum of Understanding on Quantum "
        "Technologies."
    )
    assert titles(text, "en") == [
        "Statement of Intent on Defense Cooperation",
        "Memorandum of Understanding on Quantum Technologies",
    ]


def test_descriptive_lower_case_titles_of_fact_sheets() -> None:
    text = (
        "The Department of Energy and the Ministry of Energy have concluded an agreement "
        "for cooperation in the field of energy. NASA and the Saudi Space Agency have "
        "signed an agreement for a CubeSat to fly on NASA’s Artemis II test flight."
    )
    assert titles(text, "en") == [
        "agreement for cooperation in the field of energy",
        "agreement for a CubeSat to fly on NASA’s Artemis II test flight",
    ]


def test_the_following_documents_then_a_prose_list() -> None:
    text = (
        "The sides signed the following documents: an agreement on air services; a "
        "Memorandum of Understanding (MOU) on critical minerals; and the “Framework for the "
        "U.S.-India Major Defense Partnership”."
    )
    assert titles(text, "en") == [
        "agreement on air services",
        "Memorandum of Understanding (MOU) on critical minerals",
        "“Framework for the U.S.-India Major Defense Partnership”",
    ]


def test_a_hard_wrapped_title_goes_on_over_the_line_break() -> None:
    text = (
        "- The two leaders witnessed the signing of a Memorandum of Understanding on\n"
        "Critical Minerals Supply Chains.\n"
        "- The sides also discussed trade."
    )
    assert titles(text, "en") == ["Memorandum of Understanding on Critical Minerals Supply Chains"]


def test_an_infinitive_takes_its_object_into_the_title() -> None:
    text = "The sides signed an agreement with Rosatom to build a nuclear power plant."
    assert titles(text, "en") == ["agreement with Rosatom to build a nuclear power plant"]


def test_a_title_ends_at_a_date_or_place_of_the_signing() -> None:
    text = "The sides signed the Treaty on Good-Neighbourliness in Astana on Tuesday."
    assert titles(text, "en") == ["Treaty on Good-Neighbourliness"]


@pytest.mark.parametrize(
    "text",
    [
        "The two countries are expected to sign an agreement on energy next month.",
        "This year marks the 30th anniversary of the signing of the Treaty on Friendship.",
        "The ties have grown since the two sides signed the Treaty of Friendship.",
        "The two sides signed the Treaty of Friendship in 2002.",
        "The Treaty of Friendship was signed in 2002.",
        '"We signed an agreement on water today," Tokayev said.',
        "The President signed into law the Act on Trade.",
    ],
)
def test_no_document_of_this_event(text: str) -> None:
    assert titles(text, "en") == []


# --- One document, one title -------------------------------------------------------------


def test_bare_memorandum_gives_way_to_its_fuller_title() -> None:
    text = (
        "The sides signed a Memorandum of Understanding. The Memorandum of Understanding on "
        "Cooperation in Agriculture provides for joint research."
    )
    assert titles(text, "en") == ["Memorandum of Understanding on Cooperation in Agriculture"]


def test_document_named_in_the_lead_and_in_the_list_keeps_the_lists_title() -> None:
    text = (
        "Following the talks, the leaders adopted the Joint Statement on further deepening "
        "the comprehensive strategic partnership. "
        "The following documents were signed: 1. Joint Statement between the Russian "
        "Federation and the Socialist Republic of Vietnam on further deepening the "
        "comprehensive strategic partnership; 2. Agreement on mutual recognition of "
        "education."
    )
    assert titles(text, "en") == [
        "Joint Statement between the Russian Federation and the Socialist Republic of "
        "Vietnam on further deepening the comprehensive strategic partnership",
        "Agreement on mutual recognition of education",
    ]


def test_russian_document_named_twice_keeps_the_lists_title() -> None:
    text = (
        "По итогам переговоров президенты подписали Совместное заявление о дальнейшем "
        "углублении партнёрства.\n"
        "Подписаны следующие документы:\n"
        "– Совместное заявление Президента Республики Узбекистан и Президента Российской "
        "Федерации о дальнейшем углублении партнёрства;\n"
        "– Соглашение о сотрудничестве в области образования."
    )
    assert titles(text, "ru") == [
        "Совместное заявление Президента Республики Узбекистан и Президента Российской "
        "Федерации о дальнейшем углублении партнёрства",
        "Соглашение о сотрудничестве в области образования",
    ]


# --- Lists in fact sheets and on scraped pages ------------------------------------------


def test_markdown_list_wrapped_item_hash_and_see_also() -> None:
    text = (
        "The following documents were signed:\n"
        "\n"
        "* Memorandum of Understanding between the Department of Energy of the United\n"
        "  States and the Ministry of Energy on Energy Cooperation\n"
        "* #Joint Statement on the Strategic Partnership\n"
        "\n"
        "See also: Leaders meet in Tokyo\n"
    )
    assert listed(text) == [
        "Memorandum of Understanding between the Department of Energy of the United "
        "States and the Ministry of Energy on Energy Cooperation",
        "Joint Statement on the Strategic Partnership",
    ]


def test_wrapped_item_that_continues_with_a_capital() -> None:
    """A continuation line starting with a capital is the same item while bullets follow;
    after a short item it is a heading, and the list has ended."""
    text = (
        "The following documents were signed:\n"
        "* Memorandum of Understanding between the Ministry of Foreign Affairs of the United\n"
        "States and the Ministry of Culture on Cultural Exchange\n"
        "* Agreement on Visas\n"
        "Economic Cooperation\n"
        "* The leaders launched a dialogue on trade."
    )
    assert listed(text) == [
        "Memorandum of Understanding between the Ministry of Foreign Affairs of the United "
        "States and the Ministry of Culture on Cultural Exchange",
        "Agreement on Visas",
    ]


def test_list_items_that_are_sentences_give_their_titles() -> None:
    text = (
        "The following agreements were signed:\n"
        "- The Department of Energy and the Ministry of Energy signed a Memorandum of "
        "Understanding on Nuclear Safety.\n"
        "- NASA and the Saudi Space Agency signed an Implementing Arrangement on Space "
        "Weather Research."
    )
    assert listed(text) == [
        "Memorandum of Understanding on Nuclear Safety",
        "Implementing Arrangement on Space Weather Research",
    ]


def test_english_list_item_stops_where_its_description_starts() -> None:
    text = (
        "The three leaders adopted three documents:\n"
        "* The Spirit of Camp David: Joint Statement of Japan, the Republic of Korea, and "
        "the United States, which sets out the shared vision of the three countries.\n"
        "* Camp David Principles, a set of principles that will guide cooperation.\n"
        "* Commitment to Consult, under which the three governments commit to consult."
    )
    assert listed(text) == [
        "The Spirit of Camp David: Joint Statement of Japan, the Republic of Korea, and "
        "the United States",
        "Camp David Principles",
        "Commitment to Consult",
    ]


def test_a_line_after_the_bullets_is_not_an_item() -> None:
    text = (
        "По итогам переговоров подписаны следующие документы:\n"
        "– Соглашение о сотрудничестве в области образования;\n"
        "– Программа экономического сотрудничества на 2024–2028 годы.\n"
        "Соглашение о зоне свободной торговли стороны намерены подписать в следующем году."
    )
    assert listed(text) == [
        "Соглашение о сотрудничестве в области образования",
        "Программа экономического сотрудничества на 2024–2028 годы",
    ]


def test_a_one_per_line_list_ends_at_a_line_not_headed_by_a_document() -> None:
    text = (
        "По итогам переговоров подписаны следующие документы:\n"
        "Соглашение о сотрудничестве в области образования;\n"
        "Программа экономического сотрудничества на 2024–2028 годы.\n"
        "Кроме того, подписан пакет коммерческих соглашений на общую сумму 4 млрд долларов."
    )
    assert listed(text) == [
        "Соглашение о сотрудничестве в области образования",
        "Программа экономического сотрудничества на 2024–2028 годы",
    ]


# --- Titles cut or padded (Russian lists) -----------------------------------------------


def test_the_date_after_ot_belongs_to_the_title() -> None:
    text = (
        "Список документов, подписанных по итогам переговоров 22 апреля 2025 года "
        "1. Соглашение о взаимной отмене визовых требований; 2. Протокол о внесении "
        "изменений в Соглашение о торговле, экономическом и техническом сотрудничестве "
        "от 24 ноября 1994 года; 3. Меморандум о взаимопонимании в области транспорта."
    )
    assert listed(text)[1] == (
        "Протокол о внесении изменений в Соглашение о торговле, экономическом и "
        "техническом сотрудничестве от 24 ноября 1994 года"
    )


def test_stars_separate_items_and_see_also_ends_the_list() -> None:
    text = (
        "Список документов, подписанных в ходе официального визита 13 марта 2025 года "
        "1. Совместное заявление Президентов 2. Протокол об обмене грамотами о "
        "ратификации Договора о гарантиях безопасности * * * 3. Соглашение о "
        "сотрудничестве в сфере интеллектуальной собственности Смотрите также Совместная "
        "пресс-конференция 13 марта 2025 года"
    )
    assert listed(text) == [
        "Совместное заявление Президентов",
        "Протокол об обмене грамотами о ратификации Договора о гарантиях безопасности",
        "Соглашение о сотрудничестве в сфере интеллектуальной собственности",
    ]


def test_english_see_also_ends_an_inline_list() -> None:
    text = (
        "Documents signed following Russian-Omani talks 1. Agreement on mutual cancellation "
        "of visa requirements; 2. Memorandum of Understanding on cooperation in the field of "
        "transport and transit; 3. Memorandum of Understanding on information See also "
        "Russian-Omani talks April 22, 2025"
    )
    assert listed(text) == [
        "Agreement on mutual cancellation of visa requirements",
        "Memorandum of Understanding on cooperation in the field of transport and transit",
        "Memorandum of Understanding on information",
    ]


def test_a_second_numbered_list_starts_again_at_one() -> None:
    text = (
        "Список документов Документы, подписанные Президентами: 1. Совместное заявление "
        "об углублении партнёрства; 2. Совместное заявление о плане развития до 2030 года. "
        "Документы, подписанные в присутствии Президентов: 1. Соглашение о сотрудничестве "
        "в области охраны лесов; 2. Протокол о внесении изменений в Соглашение о "
        "телевизионном вещании от 22 марта 2013 года."
    )
    assert listed(text) == [
        "Совместное заявление об углублении партнёрства",
        "Совместное заявление о плане развития до 2030 года",
        "Соглашение о сотрудничестве в области охраны лесов",
        "Протокол о внесении изменений в Соглашение о телевизионном вещании от 22 марта 2013 года",
    ]


# --- Russian sentences -------------------------------------------------------------------


def test_page_furniture_glued_to_a_sentence_is_cut_off() -> None:
    text = (
        "В Кремле прошли переговоры президентов России и Белоруссии, которые обсудили "
        "вопросы торгово-экономического сотрудничества и подписали Договор о гарантиях "
        "безопасности в рамках Союзного государства Смотрите также Совместная "
        "пресс-конференция президентов"
    )
    assert titles(text, "ru") == ["Договор о гарантиях безопасности в рамках Союзного государства"]


def test_russian_prose_list_with_a_takzhe() -> None:
    text = (
        "В присутствии президентов стороны подписали Соглашение о взаимной защите "
        "инвестиций, Протокол о внесении изменений в Соглашение о торговле от 12 мая 1997 "
        "года, Программу культурного сотрудничества на 2025–2027 годы, а также Совместное "
        "заявление о стратегическом партнёрстве."
    )
    assert titles(text, "ru") == [
        "Соглашение о взаимной защите инвестиций",
        "Протокол о внесении изменений в Соглашение о торговле от 12 мая 1997 года",
        "Программа культурного сотрудничества на 2025–2027 годы",
        "Совместное заявление о стратегическом партнёрстве",
    ]


def test_russian_title_ends_before_a_lower_case_next_document() -> None:
    text = (
        "Главы государств подписали Соглашение о торговле, протокол о сотрудничестве "
        "таможенных служб."
    )
    assert titles(text, "ru") == ["Соглашение о торговле"]


def test_russian_comma_before_a_clause_ends_the_title() -> None:
    text = (
        "Президенты подписали Декларацию о стратегическом партнёрстве, торговле и "
        "инвестициях, после чего провели совместную пресс-конференцию."
    )
    assert titles(text, "ru") == ["Декларация о стратегическом партнёрстве, торговле и инвестициях"]


def test_russian_head_in_the_nominative_keeps_its_complements() -> None:
    text = (
        "Подписаны Дорожная карта по развитию торговли на 2024–2026 годы и Программа "
        "культурного сотрудничества на 2025 год."
    )
    assert titles(text, "ru") == [
        "Дорожная карта по развитию торговли на 2024–2026 годы",
        "Программа культурного сотрудничества на 2025 год",
    ]


def test_russian_relative_clause_after_a_preposition_ends_the_title() -> None:
    text = (
        "Президенты подписали Худжандскую декларацию о вечной дружбе, в которой стороны "
        "подтвердили приверженность принципам добрососедства."
    )
    assert titles(text, "ru") == ["Худжандская декларация о вечной дружбе"]


@pytest.mark.parametrize(
    "text",
    [
        # the head is a complement of another noun: the law is signed, not the treaty
        "Владимир Путин подписал Закон о ратификации Договора о стратегическом партнёрстве.",
        # a participle with a date: a treaty signed long ago
        "Стороны отметили, что Договор о дружбе, подписанный в Москве 9 февраля 2000 года, "
        "утратит силу.",
        # lower case: a description, not a title
        "Также было заключено соглашение о сотрудничестве в атомной сфере.",
    ],
)
def test_russian_sentences_without_a_document_of_this_event(text: str) -> None:
    assert titles(text, "ru") == []


# --- Whole articles ----------------------------------------------------------------------


def test_fact_sheet_end_to_end() -> None:
    body = (
        "Today, President Biden met in Jeddah with King Salman and Crown Prince Mohammed bin\n"
        "Salman of Saudi Arabia for bilateral talks during his visit to the Kingdom.\n"
        "\n"
        "**New Framework for Cooperation on 5G/6G:** President Biden welcomed the signing\n"
        "of a new Memorandum of Cooperation between the U.S. National Telecommunication\n"
        "and Information Administration and the Saudi Ministry of Communications and\n"
        "Information Technology, which will connect U.S. and Saudi technology companies.\n"
        "\n"
        "**New Framework on Clean Energy:** President Biden welcomed the signing of a\n"
        "bilateral Partnership Framework for Advancing Clean Energy, with new Saudi\n"
        "investments to accelerate the energy transition.\n"
    )
    article = read_article("FACT SHEET: Results of the Bilateral Meeting", body, lang="en")
    assert article.is_summit
    assert [(d.kind, d.title) for d in article.documents] == [
        (
            "memorandum",
            "Memorandum of Cooperation between the U.S. National Telecommunication and "
            "Information Administration and the Saudi Ministry of Communications and "
            "Information Technology",
        ),
        ("other", "Partnership Framework for Advancing Clean Energy"),
    ]


# --- Any text ----------------------------------------------------------------------------

_PIECES = (
    "signed",
    "signing of",
    "was signed",
    "were",
    "sign",
    "to",
    "since",
    "the",
    "a",
    "an",
    "Agreement",
    "agreement",
    "Memorandum",
    "of",
    "Understanding",
    "Joint",
    "Statement",
    "documents",
    "agreements",
    "including",
    "on",
    "between",
    "and",
    "as well as",
    "Trade",
    "trade",
    "Energy",
    "Ministry",
    "Astana",
    "in",
    "2002",
    "12",
    "May",
    "within",
    "framework",
    "which",
    "discussed",
    "We",
    ",",
    ";",
    ":",
    ".",
    "(",
    ")",
    "“",
    "”",
    '"',
    "–",
    "-",
    "#",
    "* * *",
    "See also",
    "Related",
    "\n",
    "\n- ",
    "\n1. ",
    "2.",
    "following",
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_any_english_text_gives_titles_taken_from_it(pieces: list[str]) -> None:
    """Never raises; every English title is a stretch of the text, as written."""
    text = " ".join(pieces)
    flat = " ".join(text.split())
    for title in titles(text, "en") + listed(text):
        assert title and " ".join(title.split()) in flat
