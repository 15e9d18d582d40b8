"""Raw input -> clean lines -> sentences with the flags the other steps need.

Feeds deliver plain text, HTML fragments, whole web pages and hard-wrapped markdown; all of
them become a list of logical lines (a paragraph or one list item each) and then sentences.
Sentences are split per line so that list items never merge with their neighbours.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from itertools import pairwise

import trafilatura  # a hard dependency: an install without it fails at start-up, not later
from razdel import sentenize

from bot.articles import resources
from bot.articles.lemmas import WORD_RE, is_cyrillic, morph, norm, parses
from bot.articles.resources import word_set

MAX_CHARS = 100_000

_CONTROL_RE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u200b\ufeff]"
)
# Any tag: `<name …>`, `</name>`, `<!…>` (comments, doctypes, CDATA) and `<?…>`.
TAG_RE = re.compile(r"<(?:/?[A-Za-z][^<>]*|![^<>]*|\?[^<>]*)>")
_CDATA_RE = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)
_MAX_ROUNDS = 8
_FULL_PAGE_RE = re.compile(r"<(?:html|body)\b", re.IGNORECASE)
BULLET_RE = re.compile(r"^\s*(?:[-–—•*▪●·‣]|\(?\d{1,2}[.)])\s+")
_NUMBERED_START_RE = re.compile(r"^\(?\d{1,2}[.)]\s+\S")
_SEPARATOR_RE = re.compile(r"^[\s*_=~#-]*$")
_BOLD_HEADER_RE = re.compile(r"^(\s*(?:[-*•]\s+)?)(?:\*\*|__)([^*_\n]{2,160}?:)\s*(?:\*\*|__)\s*")
_MD_LINK_RE = re.compile(r"\[([^\]\n]{1,300})\]\((?:[^)\s]{1,500})\)")
_MD_HEADING_RE = re.compile(r"^\s*\\?#{1,6}\s*")
_MD_EMPHASIS_RE = re.compile(r"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)|\\(?=[#*_\-\[\]])")
_HTML_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_SPEAKER_RE = re.compile(r"(?:^|\s)[А-ЯЁA-Z]\.\s?[А-ЯЁA-Z][а-яёa-z-]+(?:\s\([^)]{0,40}\))?\s?:")
_WS_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_TERMINAL = '.!?…:;»"”)'
_OPEN_QUOTES = "«“„"
_CLOSE_QUOTES = "»”"


@dataclass(frozen=True)
class Line:
    """A paragraph or one list item."""

    text: str
    bullet: bool


@dataclass(frozen=True)
class Sentence:
    """One sentence and where it stands: the summary and extractors filter on these flags."""

    text: str
    line: int
    index: int
    bullet: bool
    header: bool
    quote: bool
    promo: bool
    words: tuple[str, ...] = ()


def sanitize(text: str, limit: int = MAX_CHARS) -> str:
    """Cap the work, drop control characters and lone surrogates, unify newlines and spaces."""
    text = text[:limit].replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_RE.sub(" ", text)
    return _WS_RE.sub(" ", text)


def looks_like_html(text: str) -> bool:
    """Any tag at all (`<x …>`, `</x>`, `<!…>`, `<?…>`) or comment makes a text HTML.

    A fixed list of known tags let `<img …>`- or `<figure>`-led fragments through as text.
    """
    return "<" in text and ("<!--" in text or TAG_RE.search(text) is not None)


def has_entity(text: str) -> bool:
    """Whether unescaping would still change the text (named, numeric or legacy references)."""
    return "&" in text and html.unescape(text) != text


class _TextExtractor(HTMLParser):
    """Minimal HTML -> text: block elements end lines, each <li> is its own bullet line.

    Media, embeds and code are skipped with their content. An element of the skip list
    that is never closed ends when an element around it closes, as in a browser, so one
    stray `<video>` cannot swallow the rest of the article.
    """

    _BLOCK = word_set(
        "p div br h1 h2 h3 h4 h5 h6 ul ol table tr article section header footer "
        "blockquote pre figure figcaption dd dt hr main aside nav"
    )
    _SKIP = word_set(
        "script style head noscript template svg math iframe object embed frameset "
        "figure picture video audio canvas map select button"
    )
    # Elements without an end tag: never counted as open inside a skipped region.
    _VOID = word_set("area base br col embed hr img input link meta param source track wbr keygen")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping: list[str] = []
        self._inner: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skipping:
            if tag in self._SKIP and tag not in self._VOID:
                self._skipping.append(tag)
            elif tag not in self._VOID:
                self._inner[tag] = self._inner.get(tag, 0) + 1
        elif tag in self._SKIP:
            if tag not in self._VOID:
                self._skipping.append(tag)
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._skipping and tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self._skipping:
            if tag in self._skipping:
                while self._skipping.pop() != tag:
                    pass
                if not self._skipping:
                    self._inner.clear()
                return
            if self._inner.get(tag, 0) > 0:
                self._inner[tag] -= 1
                return
            if tag in self._VOID:
                return
            # An element opened before the skipped one closes: the skipped one was left open.
            self._skipping.clear()
            self._inner.clear()
        if tag in self._BLOCK or tag == "li":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data.replace("\n", " "))


def simple_html_to_text(html_text: str) -> str:
    parser = _TextExtractor()
    try:
        parser.feed(html_text)
        parser.close()
    except AssertionError:  # _markupbase's answer to a malformed <!…> declaration
        return TAG_RE.sub(" ", html_text)
    return "".join(parser.parts)


def html_to_text(html_text: str) -> str:
    """Whole pages go through trafilatura (boilerplate removal); fragments through our parser."""
    if _FULL_PAGE_RE.search(html_text):
        try:
            extracted = trafilatura.extract(
                html_text, include_comments=False, include_tables=False, favor_precision=True
            )
        except (ValueError, TypeError, AssertionError, RecursionError):
            extracted = None  # lxml under trafilatura can choke on pathological markup
        if extracted and extracted.strip():
            return str(extracted)
    return simple_html_to_text(html_text)


def to_plain(text: str, limit: int = MAX_CHARS) -> str:
    """Sanitised plain text of any input: no tag and no character reference survives.

    Feeds escape markup once, twice (`&amp;#40;`), or escape tags (`&lt;p&gt;`): each round
    either converts HTML (which also unescapes one level) or unescapes one level, until the
    text is stable. Plain text passes through unchanged, so converting twice is harmless.
    """
    text = sanitize(text, limit)
    for _ in range(_MAX_ROUNDS):
        if "<![CDATA[" in text:
            text = _WS_RE.sub(" ", _CDATA_RE.sub(r"\1", text).replace("<![CDATA[", " "))
        if looks_like_html(text):
            text = sanitize(html_to_text(text), limit)
        elif "&" in text:
            unescaped = html.unescape(text)
            if unescaped == text:
                return text
            text = sanitize(unescaped, limit)
        else:
            return text
    return _force_plain(text)


def _force_plain(text: str) -> str:
    """Markup nested deeper than the rounds allow: neutralise what is left, never loop on."""
    text = _HTML_COMMENT_RE.sub(" ", text)
    if looks_like_html(text):
        text = text.replace("<", "‹").replace(">", "›")
    if has_entity(text):
        text = text.replace("&", "＆")
    return text


def _strip_markdown(line: str) -> list[str]:
    """Markdown decorations off; a bold run-in header ("**Topic:** text") becomes its own line."""
    # Each pattern needs its marker character: plain lines skip the regexes.
    if "[" in line:
        line = _MD_LINK_RE.sub(r"\1", line)
    if "#" in line:
        line = _MD_HEADING_RE.sub("", line)
    if "*" not in line and "_" not in line and "\\" not in line:
        return [line]
    m = _BOLD_HEADER_RE.match(line)
    if m:
        head = m.group(1) + m.group(2).strip()
        rest = line[m.end() :]
        out = [_MD_EMPHASIS_RE.sub("", head)]
        if rest.strip():
            out.append(_MD_EMPHASIS_RE.sub("", rest))
        return out
    return [_MD_EMPHASIS_RE.sub("", line)]


def _is_hard_wrapped(lines: list[str]) -> bool:
    """Typical of markdown/e-mail: most lines 40-100 chars and none much longer."""
    stripped = [s.strip() for s in lines if s.strip()]
    lengths = [len(s) for s in stripped]
    if len(lengths) < 4 or max(lengths) > 130:
        return False
    mid_sentence = sum(1 for s in stripped if s[-1].isalnum() or s[-1] in ",-–—")
    typical = sum(1 for n in lengths if 40 <= n <= 100)
    return typical >= 0.6 * len(lengths) and mid_sentence >= 0.5 * len(lengths)


@cache
def _promo_phrases() -> tuple[str, ...]:
    return tuple(p.casefold() for p in resources.line_list("promo.txt"))


def is_promo(text: str) -> bool:
    """Promo/navigation wording ("Подпишись на наш Telegram-канал", "Read also").

    Plain substring tests on the case-folded text: a case-insensitive regex alternation
    over the same phrases cost several times more, on every sentence of every article.
    """
    folded = text.casefold()
    return any(p in folded for p in _promo_phrases())


def to_lines(text: str) -> list[Line]:
    """Logical lines: hard-wrapped paragraphs re-joined, bullets kept apart, promo dropped."""
    raw: list[str] = []
    for line in text.split("\n"):
        raw.extend(_strip_markdown(line))
    wrapped = _is_hard_wrapped(raw)
    lines: list[Line] = []
    current: list[str] = []
    bullet = False
    blank_before = True

    def flush() -> None:
        nonlocal current
        joined = " ".join(current).strip()
        if joined:
            lines.append(Line(joined, bullet))
        current = []

    for raw_line in raw:
        s = raw_line.strip()
        if not s or _SEPARATOR_RE.match(s):
            flush()
            blank_before = True
            continue
        is_bullet = BULLET_RE.match(raw_line) is not None
        prev = current[-1] if current else ""
        continuation = (
            bool(current)
            and not is_bullet
            and not blank_before
            and not prev.endswith(":")
            and (wrapped or (s[0].islower() and not prev.endswith(tuple(_TERMINAL))))
        )
        if continuation:
            current.append(s)
        else:
            flush()
            bullet = is_bullet
            current = [BULLET_RE.sub("", s, count=1) if is_bullet else s]
        blank_before = False
    flush()
    return [ln for ln in lines if not (len(ln.text) < 200 and is_promo(ln.text))]


def _quote_delta(text: str) -> int:
    opens = text.count("«") + text.count("“") + text.count("„")
    closes = text.count("»") + text.count("”")
    return opens - closes


_DASH_STARTS = ("– ", "— ", "- ")
_OPEN_QUOTE_STARTS = tuple(_OPEN_QUOTES)
_INNER_END_RE = re.compile(r"[.!?…]\S*\s")


def _sentences_of(text: str) -> list[str]:
    """razdel for lines that may hold several sentences; a line with no inner stop is one."""
    if _INNER_END_RE.search(text.rstrip()) is None:
        return [text.strip()] if text.strip() else []
    return [p.text.strip() for p in sentenize(text) if p.text.strip()]


def split_sentences(lines: list[Line]) -> list[Sentence]:
    """Sentences per line (razdel handles Russian abbreviations) with quote/header flags."""
    sentences: list[Sentence] = []
    for line_no, line in enumerate(lines):
        depth = 0
        speech = False
        for s in _sentences_of(line.text):
            if not s:
                continue
            started_inside = depth > 0
            depth = max(0, depth + _quote_delta(s))
            if s.count('"') % 2 == 1:
                depth = 0 if depth else 1
            # The speaker pattern ends in a colon: no colon, no regex.
            if (":" in s and _SPEAKER_RE.search(s)) or s.startswith(_DASH_STARTS):
                speech = True
            quote = started_inside or depth > 0 or speech or s.startswith(_OPEN_QUOTE_STARTS)
            numbered = _NUMBERED_START_RE.match(s) is not None
            sentences.append(
                Sentence(
                    text=s,
                    line=line_no,
                    index=len(sentences),
                    bullet=line.bullet or numbered,
                    header=s.endswith(":"),
                    quote=quote,
                    promo=is_promo(s),
                    words=tuple(WORD_RE.findall(s)),
                )
            )
    return sentences


# Page debris: what a flattened web page leaves around an article's own sentences. The
# reader keeps sentences as the page gave them (the extractors read datelines for the place);
# the summary and the headline read them through `strip_debris`.

_BREADCRUMB_RE = re.compile(r"^(?:События|Новости|Главная|Home|News|Events)\s+(?=[A-ZА-ЯЁ«\"])")
_RU_MONTHS = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
_EN_MONTHS = "January February March April May June July August September October November December"
# "4 марта 2025 года 20:10", "March 4, 2025, 20:10", "4 March 2025 20:10": a date with a time.
_DATELINE_RE = re.compile(
    rf"\b(?:\d{{1,2}}\s+(?:{'|'.join(_RU_MONTHS.split() + _EN_MONTHS.split())})\s+\d{{4}}"
    rf"(?:\s+(?:года|г\.))?|(?:{'|'.join(_EN_MONTHS.split())})\s+\d{{1,2}},\s+\d{{4}}),?"
    r"\s+\d{1,2}:\d{2}\b"
)
# The place after a dateline, as "City, Venue" ("Москва, Кремль", "The Kremlin, Moscow",
# "Ново-Огарёво, Московская область"), followed by the sentence's capitalised first word.
_DATELINE_PLACE_RE = re.compile(
    r"\s*[A-ZА-ЯЁ][\w-]+(?:\s[A-ZА-ЯЁ][\w-]+)?,\s+[A-ZА-ЯЁ][\w-]+(?:\s[a-zа-яё]+)?(?=\s+[A-ZА-ЯЁ«\"])"
)
# A glossary tooltip: "Масуд Пезешкиан Пезешкиан Масуд [Patronymic] Президент … Иран": the
# name (in any case: "Александра Лукашенко Лукашенко Александр"), the name reversed in the
# nominative (and a patronymic), then the person's title.
_TOOLTIP_RE = re.compile(
    r"\b((?P<a>[A-ZА-ЯЁ][\w-]{2,}?)\w{0,3} (?P<b>[A-ZА-ЯЁ][\w-]{2,}?)\w{0,3})"
    r" (?P=b)\w{0,3} (?P=a)\w{0,3}"
    r"(?: [А-ЯЁ][а-яё]+(?:вич|вна|ична|инична|ич))?(?!\w)"
)
# A tooltip's end, when the page left one: a space before the punctuation after it.
_TOOLTIP_END_RE = re.compile(r"^(?:\s+[^\s,.;]+){1,12}?(?=\s[,.;](?:\s|$))")
_CAPITALISED_RUN_RE = re.compile(r"^(?:\s+[A-ZА-ЯЁ][\w-]*)+")
_SPACE_BEFORE_STOP_RE = re.compile(r"(?<=[\w»\")]) +(?=[.,;:!?…](?:\s|$))")
_WORD_SPAN_RE = re.compile(r"\S+")
_HEADER_MAX = 300
# Words that begin a clause and are capitalised only at a sentence start: where a headline
# glued to its lead ends ("Российско-таджикистанские переговоры В Кремле прошли …").
_FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "NPRO", "ADVB"})
_VERB_POS = frozenset({"VERB", "PRTS", "INFN"})
_NAME_TAGS = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Abbr"})
_EN_CLAUSE_STARTS = word_set("The In On At A An Today Yesterday This Following During")


@dataclass(frozen=True)
class Cleaned:
    """A sentence without page debris, and the page header that was glued in front of it."""

    header: str
    text: str


def strip_debris(text: str, *, page_top: bool = False) -> Cleaned:
    """Breadcrumbs, datelines, a headline glued to its lead, glossary tooltips and stray
    spaces before punctuation out of one sentence.

    `page_top` says the sentence opens the text: only there a breadcrumb ("События …") and the
    headline after it are looked for, since nowhere else does a page put them.
    """
    header = ""
    crumb = False
    if page_top:
        m = _BREADCRUMB_RE.match(text)
        if m:
            text, crumb = text[m.end() :], True
    dateline = _DATELINE_RE.search(text) if ":" in text else None
    if dateline:
        before, after = text[: dateline.start()].strip(), text[dateline.end() :]
        place = _DATELINE_PLACE_RE.match(after)
        if place:
            after = after[place.end() :]
        after = after.strip()
        if before and after.startswith(before):  # the headline again under the dateline
            after = after[len(before) :].strip()
        if after:
            header, text = before, after
    elif crumb:
        header, text = _split_glued_headline(text)
    if "  " not in text and text.count(" ") >= 3:
        text = _strip_tooltips(text)
    if " " in text:
        text = _SPACE_BEFORE_STOP_RE.sub("", text)
    if len(header) > _HEADER_MAX or len(header.split()) < 2:
        header = ""
    return Cleaned(header, text)


def _strip_tooltips(text: str) -> str:
    out: list[str] = []
    pos = 0
    for m in _TOOLTIP_RE.finditer(text):
        if m.start() < pos:
            continue
        out.append(text[pos : m.end(1)])  # the name as the sentence gives it
        rest = text[m.end() :]
        marked = _TOOLTIP_END_RE.match(rest)
        if marked:  # the stray space before the punctuation goes with the tooltip
            pos = m.end() + marked.end() + 1
        else:
            run = _CAPITALISED_RUN_RE.match(rest)
            pos = m.end() + (run.end() if run else 0)
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def _split_glued_headline(text: str) -> tuple[str, str]:
    """("headline", "lead …") at the first capitalised word that can only open a clause.

    Russian: a conjunction, pronoun or adverb after a lowercase word; a preposition or a verb
    after any word ("… Масудом Пезешкианом Состоялся телефонный разговор"); a noun or first
    name in the nominative after a lowercase noun ("… граждан Глава государства подписал") or
    a surname ("… Андрея Никитина Президент подписал"). "заместителем Министра" (genitive)
    and "с Президентом" (after a preposition) stay. English: a few function words.
    """
    words = list(_WORD_SPAN_RE.finditer(text))
    for n, (prev, word) in enumerate(pairwise(words), start=1):
        p, w = prev.group(), word.group()
        if n >= 2 and w[:1].isupper() and p[-1:].isalpha() and _opens_clause(p, w):
            return text[: prev.end()], text[word.start() :]
    return "", text


def _opens_clause(prev: str, word: str) -> bool:
    after_lower = prev.islower() or prev.isupper()  # a lowercase word or an abbreviation
    if word in _EN_CLAUSE_STARTS:
        return after_lower
    if not (is_cyrillic(word) and is_cyrillic(prev)):
        return False
    parsed = [p for p in parses(norm(word)) if p.score > 0.05]
    if not parsed or not morph().word_is_known(norm(word)):
        return False
    best = parsed[0]
    named = any(_NAME_TAGS & p.grammemes for p in parsed)
    if ((best.pos in _VERB_POS and best.score >= 0.5) or best.pos == "PREP") and not named:
        return True
    prev_parsed = parses(norm(prev))
    prev_tags = prev_parsed[0].grammemes if prev_parsed else frozenset()
    prev_pos = prev_parsed[0].pos if prev_parsed else ""
    nominative_noun = (
        best.pos == "NOUN"
        and "nomn" in best.grammemes
        and not (_NAME_TAGS - {"Name"}) & best.grammemes
    )
    if not after_lower:
        return nominative_noun and "Name" not in best.grammemes and "Surn" in prev_tags
    if best.pos in _FUNCTION_POS and not named:
        return True
    return nominative_noun and prev_pos in ("NOUN", "ADJF")
