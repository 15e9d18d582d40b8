"""Extractive summary: lead-biased TextRank over lemmas, 2-3 sentences, at most 600 chars.

News puts the event in the first sentences, so position weighs as much as centrality; list
items, headers, quoted speech and promo lines are never candidates, so the summary reads as
the reporter's own statements. Sentences are read without page debris (text.strip_debris),
and a summary never opens with a back-reference ("По их итогам …") whose antecedent it left
out. Languages the reader has no morphology for get the lead: their first sentences.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import replace

from bot.articles import resources
from bot.articles.lemmas import WORD_RE, is_cyrillic, lemma, norm, parses
from bot.articles.text import Sentence, strip_debris

MAX_CHARS = 600
_CONTENT_POS = frozenset(["NOUN", "ADJF", "VERB", "INFN", "PRTF", "NUMR", ""])
_DATELINE_RE = re.compile(r"\d{1,2}:\d{2}")
# Back-references ("Earlier, the presidents discussed ...") are about another event.
_INLINE_LIST_RE = re.compile(r"(?:^|\s)\d{1,2}\.(?:\s+[«\"A-ZА-ЯЁ]|$)")
_URL_RE = re.compile(r"\b[\w-]+\.[a-z]{2,6}/\S|https?://", re.IGNORECASE)
_BACKREF_RE = re.compile(r"^(?:Ранее|Прежде|Напомним|Earlier|Previously|Recall)\b", re.IGNORECASE)
# Openers that point back: at the sentence before ("По их итогам …", "They …"), or at an
# event named earlier ("По итогам переговоров …", "Following the talks …"), which the title
# may name instead. A summary never opens with one that has nothing to point at.
_ANAPHORA_RE = re.compile(
    r"^(?:По\s+(?:их|его|её|ее|этим|этой|этого|тем)\s+итогам|В\s+ходе\s+(?:них|неё|нее|него)|"
    r"(?:Их|Он|Она|Они|Также|Кроме\s+того|Помимо\s+этого|При\s+этом|В\s+свою\s+очередь|"
    r"Вместе\s+с\s+тем|They|He|She|Also|In\s+addition|Additionally|Moreover|Furthermore)\b|"
    r"(?:По\s+итогам|В\s+ходе)\s+(?P<ru>переговор|встреч|бесед|визит|консультаци|заседани|"
    r"саммит|разговор)\w*\b|"
    r"(?:Following|After|During)\s+(?:the|these|those|their)\s+(?P<en>talks|meeting|call|visit|"
    r"conversation|summit)s?\b)"
)


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


def readable(sentences: Sequence[Sentence]) -> list[Sentence]:
    """The sentences as the summary reads them: page debris out (text changed, words again).

    The text's first sentence is where a page leaves its breadcrumbs and headline. Sentences
    that can never be summary candidates (list items, headers, quotes, promo) are left alone.
    """
    out: list[Sentence] = []
    for s in sentences:
        if s.bullet or s.header or s.quote or s.promo:
            out.append(s)
            continue
        cleaned = strip_debris(s.text, page_top=s.index == 0).text
        if cleaned != s.text:
            s = replace(s, text=cleaned, words=tuple(WORD_RE.findall(cleaned)))
        out.append(s)
    return out


def lead_summary(sentences: Sequence[Sentence], max_sentences: int = 3) -> str:
    """The first eligible sentences, within MAX_CHARS: for languages without morphology."""
    chosen: list[str] = []
    length = 0
    for s in readable(sentences):
        if not _eligible(s):
            continue
        size = len(s.text) + (1 if chosen else 0)
        if length + size > MAX_CHARS:
            break
        chosen.append(s.text)
        length += size
        if len(chosen) >= max_sentences:
            break
    return " ".join(chosen)


def summarize(
    sentences: Sequence[Sentence],
    lang: str,
    max_sentences: int = 3,
    exclude_prefixes: Sequence[str] = (),
    title: str = "",
) -> str:
    """2-3 sentences in text order; empty when the text has no usable sentence.

    `exclude_prefixes` are document titles: a sentence that is one is a list item in disguise.
    The first candidate always opens the summary (the lead bias outweighs any centrality), so
    a back-reference there, whose antecedent is no candidate, is left out.
    """
    candidates = [
        s
        for s in readable(sentences)
        if _eligible(s) and not any(p and s.text.startswith(p) for p in exclude_prefixes)
    ]
    while candidates and points_back(candidates[0].text, title):
        del candidates[0]
    candidates = candidates[:60]
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
    texts = [s.text for s in candidates]
    return " ".join(texts[i] for i in _pick(order, texts, max_sentences))


def points_back(text: str, title: str = "") -> bool:
    """Does the sentence open with a back-reference that the title does not answer?"""
    m = _ANAPHORA_RE.match(text)
    if m is None:
        return False
    event = m.group("ru") or m.group("en")
    return not (event and event.casefold() in title.casefold())


def _pick(order: Sequence[int], texts: Sequence[str], max_sentences: int) -> list[int]:
    """The best-ranked sentences that fit MAX_CHARS, in text order."""
    chosen: list[int] = []
    length = 0
    for i in order:
        size = len(texts[i]) + (1 if chosen else 0)
        if length + size > MAX_CHARS:
            continue
        chosen.append(i)
        length += size
        if len(chosen) >= max_sentences:
            break
    return sorted(chosen)
