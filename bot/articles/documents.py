"""Documents signed or adopted at the event: header lists, inline numbered lists, sentences.

Three shapes cover official readouts: a header ("По итогам переговоров подписаны следующие
документы:") followed by bullet lines; the same header followed by "1. ... 2. ..." items
run together in one line (scraped pages lose newlines); and documents named inside a
sentence about this event's signing. Sentence mentions are trusted only for summits and
never inside quoted speech, because decrees, company contracts and documents "signed
earlier" are worded the same way.

Inside a sentence a title is read with a small grammar, the same in both languages: a head
noun (agreement, memorandum … / соглашение, меморандум …) with the words in front that name
it, then its complements (of/on/between/for/to … ; о/между/по … ; "от <date>", "№ …"),
ending at the end of the sentence or item, at a verb or relative word of the main clause,
or at a conjunction that starts the next document (", as well as a …", "; a …", ", а также
…"). Several documents joined that way are one list: each item is a title. "and" inside
"between A and B" joins the two parties and never ends a title.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from razdel import sentenize

from bot.articles.lemmas import WORD_RE, is_cyrillic, lemma, morph, norm, parses
from bot.articles.model import Document
from bot.articles.resources import cities, line_list, word_list, word_set
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
    "memoranda": "memorandum",  # the Latin plural, beside "memorandums"
    "mou": "memorandum",
    "agreement": "agreement",
    "accord": "agreement",
    "arrangement": "agreement",
    "treaty": "treaty",
    "pact": "treaty",
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
_SIGN_EN = r"signed|signing|sign|signs|concluded|conclude|adopted|initialed|initialled|inked"
_HEADER_RE = re.compile(
    rf"\b(?:{_SIGN_RU}|{_SIGN_EN})\b.*?(?:документ\w*|соглашени\w*|следующ\w*|documents?|agreements?|following|:\s*$)"
    rf"|(?:документ\w*|следующ\w*|documents|following|agreements)\b.*?\b(?:{_SIGN_RU}|{_SIGN_EN})\b",
    re.IGNORECASE,
)
_EXPLICIT_RE = re.compile(r"документ\w*|documents|instruments", re.IGNORECASE)
_SIGN_SENTENCE_RE = re.compile(rf"\b(?:{_SIGN_RU}|{_SIGN_EN})\b", re.IGNORECASE)
_EARLIER_RE = re.compile(
    r"\b(?:ранее|прежде|в свое время|в своё время|в прошлом|когда-то|previously|earlier|"
    r"last year|in the past|recently|had signed|anniversary|years since|years ago|годовщин\w*|"
    r"лет назад|со дня подписания|с момента подписания)\b",
    re.IGNORECASE,
)
_NUMBER_MARK_RE = re.compile(r"(?:(?<=\s)|^)(\d{1,2})[.)]\s+(?=[«\"A-ZА-ЯЁ])")
_TRAILING_DATE_RE = re.compile(
    r"\s+\d{1,2}\s+(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|"
    r"октября|ноября|декабря)\s+\d{4}(?:\s+года)?\s*$"
)
# A date after "от"/"of"/"dated" is part of the title: "Договор … от 25 декабря 1998 года".
_DATE_OWNER_RE = re.compile(r"(?:\bот|\bof|\bdated|№\s*\S+)\s*$", re.IGNORECASE)
_LEAD_JUNK_RE = re.compile(r"^(?:\\?#+\s*|[*_]{2,}\s*)+")
# Where a Russian title ends: a new list item, a relative or participle clause (", в которой
# …", ", подписанный …"), a dash, an adjunct of the signing, or the verb of the clause.
_RU_STOP_RE = re.compile(
    r"\s*(?:;|,?\s+а\s+также\s|,\s*(?:подписанн|заключенн|заключённ)\w*\s|"
    r",\s*(?:[\w-]+\s+){0,2}котор\w+\s|,\s*(?:что|где|чтобы)\s|\s[–—]\s|"
    r"\s+в\s+присутствии\s|\s+по\s+итогам\s|\s+в\s+ходе\s|"
    r"\s+в\s+рамках\s+(?:визита|переговоров|встречи)|\s+(?:был[аио]?|будет|будут)\s)"
)
# Between two Russian documents of one list: ", ", "; ", " и ", ", а также ", ": ".
_RU_LIST_GAP_RE = re.compile(
    r"^[\s,;:]*(?:(?:а\s+также|и|в\s+том\s+числе|включая|в\s+частности)[\s,:]*)?$",
    re.IGNORECASE,
)
# "Договор …, подписанный в городе Пхеньяне 19 июня 2024 года", "… в 2002 году": history.
_RU_DATED_RE = re.compile(
    r"[\s,]*(?:(?:подписанн|заключенн|заключённ)\w*\s[^.;]{0,60}?\d{4}|в\s+\d{4}\s+год)"
)
_RU_SIGNING_NOUNS = word_set("подписание заключение принятие утверждение парафирование")
_RU_NEXT_RE = re.compile(r"(?:,\s*|;\s*|\s+и\s+|,?\s+а\s+также\s+)(?=[«\"]?[А-ЯЁа-яё])")
_RU_HEAD_STEMS = (
    "соглашени",
    "договор",
    "меморандум",
    "декларац",
    "протокол",
    "программ",
    "план",
    "концепци",
    "заявлени",
    "дорожн",
    "контракт",
    "коммюнике",
    "хартия",
    "хартию",
    "конвенци",
)
_MAX_TITLE = 700
_MAX_ITEMS = 50


@cache
def _sections() -> dict[str, tuple[str, ...]]:
    """Sections of data/document_grammar.txt: name -> its lines (lower-cased)."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in line_list("document_grammar.txt"):
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        elif current is not None:
            current.append(line)
    return {name: tuple(lines) for name, lines in sections.items()}


@cache
def _words(section: str) -> frozenset[str]:
    return frozenset(w for line in _sections().get(section, ()) for w in line.split())


_STARS_RE = re.compile(r"\*\s*\*\s*\*")
# "Related" alone is a sidebar heading only before a capital or at the end, never inside a
# title ("… and Related Matters", "Trade-Related …").
_RELATED_RE = re.compile(
    r"(?<![-‐‑])(?<!\band\s)(?<!\bor\s)(?<!&\s)\bRelated\b(?=\s*(?:$|[:A-ZА-ЯЁ]))"
)


@cache
def _list_end_phrases() -> tuple[str, ...]:
    return tuple(p for p in _sections().get("list_end", ()) if "*" not in p)


def _list_end_at(text: str) -> int | None:
    """Offset of the first list-ending marker: "Смотрите также …", "See also", "* * *",
    "Related". Plain substring tests on the lower-cased text: this runs on every item."""
    cuts: list[int] = []
    folded = text.lower()
    if len(folded) == len(text):
        cuts.extend(i for i in (folded.find(p) for p in _list_end_phrases()) if i >= 0)
    if "*" in text:
        m = _STARS_RE.search(text)
        if m:
            cuts.append(m.start())
    if "Related" in text:
        m = _RELATED_RE.search(text)
        if m:
            cuts.append(m.start())
    return min(cuts) if cuts else None


def cut_list_end(text: str) -> str:
    """Text before the first list-ending marker (the whole text when there is none)."""
    at = _list_end_at(text)
    return text if at is None else text[:at]


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


def _strip_trailing_date(text: str) -> str:
    m = _TRAILING_DATE_RE.search(text)
    if m is None or _DATE_OWNER_RE.search(text[: m.start()]):
        return text
    return text[: m.start()]


def clean_title(text: str) -> str:
    """Title as written: no bullet, numbering or `#`, no trailing ;/./date, spaces collapsed.

    A date after "от" stays: it names the document amended ("… от 24 ноября 1994 года").
    Page furniture glued after the title ("* * *", "Смотрите также …") is cut off.
    """
    text = BULLET_RE.sub("", text.strip(), count=1)
    text = _LEAD_JUNK_RE.sub("", text)
    text = " ".join(cut_list_end(text).split())
    for _ in range(2):
        text = _strip_trailing_date(text).rstrip(" ;.,*")
    return text


def _is_header(text: str) -> bool:
    return _HEADER_RE.search(text) is not None and _EARLIER_RE.search(text) is None


def _valid_item(title: str, kind: str = "other") -> bool:
    """Two words or more, not too long, and a capital letter unless a document word heads it
    ("agreement for cooperation in the field of energy" is written lower-case in prose)."""
    words = WORD_RE.findall(title)
    upper = title[:1].isupper() or (kind != "other" and title[:1].isalpha())
    return len(words) >= 2 and len(title) <= _MAX_TITLE and upper


_TERMINAL = (".", ";", "!", "?", "…", ":")


def _wrapped_continuation(prev: str, line: Line, following: Line | None) -> bool:
    """A hard-wrapped list item whose next physical line became a line of its own.

    The item did not end (no terminal punctuation) and the line is no new item: it starts
    lower-case, or the item broke after a word that cannot end a title ("of", "and", "the"),
    or the item is as long as a wrapped line and another bullet follows, so the line sits
    inside the list (a short item followed by a heading and a new list is not wrapped).
    """
    if line.bullet or line.text.endswith(":") or prev.endswith(_TERMINAL):
        return False
    first = line.text[:1]
    last = prev.rsplit(" ", 1)[-1].lower()
    if first.islower() or last in _words("en_prepositions") or last in ("and", "or", "the"):
        return True
    wrapped_width = len(prev) >= 50 and len(line.text) <= 200
    return wrapped_width and following is not None and following.bullet


def _from_header_lists(lines: Sequence[Line]) -> list[str]:
    """Bullet (or one-per-line) items following a signing header that ends with a colon."""
    found: list[str] = []
    i = 0
    while i < len(lines):
        text = lines[i].text
        if text.endswith(":") and _is_header(text[-400:]):
            # "documents:" vouches for any item; a vaguer header only for document-like ones
            explicit = _EXPLICIT_RE.search(text[-400:]) is not None
            items: list[Line] = []
            j = i + 1
            while j < len(lines) and j - i <= 60:
                item = lines[j]
                following = lines[j + 1] if j + 1 < len(lines) else None
                if items and _wrapped_continuation(items[-1].text, item, following):
                    items[-1] = Line(items[-1].text + " " + item.text, items[-1].bullet)
                    j += 1
                    continue
                # A line without a bullet is an item of a one-per-line list only: after
                # bullets it is the text that follows the list ("Кроме того, подписан …").
                if not item.bullet and (
                    any(it.bullet for it in items)
                    or not _starts_with_head(clean_title(item.text))
                    or item.text.endswith(":")
                ):
                    break
                items.append(item)
                j += 1
            for item in items:
                for title in _list_item_titles(item.text):
                    kind = kind_of(title)
                    if _valid_item(title, kind) and (explicit or kind != "other"):
                        found.append(title)
            i = j
        else:
            i += 1
    return found


def _starts_with_head(title: str) -> bool:
    """A document word among the first three words ("Совместное заявление …", "Joint
    Statement …"), before any verb or preposition could make it part of a sentence."""
    for w in WORD_RE.findall(title[:120])[:3]:
        low = norm(w)
        if is_cyrillic(low):
            if lemma(low) in KIND_RU or lemma(low) == "карта":
                return True
            if not any(p.pos == "ADJF" for p in parses(low)[:1]):
                return False
        elif low in KIND_EN or low in ("road", "letter"):
            return True
        elif low in _EN_PREPOSITIONS or low in _words("en_verbs"):
            return False
    return False


# Where an English list item stops naming its document and starts describing it:
# ", which sets out …", ", under which …", ", a set of principles …", ", setting out …",
# a second sentence, ";" or a spaced dash.
_EN_DESCRIPTION_RE = re.compile(
    r",\s+(?:(?:[a-z]+\s+){0,2}(?:which|whom|whose|who|whereby)\b|an?\s|[a-z]+(?:ing|ed)\b)"
    r"|\.\s+(?=[A-Z])|;|\s[–—-]\s"
)


def _list_item_titles(text: str) -> list[str]:
    """A list item is a title; an English one may go on to describe it (", which …") or be
    a sentence about the signing ("The Department of Energy and … signed a Memorandum …")."""
    title = clean_title(text)
    if is_cyrillic(title[:60]):
        return [title]
    if _SIGN_SENTENCE_RE.search(title) and not _starts_with_head(title):
        found = _inline_en(title)
        if found:
            return found
    m = _EN_DESCRIPTION_RE.search(title)
    if m is not None:
        title = clean_title(title[: m.start()])
    toks = _tokens(title)
    np = _np_at(toks, 0, len(toks))
    if np is not None and not np.plural and np.start <= 2:
        title = title[toks[_title_start(toks, np.start, np.head)].start :]
    return [title]


def _sublist_header(text: str, since: int, mark: re.Match[str]) -> bool:
    """A "1." that starts a second numbered list: the words before it end with a colon."""
    return text[since : mark.start()].rstrip().endswith(":")


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
            restarts: set[int] = set()
            expected = 1
            for m in _NUMBER_MARK_RE.finditer(text, start):
                number = int(m.group(1))
                if number == expected:
                    marks.append(m)
                    expected += 1
                elif number == 1 and expected > 2 and _sublist_header(text, marks[-1].end(), m):
                    # "Документы, подписанные в присутствии …: 1. …": a second list follows
                    restarts.add(len(marks))
                    marks.append(m)
                    expected = 2
            if len(marks) < 2 and not text[header.start() : start].rstrip().endswith(":"):
                continue
            for k, m in enumerate(marks):
                end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
                chunk = text[m.end() : end]
                ended = cut_list_end(chunk)
                # "* * *" between two items only separates them; "Смотрите также" ends all
                stop_all = len(ended) < len(chunk) and chunk[len(ended) :].lstrip()[:1] != "*"
                if k + 1 == len(marks) or len(ended) < len(chunk) or k + 1 in restarts:
                    first_sentence = next(iter(sentenize(ended)), None)
                    ended = first_sentence.text if first_sentence else ended
                title = clean_title(ended)
                if _valid_item(title):
                    found.append(title)
                if stop_all:
                    break
            break
    return found


# ---------------------------------------------------------------------------------------
# English titles inside sentences


@dataclass(frozen=True, slots=True)
class _Tok:
    text: str
    low: str
    start: int
    end: int
    word: bool
    cap: bool  # capitalised word or a number


@dataclass(frozen=True, slots=True)
class _NP:
    start: int  # first token after the determiners
    head: int
    plural: bool


_EN_RAW_RE = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W_]+(?:['’][^\W_]+)*|\S")
_JOINERS = frozenset("-‐‑–/&+")
_DETS = word_set("the a an its their his her our this these that those")
_CONJ = word_set("and or &")
_BETWEEN = word_set("between among amongst")
_QUOTES_OPEN = frozenset('“«"‘')
_QUOTES_CLOSE = {"“": "”", "«": "»", '"': '"', "‘": "’"}
_EN_TRIGGERS = word_set(_SIGN_EN.replace("|", " ") + " signature conclusion adoption")
_OF_TRIGGERS = word_set("signing signature conclusion adoption")
_EN_TRIGGER_RE = re.compile(
    rf"\b(?:{_SIGN_EN}|(?:signature|conclusion|adoption)\s+of)\b", re.IGNORECASE
)
_NO_TRIGGER_BEFORE = word_set("to will would shall not never may might could should can must")
_PASSIVE_ADVERBS = word_set("also formally officially jointly successfully then today")
_EN_SEP_RE = re.compile(
    r"\s*(?:[,;:]\s*)?(?:(?:and|as\s+well\s+as|along\s+with|together\s+with|plus|including|"
    r"namely|such\s+as|among\s+them)\s+)?(?:also\s+)?",
    re.IGNORECASE,
)
_MANY_OPENERS_RE = re.compile(
    r"\s*(?::|,?\s*(?:including|namely|such\s+as|among\s+them|among\s+which|include[sd]?|"
    r"comprised?|were|are)\b:?)",
    re.IGNORECASE,
)
# Before a signing verb, documents counted but not named: "documents were signed, including …"
_PLURAL_SUBJECT_WINDOW = 8
_YEAR_RE = re.compile(r"(?:19|20)\d\d(?:\W\d+)?")


def _tokens(text: str) -> list[_Tok]:
    """Words and punctuation; "U.S.-Saudi", "2023–2025" and "5G/6G" stay one word."""
    raw = list(_EN_RAW_RE.finditer(text))
    out: list[_Tok] = []
    i = 0
    while i < len(raw):
        start, end = raw[i].start(), raw[i].end()
        word = raw[i].group()[0].isalnum()
        while (
            word
            and i + 2 < len(raw)
            and raw[i + 1].group() in _JOINERS
            and raw[i + 1].start() == end
            and raw[i + 2].start() == raw[i + 1].end()
            and raw[i + 2].group()[0].isalnum()
        ):
            end = raw[i + 2].end()
            i += 2
        s = text[start:end]
        out.append(
            _Tok(s, s.lower(), start, end, word, word and (s[0].isupper() or s[0].isdigit()))
        )
        i += 1
    return out


def _en_head(toks: Sequence[_Tok], i: int) -> bool:
    """A singular document noun heading a title at token i."""
    t = toks[i]
    if not t.word:
        return False
    low = t.low
    if low == "map":
        return i > 0 and toks[i - 1].low == "road"
    if low == "letter":
        return i + 2 < len(toks) and toks[i + 1].low == "of" and toks[i + 2].low == "intent"
    if low not in KIND_EN:
        return False
    if low == "framework" and i >= 2 and toks[i - 1].low == "the":
        return toks[i - 2].low not in ("in", "within", "under")
    return True


def _np_at(toks: Sequence[_Tok], p: int, limit: int) -> _NP | None:
    """A noun phrase naming a document (or several) that starts at token p, if any."""
    lead, quantity = _words("en_lead"), _words("en_quantity")
    i = p
    while i < limit:
        t = toks[i]
        if t.word and (
            t.low in lead or t.low == "following" or (t.text.isdigit() and len(t.text) < 3)
        ):
            i += 1
        elif t.word and t.low in quantity and i + 1 < limit and toks[i + 1].low == "of":
            i += 2
        else:
            break
    stops = _words("en_prepositions") | _words("en_clause") | _CONJ | _DETS
    j = i
    while j < limit and j - i <= 6:
        t = toks[j]
        if t.text in _QUOTES_OPEN:
            j += 1
            continue
        if not t.word:
            return None
        if t.low in _words("en_plural_heads"):  # before the heads: "memoranda" is both
            return _NP(i, j, plural=True)
        if _en_head(toks, j):
            while j + 1 < limit and _en_head(toks, j + 1):
                j += 1
            return _NP(i, j, plural=False)
        if t.low in stops or t.low in _EN_TRIGGERS:
            return None
        j += 1
    return None


def _title_start(toks: Sequence[_Tok], start: int, head: int) -> int:
    """First word of a title: a capitalised title starts at its capitalised run ("a bilateral
    Partnership Framework" -> "Partnership Framework"); a lower-case one after the generic
    adjectives ("an important agreement on …" -> "agreement on …")."""
    if toks[head].cap:
        k = head
        while k > start and (toks[k - 1].cap or toks[k - 1].text in _QUOTES_OPEN):
            k -= 1
        return k
    generic = _words("en_generic")
    k = start
    while k < head and toks[k].low in generic:
        k += 1
    return k


def _is_verb(toks: Sequence[_Tok], k: int, limit: int) -> bool:
    """A lower-case word that starts a clause of its own ("… and discussed …")."""
    t = toks[k]
    if t.cap or not t.word:
        return False
    if t.low in _words("en_verbs") or t.low in _EN_TRIGGERS:
        return True
    after = toks[k + 1].low if k + 1 < limit else ""
    if t.low.endswith("ed") and (after in _DETS or after in ("to", "that")):
        return True  # "… and reviewed the …", "… and agreed to …"
    return t.low.endswith("s") and after == "to"  # "… and plans to invest …"


def _starts_document(toks: Sequence[_Tok], p: int, limit: int) -> bool:
    np = _np_at(toks, p, min(limit, p + 9))
    return np is not None and not np.plural


def _and_continues(
    toks: Sequence[_Tok], k: int, limit: int, *, between: bool, capital: bool
) -> bool:
    """Does "and" at k join words of one title ("between A and B", "Trade and Investment")?"""
    if k + 1 >= limit:
        return False
    nxt = toks[k + 1]
    if not nxt.word or _starts_document(toks, k + 1, limit):
        return False
    if nxt.low in _words("en_clause") or _is_verb(toks, k + 1, limit):
        return False
    if nxt.low in _words("en_prepositions"):
        return False  # "… a joint statement, and in their presence …"
    if nxt.low in _DETS:
        if between:
            return True
        return capital and k + 2 < limit and toks[k + 2].cap
    return True


def _comma_continues(
    toks: Sequence[_Tok], k: int, limit: int, *, between: bool, capital: bool
) -> bool:
    """A comma inside a title joins a series ("Trade, Economic and Technical Cooperation",
    "Ministry of Digital Development, Communications and Mass Media"); any other ends it."""
    p = k + 1
    if p >= limit or not toks[p].word or _starts_document(toks, p, limit):
        return False
    first = toks[p]
    if first.low in _CONJ:
        # ", and Technical Cooperation" goes on; ", and the leaders then …" starts a clause
        if p + 1 < limit and toks[p + 1].low in _DETS:
            return False
        return _and_continues(toks, p, limit, between=between, capital=capital)
    if first.low in _DETS and not between:
        return False
    if first.low in _words("en_prepositions") or first.low in _words("en_clause"):
        return False
    if not first.cap and first.low.endswith(("ing", "ed")):
        return False
    q = p
    while q < limit and q - p < 10:
        t = toks[q]
        if not t.word:
            if t.text != ",":
                return False
        elif t.low in _CONJ:
            return _and_continues(toks, q, limit, between=between, capital=capital)
        elif t.low in _words("en_clause") or _is_verb(toks, q, limit):
            return False
        q += 1
    return False


@cache
def _city_names() -> frozenset[str]:
    return frozenset(c.en for c in cities())


def _adjunct_at(toks: Sequence[_Tok], k: int, limit: int) -> bool:
    """A preposition that opens an adjunct of the sentence, not a complement of the title:
    "in the presence of", "within the framework of", "on Monday", "in 2023", "in Riyadh"."""
    low = toks[k].low
    if k + 1 >= limit:
        return True
    n1 = toks[k + 1]
    if (
        low in ("in", "within", "on", "under", "at")
        and n1.low in ("the", "a")
        and k + 2 < limit
        and toks[k + 2].low in _words("en_adjuncts")
    ):
        return True
    if low in ("on", "in") and (
        n1.low in _words("en_months")
        or n1.low in _words("en_clause")
        or _YEAR_RE.fullmatch(n1.text)
    ):
        return True
    if low == "on" and n1.text.isdigit():
        return True
    return low == "in" and n1.text in _city_names()


def _is_date_word(toks: Sequence[_Tok], k: int, limit: int) -> bool:
    """A month name or day number that belongs to a date ("12 May 1997", "May 12")."""
    t = toks[k]
    prev = toks[k - 1] if k > 0 else None
    nxt = toks[k + 1] if k + 1 < limit else None
    if t.low in _words("en_months"):
        return any(x is not None and x.text.isdigit() for x in (prev, nxt))
    return (
        t.text.isdigit()
        and len(t.text) <= 2
        and prev is not None
        and prev.low in _words("en_months")
    )


def _closing(toks: Sequence[_Tok], k: int, limit: int, close: str) -> int | None:
    for q in range(k + 1, min(limit, k + 40)):
        if toks[q].text == close:
            return q
    return None


def _complement_end(toks: Sequence[_Tok], head: int, limit: int) -> int:
    """Token index where the title headed at `head` ends (exclusive), trailing words trimmed."""
    clause, preps = _words("en_clause"), _words("en_prepositions")
    capital = toks[head].cap
    between = False
    joined = True  # after a preposition, conjunction or comma: a determiner may follow
    k = head + 1
    while k < limit:
        t = toks[k]
        low = t.low
        if t.word:
            if low in _CONJ:
                if not _and_continues(toks, k, limit, between=between, capital=capital):
                    break
                # "between A and the B": the second party is named, "between" is spent
                between = between and not (k + 1 < limit and toks[k + 1].low in _DETS)
                joined = True
            elif low in preps:
                if _adjunct_at(toks, k, limit):
                    break
                between = between or low in _BETWEEN
                joined = True
            elif low in _DETS:
                if not joined:
                    break
            elif _is_date_word(toks, k, limit):
                joined = False  # "… of 12 May 1997", "… of May 12, 1997"
            elif (
                low in clause
                or low in _EN_TRIGGERS
                or (not joined and _is_verb(toks, k, limit))
                # "… Clean Energy focuses on …": a capitalised title is over
                or (capital and not joined and not t.cap and toks[k - 1].cap)
            ):
                break
            else:
                # a gerund or an infinitive takes an object: "on Further Deepening the …
                # Partnership", "agreement with Rosatom to build a nuclear power plant"
                joined = (low.endswith("ing") and len(low) > 5) or toks[k - 1].low == "to"
            k += 1
            continue
        ch = t.text
        if ch == "," and _is_date_word(toks, k - 1, limit) and k + 1 < limit:
            if not _YEAR_RE.fullmatch(toks[k + 1].text):
                break
            k += 1  # "May 12, 1997"
        elif ch == ",":
            if not _comma_continues(toks, k, limit, between=between, capital=capital):
                break
            joined = True
            k += 1
        elif ch == "(":
            close = _closing(toks, k, limit, ")")
            after = toks[close + 1] if close is not None and close + 1 < limit else None
            if close is None or after is None or not after.word or after.low in clause:
                break
            k = close + 1
        elif ch in _QUOTES_OPEN:
            close = _closing(toks, k, limit, _QUOTES_CLOSE[ch])
            if close is None:
                break
            k = close + 1
            joined = False
        elif ch in "’'" or (
            ch == "."  # "No. 5", "Dept. of …"
            and k + 1 < limit
            and (toks[k - 1].low in _words("en_abbreviations") or len(toks[k - 1].text) == 1)
        ):
            k += 1
        else:
            break
    while k > head + 1:
        last = toks[k - 1]
        if last.word and last.low not in _CONJ and last.low not in preps and last.low not in _DETS:
            break
        if not last.word and last.text in ')”»"’':
            break
        k -= 1
    return k


def _np_back(toks: Sequence[_Tok], head: int, floor: int) -> int:
    """Start of the words in front of a head, walking back to a determiner or boundary."""
    stops = _words("en_lead") | _words("en_prepositions") | _words("en_clause") | _CONJ | _DETS
    k = head
    while k > floor and head - k < 6:
        t = toks[k - 1]
        if not t.word or t.low in stops or t.low in _EN_TRIGGERS:
            break
        k -= 1
    return k


def _token_after(toks: Sequence[_Tok], offset: int) -> int:
    """Index of the first token that starts at or after a character offset."""
    for i, t in enumerate(toks):
        if t.start >= offset:
            return i
    return len(toks)


def _object_list(
    text: str, toks: Sequence[_Tok], p: int, limit: int
) -> tuple[list[tuple[int, int]], int]:
    """Titles (token spans) of the documents listed from token p on, and where the list ends.

    "signed an agreement on …; a protocol amending …, as well as a programme of …" gives
    three; "signed the following documents: an agreement …" skips the plural first.
    """
    spans: list[tuple[int, int]] = []
    pos = p
    end = p
    while pos < limit:
        np = _np_at(toks, pos, limit)
        if np is None:
            break
        stop = _complement_end(toks, np.head, limit)
        if stop >= limit:
            if not np.plural:
                spans.append((_title_start(toks, np.start, np.head), stop))
                end = stop
            break
        gap_start = toks[stop - 1].end
        if np.plural:
            if spans:
                break
            m = _MANY_OPENERS_RE.match(text, gap_start)
            if m is None:
                break
            pos = _token_after(toks, m.end())
            continue
        spans.append((_title_start(toks, np.start, np.head), stop))
        end = stop
        m = _EN_SEP_RE.match(text, gap_start)
        if m is None or not text[m.start() : m.end()].strip() or m.end() > toks[limit - 1].end:
            break
        pos = _token_after(toks, m.end())
    return spans, end


def _passive_aux(toks: Sequence[_Tok], trigger: int) -> int | None:
    """Index of "was"/"were"/"has been"/"have been" right before a signing verb."""
    k = trigger - 1
    while k >= 0 and toks[k].low in _PASSIVE_ADVERBS:
        k -= 1
    if k < 0:
        return None
    if toks[k].low in ("was", "were"):
        return k
    if toks[k].low == "been" and k > 0 and toks[k - 1].low in ("has", "have"):
        return k - 1
    return None


def _passive_subject(text: str, toks: Sequence[_Tok], aux: int) -> list[tuple[int, int]]:
    """Titles of the subject of "… was signed": the list must end right at the verb."""
    for h in range(aux):
        if not _en_head(toks, h) or (h + 1 < aux and _en_head(toks, h + 1)):
            continue
        start = _np_back(toks, h, 0)
        if any(t.low == "when" for t in toks[max(0, start - 3) : start]):
            continue  # "… in November 2022, when the Joint Declaration was signed"
        spans, end = _object_list(text, toks, start, aux)
        if spans and end == aux:
            return spans
    return []


def _counted_before(toks: Sequence[_Tok], trigger: int) -> bool:
    """ "a number of documents were signed", "The documents signed …": counted, not named."""
    plural = _words("en_plural_heads")
    return any(t.low in plural for t in toks[max(0, trigger - _PLURAL_SUBJECT_WINDOW) : trigger])


def _listed_after(
    text: str, toks: Sequence[_Tok], trigger: int
) -> tuple[list[tuple[int, int]], int]:
    """The documents a counting clause goes on to name: "… were signed in the presence of
    the leaders, including an Agreement on …", "The documents signed include …"."""
    for q in range(trigger + 1, min(len(toks), trigger + 16)):
        t = toks[q]
        if t.low in _EN_TRIGGERS or t.text in (";", "."):
            break
        m = _MANY_OPENERS_RE.match(text, toks[q - 1].end)
        if m is not None and m.end() > toks[q - 1].end:
            return _object_list(text, toks, _token_after(toks, m.end()), len(toks))
    return [], trigger


def _dated_earlier(toks: Sequence[_Tok], end: int) -> bool:
    """ "… signed the Treaty of Friendship in 2002": a title followed by a year is history."""
    return (
        end + 1 < len(toks)
        and toks[end].low == "in"
        and _YEAR_RE.fullmatch(toks[end + 1].text) is not None
    )


def _skip_trigger(toks: Sequence[_Tok], k: int) -> bool:
    """Not this event's signing: "to sign", "will sign", "did not sign", "signed into law"."""
    before = toks[k - 1].low if k > 0 else ""
    if before in _NO_TRIGGER_BEFORE:
        return True
    if before == "be" and k > 1 and toks[k - 2].low in _NO_TRIGGER_BEFORE:
        return True  # "will be signed", "is expected to be signed"
    for q in range(k - 1, max(-1, k - 7), -1):  # "since the two sides signed …": long ago
        if not toks[q].word:
            break
        if toks[q].low == "since":
            return True
    return k + 1 < len(toks) and toks[k + 1].low == "into"


def _in_quote(text: str, pos: int) -> bool:
    """Is offset `pos` inside quoted speech that opened earlier in the sentence?"""
    before = text[:pos]
    return (
        before.count('"') % 2 == 1
        or before.count("“") > before.count("”")
        or before.count("«") > before.count("»")
    )


def _balanced(text: str, a: int, b: int) -> str:
    """text[a:b] with its quotes paired: the closing quote that follows is taken in, a
    quote left without its pair is dropped."""
    span = text[a:b]
    if span[:1] in _QUOTES_CLOSE:
        close = _QUOTES_CLOSE[span[0]]
        if close not in span[1:]:
            if text[b : b + 1] == close:
                return span + close
            span = span[1:]
    if span[-1:] in ("”", "»") and not any(q in span[:-1] for q in _QUOTES_OPEN):
        span = span[:-1]
    return span


def _inline_en(sentence: str) -> list[str]:
    toks = _tokens(sentence)
    spans: list[tuple[int, int]] = []
    covered = -1
    for k, t in enumerate(toks):
        if not t.word or t.low not in _EN_TRIGGERS or k <= covered or _skip_trigger(toks, k):
            continue
        if _in_quote(sentence, t.start):
            continue  # "We signed an agreement on water today," he said.
        aux = _passive_aux(toks, k)
        if aux is not None and not _dated_earlier(toks, k + 1):
            spans.extend(s for s in _passive_subject(sentence, toks, aux) if s[0] > covered)
        start = k + 1
        if t.low in _OF_TRIGGERS:
            if start < len(toks) and toks[start].low == "of":
                start += 1
            elif t.low != "signing":
                continue
        found, end = _object_list(sentence, toks, start, len(toks))
        if not found and _counted_before(toks, k):
            found, end = _listed_after(sentence, toks, k)
        if found and start > k + 1:
            # "the signing of A, which …, and of B": each "and of" names one more
            for q in range(end, len(toks) - 2):
                if toks[q].low == "and" and toks[q + 1].low == "of":
                    more, end = _object_list(sentence, toks, q + 2, len(toks))
                    found.extend(more)
        spans.extend(s for s in found if not _dated_earlier(toks, s[1]))
        if found:
            covered = end - 1
    titles: list[str] = []
    for a, b in spans:
        if b <= a:
            continue
        title = clean_title(_balanced(sentence, toks[a].start, toks[b - 1].end))
        words = WORD_RE.findall(title)
        if len(words) >= 2 and len(title) <= _MAX_TITLE:
            titles.append(title)
    return titles


# ---------------------------------------------------------------------------------------
# Russian titles inside sentences


def _to_nominative(words: list[str]) -> list[str]:
    """Put a Russian head noun (and an adjective before it) into the nominative case."""
    out = list(words)
    for idx, w in enumerate(words[:2]):
        ps = parses(norm(w))
        if not ps or ps[0].pos not in ("NOUN", "ADJF"):
            break
        if "nomn" not in ps[0].grammemes:
            for p in morph().parse(w):
                if p.tag.POS in ("NOUN", "ADJF") and "sing" in p.tag:
                    form = p.inflect({"nomn"})
                    if form is not None:
                        new = form.word
                        out[idx] = new[:1].upper() + new[1:] if w[:1].isupper() else new
                    break
        if ps[0].pos == "NOUN":
            break  # the words after the head are its complements: "Программа культурного …"
    return out


def _ru_head(word: str, lem: str, prev: str) -> bool:
    return lem in KIND_RU or (lem == "карта" and lemma(prev).startswith("дорожн"))


def _ru_next_document(rest: str) -> int | None:
    """Offset in `rest` where the next document of a list starts (", протокол о …")."""
    for m in _RU_NEXT_RE.finditer(rest, 1):
        after = rest[m.end() :]
        words = WORD_RE.findall(after[:60])[:2]
        if not words:
            continue
        head_idx = next(
            (i for i, w in enumerate(words) if norm(w).startswith(_RU_HEAD_STEMS)), None
        )
        if head_idx is None:
            continue
        if head_idx == 1:
            ps = parses(norm(words[0]))
            if not ps or ps[0].pos != "ADJF":
                continue
        head = words[head_idx]
        if head[:1].isupper():
            return m.start()
        ps = parses(norm(head))
        if ps and ({"nomn", "accs"} & ps[0].grammemes) and "plur" not in ps[0].grammemes:
            return m.start()
    return None


_RU_COMMA_WORD_RE = re.compile(r",\s*([А-ЯЁа-яё]+)")
_RU_CLAUSE_POS = frozenset(("VERB", "GRND", "INFN", "CONJ", "ADVB", "NPRO"))


def _ru_title_end(rest: str) -> int:
    """Where a Russian title that starts `rest` ends: a clause boundary or the next document.

    A comma before a verb, a gerund, a conjunction or a pronoun starts a clause (", после
    чего провели …", ", отметив …"); before a noun or adjective it joins a series inside
    the title ("о торговле, экономическом и техническом сотрудничестве").
    """
    end = len(rest)
    stop = _RU_STOP_RE.search(rest)
    if stop:
        end = stop.start()
    nxt = _ru_next_document(rest)
    if nxt is not None:
        end = min(end, nxt)
    for m in _RU_COMMA_WORD_RE.finditer(rest, 0, end):
        word = norm(m.group(1))
        ps = parses(word)
        after = WORD_RE.findall(rest[m.end() : m.end() + 30])[:1]
        clause = bool(ps) and ps[0].pos in _RU_CLAUSE_POS
        if not clause and ps and ps[0].pos == "PREP" and after:
            nps = parses(norm(after[0]))
            clause = bool(nps) and nps[0].pos == "NPRO"  # ", после чего", ", в результате чего"
        if clause:
            return m.start()
    return end


def _ru_titles_at(rest: str) -> list[str]:
    title = clean_title(rest[: _ru_title_end(rest)])
    return [title] if title else []


def _inline_ru(sentence: str) -> list[str]:
    found: list[str] = []
    sign = _SIGN_SENTENCE_RE.search(sentence)
    if not sign:
        return found
    generic = _words("ru_generic")
    tokens = list(WORD_RE.finditer(sentence))
    last_end = -1
    for idx, tok in enumerate(tokens):
        if tok.start() < last_end:
            continue
        word = tok.group()
        lem = lemma(word)
        if not _ru_head(word, lem, tokens[idx - 1].group() if idx else ""):
            continue
        ps = parses(norm(word))
        if ps and "plur" in ps[0].grammemes and "sing" not in ps[0].grammemes:
            continue
        # "Закон о ратификации Договора …" names the law, not a treaty signed here; only
        # "подписание Соглашения …" makes a genitive head a document of the event
        if (
            ps
            and not ({"nomn", "accs"} & ps[0].grammemes)
            and idx > 0
            and lemma(tokens[idx - 1].group()) not in _RU_SIGNING_NOUNS
        ):
            continue
        start = tok.start()
        if idx > 0:
            prev = tokens[idx - 1]
            prev_ps = parses(norm(prev.group()))
            adjective = bool(prev_ps) and prev_ps[0].pos == "ADJF"
            adjacent = sentence[prev.end() : start].strip() == ""
            wanted = prev.group()[:1].isupper() or lem == "карта"
            if adjective and adjacent and wanted and prev_ps[0].normal_form not in generic:
                start = prev.start()
        near_verb = 0 <= start - sign.end() <= 40
        listed = last_end >= 0 and _RU_LIST_GAP_RE.match(sentence[last_end:start]) is not None
        if not (word[:1].isupper() or near_verb or listed):
            continue
        rest = sentence[start:]
        end = _ru_title_end(rest)
        if _RU_DATED_RE.match(rest, end):
            continue  # "Договор …, подписанный в 2002 году": history, not this event
        title = clean_title(rest[:end])
        words = title.split(" ")
        words = _to_nominative(words)
        title = " ".join(words)
        # Russian prose describes documents in lower case ("подписали соглашение о
        # сотрудничестве в атомной сфере"); only a capitalised name is a title.
        if _valid_item(title) and len(WORD_RE.findall(title)) >= 3:
            found.append(title)
            last_end = start + end
    return found


# ---------------------------------------------------------------------------------------
# One document, one title


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


@cache
def _stopwords() -> frozenset[str]:
    return word_list("stopwords_en.txt") | word_list("stopwords_ru.txt")


def _content(title: str) -> frozenset[str]:
    """Lemmas of a title's words and its numbers, without function words."""
    stop = _stopwords()
    return frozenset(
        lemma(w) for w in _KEY_TOKEN_RE.findall(title) if norm(w) not in stop and len(w) > 1
    )


def _head_lemma(title: str) -> str:
    """Lemma of the kind word that heads a title ("" when none does)."""
    for w in WORD_RE.findall(title[:300])[:8]:
        low = norm(w)
        if (is_cyrillic(low) and lemma(low) in KIND_RU) or low in KIND_EN:
            return lemma(low)
        if low in _EN_PREPOSITIONS:
            break
    return ""


def _named_again(inline: str, others: Sequence[str]) -> bool:
    """The same document under a second, shorter name: same head noun, and every word of
    this title is in the other ("Joint Statement on X" in the lead, "Joint Statement of
    the Presidents … on X" in the list; a bare "Memorandum of Understanding")."""
    head = _head_lemma(inline)
    if not head:
        return False
    words = _content(inline)
    for other in others:
        if other is inline or _head_lemma(other) != head:
            continue
        theirs = _content(other)
        if words <= theirs and theirs != words:
            return True
    return False


_BARE_STOP_WORDS = word_set(
    "between on for to in with by from about among regarding concerning "
    "между по на для с со при в во об от"
)


def _is_bare(title: str) -> bool:
    """A head with at most one word of its own ("Memorandum of Understanding", "Joint
    Statement", "Меморандум о взаимопонимании"): a name, not yet a title."""
    words = WORD_RE.findall(title)
    return len(words) <= 4 and not any(norm(w) in _BARE_STOP_WORDS for w in words)


def _fuller(bare: str, texts: Sequence[str], lang: str) -> str:
    """The fullest title another sentence gives the same document: "The sides signed a
    Memorandum of Understanding. The Memorandum of Understanding on … provides …"."""
    best = bare
    for text in texts:
        at = text.find(bare + " ")
        while at >= 0:
            rest = text[at:]
            if lang == "ru":
                titles = _ru_titles_at(rest)
            else:
                toks = _tokens(rest)
                np = _np_at(toks, 0, len(toks))
                titles = []
                if np is not None and not np.plural:
                    end = _complement_end(toks, np.head, len(toks))
                    start = _title_start(toks, np.start, np.head)
                    titles = [clean_title(_balanced(rest, toks[start].start, toks[end - 1].end))]
            for title in titles:
                if title.startswith(bare + " ") and len(title) > len(best):
                    best = title
            at = text.find(bare + " ", at + 1)
    return best


def listed_documents(lines: Sequence[Line]) -> list[str]:
    """Titles from signing-header lists (bullets or inline numbering), in text order."""
    return _from_header_lists(lines) + _from_inline_numbered(lines)


def _sentence_texts(
    lines: Sequence[Line], sentences: Sequence[Sentence]
) -> list[tuple[Sentence, str]]:
    """Each sentence's text; the last one of a line that broke mid-title (a hard wrap the
    text layer did not join) goes on with the first sentence of the next line."""
    last_of_line: dict[int, int] = {}
    for n, s in enumerate(sentences):
        last_of_line[s.line] = n
    out: list[tuple[Sentence, str]] = []
    for n, s in enumerate(sentences):
        text = s.text
        nxt = sentences[n + 1] if n + 1 < len(sentences) else None
        if (
            last_of_line.get(s.line) == n
            and 0 <= s.line < len(lines) - 1
            and not text.endswith((*_TERMINAL, "»", '"', "”", ")"))
            and nxt is not None
            and nxt.line == s.line + 1
            and not nxt.bullet
            and not nxt.header
        ):
            text = text + " " + nxt.text
        out.append((s, text))
    return out


def extract_documents(
    lines: Sequence[Line],
    sentences: Sequence[Sentence],
    lang: str,
    *,
    is_summit: bool,
    listed: Sequence[str] | None = None,
) -> tuple[Document, ...]:
    """All documents of the event, list items first, each once, with its kind.

    Sentence mentions count only when `is_summit`; `listed` reuses `listed_documents`. A
    document named in a sentence and again in the list keeps the list's title.
    """
    if listed is None:
        listed = listed_documents(lines)
    inline: list[str] = []
    if is_summit:
        for s, text in _sentence_texts(lines, sentences):
            if s.quote or (s.bullet and listed) or s.header or _EARLIER_RE.search(s.text):
                continue
            if lang == "ru":
                if _SIGN_SENTENCE_RE.search(text):
                    inline.extend(_inline_ru(text))
            elif _EN_TRIGGER_RE.search(text):
                inline.extend(_inline_en(text))
    if any(_is_bare(t) for t in inline):
        texts = [s.text for s in sentences if not s.quote and not _EARLIER_RE.search(s.text)]
        inline = [_fuller(t, texts, lang) if _is_bare(t) else t for t in inline]
    everything = [*listed, *inline]
    inline = [t for t in inline if not _named_again(t, everything)]
    titles = _dedupe([*listed, *inline])[:_MAX_ITEMS]
    return tuple(Document(title=t, kind=kind_of(t)) for t in titles)
