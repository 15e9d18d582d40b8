"""Documents signed or adopted at the event: header lists, inline numbered lists, sentences.

Three shapes cover official readouts: a header ("По итогам переговоров подписаны следующие
документы:") followed by bullet lines; the same header followed by "1. ... 2. ..." items
run together in one line (scraped pages lose newlines); and documents named inside a
sentence about this event's signing. Sentence mentions are trusted only for summits and
never inside quoted speech, because decrees, company contracts and documents "signed
earlier" are worded the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from razdel import sentenize

from bot.articles.lemmas import WORD_RE, is_cyrillic, lemma, morph, norm, parses
from bot.articles.model import Document
from bot.articles.resources import word_set
from bot.articles.text import BULLET_RE, Line, Sentence

KIND_RU: dict[str, str] = {
    "декларация": "declaration",
    "меморандум": "memorandum",
    "соглашение": "agreement",
    "договор": "treaty",
    "конвенция": "treaty",
    "протокол": "protocol",
    "план": "plan",
    "программа": "programme",
    "концепция": "concept",
    "заявление": "statement",
    "коммюнике": "statement",
    "контракт": "contract",
    "хартия": "other",
    "меморандум о взаимопонимании": "memorandum",
}
KIND_EN: dict[str, str] = {
    "declaration": "declaration",
    "memorandum": "memorandum",
    "mou": "memorandum",
    "agreement": "agreement",
    "accord": "agreement",
    "treaty": "treaty",
    "convention": "treaty",
    "protocol": "protocol",
    "roadmap": "roadmap",
    "plan": "plan",
    "program": "programme",
    "programme": "programme",
    "concept": "concept",
    "statement": "statement",
    "communique": "statement",
    "communiqué": "statement",
    "contract": "contract",
    "charter": "other",
    "framework": "other",
}
_EN_PREPOSITIONS = word_set("of for on between to in with by from about among at")

_SIGN_RU = (
    r"подпис(?:ал[аи]?|ан[аоы]?|анн\w*|ани[ея]|ыва\w*)|заключ(?:ил[аи]?|[её]н\w*)|"
    r"утвер(?:дил[аи]?|жд[её]н\w*)|принял[аи]?|принят[аоы]?|принятые|парафир\w*"
)
_SIGN_EN = r"signed|signing|sign|signs|concluded|conclude|adopted|initialed|initialled"
_HEADER_RE = re.compile(
    rf"\b(?:{_SIGN_RU}|{_SIGN_EN})\b.*?(?:документ\w*|соглашени\w*|следующ\w*|documents?|agreements?|following|:\s*$)"
    rf"|(?:документ\w*|следующ\w*|documents|following|agreements)\b.*?\b(?:{_SIGN_RU}|{_SIGN_EN})\b",
    re.IGNORECASE,
)
_EXPLICIT_RE = re.compile(r"документ\w*|documents|instruments", re.IGNORECASE)
_SIGN_SENTENCE_RE = re.compile(rf"\b(?:{_SIGN_RU}|{_SIGN_EN})\b", re.IGNORECASE)
_EARLIER_RE = re.compile(
    r"\b(?:ранее|прежде|в свое время|в своё время|в прошлом|когда-то|previously|earlier|"
    r"last year|in the past|recently|had signed)\b",
    re.IGNORECASE,
)
_NUMBER_MARK_RE = re.compile(r"(?:(?<=\s)|^)(\d{1,2})[.)]\s+(?=[«\"A-ZА-ЯЁ])")
_TRAILING_DATE_RE = re.compile(
    r"\s+\d{1,2}\s+(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|"
    r"октября|ноября|декабря)\s+\d{4}(?:\s+года)?\s*$"
)
_RU_STOP_RE = re.compile(
    r"\s*(?:;|,?\s+а\s+также\s|,\s*(?:котор\w+|что|где|чтобы)\s|\s[–—]\s|\s+в\s+присутствии\s|"
    r"\s+по\s+итогам\s|\s+в\s+ходе\s|\s+в\s+рамках\s+(?:визита|переговоров|встречи)|"
    r"\s+(?:был[аио]?|будет|будут)\s)"
)
_EN_STOP_RE = re.compile(
    r"\s*(?:[;:—–,(]|\s-\s|(?<![A-Z])\.\s|\.$|\s+(?:which|that|who|and\s+the\s+))"
)
_EN_LEAD_WORDS = word_set("the a an new its their our this two three several")
_MAX_TITLE = 700


def kind_of(title: str) -> str:
    """Document kind from its head noun (the first kind word before any preposition)."""
    words = WORD_RE.findall(title[:300])[:8]
    prev = ""
    for w in words:
        low = norm(w)
        if is_cyrillic(low):
            lem = lemma(low)
            if lem == "карта" and prev.startswith("дорожн"):
                return "roadmap"
            if lem in KIND_RU:
                return KIND_RU[lem]
            prev = lem
        else:
            if low in ("road",) and title.lower().find("road map") >= 0:
                return "roadmap"
            base = low[:-1] if low.endswith("s") and low[:-1] in KIND_EN else low
            if base in KIND_EN:
                return KIND_EN[base]
            if low in _EN_PREPOSITIONS:
                break
    return "other"


def clean_title(text: str) -> str:
    """Title as written: no bullet or numbering, no trailing ;/./date, white space collapsed."""
    text = BULLET_RE.sub("", text.strip(), count=1)
    text = " ".join(text.split())
    for _ in range(2):
        text = _TRAILING_DATE_RE.sub("", text).rstrip(" ;.,")
    return text


def _is_header(text: str) -> bool:
    return _HEADER_RE.search(text) is not None and _EARLIER_RE.search(text) is None


def _valid_item(title: str) -> bool:
    words = WORD_RE.findall(title)
    return len(words) >= 2 and len(title) <= _MAX_TITLE and title[:1].isupper()


def _from_header_lists(lines: Sequence[Line]) -> list[str]:
    """Bullet (or one-per-line) items following a signing header that ends with a colon."""
    found: list[str] = []
    i = 0
    while i < len(lines):
        text = lines[i].text
        if text.endswith(":") and _is_header(text[-400:]):
            # "documents:" vouches for any item; a vaguer header only for document-like ones
            explicit = _EXPLICIT_RE.search(text[-400:]) is not None
            j = i + 1
            while j < len(lines) and j - i <= 60:
                item = lines[j]
                title = clean_title(item.text)
                if not item.bullet and (kind_of(title) == "other" or item.text.endswith(":")):
                    break
                if _valid_item(title) and (explicit or kind_of(title) != "other"):
                    found.append(title)
                j += 1
            i = j
        else:
            i += 1
    return found


def _from_inline_numbered(lines: Sequence[Line]) -> list[str]:
    """ "<header> 1. Title. 2. Title." run together in one line, as scraped pages have them."""
    found: list[str] = []
    for line in lines:
        text = line.text
        if "1" not in text:
            continue
        for header in _HEADER_RE.finditer(text):
            window = text[header.end() : header.end() + 400]
            first = _NUMBER_MARK_RE.search(window)
            if not first or first.group(1) != "1":
                continue
            start = header.end() + first.start()
            marks: list[re.Match[str]] = []
            expected = 1
            for m in _NUMBER_MARK_RE.finditer(text, start):
                if int(m.group(1)) == expected:
                    marks.append(m)
                    expected += 1
            if len(marks) < 2 and not text[header.start() : start].rstrip().endswith(":"):
                continue
            for k, m in enumerate(marks):
                end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
                chunk = text[m.end() : end]
                if k + 1 == len(marks):
                    first_sentence = next(iter(sentenize(chunk)), None)
                    chunk = first_sentence.text if first_sentence else chunk
                title = clean_title(chunk)
                if _valid_item(title):
                    found.append(title)
            break
    return found


def _to_nominative(words: list[str]) -> list[str]:
    """Put a Russian head noun (and an adjective before it) into the nominative case."""
    out = list(words)
    for idx, w in enumerate(words[:2]):
        ps = parses(norm(w))
        if not ps or "nomn" in ps[0].grammemes or ps[0].pos not in ("NOUN", "ADJF"):
            continue
        for p in morph().parse(w):
            if p.tag.POS in ("NOUN", "ADJF") and "sing" in p.tag:
                form = p.inflect({"nomn"})
                if form is not None:
                    new = form.word
                    out[idx] = new[:1].upper() + new[1:] if w[:1].isupper() else new
                break
        if ps[0].pos == "NOUN":
            break
    return out


def _inline_ru(sentence: str) -> list[str]:
    found: list[str] = []
    sign = _SIGN_SENTENCE_RE.search(sentence)
    if not sign:
        return found
    tokens = list(WORD_RE.finditer(sentence))
    for idx, tok in enumerate(tokens):
        word = tok.group()
        lem = lemma(word)
        is_kind = lem in KIND_RU or (
            lem == "карта" and idx > 0 and lemma(tokens[idx - 1].group()).startswith("дорожн")
        )
        if not is_kind:
            continue
        ps = parses(norm(word))
        if ps and "plur" in ps[0].grammemes and "sing" not in ps[0].grammemes:
            continue
        near_verb = 0 <= tok.start() - sign.end() <= 40
        if not (word[:1].isupper() or near_verb):
            continue
        start = tok.start()
        if idx > 0:
            prev = tokens[idx - 1]
            prev_ps = parses(norm(prev.group()))
            adjective = bool(prev_ps) and prev_ps[0].pos == "ADJF"
            adjacent = sentence[prev.end() : start].strip() == ""
            if adjective and adjacent and (prev.group()[:1].isupper() or lem == "карта"):
                start = prev.start()
        rest = sentence[start:]
        stop = _RU_STOP_RE.search(rest)
        # another document named after "и"/"," starts a new title
        nxt = re.search(
            r"(?:,\s*|\s+и\s+)(?=(?:[А-ЯЁ]\w+\s+)?(?:Соглашени|Договор|Меморандум|Декларац|"
            r"Протокол|Программ|План|Концепци|Заявлени|Дорожн|Контракт))",
            rest[1:],
        )
        end = len(rest)
        if stop:
            end = min(end, stop.start())
        if nxt:
            end = min(end, nxt.start() + 1)
        title = clean_title(rest[:end])
        words = title.split(" ")
        words = _to_nominative(words)
        title = " ".join(words)
        if _valid_item(title) and len(WORD_RE.findall(title)) >= 3:
            found.append(title)
    return found


def _inline_en(sentence: str) -> list[str]:
    found: list[str] = []
    for sign in _SIGN_SENTENCE_RE.finditer(sentence):
        rest = sentence[sign.end() :].lstrip()
        if rest.lower().startswith("of "):
            rest = rest[3:]
        words = rest.split(" ")
        while words and words[0].lower() in _EN_LEAD_WORDS:
            words = words[1:]
        rest = " ".join(words)
        stop = _EN_STOP_RE.search(rest)
        phrase = rest[: stop.start()] if stop else rest
        phrase = clean_title(phrase)
        tokens = phrase.split(" ")
        head_idx = -1
        for i, w in enumerate(tokens[:7]):
            low = w.lower().strip("’'")
            if low in KIND_EN or low.replace("-", "") in KIND_EN:
                head_idx = i
                break
            if low in _EN_PREPOSITIONS:
                break
        if head_idx < 0 or len(tokens) < 2:
            continue
        if len(found) < 5 and len(phrase) <= _MAX_TITLE:
            found.append(phrase)
    return found


_KEY_TOKEN_RE = re.compile(rf"{WORD_RE.pattern}|\d+")


def _dedupe(titles: list[str]) -> list[str]:
    """Keep each document once; a title that is a prefix of a longer one is the same one.

    Numbers are part of the key: "Программа … на 2023–2025 годы" and "… на 2026–2028 годы"
    are two documents.
    """
    keys = [" ".join(w.lower() for w in _KEY_TOKEN_RE.findall(t)) for t in titles]
    out: list[str] = []
    for i, (title, key) in enumerate(zip(titles, keys, strict=True)):
        if not key:
            continue
        duplicate = False
        for j, other in enumerate(keys):
            if j == i:
                continue
            if other == key:
                duplicate = duplicate or j < i
            elif other.startswith(key + " ") or (
                _same_head(key, other) and other.startswith(_tail(key))
            ):
                duplicate = True
        if not duplicate:
            out.append(title)
    return out


def _tail(key: str) -> str:
    return key.split(" ", 1)[1] if " " in key else key


def _same_head(a: str, b: str) -> bool:
    """Inline accusative forms ("Декларацию о ...") vs the list's nominative one."""
    ha, hb = a.split(" ", 1)[0], b.split(" ", 1)[0]
    return ha != hb and lemma(ha) == lemma(hb) and _tail(a) != a and _tail(b).startswith(_tail(a))


def listed_documents(lines: Sequence[Line]) -> list[str]:
    """Titles from signing-header lists (bullets or inline numbering), in text order."""
    return _from_header_lists(lines) + _from_inline_numbered(lines)


def extract_documents(
    lines: Sequence[Line],
    sentences: Sequence[Sentence],
    lang: str,
    *,
    is_summit: bool,
    listed: Sequence[str] | None = None,
) -> tuple[Document, ...]:
    """All documents of the event, list items first, each once, with its kind.

    Sentence mentions count only when `is_summit`; `listed` reuses `listed_documents`.
    """
    if listed is None:
        listed = listed_documents(lines)
    titles = list(listed)
    if is_summit:
        for s in sentences:
            if s.quote or (s.bullet and listed) or s.header or _EARLIER_RE.search(s.text):
                continue
            if not _SIGN_SENTENCE_RE.search(s.text):
                continue
            titles.extend(_inline_ru(s.text) if lang == "ru" else _inline_en(s.text))
    titles = _dedupe(titles)[:50]
    return tuple(Document(title=t, kind=kind_of(t)) for t in titles)
