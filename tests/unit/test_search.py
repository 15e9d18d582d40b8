"""The pure side of /search: indexing, queries, MATCH expressions, snippets, pages.

Index and queries run against the real FTS5 table of migration 006, in memory: what a query
finds is what SQLite finds, with the tokenizer the migration declares."""

from __future__ import annotations

import dataclasses
import re
import sqlite3
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.articles.lemmas import WORD_RE
from bot.search import (
    INDEX_LIMIT,
    MAX_PHRASE_WORDS,
    MAX_TERMS,
    PAGE_SIZE,
    SCAN_LIMIT,
    SNIPPET_LIMIT,
    TOKENIZER,
    Phrase,
    Query,
    Word,
    clamp_page,
    find_hits,
    index_document,
    index_rows,
    item_line,
    match_expression,
    page_count,
    parse_query,
    snippet,
    token,
)
from bot.topics import keyword_occurs
from storage.db import migrations
from storage.models import Item
from tests.conftest import shared_file
from tests.support.telegram_html import telegram_html_problems

TALKS = (
    "Президент Казахстана провёл переговоры с делегацией Таджикистана. Стороны обсудили "
    "развитие таджикско-казахстанских отношений и сотрудничество в Центральной Азии."
)


@pytest.fixture
def index() -> Iterator[sqlite3.Connection]:
    """An in-memory database with every migration applied: the real item_search table."""
    conn = sqlite3.connect(":memory:")
    for _, sql in migrations():
        conn.executescript(sql)
    yield conn
    conn.close()


def add(conn: sqlite3.Connection, rowid: int, title: str, text: str) -> None:
    doc = index_document(title, text)
    conn.execute(
        "INSERT INTO item_search (rowid, words, keys) VALUES (?, ?, ?)",
        (rowid, doc.words, doc.keys),
    )


def found(conn: sqlite3.Connection, text: str) -> list[int]:
    """Rowids matching what a user typed, in the index's order (newest first)."""
    rows = conn.execute(
        "SELECT rowid FROM item_search WHERE item_search MATCH ? ORDER BY rowid DESC",
        (match_expression(parse_query(text)),),
    )
    return [r[0] for r in rows]


def test_the_migration_declares_the_tokenizer_the_index_is_made_for() -> None:
    (sql,) = [sql for version, sql in migrations() if version == 6]
    assert f'tokenize = "{TOKENIZER}"' in sql


# --- indexing and finding --------------------------------------------------------------


def test_search_finds_inflected_forms(index: sqlite3.Connection) -> None:
    add(index, 1, "Делегация Таджикистана прибыла", "Визит продлится два дня.")
    add(index, 2, "Переговоры", "Развитие таджикско-казахстанских отношений.")
    add(index, 3, "Обращение", "Президент обратился к таджикскому народу.")
    add(index, 4, "Tajikistan hosts a summit", "Leaders met in Dushanbe.")
    add(index, 5, "Погода", "В Душанбе тепло, в Астане снег.")
    assert found(index, "Таджикистан") == [4, 3, 2, 1]
    assert found(index, "таджикистана") == [4, 3, 2, 1]
    assert found(index, "Tajikistan") == [4, 3, 2, 1]  # one country, in either language
    assert found(index, "переговорами") == [2]
    assert found(index, "summits") == [4]
    assert found(index, "Душанбе") == [5]  # a city is a word: not its English name


def test_every_word_must_be_found(index: sqlite3.Connection) -> None:
    add(index, 1, "Казахстан и Таджикистан", "Переговоры в Душанбе.")
    add(index, 2, "Казахстан", "Переговоры в Астане.")
    assert found(index, "Казахстан Душанбе") == [1]
    assert found(index, "казахстан переговоры") == [2, 1]
    assert found(index, "Казахстан Бишкек") == []


def test_a_quoted_phrase_is_found_only_together_and_in_order(index: sqlite3.Connection) -> None:
    add(index, 1, "Саммит", "Лидеры стран Центральной Азии встретились.")
    add(index, 2, "Обзор", "Азия растёт; центральный банк снизил ставку.")
    add(index, 3, "Central Asia", "Leaders of Central Asia met.")
    assert found(index, "центральная азия") == [2, 1]  # loose words: anywhere
    assert found(index, '"центральная азия"') == [1]
    assert found(index, "«Центральной Азии»") == [1]
    assert found(index, "“азия центральная”") == []
    assert found(index, '"central asia"') == [3]


def test_hyphenated_words_are_found_by_their_parts(index: sqlite3.Connection) -> None:
    add(index, 1, "Переговоры", "Развитие таджикско-казахстанских отношений.")
    add(index, 2, "Отношения", "Казахстанские компании в Киргизии.")
    assert found(index, "казахстанский") == [2, 1]
    assert found(index, "таджикско-казахстанские") == [1]  # both parts
    assert found(index, '"таджикско-казахстанских отношений"') == [1]


def test_search_agrees_with_topic_matching_on_the_corpus() -> None:
    """A single search word finds an article exactly when the same word as a topic keyword
    files it there: the index keeps every key a query can ask for."""
    folder = shared_file("corpora/news-articles")
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))][:8]
    vocabulary = sorted({w for text in texts for w in WORD_RE.findall(text)})[::7]
    checked = 0
    for text in texts:
        doc = index_document("", text)
        tokens = set(doc.words.split()) | set(doc.keys.split())
        for word in vocabulary:
            query = parse_query(word)
            if len(query.terms) != 1 or "-" in word:
                continue
            (term,) = query.terms
            assert isinstance(term, Word)
            searched = bool({token(k) for k in term.keys} & tokens)
            assert searched == keyword_occurs(word, text), word
            checked += 1
    assert checked > 2000


def test_the_index_leaves_out_what_no_query_asks_for() -> None:
    doc = index_document("Саммит в Душанбе", "Развитие таджикско-казахстанских отношений.")
    assert doc.words.split() == [
        "саммит", "в", "душанбе", "развитие", "таджикско", "казахстанский", "отношение",
    ]  # fmt: skip
    keys = doc.keys.split()
    assert {"@таджикистан", "@казахстан", "^таджик", "^казах"} <= set(keys)
    assert "отношений" not in keys and "таджикско-казахстанских" not in keys
    assert not set(keys) & set(doc.words.split())
    assert keys == sorted(keys)


def test_index_rows_keeps_each_rows_id_and_fingerprint() -> None:
    rows = [(7, "fp-7", "Саммит", "Текст."), (3, "fp-3", "Summit", "Text.")]
    assert index_rows(rows) == [
        (7, "fp-7", *vars(index_document("Саммит", "Текст.")).values()),
        (3, "fp-3", *vars(index_document("Summit", "Text.")).values()),
    ]


def test_tokens_never_carry_quotes_and_keep_apostrophes_one_way() -> None:
    assert token("o'brien") == token("o’brien") == "o’brien"
    assert token('a"b') == "ab"
    assert token("@южная корея") == "@южная_корея"


# --- queries -----------------------------------------------------------------------------


def test_a_query_is_its_words_and_phrases_in_order() -> None:
    query = parse_query('Таджикистан «центральной Азии» северо-западный "саммит')
    assert [type(term) for term in query.terms] == [Word, Phrase, Word, Word, Phrase]
    assert query.text == 'Таджикистан "центральной Азии" северо западный "саммит"'
    assert parse_query(query.text) == query


def test_function_words_are_dropped_unless_nothing_else_is_left() -> None:
    assert parse_query("саммит в Душанбе").text == "саммит Душанбе"
    assert parse_query("the summit").text == "summit"
    assert parse_query("и в").text == "и в"
    assert parse_query('"саммит в Душанбе"').text == '"саммит в Душанбе"'  # a phrase keeps them


def test_a_query_is_bounded() -> None:
    many = " ".join(f"слово{chr(0x430 + n)}" for n in range(30))
    assert len(parse_query(many).terms) == MAX_TERMS
    long_phrase = '"' + " ".join(["саммит"] * 20) + '"'
    (phrase,) = parse_query(long_phrase).terms
    assert isinstance(phrase, Phrase) and len(phrase.words) == MAX_PHRASE_WORDS
    assert not parse_query("ж" * 4000)  # no word is that long
    assert parse_query("саммит саммит Саммит").text == "саммит Саммит"  # the same term once


@pytest.mark.parametrize("text", ["", "   ", "123 456", "!!! ???", "🙂🙂", '""', "«»", "-"])
def test_nothing_searchable_gives_an_empty_query(text: str) -> None:
    assert not parse_query(text)
    assert parse_query(text) == Query(())


HOSTILE = [
    '"', '""', '"""', "«", "»", "*", "саммит*", "NEAR(a b)", "a NEAR b", "AND", "OR", "NOT",
    "a AND b OR c NOT d", "((", "))", "(саммит)", "^саммит", "words:саммит", "keys : x",
    "{words keys}: x", "- саммит", "+саммит", "саммит:", "'", "o'brien", "🙂 саммит 🇰🇿",
    "\u202eсаммит\u202c", "\x00саммит", "ж" * 4000, "саммит " * 700, 'a"b"c', "«a „b“ c»",
    "%", "_", "\\", "@саммит", "#саммит", "col:", "rowid:1", "1:1",
]  # fmt: skip


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_never_becomes_fts5_syntax(index: sqlite3.Connection, text: str) -> None:
    add(index, 1, "Саммит", "Саммит прошёл в Астане; o’Brien пришёл.")
    query = parse_query(text)
    if query:
        found(index, text)  # no sqlite3.OperationalError: the expression is always valid


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300))
def test_any_text_gives_a_valid_match_expression(index: sqlite3.Connection, text: str) -> None:
    query = parse_query(text)
    if query:
        found(index, text)
        assert parse_query(query.text) == query  # what the pages search again is the same


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("аб cd\"«»-’'*:()^")), max_size=60))
def test_query_syntax_characters_never_break_the_expression(text: str) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute(
        f'CREATE VIRTUAL TABLE item_search USING fts5(words, keys, tokenize = "{TOKENIZER}")'
    )
    query = parse_query(text)
    if query:
        conn.execute(
            "SELECT rowid FROM item_search WHERE item_search MATCH ?", (match_expression(query),)
        ).fetchall()
    conn.close()


# --- snippets ----------------------------------------------------------------------------


class _Shown(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.bold: list[str] = []
        self._in_bold = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_bold = tag == "b"

    def handle_endtag(self, tag: str) -> None:
        self._in_bold = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_bold:
            self.bold.append(data)


def shown(html_text: str) -> tuple[str, list[str]]:
    """The text a reader sees and the bold runs in it."""
    parser = _Shown()
    parser.feed(html_text)
    return "".join(parser.text), parser.bold


def test_a_snippet_shows_the_first_match_with_the_matched_words_in_bold() -> None:
    text, bold = shown(snippet(TALKS, parse_query("Таджикистан")))
    assert bold == ["Таджикистана", "таджикско-казахстанских"]
    assert text.startswith("Президент Казахстана")  # the match is near the start: no "…"


def test_a_snippet_is_cut_around_a_late_match() -> None:
    filler = "Обычная фраза без нужного слова. " * 30
    article = filler + "Делегация Таджикистана прибыла в Астану. " + filler
    html_text = snippet(article, parse_query("Таджикистан"))
    text, bold = shown(html_text)
    assert bold == ["Таджикистана"]
    assert text.startswith("…") and text.endswith("…")
    assert len(text) <= SNIPPET_LIMIT + 2
    before = text.index("Таджикистана")
    assert 1 < before <= 62  # a little context first, cut at a word
    assert text[1:].split()[0] in article.split()  # whole words only
    assert text[:-1].split()[-1] in article.split()


def test_a_phrase_is_one_bold_run_and_only_where_its_words_stand_together() -> None:
    article = "Азия велика. Центральная роль. Лидеры Центральной Азии встретились."
    text, bold = shown(snippet(article, parse_query('"центральная азия"')))
    assert bold == ["Центральной Азии"]
    assert text == article


def test_a_snippet_escapes_what_the_text_holds() -> None:
    article = 'Саммит <b>& "друзья"</b> в <a href="x">Астане</a>'
    html_text = snippet(article, parse_query("Астана"))
    assert telegram_html_problems(html_text) == []
    text, bold = shown(html_text)
    assert text == article.replace("  ", " ")
    assert bold == ["Астане"]


def test_without_a_match_in_the_text_the_snippet_is_its_lead() -> None:
    article = "Первое предложение статьи. " * 20
    html_text = snippet(article, parse_query("Таджикистан"))  # the title matched, not the text
    text, bold = shown(html_text)
    assert bold == [] and text.startswith("Первое предложение статьи.")
    assert len(text) <= SNIPPET_LIMIT
    assert snippet("", parse_query("Таджикистан")) == ""


def test_a_match_past_the_scanned_part_shows_the_lead() -> None:
    article = "Слово. " * (SCAN_LIMIT // 7 + 10) + "Таджикистан."
    assert shown(snippet(article, parse_query("Таджикистан")))[1] == []


def test_a_monstrous_hyphenated_word_is_no_hit() -> None:
    monster = "-".join(["аб"] * 100) + "-Таджикистан"
    article = f"Начало. {monster} конец. Делегация Таджикистана прибыла."
    text, bold = shown(snippet(article, parse_query("Таджикистан")))
    assert bold == ["Таджикистана"] and len(text) <= SNIPPET_LIMIT + 2
    phrase = f"{monster} прибыла. Таджикистан прибыла."
    assert shown(snippet(phrase, parse_query('"Таджикистан прибыла"')))[1] == [
        "Таджикистан прибыла"
    ]


def test_hits_are_the_matching_words_in_order() -> None:
    hits = find_hits(TALKS, parse_query("Таджикистан отношения"))
    assert [TALKS[h.start : h.end] for h in hits] == [
        "Таджикистана",
        "таджикско-казахстанских",
        "отношений",
    ]


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("аб <>&\"'\n- таджикистан саммит")), max_size=600),
    st.sampled_from(["Таджикистан", "саммит", '"саммит таджикистан"', "а б"]),
)
def test_any_snippet_is_telegram_html_of_the_texts_own_words(article: str, typed: str) -> None:
    html_text = snippet(article, parse_query(typed))
    assert telegram_html_problems(html_text) == []
    text, _ = shown(html_text)
    assert len(text) <= SNIPPET_LIMIT + 2
    assert text.strip("…") in " ".join(article.split())


# --- pages -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "pages"), [(0, 1), (1, 1), (PAGE_SIZE, 1), (PAGE_SIZE + 1, 2), (37, 8)]
)
def test_page_count(total: int, pages: int) -> None:
    assert page_count(total) == pages


def test_a_page_past_the_end_is_the_last_one() -> None:
    assert [clamp_page(p, 37) for p in (-1, 0, 1, 8, 9, 100)] == [1, 1, 1, 8, 8, 8]
    assert clamp_page(3, 0) == 1


def item(**changes: object) -> Item:
    values: dict[str, object] = {
        "id": 1, "feed_id": 1, "feed_title": "Лента <новостей>", "key": "k",
        "url": 'https://news.example/a?b=1&c="2"', "title": "Саммит <и> всё & прочее",
        "published_at": 1_700_000_000.0, "fetched_at": 1_700_000_100.0, "lang": "ru",
        "text": "", "summary": "", "documents": [], "entities": {}, "is_summit": False,
    }  # fmt: skip
    values.update(changes)
    return Item(**values)  # type: ignore[arg-type]


def test_an_item_line_links_the_title_and_names_source_and_date() -> None:
    line = item_line(6, item(), "ru", "Europe/Moscow", "…<b>Саммит</b>…")
    assert line == (
        '6. <a href="https://news.example/a?b=1&amp;c=&quot;2&quot;">Саммит &lt;и&gt; всё &amp;'
        " прочее</a>\n<i>Лента &lt;новостей&gt; · 15.11.2023 01:13</i>\n…<b>Саммит</b>…"
    )
    assert telegram_html_problems(line) == []


def test_an_item_line_without_a_usable_link_or_title_or_date() -> None:
    line = item_line(
        1, item(url="javascript:alert(1)", title="", published_at=None), "en", "UTC", ""
    )
    assert line == "1. Untitled\n<i>Лента &lt;новостей&gt; · 14.11.2023 22:15</i>"
    assert re.search(r"<a ", line) is None


def test_an_item_line_names_the_other_feeds_of_its_story() -> None:
    line = item_line(1, item(other_sources=("Лента Б", "<В>")), "ru", "UTC", "")
    assert line.endswith(
        "<i>Лента &lt;новостей&gt; · 14.11.2023 22:13 · Также в: Лента Б, &lt;В&gt;</i>"
    )


# --- bounds, each at its edge ------------------------------------------------------------


def test_a_word_of_120_letters_is_a_hit_and_one_letter_more_is_not() -> None:
    def hyphenated(length: int) -> str:
        head = "Таджикистан-"
        return head + "а" * (length - len(head))

    for length, expected in ((120, True), (121, False)):
        word = hyphenated(length)
        assert len(word) == length
        _, bold = shown(snippet(f"Начало {word} конец.", parse_query("Таджикистан")))
        assert bold == ([word] if expected else []), length


def test_the_context_before_a_match_is_up_to_60_characters() -> None:
    before = "а" * 58  # with the spaces around it: 60 characters
    article = "Начало статьи, " + "и так далее " * 5 + f"{before} Таджикистан прибыл."
    text, _ = shown(snippet(article, parse_query("Таджикистан")))
    assert text.startswith(f"…{before} Таджикистан")


def test_without_a_space_before_the_match_the_snippet_starts_at_it() -> None:
    article = "ж" * 100 + ",Таджикистан прибыл."
    text, bold = shown(snippet(article, parse_query("Таджикистан")))
    assert text.startswith("…Таджикистан") and bold == ["Таджикистан"]


def test_the_scan_stops_at_scan_limit_exactly() -> None:
    filler = "ж " * (SCAN_LIMIT // 2 - 1)  # SCAN_LIMIT - 2 characters
    ends_at_limit = filler + "ум конец"  # "ум" ends at SCAN_LIMIT: scanned
    assert shown(snippet(ends_at_limit, parse_query("ум")))[1] == ["ум"]
    starts_at_limit = filler + "ж у"  # "у" starts at SCAN_LIMIT: not scanned
    assert shown(snippet(starts_at_limit, parse_query("у")))[1] == []


def test_the_index_reads_index_limit_characters_exactly() -> None:
    title = ""
    filler = "жж " + "ж " * ((INDEX_LIMIT - 6) // 2)
    text = filler + "ум" + " хвост"  # "\n" + filler + "ум" is INDEX_LIMIT characters
    assert len("\n" + filler + "ум") == INDEX_LIMIT
    words = index_document(title, text).words.split()
    assert words[-1] == "ум" and "хвост" not in words


def test_an_index_document_is_a_value() -> None:
    doc = index_document("Саммит", "")
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.words = ""  # type: ignore[misc]


def test_each_run_of_neighbouring_hits_is_bold_on_its_own() -> None:
    article = "Таджикистан. Таджикистан Таджикистан, и снова Таджикистан"
    _, bold = shown(snippet(article, parse_query("Таджикистан")))
    assert bold == ["Таджикистан", "Таджикистан Таджикистан", "Таджикистан"]


def test_an_item_line_cuts_long_titles_and_names() -> None:
    long_name = "ж" * 61
    line = item_line(
        1,
        item(title="т" * 201, feed_title=long_name, other_sources=("а", "б", "в", long_name)),
        "ru",
        "UTC",
        "",
    )
    assert f">{'т' * 199}…</a>" in line  # 200 characters at most
    assert f"<i>{'ж' * 59}… · " in line
    assert line.endswith(" · Также в: а, б, в</i>")  # three at most
    line = item_line(1, item(other_sources=(long_name,)), "ru", "UTC", "")
    assert line.endswith(f"Также в: {'ж' * 59}…</i>")


def test_a_snippet_ends_at_the_last_space_within_its_limit() -> None:
    article = "Таджикистан " + "б" * 138 + " " + "в" * 49 + " хвост статьи"
    assert article[200] == " " and article.rfind(" ", 0, 200) == 150
    text, _ = shown(snippet(article, parse_query("Таджикистан")))
    assert text == article[:200] + "…"


def test_the_readers_keys_index_an_item_as_its_own_do() -> None:
    from bot.topics import item_keys

    title, text = (
        "Переговоры в Астане",
        "Таджикско-казахстанские переговоры: подписано 9 документов.",
    )
    assert index_document(title, text, item_keys(title, text)) == index_document(title, text)
