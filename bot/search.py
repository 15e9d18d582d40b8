"""Search over stored items, with the morphology topics use: pure functions, no I/O.

An item is indexed as two columns of tokens (`index_document`): `words`, one token per word
of its title and text in order (the lemma in Russian, the stem in English; each part of a
hyphenated word), which serves phrases; and `keys`, the other keys `bot.articles.text_keys`
gives the text that a query can ask for (other lemmas of ambiguous forms, country keys and
roots), each once. So a search word matches exactly where a topic keyword would (a test
holds them together on the corpora): "Таджикистан" finds "Таджикистана",
"таджикско-казахстанских" and "Tajikistan".

User text never reaches FTS5 as syntax: `parse_query` turns it into terms (a word: any of its
keys; a quoted phrase: its lemmas in order) and `match_expression` writes the MATCH
expression from those tokens alone, each inside double quotes, which tokens never contain.

`snippet` finds the first match in an item's text again, word by word, and shows ~200
characters around it with the matched words in <b>…</b>, escaped for Telegram HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.articles import term_keys, text_keys
from bot.articles.lemmas import WORD_RE, lemma, norm
from bot.articles.resources import word_set
from bot.config import is_http_url
from bot.delivery.render import cut_text, escape_html, format_date
from bot.i18n import t
from storage.models import Item

PAGE_SIZE = 5
MAX_TERMS = 10  # words and phrases of one query; the rest of a pasted paragraph is dropped
MAX_PHRASE_WORDS = 8
MAX_WORD = 60  # longer "words" are no words (and pymorphy3 gives up on them too)
MAX_HIT = 120  # the longest word a snippet shows in bold (a hyphenated one: its parts)
SNIPPET_LIMIT = 200
SNIPPET_LEAD = 60  # characters shown before the first match
SCAN_LIMIT = 20_000  # a match deeper in the text shows the lead instead
INDEX_LIMIT = 100_000  # as bot.articles.text_keys: the first 100k characters of a text
TITLE_LIMIT = 200

# FTS5 tokenizer of the index (migration 006 names it; a test checks they agree). Tokens are
# our keys: letters, and the marks keys carry: "^" roots, "@" countries, hyphens, "’", "_".
TOKEN_CHARS = "^@-‐‑’_"
TOKENIZER = f"unicode61 remove_diacritics 0 tokenchars '{TOKEN_CHARS}'"
_HYPHENS = re.compile("[-‐‑]")
# Function words: dropped from a query's loose words (never from a phrase) unless nothing
# else is left; they are in nearly every item and only slow the search down.
STOPWORDS = word_set(
    """и в во не на с со как а то но да к у же за бы по от о об из до для без под над при про
    через или ли ни ко а также что the a an of in on at to for and or but by with from as is
    are was were be it its this that not no"""
)
# Quoted phrases as people type them; an unclosed quote runs to the end.
_QUOTED = re.compile(r'"([^"]*)(?:"|$)|«([^»]*)(?:»|$)|“([^”]*)(?:”|$)|„([^“”]*)(?:[“”]|$)')


def token(key: str) -> str:
    """A key as an index token: one FTS5 token under TOKENIZER, never a double quote."""
    return key.replace("'", "’").replace(" ", "_").replace('"', "")


@lru_cache(maxsize=200_000)  # pragma: no mutate
def word_lemmas(word: str) -> tuple[str, ...]:
    """The `words` tokens of one word: its lemma, or the lemma of each hyphen-separated part."""
    parts = [p for p in _HYPHENS.split(word) if p]
    return tuple(token(lemma(p)) for p in parts)


# --- indexing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexDoc:
    """What the index holds for one item: the two columns, space-separated tokens."""

    words: str
    keys: str


def index_document(title: str, text: str, keys: frozenset[str] | None = None) -> IndexDoc:
    """The index columns of an item's title and text.

    `keys` leaves out what no query needs: the forms as written (a query word's keys always
    hold the lemma its form has in `words`) and keys with a hyphen (a query's hyphenated
    word is searched as its parts). A test holds search to topic matching on the corpora.
    `keys`: the item's text_keys of the same title and text, when they are known already.
    """
    body = f"{title}\n{text}"[:INDEX_LIMIT]
    found = WORD_RE.findall(body)
    words = [tok for w in found for tok in word_lemmas(w)]
    needless = set(words) | {token(norm(w)) for w in found}
    every = text_keys(body) if keys is None else keys  # the reader has them already
    indexed = sorted(k for k in map(token, every) if k not in needless and not _hyphen(k))
    return IndexDoc(" ".join(words), " ".join(indexed))


def _hyphen(key: str) -> bool:
    return _HYPHENS.search(key) is not None


def index_rows(rows: Sequence[tuple[int, str, str, str]]) -> list[tuple[int, str, str, str]]:
    """Items as storage hands out the unindexed ones, (id, fingerprint, title, text), as it
    takes them back indexed: (id, fingerprint, words, keys). Module-level: a process pool
    runs it."""
    docs = []
    for item_id, fingerprint, title, text in rows:
        doc = index_document(title, text)
        docs.append((item_id, fingerprint, doc.words, doc.keys))
    return docs


# --- queries -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    """A loose query word: found in any of its forms, as a topic keyword is."""

    text: str
    keys: frozenset[str]


@dataclass(frozen=True)
class Phrase:
    """Quoted words: found only together, in this order, each in any inflection."""

    words: tuple[str, ...]

    @property
    def text(self) -> str:
        return '"' + " ".join(self.words) + '"'

    @property
    def lemmas(self) -> tuple[str, ...]:
        return tuple(tok for w in self.words for tok in word_lemmas(w))


Term = Word | Phrase


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...]

    @property
    def text(self) -> str:
        """The query as searched, as the user could type it again (parses to itself)."""
        return " ".join(term.text for term in self.terms)

    def __bool__(self) -> bool:
        return bool(self.terms)


def _words(text: str) -> list[str]:
    return [w for w in WORD_RE.findall(text) if len(w) <= MAX_WORD]


def parse_query(text: str) -> Query:
    """The terms of what a user typed, in order: quoted phrases and loose words (each part of
    a hyphenated word its own word), at most MAX_TERMS; nothing searchable gives no terms."""
    terms: list[Term] = []
    position = 0
    for quoted in _QUOTED.finditer(text):
        terms += _loose(text[position : quoted.start()])
        words = _words(next(g for g in quoted.groups() if g is not None))[:MAX_PHRASE_WORDS]
        if words:
            terms.append(Phrase(tuple(words)))
        position = quoted.end()
    terms += _loose(text[position:])
    wanted = [term for term in terms if not _stopword(term)] or terms
    return Query(tuple(dict.fromkeys(wanted))[:MAX_TERMS])


def _loose(text: str) -> list[Term]:
    return [
        Word(part, term_keys(part))
        for word in _words(text)
        for part in _HYPHENS.split(word)
        if part
    ]


def _stopword(term: Term) -> bool:
    return isinstance(term, Word) and term.text.lower() in STOPWORDS


def match_expression(query: Query) -> str:
    """The FTS5 MATCH expression of a query: every term must be found. Built from our own
    tokens only, each quoted: user input cannot be FTS5 syntax."""
    parts: list[str] = []
    for term in query.terms:
        if isinstance(term, Phrase):
            parts.append('words : "' + " ".join(term.lemmas) + '"')
        else:
            keys = sorted({token(k) for k in term.keys} - {""})
            parts.append("(" + " OR ".join(f'"{k}"' for k in keys) + ")")
    return " AND ".join(parts)


# --- snippets ----------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Hit:
    """A matched word of a text: its span."""

    start: int
    end: int


def find_hits(text: str, query: Query, *, reach: int = SNIPPET_LIMIT) -> list[Hit]:
    """The words of `text` that match a term of the query, in order (each word of a phrase
    found is a hit), from its first SCAN_LIMIT characters and up to `reach` characters past
    the first hit: what a snippet can show."""
    words = [term for term in query.terms if isinstance(term, Word)]
    phrases = [term.lemmas for term in query.terms if isinstance(term, Phrase)]
    longest = max((len(p) for p in phrases), default=0)
    recent: list[tuple[str, Hit]] = []  # the tokens of the last words, for phrases
    hits: set[Hit] = set()
    first: int | None = None
    for found in WORD_RE.finditer(text[:SCAN_LIMIT]):
        if first is not None and found.start() > first + reach:
            break
        word, here = found.group(), Hit(found.start(), found.end())
        if len(word) > MAX_HIT:  # no word: a run of hyphenated letters could fill the snippet
            recent = []
            continue
        if any(text_keys(word) & w.keys for w in words):
            hits.add(here)
        if phrases:
            recent = (recent + [(tok, here) for tok in word_lemmas(word)])[-longest:]
            for phrase in phrases:
                tail = recent[len(recent) - len(phrase) :]
                if len(tail) == len(phrase) and tuple(tok for tok, _ in tail) == phrase:
                    hits.update(hit for _, hit in tail)
        if hits and first is None:
            first = min(hits).start
    return sorted(hits)


def snippet(text: str, query: Query, *, limit: int = SNIPPET_LIMIT) -> str:
    """About `limit` characters of `text` around its first match, matched words in <b>…</b>,
    the rest escaped; the lead of the text when it has no match (the title matched)."""
    flat = " ".join(text.split())
    hits = find_hits(flat, query, reach=limit)
    if not hits:
        return escape_html(cut_text(flat, limit))
    first = hits[0]
    start = 0
    if first.start > SNIPPET_LEAD:
        space = flat.find(" ", first.start - SNIPPET_LEAD, first.start)
        start = space + 1 if space >= 0 else first.start
    end = len(flat)
    if start + limit < end:
        space = flat.rfind(" ", first.end, start + limit + 1)
        end = space if space >= 0 else max(start + limit, first.end)
    pieces = ["…" if start > 0 else ""]
    position = start
    for hit in _merged(flat, [h for h in hits if h.end <= end]):
        pieces.append(escape_html(flat[position : hit.start]))
        pieces.append(f"<b>{escape_html(flat[hit.start : hit.end])}</b>")
        position = hit.end
    pieces.append(escape_html(flat[position:end]))
    pieces.append("…" if end < len(flat) else "")
    return "".join(pieces)


def _merged(text: str, hits: Sequence[Hit]) -> list[Hit]:
    """Hits with only a space between them (a phrase): one bold run."""
    merged: list[Hit] = []
    for hit in hits:
        if merged and text[merged[-1].end : hit.start] == " ":
            merged[-1] = Hit(merged[-1].start, hit.end)
        else:
            merged.append(hit)
    return merged


# --- pages -------------------------------------------------------------------------------


def page_count(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def clamp_page(page: int, total: int) -> int:
    """A page that exists: pressing past the end (results went away) shows the last one."""
    return min(max(page, 1), page_count(total))


def item_line(number: int, item: Item, lang: str, timezone: str, detail: str) -> str:
    """One result: the number, the title as a link, source and date (and the other feeds
    that carried the story), and a line under it (a snippet, already HTML, or nothing)."""
    title = escape_html(cut_text(item.title, TITLE_LIMIT) or t(lang, "untitled"))
    if item.url and is_http_url(item.url):
        title = f'<a href="{html.escape(item.url, quote=True)}">{title}</a>'
    when = item.published_at if item.published_at is not None else item.fetched_at
    parts = [cut_text(item.feed_title, 60), format_date(when, timezone)]
    if item.other_sources:  # the same story from other feeds, shown once
        sources = ", ".join(cut_text(s, 60) for s in item.other_sources[:3])
        parts.append(t(lang, "also_in", sources=sources))
    meta = " · ".join(p for p in parts if p)
    lines = [f"{number}. {title}"]
    if meta:
        lines.append(f"<i>{escape_html(meta)}</i>")
    if detail:
        lines.append(detail)
    return "\n".join(lines)
