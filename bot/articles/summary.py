"""Extractive summary: lead-biased TextRank over lemmas, 2-3 sentences, at most 600 chars.

News puts the event in the first sentences, so position weighs as much as centrality; list
items, headers, quoted speech and promo lines are never candidates, so the summary reads as
the reporter's own statements.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from bot.articles import resources
from bot.articles.lemmas import WORD_RE, is_cyrillic, lemma, norm, parses
from bot.articles.text import Sentence

MAX_CHARS = 600
_CONTENT_POS = frozenset(["NOUN", "ADJF", "VERB", "INFN", "PRTF", "NUMR", ""])
_DATELINE_RE = re.compile(r"\d{1,2}:\d{2}")
# Back-references ("Earlier, the presidents discussed ...") are about another event.
_INLINE_LIST_RE = re.compile(r"(?:^|\s)\d{1,2}\.(?:\s+[«\"A-ZА-ЯЁ]|$)")
_URL_RE = re.compile(r"\b[\w-]+\.[a-z]{2,6}/\S|https?://", re.IGNORECASE)
_BACKREF_RE = re.compile(r"^(?:Ранее|Прежде|Напомним|Earlier|Previously|Recall)\b", re.IGNORECASE)


def content_lemmas(text: str, lang: str, words: Sequence[str] | None = None) -> frozenset[str]:
    """Lemmas of the content words of a sentence (stop words and function words dropped).

    `words` are the sentence's WORD_RE words when the caller already has them.
    """
    stop = resources.word_list("stopwords_ru.txt" if lang == "ru" else "stopwords_en.txt")
    out: set[str] = set()
    for w in WORD_RE.findall(text) if words is None else words:
        low = norm(w)
        if len(low) < 3 or low in stop:
            continue
        if is_cyrillic(low):
            ps = parses(low)
            if ps and ps[0].pos not in _CONTENT_POS:
                continue
            lem = ps[0].normal_form if ps else low
            if lem in stop:
                continue
            out.add(lem)
        else:
            out.add(lemma(low))
    return frozenset(out)


def _eligible(s: Sentence) -> bool:
    if s.bullet or s.header or s.quote or s.promo:
        return False
    text = s.text
    return not (
        len(_words_of(s)) < 5
        or len(text) > MAX_CHARS
        or not text.endswith((".", "!", "…", "»", '"', "”", ")"))
        or text[:1].islower()
        or _DATELINE_RE.search(text) is not None
        or _BACKREF_RE.match(text) is not None
        or _INLINE_LIST_RE.search(text) is not None
        or _URL_RE.search(text) is not None
    )


def _words_of(s: Sentence) -> Sequence[str]:
    """The sentence's words (split_sentences fills them; hand-built sentences may not)."""
    return s.words if s.words else WORD_RE.findall(s.text)


def _pagerank(sim: list[list[float]], prior: list[float], iterations: int = 30) -> list[float]:
    """Personalised PageRank over the (sparse) similarity graph; the prior is the lead bias."""
    n = len(sim)
    out_sums = [sum(row) for row in sim]
    incoming = [
        [(i, sim[i][j] / out_sums[i]) for i in range(n) if sim[i][j] and out_sums[i]]
        for j in range(n)
    ]
    score = list(prior)
    damping = 0.85
    base = [(1 - damping) * p for p in prior]
    for _ in range(iterations):
        score = [base[j] + damping * sum([w * score[i] for i, w in incoming[j]]) for j in range(n)]
    return score


def summarize(
    sentences: Sequence[Sentence],
    lang: str,
    max_sentences: int = 3,
    exclude_prefixes: Sequence[str] = (),
) -> str:
    """2-3 sentences in text order; empty when the text has no usable sentence.

    `exclude_prefixes` are document titles: a sentence that is one is a list item in disguise.
    """
    candidates = [
        s
        for s in sentences
        if _eligible(s) and not any(p and s.text.startswith(p) for p in exclude_prefixes)
    ][:60]
    if not candidates:
        return ""
    bags = [content_lemmas(s.text, lang, _words_of(s)) for s in candidates]
    n = len(candidates)
    sim = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            common = len(bags[i] & bags[j])
            if common and len(bags[i]) > 1 and len(bags[j]) > 1:
                value = common / (math.log(len(bags[i])) + math.log(len(bags[j])))
                sim[i][j] = sim[j][i] = value
    prior_raw = [1.0 / (1.0 + rank) for rank in range(n)]
    total = sum(prior_raw)
    prior = [p / total for p in prior_raw]
    rank = _pagerank(sim, prior)
    top = max(rank) or 1.0
    scores = [
        0.4 * r / top + 0.6 * prior_raw[i] + (0.6 if i == 0 else 0.0) for i, r in enumerate(rank)
    ]
    order = sorted(range(n), key=lambda i: -scores[i])
    chosen: list[int] = []
    length = 0
    for i in order:
        size = len(candidates[i].text) + (1 if chosen else 0)
        if length + size > MAX_CHARS:
            continue
        chosen.append(i)
        length += size
        if len(chosen) >= max_sentences:
            break
    chosen.sort()
    return " ".join(candidates[i].text for i in chosen)
