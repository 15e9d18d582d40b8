"""People, countries, the event's city and figures (amounts with what they measure).

Names come from pymorphy3 tags (Name/Surn) and are put in the nominative; the small
gazetteers in data/ (current leaders, countries with adjectives, cities) are hints that
make the frequent cases reliable, not the only source.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from bot.articles import resources
from bot.articles.cues import EVENT_RE, LEADER_TITLE_RE
from bot.articles.lemmas import WORD_RE, is_cyrillic, lemma, morph, norm, parses
from bot.articles.resources import word_set
from bot.articles.text import Sentence

_RU_CASE_SUFFIXES = frozenset(["", "а", "у", "ом", "ым", "е", "ой", "ою", "ем", "ым"])
_EN_PERSON_RE = re.compile(
    r"\b(?:President|Prime Minister|Premier|Chancellor|King|Crown Prince|Emir|Sultan|Sheikh)"
    r"\s+((?:[A-Z][a-zA-Z’'-]+|[A-Z]\.)(?:\s+(?:[A-Z][a-zA-Z’'-]+|[A-Z]\.|bin|bint|al|de|da|von|van|el))*)"
)
_POSSESSIVE_RE = re.compile(r"[’']s?$")


@dataclass(frozen=True)
class _Person:
    name: str  # nominative full name
    surname: str  # normalised surname used to count mentions
    country: str | None
    titled: bool


def _surname_hit(token: str, surname: str) -> bool:
    t = norm(token)
    if not t.startswith(surname):
        return False
    return t[len(surname) :] in _RU_CASE_SUFFIXES if is_cyrillic(t) else t == surname


@cache
def _leader_index() -> dict[str, tuple[str, str, str]]:
    """surname -> (ru name, en name, ru country)."""
    index: dict[str, tuple[str, str, str]] = {}
    for leader in resources.leaders():
        for key in (leader.ru_key, leader.en_key):
            index[norm(key)] = (leader.ru, leader.en, leader.country)
    return index


@cache
def _leaders_by_prefix() -> dict[str, list[tuple[str, tuple[str, str, str]]]]:
    """Cyrillic leader surnames grouped by their first three letters (fast token lookup)."""
    table: dict[str, list[tuple[str, tuple[str, str, str]]]] = {}
    for surname, entry in _leader_index().items():
        if is_cyrillic(surname):
            table.setdefault(surname[:3], []).append((surname, entry))
    return table


_DEPENDENT_RE = re.compile(
    r"(?:помощник\w*|советник\w*|пресс-секретар\w*|заместител\w*|администраци\w*|"
    r"аппарат\w*|супруг\w*|сын\w*|доч\w*|спецпредставител\w*|посл\w*|"
    r"adviser|advisor|spokesperson|secretary|deputy|envoy|wife|son|daughter)\s+$",
    re.IGNORECASE,
)


def _titled_before(text: str, pos: int) -> bool:
    """A leader title (президент, King ...) heads the words just before a name."""
    window = text[max(0, pos - 60) : pos]
    for m in LEADER_TITLE_RE.finditer(window):
        between = window[m.end() :]
        if len(WORD_RE.findall(between)) > 4:
            continue
        if _DEPENDENT_RE.search(window[: m.start()]):
            continue
        return True
    return False


_Span = tuple[str, int, int]  # a WORD_RE word with its start and end in the sentence


def _word_spans(s: Sentence) -> list[_Span]:
    """The sentence's WORD_RE words with their offsets.

    split_sentences already found the words (s.words); locating them in order with str.find
    gives the same offsets as WORD_RE.finditer at a fraction of the cost (the text between
    two words holds no letters, so the next word is always the first occurrence).
    """
    text = s.text
    spans: list[_Span] = []
    if s.words:
        pos = 0
        for w in s.words:
            start = text.find(w, pos)
            if start < 0:  # words not taken from this text: fall back to the regex
                break
            pos = start + len(w)
            spans.append((w, start, pos))
        else:
            return spans
    return [(m.group(), m.start(), m.end()) for m in WORD_RE.finditer(text)]


def _starts_name(text: str, tokens: list[_Span], i: int) -> bool:
    """The pair begins a name: the word before is not itself a capitalised name part."""
    if i == 0:
        return True
    prev_word, _, prev_end = tokens[i - 1]
    if text[prev_end : tokens[i][1]] != " " or not prev_word[:1].isupper():
        return True
    ps = parses(norm(prev_word))
    return not any(
        p.pos == "NOUN"
        and ("Name" in p.grammemes or "Surn" in p.grammemes or "UNKN" in p.grammemes)
        for p in ps
    ) and bool(ps)


def _title_case(word: str) -> str:
    return "-".join(p[:1].upper() + p[1:] for p in word.split("-"))


@lru_cache(maxsize=20_000)
def _ru_nominative_pair(first: str, last: str) -> tuple[str, str] | None:
    """Name + surname in a shared case -> both in the nominative; None if not a person."""
    first_parses = [p for p in morph().parse(first) if "Name" in p.tag]
    if not first_parses:
        return None
    last_parses = [p for p in morph().parse(last) if p.tag.POS == "NOUN" or "UNKN" in p.tag]
    for fp in first_parses:
        for lp in last_parses:
            name_like = "Surn" in lp.tag or "Name" in lp.tag or "UNKN" in lp.tag
            same_case = fp.tag.case == lp.tag.case or lp.tag.case is None or "Fixd" in lp.tag
            if name_like and same_case:
                surname = lp.normal_form
                if "Surn" in lp.tag and fp.tag.gender == "femn":
                    inflected = lp.inflect({"nomn", "femn"})
                    surname = inflected.word if inflected else surname
                return _title_case(fp.normal_form), _title_case(surname)
    return None


def _find_people(sentences: Sequence[Sentence], lang: str) -> list[_Person]:
    leaders = _leader_index()
    by_prefix = _leaders_by_prefix()
    people: list[_Person] = []
    seen: set[str] = set()
    for s in sentences:
        if lang == "ru":
            text = s.text
            tokens = _word_spans(s)
            last = len(tokens) - 1
            in_event_lead: bool | None = None if s.index < 2 else False
            for i, (word, start, end) in enumerate(tokens):
                if not word[:1].isupper() or word.isupper():
                    continue
                candidates = by_prefix.get(norm(word)[:3])
                if candidates:
                    for surname, (ru, _en, country) in candidates:
                        if _surname_hit(word, surname) and surname not in seen:
                            seen.add(surname)
                            people.append(_Person(ru, surname, country, True))
                if i >= last:
                    continue
                nxt_word, nxt_start, _ = tokens[i + 1]
                if text[end:nxt_start] != " " or not nxt_word[:1].isupper():
                    continue
                if not _starts_name(text, tokens, i):
                    continue
                if in_event_lead is None:
                    in_event_lead = EVENT_RE.search(text) is not None
                if not (in_event_lead or _titled_before(text, start)):
                    continue
                pair = _ru_nominative_pair(word, nxt_word)
                if pair is None:
                    continue
                surname = norm(pair[1])
                if surname in seen or surname in leaders:
                    continue
                seen.add(surname)
                people.append(_Person(f"{pair[0]} {pair[1]}", surname, None, True))
        else:
            for m in _EN_PERSON_RE.finditer(s.text):
                words = []
                for w in m.group(1).split():
                    words.append(_POSSESSIVE_RE.sub("", w))
                    if _POSSESSIVE_RE.search(w):
                        break  # "President Trump’s America First ..." ends at the possessive
                words = [w for w in words if not re.fullmatch(r"[A-Z]\.", w)]
                for k, w in enumerate(words):
                    if norm(w) in leaders:  # Title Case headlines run on past the name
                        words = words[: k + 1]
                        break
                words = words[:4]
                if not words:
                    continue
                surname = norm(words[-1])
                known = leaders.get(surname)
                if surname in seen:
                    continue
                if known:
                    seen.add(surname)
                    people.append(_Person(known[1], surname, known[2], True))
                elif len(words) >= 2:
                    seen.add(surname)
                    people.append(_Person(" ".join(words), surname, None, True))
            for word in s.words:
                surname = norm(_POSSESSIVE_RE.sub("", word))
                known = leaders.get(surname)
                if known and word[:1].isupper() and surname not in seen and not is_cyrillic(word):
                    seen.add(surname)
                    people.append(_Person(known[1], surname, known[2], True))
    return people


def find_participants(
    title: str, sentences: Sequence[Sentence], lang: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Leaders who met: named with a leader title or known, and mentioned twice or in the lead.

    Returns (names, their countries as known from the gazetteer).
    """
    people = _find_people(sentences, lang)
    if not people:
        return (), ()
    lead = title + " " + " ".join(s.text for s in sentences[:3])
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    by_prefix: dict[str, list[str]] = {}
    for p in people:
        by_prefix.setdefault(p.surname[:2], []).append(p.surname)
    for s in sentences:
        for word in s.words:
            if not word[:1].isupper():
                continue
            for surname in by_prefix.get(norm(word)[:2], ()):
                if _surname_hit(_POSSESSIVE_RE.sub("", word), surname):
                    counts[surname] += 1
                    first_seen.setdefault(surname, s.index)
    lead_words = [norm(w) for w in WORD_RE.findall(lead)]
    chosen: list[_Person] = []
    for p in people:
        in_lead = any(_surname_hit(w, p.surname) for w in lead_words)
        if counts[p.surname] >= 2 or in_lead:
            chosen.append(p)
    chosen.sort(key=lambda p: first_seen.get(p.surname, 10**9))
    unique: dict[str, _Person] = {}
    for p in chosen:
        unique.setdefault(p.name, p)
    chosen = list(unique.values())[:8]
    return tuple(p.name for p in chosen), tuple(p.country for p in chosen if p.country)


# --- countries -------------------------------------------------------------------------


@cache
def _ru_country_sequences() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """First lemma -> [(lemma sequence, ru country name)], longest first."""
    table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for c in resources.countries():
        names = [c.ru, *c.ru_aliases, *c.ru_adj]
        for name in names:
            seq = tuple(lemma(w) for w in WORD_RE.findall(name))
            if seq:
                table.setdefault(seq[0], []).append((seq, c.ru))
            if name.islower() and name.endswith("ий"):
                table.setdefault(norm(name[:-2] + "о"), []).append(((norm(name[:-2] + "о"),), c.ru))
    for entries in table.values():
        entries.sort(key=lambda e: -len(e[0]))
    return table


@cache
def _en_country_regex() -> tuple[re.Pattern[str], dict[str, str]]:
    names: dict[str, str] = {}
    for c in resources.countries():
        for name in (c.en, *c.en_aliases, *c.en_adj):
            names[name] = c.en
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{alternation})(?![\w])"), names


_HYPHEN_SPLIT_RE = re.compile(r"[-‐‑]")


def _ru_sentence_hits(
    words: Sequence[str], table: dict[str, list[tuple[tuple[str, ...], str]]]
) -> list[tuple[str, int]]:
    """(country, weight) hits of one Russian sentence, in text order."""
    hits: list[tuple[str, int]] = []
    for w in words:
        if "-" in w:
            parts = _HYPHEN_SPLIT_RE.split(w)
            if len(parts) > 1:
                for part in parts:
                    for seq, country in table.get(norm(part), ()):
                        if len(seq) == 1:
                            hits.append((country, 3))
                            break
    lemmas = [lemma(w) for w in words]
    n = len(lemmas)
    i = 0
    while i < n:
        matched = 0
        entries = table.get(lemmas[i])
        if entries:
            for seq, country in entries:
                if tuple(lemmas[i : i + len(seq)]) == seq:
                    hits.append((country, 1))
                    matched = len(seq)
                    break
        i += matched or 1
    return hits


def _en_sentence_hits(
    text: str, pattern: re.Pattern[str], names: dict[str, str]
) -> list[tuple[str, int]]:
    hits: list[tuple[str, int]] = []
    for m in pattern.finditer(text):
        after = text[m.end() : m.end() + 1]
        before = text[max(0, m.start() - 1) : m.start()]
        hits.append((names[m.group()], 3 if "-" in (after + before) else 1))
    return hits


def country_mentions_per_sentence(
    sentences: Sequence[Sentence], lang: str
) -> tuple[Counter[str], list[str], list[int]]:
    """country_mentions plus, per sentence, how many distinct countries it names."""
    counts: Counter[str] = Counter()
    order: list[str] = []
    distinct: list[int] = []
    lead_indices = {s.index for s in sentences[:3]}
    if lang == "ru":
        table = _ru_country_sequences()
    else:
        pattern, names = _en_country_regex()
    for s in sentences:
        if lang == "ru":
            hits = _ru_sentence_hits(s.words, table)
        else:
            hits = _en_sentence_hits(s.text, pattern, names)
        double = s.index in lead_indices  # the headline and lead name the parties of the event
        for country, weight in hits:
            if double:
                weight *= 2
            if country not in counts:
                order.append(country)
            counts[country] += weight
        distinct.append(len({c for c, _ in hits}))
    return counts, order, distinct


def country_mentions(sentences: Sequence[Sentence], lang: str) -> tuple[Counter[str], list[str]]:
    """Country -> weighted mentions (hyphenated "российско-таджикские" counts extra), order."""
    counts, order, _ = country_mentions_per_sentence(sentences, lang)
    return counts, order


def pick_countries(
    counts: Counter[str], order: list[str], hinted: Sequence[str], lang: str
) -> tuple[str, ...]:
    """Countries of the event: the leaders' own plus those clearly dominant in the text."""
    scores = Counter(counts)
    ru_to_en = {c.ru: c.en for c in resources.countries()}
    for country in hinted:
        name = country if lang == "ru" else ru_to_en.get(country, country)
        scores[name] += 3
        if name not in order:
            order.append(name)
    if not scores:
        return ()
    top = max(scores.values())
    own = {c if lang == "ru" else ru_to_en.get(c, c) for c in hinted}
    chosen = [c for c in order if c in own or scores[c] >= max(2, 0.3 * top)]
    return tuple(chosen[:6])


# --- place -------------------------------------------------------------------------------

_PLACE_PREPOSITIONS = word_set("в во in at")
_PLACE_VISIT = word_set(
    "посетить посетил посетила посетили посетит прибыл прибыла прибыли прибудет приезд визит "
    "visit visited visiting arrived"
)
_PLACE_MIN_SCORE = 4


_DATELINE_RE = re.compile(r"\d{1,2}:\d{2}\s+")


@cache
def _city_index() -> dict[str, tuple[str, str]]:
    index: dict[str, tuple[str, str]] = {}
    for city in resources.cities():
        index[norm(city.ru)] = (city.ru, city.en)
        index[norm(city.en)] = (city.ru, city.en)
    return index


@cache
def _multi_word_cities() -> dict[str, tuple[str, str]]:
    return {k: v for k, v in _city_index().items() if " " in k}


@lru_cache(maxsize=100_000)
def _city_of(token: str) -> tuple[str, str] | None:
    index = _city_index()
    low = norm(token)
    if low in index:
        return index[low]
    if is_cyrillic(low):
        for p in parses(low):
            if p.normal_form in index and ("Geox" in p.grammemes or p.score > 0.3):
                return index[p.normal_form]
    return None


def find_place(sentences: Sequence[Sentence], lang: str, skip: frozenset[int]) -> str | None:
    """City of the event: gazetteer cities, weighted when introduced by в/посетить/in/visit,
    in a dateline ("Москва, Кремль") or in the lead; quoted speech counts little."""
    multi = _multi_word_cities()
    scores: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], int] = {}
    for s in sentences:
        if s.index in skip:
            continue
        low_text = s.text.lower()
        for key, named in multi.items():
            if key in low_text:
                scores[named] += 1
                first.setdefault(named, s.index)
        tokens = _word_spans(s)
        for i, (tok, tok_start, tok_end) in enumerate(tokens):
            if not tok[:1].isupper():
                continue
            city = _city_of(tok)
            if city is None:
                continue
            first.setdefault(city, s.index)
            weight = 1
            if not s.quote:  # speech mentions places of other events
                before = [t[0].lower() for t in tokens[max(0, i - 2) : i]]
                if before and before[-1] in _PLACE_PREPOSITIONS:
                    weight += 2
                if any(b in _PLACE_VISIT for b in before):
                    weight += 3
                if s.index < 2:
                    weight += 2
                dateline = _DATELINE_RE.match(s.text, max(0, tok_start - 6)) or tok_start == 0
                if dateline and s.text[tok_end : tok_end + 1] == ",":
                    weight += 3
            scores[city] += weight
    if not scores:
        return None
    best = max(scores, key=lambda c: (scores[c], -first[c]))
    if scores[best] < _PLACE_MIN_SCORE:
        return None
    return best[0] if lang == "ru" else best[1]


# --- figures -------------------------------------------------------------------------------

_NUM = r"\d+(?:[ \u00a0]\d{3})*(?:[.,]\d+)?"
_SCALE = (
    r"(?:трлн|млрд|млн|тыс\.?|триллион\w*|миллиард\w*|миллион\w*|тысяч\w*|"
    r"trillion|billion|million|thousand|bn|mln)"
)
_CURRENCY = (
    r"(?:долл(?:ар\w*|\.)?|евро|руб(?:л\w*|\.)?|тенге|сомони|сум\w*|юан\w*|манат\w*|лари|"
    r"драм\w*|фунт\w*|иен\w*|dollars?|euros?|rubles?|roubles?|pounds?|yuan|tenge)"
)
_MONEY_RE = re.compile(
    rf"(?:(?<![\w.,])(?P<num>{_NUM})(?:\s*(?P<scale>{_SCALE}))?\s*(?P<cur>{_CURRENCY})(?![а-яёa-z])"
    rf"|(?P<sym>[$€£₽])\s?(?P<num2>{_NUM})(?:[\s-]*(?P<scale2>{_SCALE}))?)",
    re.IGNORECASE,
)
_PERCENT_RE = re.compile(rf"(?<![\w.,])(?P<num>{_NUM})\s*(?:%|процент\w*|percent|per cent)", re.I)
_COUNT_RE = re.compile(rf"(?<![\w.,:-])(?P<num>{_NUM})\s+(?P<noun>[а-яё]{{3,}}|[a-z]{{3,}}s)\b")
_NOT_COUNTED = word_set(
    "год гг г месяц день неделя час минута секунда век раз число место январь февраль март "
    "апрель май июнь июль август сентябрь октябрь ноябрь декабрь процент тысяча миллион "
    "миллиард млн млрд трлн тыс доллар рубль евро тенге сомони метр километр часть статья "
    "пункт подпункт абзац глава раздел страница том номер приложение "
    "years months weeks days hours minutes seconds decades times percent"
)
_MEASURES = word_set(
    "товарооборот торговля оборот объем рост инвестиция капиталовложение экспорт импорт "
    "бюджет кредит заем доля стоимость сумма выручка прибыль дефицит профицит инфляция ввп "
    "производство помощь финансирование контракт сделка пакет фонд вклад поставка "
    "trade turnover investment export import growth budget loan deposit deal sale package "
    "fund commitment surplus deficit aid production price"
)
_TARGET = word_set(
    "довести цель планировать намереваться намерен стремиться нацелить "
    "увеличить target goal aim plan"
)


_CLAUSE_RE = re.compile(r"(?<!\d)[,;:()–—](?!\d)|\s[-–—]\s")


def _measure(sentence: str, start: int, end: int) -> tuple[str | None, bool]:
    """What an amount measures: the nearest measure noun in its clause; target wording."""
    left = max((m.end() for m in _CLAUSE_RE.finditer(sentence, 0, start)), default=0)
    right_m = _CLAUSE_RE.search(sentence, end)
    right = right_m.start() if right_m else len(sentence)
    offset = left
    sentence = sentence[left:right]
    start, end = start - offset, end - offset
    tokens = list(WORD_RE.finditer(sentence))
    best: tuple[int, str] | None = None
    target = False
    for tok in tokens:
        lem = lemma(tok.group())
        if lem in _TARGET or norm(tok.group()) in _TARGET:
            target = True
        if lem not in _MEASURES:
            continue
        word = norm(tok.group())
        label = lem if is_cyrillic(word) else word
        if tok.end() <= start:
            dist = len(WORD_RE.findall(sentence[tok.end() : start]))
            if dist <= 10 and (best is None or dist < best[0]):
                best = (dist, label)
        elif tok.start() >= end:
            dist = len(WORD_RE.findall(sentence[end : tok.start()])) + 3
            if dist <= 9 and (best is None or dist < best[0]):
                best = (dist, label)
    return (best[1] if best else None), target


def _fmt(amount: str, measure: str | None, target: bool, lang: str) -> str:
    amount = re.sub(r"\s+", " ", amount.strip())
    amount = re.sub(r"\s+%", "%", amount)
    details = [measure] if measure else []
    if target:
        details.append("цель" if lang == "ru" else "target")
    return amount + (" — " + ", ".join(details) if details else "")


_DIGIT_RE = re.compile(r"\d")


def find_figures(sentences: Sequence[Sentence], skip: frozenset[int], lang: str) -> tuple[str, ...]:
    """Amounts with units ("2 млрд долларов — товарооборот, цель"), outside document titles."""
    found: list[str] = []
    seen: set[str] = set()
    for s in sentences:
        if s.index in skip or not _DIGIT_RE.search(s.text):
            continue
        text = s.text
        spans: list[tuple[int, int, str]] = []
        for m in _MONEY_RE.finditer(text):
            spans.append((m.start(), m.end(), m.group()))
        for m in _PERCENT_RE.finditer(text):
            spans.append((m.start(), m.end(), m.group()))
        for m in _COUNT_RE.finditer(text):
            if any(a <= m.start() < b for a, b, _ in spans):
                continue
            noun = m.group("noun")
            lem = lemma(noun)
            ps = parses(norm(noun)) if is_cyrillic(noun) else ()
            if lem in _NOT_COUNTED or norm(noun) in _NOT_COUNTED:
                continue
            if is_cyrillic(noun) and (
                not ps or ps[0].pos != "NOUN" or not ({"gent", "nomn", "accs"} & ps[0].grammemes)
            ):
                continue
            num = m.group("num").replace(" ", "")
            if num.strip("0") == "":
                continue
            if len(num) == 4 and num.isdigit() and 1900 <= int(num) <= 2100:
                continue
            spans.append((m.start(), m.end(), m.group()))
        for start, end, amount in sorted(spans):
            measure, target = _measure(text, start, end)
            key = re.sub(r"\s+", "", amount.lower())
            if key in seen:
                continue
            seen.add(key)
            found.append(_fmt(amount.rstrip(".,"), measure, target, lang))
            if len(found) >= 15:
                return tuple(found)
    return tuple(found)
