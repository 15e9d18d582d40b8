"""Feeds are read in several worker threads at once: stemming must give every thread the
right answer. A snowball stemmer shared across threads raises IndexError/AssertionError or
returns wrong stems under this load (measured: dozens of failures in 40,000 words)."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor

import snowballstemmer

from bot import stories
from bot.articles.lemmas import stem_en

THREADS = 4


def _words(alphabet: str, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(5, 14))) for _ in range(count)]


def _in_threads(work: list[str], stem: object) -> list[str]:
    chunks = [work[i::THREADS] for i in range(THREADS)]
    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(lambda chunk: [stem(w) for w in chunk], chunks))  # type: ignore[operator]
    return [word for chunk in results for word in chunk]


def test_story_tokens_are_stemmed_right_in_parallel_threads() -> None:
    # Fresh random words: the per-word cache has never seen them, so every one is stemmed.
    words = _words("абвгдежзиклмнопрстуфхцчшщыэюя", 20_000, seed=7)
    reference = snowballstemmer.stemmer("russian")
    expected = [reference.stemWord(w) for chunk in range(THREADS) for w in words[chunk::THREADS]]
    got = _in_threads(words, lambda w: (stories.tokens(w) or [""])[0])
    mismatched = [(e, g) for e, g in zip(expected, got, strict=True) if g and e != g]
    assert mismatched == []


def test_english_stems_are_right_in_parallel_threads() -> None:
    words = _words("abcdefghiklmnoprstuy", 20_000, seed=11)
    reference = snowballstemmer.stemmer("english")
    expected = [reference.stemWord(w) for chunk in range(THREADS) for w in words[chunk::THREADS]]
    assert _in_threads(words, stem_en) == expected
