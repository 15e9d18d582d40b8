"""Morphology shared by the reader and topic matching: lemmas, stems and matching keys.

Russian words go through one lazily created pymorphy3 analyser; English words through the
snowball stemmer. Every per-word result is cached, because news text repeats the same few
thousand words and parsing dominates the reader's cost.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import pymorphy3
import snowballstemmer

from bot.articles import resources

WORD_RE = re.compile(r"[^\W\d_]+(?:[-‐‑'’][^\W\d_]+)*")
_CYRILLIC_RE = re.compile(r"[а-яё]", re.IGNORECASE)
_HYPHENS = "-‐‑"
_MAX_TEXT = 100_000


@dataclass(frozen=True)
class WordParse:
    """One pymorphy3 analysis reduced to what the reader uses (cheap to cache)."""

    normal_form: str
    pos: str
    grammemes: frozenset[str]
    score: float


_morph_lock = threading.Lock()
_morph: Any = None
_local = threading.local()


def morph() -> Any:
    """The one MorphAnalyzer of the process: loading dictionaries takes ~0.1-0.2 s.

    Feeds are read in several worker threads at once, and loading registers grammemes in
    pymorphy3's class-level tables: exactly one analyser is ever made, under a lock.
    """
    global _morph
    if _morph is None:
        with _morph_lock:
            if _morph is None:
                _morph = pymorphy3.MorphAnalyzer()
    return _morph


def _english_stemmer() -> Any:
    """One snowball stemmer per thread: a stemmer keeps state between words and is not safe
    to share across the worker threads that read feeds."""
    stemmer = getattr(_local, "english", None)
    if stemmer is None:
        stemmer = _local.english = snowballstemmer.stemmer("english")
    return stemmer


def is_cyrillic(word: str) -> bool:
    return _CYRILLIC_RE.search(word) is not None


@lru_cache(maxsize=200_000)
def norm(text: str) -> str:
    """Lower-case with ё folded to е, the form every key is compared in."""
    return text.lower().replace("ё", "е")


@lru_cache(maxsize=200_000)
def parses(word: str) -> tuple[WordParse, ...]:
    """Up to four best pymorphy3 analyses of a (Russian) word; empty for non-words."""
    if not word or len(word) > 60:
        return ()
    result: list[WordParse] = []
    for p in morph().parse(word)[:4]:
        tag = p.tag
        result.append(
            WordParse(
                normal_form=norm(p.normal_form),
                pos=str(tag.POS or ""),
                grammemes=frozenset(str(tag).replace(" ", ",").split(",")),
                score=float(p.score),
            )
        )
    return tuple(result)


@lru_cache(maxsize=200_000)
def stem_en(word: str) -> str:
    return str(_english_stemmer().stemWord(word.lower()))


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The single best normal form of a word: pymorphy3 lemma (ru) or snowball stem (en)."""
    w = norm(word)
    if is_cyrillic(w):
        ps = parses(w)
        return ps[0].normal_form if ps else w
    return stem_en(w)


def _root(lemma_: str) -> str | None:
    """Country root shared by a country name and its adjectives (Таджикистан, таджикский)."""
    s = lemma_
    if s.endswith("ско"):
        s = s[:-3] + "ский"
    if s.endswith("ский"):
        s = s[:-4]
        if s.endswith("стан"):
            s = s[: -5 if s.endswith("истан") else -4]
        elif s.endswith("ий"):
            s = s[:-2]
    elif s.endswith("стан"):
        s = s[: -5 if s.endswith("истан") else -4]
    elif s.endswith("ия"):
        s = s[:-2]
    else:
        return None
    return "^" + s if len(s) >= 3 else None


@cache
def _country_keys() -> dict[str, str]:
    """Every single-word name, alias and adjective of a gazetteer country -> "@country"."""
    index: dict[str, str] = {}
    for c in resources.countries():
        key = "@" + norm(c.ru)
        names = [c.ru, c.en, *c.ru_aliases, *c.en_aliases, *c.ru_adj, *c.en_adj]
        for name in names:
            words = WORD_RE.findall(name)
            if len(words) != 1:
                continue
            w = words[0]
            index[norm(w)] = key
            if is_cyrillic(w):
                index[lemma(w)] = key
                if w.endswith("ий") and w.islower():
                    index[norm(w[:-2] + "о")] = key  # compound prefix: таджикско-
            else:
                index[stem_en(w)] = key
    return index


def _word_keys(word: str, *, with_roots: bool) -> set[str]:
    w = norm(word)
    keys = {w}
    countries = _country_keys()
    if is_cyrillic(w):
        for p in parses(w):
            if p.score >= 0.05 or not keys - {w}:
                keys.add(p.normal_form)
        if with_roots or any("Geox" in p.grammemes for p in parses(w)):
            for k in list(keys):
                root = _root(k)
                if root:
                    keys.add(root)
    else:
        keys.add(stem_en(w))
    for k in list(keys):
        country = countries.get(k)
        if country:
            keys.add(country)
    return keys


@lru_cache(maxsize=50_000)
def term_keys(word: str) -> frozenset[str]:
    """Normalised keys of one keyword word: lemmas (ru), stem (en), country key and root."""
    words = WORD_RE.findall(word)
    if not words:
        return frozenset()
    if len(words) > 1:
        return frozenset().union(*(term_keys(w) for w in words))
    return _keys_with_parts(words[0], with_roots=False)


def _text_word_keys(word: str) -> frozenset[str]:
    return _keys_with_parts(word, with_roots=True)


@lru_cache(maxsize=200_000)
def _keys_with_parts(word: str, *, with_roots: bool) -> frozenset[str]:
    """A word's keys and, for a hyphenated word, the keys of each of its parts."""
    keys = _word_keys(word, with_roots=with_roots)
    if any(c in word for c in _HYPHENS):
        for part in re.split(f"[{_HYPHENS}]", word):
            if part:
                keys |= _word_keys(part, with_roots=with_roots)
    return frozenset(keys)


def text_keys(text: str) -> frozenset[str]:
    """All keys of all words of a text (first 100k chars), hyphen parts and country roots."""
    keys: set[str] = set()
    for word in WORD_RE.findall(text[:_MAX_TEXT]):
        keys |= _text_word_keys(word)
    return frozenset(keys)


def phrase_matches(phrase: str, keys: frozenset[str]) -> bool:
    """True when every word of a (multi-word) keyword has a key among `keys`."""
    words = WORD_RE.findall(phrase)
    if not words:
        return False
    return all(term_keys(w) & keys for w in words)
