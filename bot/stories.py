"""One story once: MinHash signatures that tell when two items report the same story.

The same story arrives from several feeds, and a feed re-posts it under a new guid with a
reworded title or an updated text. An item is reduced to content-word stems (Russian and
English snowball; function words, digits and feed furniture dropped) of its title and of the
first words of its text; the set of shingles of k consecutive stems, title shingles counted
twice, is summarised by SIGNATURE_SIZE MinHash values whose agreement estimates the Jaccard
similarity of two items. Items at or above SAME_STORY_THRESHOLD are one story. Storage finds
candidates by band keys (LSH) in an indexed column and confirms them with `similarity`.

Chosen by `bench/stories_eval.py` on hand-labelled pairs of real feed items: k=1 (real
re-tellings share words, rarely phrases: best F1 0.49 against 0.38 for k=2), the first 30
content words, 64 bands of 2 rows (every real pair at or above 0.30 shares a band key).
The threshold is chosen for precision, not for the best F1: merging two different stories
hides one of them from subscribers, while a missed merge only sends a duplicate. At 0.50 no
labelled pair of different stories is merged (precision 1.00, recall 0.17 on real pairs;
1.00 and 0.95 on light synthetic rewrites); the best F1, 0.49 at 0.30, merged 10 different
stories for 13 right ones. Lexical overlap catches re-posts and rewrites of one text; the
same event told independently by two outlets scores below the threshold.

Pure and deterministic across processes: no salted `hash()`, only fixed hash functions.
"""

from __future__ import annotations

import hashlib
import operator
import re
import struct
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import islice
from typing import Any

import snowballstemmer

from bot.articles import resources

SIGNATURE_SIZE = 128
BANDS = 64
SAME_STORY_THRESHOLD = 0.5

_ROWS = SIGNATURE_SIZE // BANDS
_FORMAT_VERSION = 1
_VALUES = struct.Struct(f"<{SIGNATURE_SIZE}I")
_WORD_RE = re.compile(r"[^\W\d_]+")
_PIECE_RE = re.compile(r"[^\W_]+")
_CYRILLIC_RE = re.compile(r"[а-я]")
_LATIN_RE = re.compile(r"[a-z]")
_TITLE_MARK = "\x01"

if SIGNATURE_SIZE % BANDS:
    raise ValueError("SIGNATURE_SIZE must be divisible by BANDS")

# Reporting verbs, weekdays, months and feed furniture: shared by unrelated items of one day
# and one outlet, so they would make different stories look alike.
_EXTRA_STOP = """
сообщить сообщил сообщила сообщили сообщает сообщают сообщается сообщение заявил заявила
заявили заявление рассказал рассказала рассказали отметил отметила отметили уточнил уточнила
уточняется говорится словам слова данным информации издание изданию агентство агентства
источник ссылкой также ранее этом пресс-служба телеграм telegram-канал канал
понедельник вторник среда среду четверг пятница пятницу суббота субботу воскресенье
января февраля марта апреля мая июня июля августа сентября октября ноября декабря
году года время стало известно
monday tuesday wednesday thursday friday saturday sunday january february march april may
june july august september october november december year years week
continue reading video photos pictures gallery image credit getty images live told according
read full article more leia mais reuters ap afp guardian lenta ria tass
"""


@dataclass(frozen=True)
class Shingling:
    """How an item becomes a set of shingles; the defaults are the measured choice."""

    k: int = 1  # stems per shingle
    text_words: int = 30  # content words of the text used (the lead carries the story)
    title_weight: int = 2  # each title shingle counts this many times
    min_tokens: int = 6  # fewer content words than this: too little to judge
    numbers: bool = False  # keep numbers of 2+ digits as tokens
    stem: bool = True  # reduce words to snowball stems (False: whole words, for comparison)


DEFAULT_SHINGLING = Shingling()


@dataclass(frozen=True)
class StorySignature:
    """MinHash values of one item; compare two with `similarity`."""

    values: tuple[int, ...]

    def to_bytes(self) -> bytes:
        """A compact BLOB for SQLite: a format byte and the values as little-endian uint32."""
        return bytes([_FORMAT_VERSION]) + _VALUES.pack(*self.values)

    @classmethod
    def from_bytes(cls, data: bytes) -> StorySignature:
        """The inverse of to_bytes; ValueError for a BLOB of another format or length."""
        if len(data) != 1 + _VALUES.size or data[0] != _FORMAT_VERSION:
            raise ValueError(f"not a story signature BLOB ({len(data)} bytes)")
        return cls(_VALUES.unpack_from(data, 1))

    def band_keys(self) -> list[int]:
        """One signed 64-bit key per band: items sharing any key are candidates (LSH).

        The band number is hashed in, so keys of all bands can live in one indexed column.
        """
        keys = []
        for band in range(BANDS):
            chunk = self.values[band * _ROWS : (band + 1) * _ROWS]
            data = bytes([band]) + struct.pack(f"<{len(chunk)}I", *chunk)
            digest = hashlib.blake2b(data, digest_size=8, person=b"newsbot-band").digest()
            keys.append(int.from_bytes(digest, "little", signed=True))
        return keys


def signature(
    title: str, text: str, *, shingling: Shingling = DEFAULT_SHINGLING
) -> StorySignature | None:
    """The item's MinHash signature, or None when title and text hold too few words to judge."""
    title_tokens = tokens(title, shingling)
    text_tokens = list(islice(_tokens(text, shingling), shingling.text_words))
    if len(title_tokens) + len(text_tokens) < shingling.min_tokens:
        return None
    shingles = set(_shingles(text_tokens, shingling.k))
    for shingle in _shingles(title_tokens, shingling.k):
        shingles.add(shingle)
        for copy in range(1, shingling.title_weight):
            shingles.add(_TITLE_MARK * copy + shingle)
    if not shingles:
        return None
    return StorySignature(_minhash(shingles))


def similarity(a: StorySignature, b: StorySignature) -> float:
    """Estimated Jaccard similarity of the two items' shingle sets (0.0 to 1.0)."""
    if len(a.values) != len(b.values):
        raise ValueError("signatures of different sizes")
    matches: int = sum(map(operator.eq, a.values, b.values))  # C-speed zip and compare
    return matches / len(a.values)


def same_story(a: StorySignature, b: StorySignature) -> bool:
    """Whether two items are one story, by the measured threshold."""
    return similarity(a, b) >= SAME_STORY_THRESHOLD


def tokens(text: str, shingling: Shingling = DEFAULT_SHINGLING) -> list[str]:
    """Content stems of a text in order: case-folded, stemmed, stop words and short words out.

    Digits are noise by default (dates, times); `numbers=True` keeps numbers of 2+ digits.
    """
    return list(_tokens(text, shingling))


def _tokens(text: str, shingling: Shingling) -> Iterator[str]:
    # A generator, so a long text is read only as far as the words a signature uses.
    stop = _stop_words(shingling.stem)
    for match in _PIECE_RE.finditer(text):
        piece = match.group().casefold().replace("ё", "е")
        if piece.isdigit():
            if shingling.numbers and len(piece) >= 2:
                yield piece
            continue
        for word in _WORD_RE.findall(piece):
            if len(word) < 3:
                continue
            token = _stem(word) if shingling.stem else word
            if len(token) >= 2 and token not in stop:
                yield token


def _shingles(stems: list[str], k: int) -> list[str]:
    if not stems:
        return []
    if len(stems) <= k:
        return [" ".join(stems)]
    return [" ".join(stems[i : i + k]) for i in range(len(stems) - k + 1)]


def _minhash(shingles: set[str]) -> tuple[int, ...]:
    """SIGNATURE_SIZE independent hash functions at once: one SHAKE-128 stream per shingle."""
    size = _VALUES.size
    rows = [_VALUES.unpack(hashlib.shake_128(s.encode("utf-8")).digest(size)) for s in shingles]
    return tuple(map(min, zip(*rows, strict=True)))


_local = threading.local()


def _stemmers() -> tuple[Any, Any]:
    """The Russian and English stemmers of this thread: a snowball stemmer keeps state
    between words and breaks when worker threads share it."""
    stemmers: tuple[Any, Any] | None = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = (
            snowballstemmer.stemmer("russian"),
            snowballstemmer.stemmer("english"),
        )
    return stemmers


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    russian, english = _stemmers()
    if _CYRILLIC_RE.search(word):
        return str(russian.stemWord(word))
    if _LATIN_RE.search(word):
        return str(english.stemWord(word))
    return word


@cache
def _stop_words(stemmed: bool) -> frozenset[str]:
    """Stop words (the reader's lists and the extras above), as stems or as they are."""
    words = set(resources.word_list("stopwords_ru.txt")) | set(
        resources.word_list("stopwords_en.txt")
    )
    words.update(_EXTRA_STOP.split())
    result = set()
    for word in words:
        for part in _WORD_RE.findall(word.replace("ё", "е")):
            result.add(_stem(part) if stemmed else part)
    return frozenset(result)
