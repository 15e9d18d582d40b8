"""Top lemmas of an article, for display and search; the headline counts double."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from operator import itemgetter

from bot.articles import resources
from bot.articles.language import FULLY_READ
from bot.articles.lemmas import WORD_RE, is_cyrillic, norm, parses, stem_en
from bot.articles.text import Sentence


def extract_keywords(
    title: str,
    sentences: Sequence[Sentence],
    lang: str,
    skip: frozenset[int] = frozenset(),
    top: int = 10,
) -> tuple[str, ...]:
    """Most frequent content lemmas (nouns full weight, adjectives half), document titles out.

    Only for the languages with morphology and stop words (ru, en): Ukrainian words through the
    Russian analyser or Portuguese ones through the English stop list give wrong keywords.
    """
    if lang not in FULLY_READ:
        return ()
    counts: dict[str, float] = {}
    # key -> shown form -> count; the most frequent form (first on ties) is displayed
    display: dict[str, dict[str, int]] = {}
    first: dict[str, int] = {}
    texts = [(tuple(WORD_RE.findall(title)), 2.0)] + [
        (s.words, 1.0) for s in sentences if not s.promo and s.index not in skip
    ]
    position = 0
    for words, weight in texts:
        for w in words:
            position += 1
            entry = _key_of(w, lang)
            if entry is None:
                continue
            key, shown, factor = entry
            shown_counts = display.get(key)
            if shown_counts is None:
                display[key] = {shown: 1}
                first[key] = position
                counts[key] = 0.0 + weight * factor
            else:
                shown_counts[shown] = shown_counts.get(shown, 0) + 1
                counts[key] += weight * factor
    ranked = sorted(counts, key=lambda k: (-counts[k], first[k]))
    return tuple(max(display[k].items(), key=itemgetter(1))[0] for k in ranked[:top])


@lru_cache(maxsize=100_000)
def _key_of(word: str, lang: str) -> tuple[str, str, float] | None:
    """(counting key, shown form, weight) of a word, or None for stop/function words."""
    stop = resources.word_list("stopwords_ru.txt" if lang == "ru" else "stopwords_en.txt")
    low = norm(word)
    if len(low) < 3 or low in stop:
        return None
    if is_cyrillic(low):
        ps = parses(low)
        if not ps or ps[0].pos not in ("NOUN", "ADJF"):
            return None
        key = ps[0].normal_form
        if key in stop or len(key) < 3:
            return None
        return key, key, 1.0 if ps[0].pos == "NOUN" else 0.5
    if lang == "en" and low.isalpha():
        return stem_en(low), low, 1.0
    return None
