"""Feed values made safe to store and show: bounded, plain, single-line where it must be.

Every string a feed supplies passes through here before it becomes an Entry: titles and
texts through the one HTML -> text mechanism of bot.articles.text (tags, media, entities at
any depth of escaping), then feed-specific boilerplate goes (photo credits, "Continue
reading…" tails); links are kept only when they are plain http(s) addresses of sane length.
The word lists live in bot/feeds/data/ so that adding a marker is not a code change.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

from bot.articles.text import has_entity, looks_like_html, to_plain

FEED_TITLE_LIMIT = 200
TITLE_LIMIT = 500
CONTENT_LIMIT = 100_000
URL_LIMIT = 2048
# Markup and entities take room: read this many times the output bound from the raw value.
_RAW_FACTOR = 4

_BLANKS_RE = re.compile(r"\n{3,}")
_LONE_BULLET_RE = re.compile(r"^- *\n(?=[^\n-])", re.MULTILINE)
_BULLET_GAP_RE = re.compile(r"^(- [^\n]*)\n\n(?=- )", re.MULTILINE)
_TRUNCATION_RE = re.compile(r"\s*\[(?:…|\.\.\.|\?)\]\s*\Z")
_WORDPRESS_TAIL_RE = re.compile(
    r"(?:^|\s)The post .{1,300}? appeared first on [^\n]{1,200}\Z", re.MULTILINE
)
_SENTENCE_END = ".!?…"
_MAX_CREDIT_LINE = 200
_MAX_AGENCY_LINE = 150
_TAIL_WINDOW = 300


def _data(name: str) -> str:
    return resources.files("bot.feeds").joinpath("data").joinpath(name).read_text("utf-8")


@cache
def _entries(name: str) -> dict[str, tuple[str, ...]]:
    """`kind value` lines of a data file, grouped by kind (comments and blanks skipped)."""
    found: dict[str, list[str]] = {}
    for line in _data(name).splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        kind, _, value = line.partition(" ")
        found.setdefault(kind, []).append(value.strip())
    return {kind: tuple(values) for kind, values in found.items()}


def _alternation(phrases: tuple[str, ...]) -> str:
    """Longest first, so that "photo credit" wins over "photo"; spaces match any run."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in ordered)


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    data = _entries("boilerplate.txt")
    labels = _alternation(data["label"])
    tails = _alternation(data["tail"])
    agencies = _alternation(data["agency"])
    label_line = re.compile(
        rf"\(?\s*(?:{labels})\s*[:：©][^\n]{{0,{_MAX_CREDIT_LINE}}}$", re.IGNORECASE
    )
    paren_credit = re.compile(
        rf"\s*\(\s*(?:{labels})\s*[:：©][^()\n]{{0,{_MAX_CREDIT_LINE}}}\)", re.IGNORECASE
    )
    # A "read more" link: alone on its line or after a sentence, only punctuation after it,
    # at most a short parenthesis (UOL: "Leia mais (09/24/2018 - 19h22)").
    tail = re.compile(
        rf"(?:^|(?<=[.!?…»\"”)\]:;]))[ \t]*[(\[]?[ \t]*(?:{tails})\b"
        r"[ \t.…:»>›→)\]\-–—]*(?:\([^()\n]{0,40}\))?\s*\Z",
        re.IGNORECASE | re.MULTILINE,
    )
    agency = re.compile(rf"(?:^|[\s/(©,;:])(?:{agencies})\)?\s*$")
    return label_line, paren_credit, tail, agency


def _is_agency_credit(line: str, agency: re.Pattern[str]) -> bool:
    """Short lines naming a photo agency last: "Pool/Getty Images", "© Reuters".

    A sentence that cites an agency ("…, Reuters reported.") ends in punctuation and stays.
    """
    if len(line) > _MAX_AGENCY_LINE or line.endswith(tuple(_SENTENCE_END)):
        return False
    if agency.search(line) is None:
        return False
    return "/" in line or " via " in line or "©" in line or len(line.split()) <= 5


def strip_boilerplate(text: str) -> str:
    """Photo credits and "read more" tails out of plain text; paragraphs and bullets kept."""
    label_line, paren_credit, tail, agency = _patterns()
    if "(" in text:
        text = paren_credit.sub("", text)
    lines = [
        line
        for line in text.split("\n")
        if not line or not (label_line.match(line) or _is_agency_credit(line, agency))
    ]
    text = "\n".join(lines).strip()
    # Tails are searched in the last lines only; the window starts at a line start.
    start = text.rfind("\n", 0, max(len(text) - _TAIL_WINDOW, 0)) + 1
    head, end = text[:start], text[start:]
    while True:  # tails stack ("… [...] Read more »"); each round that changes shortens
        before = end
        end = tail.sub("", _WORDPRESS_TAIL_RE.sub("", end)).rstrip()
        end = _TRUNCATION_RE.sub("…", end)
        if end == before:
            break
    return (head + end).rstrip()


def _layout(text: str) -> str:
    """Each line trimmed, at most one blank line between paragraphs, bullets on their text."""
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _LONE_BULLET_RE.sub("- ", text)
    text = _BLANKS_RE.sub("\n\n", text)
    if "\n\n- " in text:  # a list is one block: no blank line between its items
        text = _BULLET_GAP_RE.sub(r"\1\n", text)
    return text.strip()


def truncate(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word (or line) boundary with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space >= limit * 0.8:
        cut = cut[:space]
    return cut.rstrip() + "…"


def _settle(text: str) -> str:
    """Removing a credit can bring an `&` and a `#38;` together: convert until stable."""
    for _ in range(3):
        if not (looks_like_html(text) or has_entity(text)):
            return text
        text = to_plain(text)
    return to_plain(text.replace("&", " ").replace("<", " "))


def _head(raw: str, limit: int) -> str:
    """The first `limit` characters of a raw value, not ending inside a tag or a reference."""
    if len(raw) <= limit:
        return raw
    head = raw[:limit]
    lt, amp = head.rfind("<"), head.rfind("&")
    if lt > head.rfind(">"):
        head = head[:lt]
    if amp > head.rfind(";") and amp >= len(head) - 32:
        head = head[:amp]
    return head


def clean_text(raw: str, limit: int = CONTENT_LIMIT) -> str:
    """A feed's HTML or text as plain text: paragraphs, `- item` lines, no markup, bounded."""
    if not raw:
        return ""
    text = to_plain(_head(raw, limit * _RAW_FACTOR), limit * _RAW_FACTOR)
    text = _layout(strip_boilerplate(_layout(text)))
    return _settle(truncate(text, limit))


def clean_title(raw: str, limit: int = TITLE_LIMIT) -> str:
    """A title as one line of plain text, bounded."""
    if not raw:
        return ""
    text = to_plain(_head(raw, limit * _RAW_FACTOR), limit * _RAW_FACTOR)
    return _settle(truncate(" ".join(text.split()), limit))


def clean_url(url: object) -> str | None:
    """An absolute http(s) URL of at most URL_LIMIT characters, or None.

    Whitespace inside is dropped (feeds wrap long links over lines); anything else that is
    not a plain web address (javascript:, mailto:, a broken port, a lone surrogate) is None.
    """
    if not isinstance(url, str) or not url:
        return None
    scanned = URL_LIMIT * 2  # the work is bounded; a link spread beyond it is no link
    if url[scanned:].strip():
        return None
    url = "".join(url[:scanned].split())
    if not url or len(url) > URL_LIMIT or not url.isprintable():
        return None
    try:
        url.encode("utf-8")
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port out of range
    except (ValueError, UnicodeError):
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def host_of(url: str | None) -> str:
    if not url:
        return ""
    try:
        return (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""


@cache
def _ad_rules() -> tuple[frozenset[str], re.Pattern[str]]:
    data = _entries("ads.txt")
    markers = _alternation(tuple(m.casefold() for m in data["title"]))
    title = re.compile(rf"^[\[(«\"]?\s*(?:{markers})\s*(?:$|[\]):|–—-]|\s[|–—-])")
    return frozenset(data["host"]), title


def is_ad(title: str, url: str | None) -> bool:
    """An advertisement dressed as an item: a link to an ad server, or an ad marker title."""
    hosts, title_marker = _ad_rules()
    host = host_of(url)
    while host:
        if host in hosts:
            return True
        _, _, host = host.partition(".")
    return title_marker.match(title.strip().casefold()) is not None
