"""What a user may follow (/follow Казахстан), taken apart into what storage keeps and matches.

A phrase is matched as admin topics' keywords are (bot/topics.py): each of its words, in any
of its forms (lemmas, stems, hyphen parts, country names), anywhere in the item's title or
text. Users never give regular expressions: a phrase is words of letters and nothing else.
Stopwords and single letters ("в", "the") are kept in what the user sees but not matched: they
occur in nearly every text, so they only make a phrase miss the texts that lack them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from bot.articles import term_keys
from bot.articles.lemmas import WORD_RE, norm
from bot.articles.resources import word_list

MAX_CHARS = 60
MAX_WORDS = 5
# Around a phrase: quotes a user may type it in, and a stray full stop or comma.
_AROUND = "\"'«»“”„‘’`.,;:!?"
_FEED_ADDRESS = re.compile(r"https?://", re.IGNORECASE)


@dataclass(frozen=True)
class Phrase:
    """A phrase to follow: as shown to the user, its normalised form, and for each word that
    counts the keys one of which an item must have."""

    shown: str
    key: str
    word_keys: tuple[frozenset[str], ...]


@dataclass(frozen=True)
class Refused:
    """Why a phrase cannot be followed: a message key (`follow_<reason>` in the catalogues)."""

    reason: str


def is_feed_address(text: str) -> bool:
    """Does the user give a feed's address rather than words?"""
    return _FEED_ADDRESS.match(text.strip()) is not None


def shown_form(text: str) -> str:
    """The phrase as a user typed it, without surrounding quotes and extra spaces."""
    return " ".join(text.split()).strip(_AROUND).strip()


def parse_phrase(text: str) -> Phrase | Refused:
    """A phrase to follow, or why not: too long, not words of letters, nothing to match."""
    shown = shown_form(text)
    if len(shown) > MAX_CHARS:
        return Refused("too_long")
    words = shown.split()
    if not words or not all(WORD_RE.fullmatch(w) for w in words):
        return Refused("not_words")
    if len(words) > MAX_WORDS:
        return Refused("too_many_words")
    stop = _stopwords()
    meaningful = [norm(w) for w in words if len(w) > 1 and norm(w) not in stop]
    if not meaningful:
        return Refused("only_stopwords")
    return Phrase(shown, " ".join(meaningful), tuple(term_keys(w) for w in meaningful))


def phrase_key(text: str) -> str | None:
    """The normalised form of a phrase as /unfollow names it (None: not a phrase)."""
    parsed = parse_phrase(text)
    return parsed.key if isinstance(parsed, Phrase) else None


def mentions(phrase: Phrase, keys: frozenset[str]) -> bool:
    """Does a text with these keys (bot.articles.text_keys) mention the phrase? Storage
    answers the same question by index (Storage._match_phrases)."""
    return all(word & keys for word in phrase.word_keys)


@cache
def _stopwords() -> frozenset[str]:
    words = word_list("stopwords_ru.txt") | word_list("stopwords_en.txt")
    return frozenset(norm(w) for w in words)
