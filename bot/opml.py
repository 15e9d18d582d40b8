"""OPML, the file feed readers exchange feed lists in: reading it safely and writing it.

Pure: bytes in, dataclasses out (and back). OPML files come from strangers' exports, so the
reader refuses any DOCTYPE (no entity can be declared, so none can expand or reach outside),
caps size, nesting and feed count, and decodes whatever encoding the file declares.
"""

from __future__ import annotations

import codecs
import re
import xml.etree.ElementTree as ET
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from xml.parsers import expat

from bot.config import feed_url_key, is_http_url
from storage.models import Feed, Topic

MAX_OPML_BYTES = 2 * 1024 * 1024
MAX_FEEDS = 5000
MAX_DEPTH = 64  # folders within folders; real exports use one or two levels
MAX_URL_LENGTH = 2048
MAX_TITLE_LENGTH = 300

# The XML declaration's encoding, read from the ASCII-compatible start of the file.
_DECLARED_ENCODING = re.compile(
    rb"""^<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._:-]*)["']"""
)
# Byte patterns of a file without a byte order mark in a UTF-16 or UTF-32 encoding
# (XML 1.0, appendix F).
_WIDE_STARTS = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: its BOM begins with that one
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Characters XML 1.0 cannot carry at all, not even as character references.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class OpmlError(Exception):
    """The file cannot be imported; the message says why, for the admin who sent it."""


@dataclass(frozen=True)
class OpmlFeed:
    url: str  # xmlUrl
    title: str  # text (else title) attribute, may be ""
    # The enclosing folders' titles, then the `category` attribute's parts, lower-cased.
    categories: tuple[str, ...]


@dataclass(frozen=True)
class OpmlDocument:
    """What a file held: its feeds (each URL once) and the outlines that were left out."""

    feeds: tuple[OpmlFeed, ...]
    skipped: tuple[str, ...] = ()  # xmlUrl values that are not http(s) addresses
    duplicates: int = 0  # outlines repeating a URL met earlier (their categories merged)


@dataclass(frozen=True)
class ImportPlan:
    """Which feeds of a file to add (with their topic ids) and which are already followed."""

    new: tuple[tuple[OpmlFeed, tuple[int, ...]], ...]
    existing: tuple[OpmlFeed, ...]
    unknown_categories: tuple[str, ...]


@dataclass(frozen=True)
class ImportReport:
    """What an import did, for the one-line answer to the admin."""

    added: int
    existing: int
    skipped: int
    unknown_categories: tuple[str, ...] = field(default_factory=tuple)


# --- reading ----------------------------------------------------------------------------


def parse_opml(
    data: bytes, *, max_feeds: int = MAX_FEEDS, max_bytes: int = MAX_OPML_BYTES
) -> list[OpmlFeed]:
    """The feeds of an OPML 1.0/2.0 file; raises OpmlError for anything unusable."""
    return list(read_opml(data, max_feeds=max_feeds, max_bytes=max_bytes).feeds)


def read_opml(
    data: bytes, *, max_feeds: int = MAX_FEEDS, max_bytes: int = MAX_OPML_BYTES
) -> OpmlDocument:
    """Like parse_opml, and also tells how many outlines were skipped or repeated."""
    if len(data) > max_bytes:
        raise too_large(len(data), max_bytes)
    if not data.strip():
        raise OpmlError("the file is empty")
    text = _decode(data)
    reader = _Reader(max_feeds)
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_entity
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    try:
        # A str goes to expat as UTF-8 whatever the declaration says: it was decoded above.
        parser.Parse(text.lstrip("\ufeff"), True)
    except expat.ExpatError as exc:
        raise OpmlError(f"not an OPML file: broken XML ({exc})") from None
    return reader.document()


def too_large(size: int, limit: int = MAX_OPML_BYTES) -> OpmlError:
    """The error for a file over the size cap (also used before downloading one)."""
    return OpmlError(f"the file is too large: {size} bytes, at most {limit} are accepted")


def _decode(data: bytes) -> str:
    """Decode by byte order mark, else by the declared encoding, else as UTF-8."""
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    if encoding is None:
        encoding = next((name for start, name in _WIDE_STARTS if data.startswith(start)), None)
    if encoding is None:
        declared = _DECLARED_ENCODING.match(data[:1024])
        encoding = declared.group(1).decode("ascii") if declared else "utf-8"
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise OpmlError(f"the file declares an unknown encoding: {encoding}") from None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise OpmlError(f"not an OPML file: not valid {encoding} text") from None


def _refuse_doctype(*_: object) -> None:
    raise OpmlError("the file has a DOCTYPE declaration: refused (OPML needs none)")


def _refuse_entity(*_: object) -> None:
    raise OpmlError("the file declares XML entities: refused")


def is_feed_url(url: str) -> bool:
    """An absolute http(s) address with a host, no spaces and of a sane length."""
    if not url or len(url) > MAX_URL_LENGTH or any(c.isspace() or ord(c) < 32 for c in url):
        return False
    return is_http_url(url)


def clean_title(title: str) -> str:
    """One line of at most MAX_TITLE_LENGTH characters."""
    return " ".join(title.split())[:MAX_TITLE_LENGTH].strip()


def split_categories(value: str) -> list[str]:
    """OPML's `category`: comma-separated, each part a slash-separated path of names."""
    return [
        name
        for part in value.split(",")
        for name in (clean_title(piece).lower() for piece in part.split("/"))
        if name
    ]


class _Reader:
    """Expat callbacks collecting feeds; folders are tracked on a stack, never recursed."""

    def __init__(self, max_feeds: int) -> None:
        self.max_feeds = max_feeds
        self.open: list[bool] = []  # one per open element: did it open a named folder?
        self.folders: list[str] = []
        self.feeds: dict[str, tuple[str, str, list[str]]] = {}  # key -> (url, title, cats)
        self.skipped: list[str] = []
        self.duplicates = 0

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if not self.open and name.lower() != "opml":
            raise OpmlError(f"not an OPML file: the document is <{name[:40]}>, not <opml>")
        if len(self.open) > MAX_DEPTH:
            raise OpmlError(f"outlines are nested deeper than {MAX_DEPTH} levels")
        folder = False
        if name.lower() == "outline":
            attrs = {key.lower(): value for key, value in attributes.items()}
            title = clean_title(attrs.get("text") or attrs.get("title") or "")
            if "xmlurl" in attrs:
                self._feed(attrs["xmlurl"].strip(), title, attrs.get("category", ""))
            elif title:
                self.folders.append(title.lower())
                folder = True
        self.open.append(folder)

    def end(self, name: str) -> None:
        if self.open.pop():
            self.folders.pop()

    def _feed(self, url: str, title: str, category: str) -> None:
        if not is_feed_url(url):
            self.skipped.append(url)
            return
        categories = [*self.folders, *split_categories(category)]
        key = feed_url_key(url)
        known = self.feeds.get(key)
        if known is not None:
            self.duplicates += 1
            known_url, known_title, known_categories = known
            known_categories.extend(categories)
            self.feeds[key] = (known_url, known_title or title, known_categories)
            return
        if len(self.feeds) >= self.max_feeds:
            raise OpmlError(f"the file lists more than {self.max_feeds} feeds")
        self.feeds[key] = (url, title, categories)

    def document(self) -> OpmlDocument:
        feeds = tuple(
            OpmlFeed(url, title, tuple(dict.fromkeys(categories)))
            for url, title, categories in self.feeds.values()
        )
        return OpmlDocument(feeds, tuple(self.skipped), self.duplicates)


# --- importing --------------------------------------------------------------------------


def plan_import(
    feeds: Sequence[OpmlFeed], *, followed_urls: Collection[str], topics: Sequence[Topic]
) -> ImportPlan:
    """Split a file's feeds into new and already followed; map categories to topics.

    A category names a topic by its slug, or by its Russian or English name (any case);
    categories naming no topic are reported, never created.
    """
    by_name: dict[str, int] = {}
    for topic in topics:
        for name in (topic.name_en, topic.name_ru, topic.slug):  # the slug wins a clash
            by_name[clean_title(name).lower()] = topic.id
    followed = {feed_url_key(url) for url in followed_urls}
    new: list[tuple[OpmlFeed, tuple[int, ...]]] = []
    existing: list[OpmlFeed] = []
    unknown: dict[str, None] = {}
    for feed in feeds:
        topic_ids = []
        for category in (clean_title(c).lower() for c in feed.categories):
            topic_id = by_name.get(category)
            if not category:
                continue
            if topic_id is None:
                unknown[category] = None
            elif topic_id not in topic_ids:
                topic_ids.append(topic_id)
        if feed_url_key(feed.url) in followed:
            existing.append(feed)
        else:
            new.append((feed, tuple(topic_ids)))
    return ImportPlan(tuple(new), tuple(existing), tuple(sorted(unknown)))


def name_list(names: Sequence[str], *, limit: int = 1000) -> str:
    """Names joined by commas, cut at about `limit` characters so an answer stays one message."""
    shown: list[str] = []
    length = 0
    for name in names:
        length += len(name) + 2 * bool(shown)
        if length > limit:
            break
        shown.append(name)
    if len(shown) == len(names):
        return ", ".join(shown)
    if not shown:
        return f"{names[0][:limit]}… (+{len(names) - 1})"
    return f"{', '.join(shown)}, … (+{len(names) - len(shown)})"


# --- writing ----------------------------------------------------------------------------


def export_rows(
    feeds: Sequence[Feed], topics: Sequence[Topic]
) -> list[tuple[str, str, tuple[str, ...]]]:
    """Stored feeds as build_opml's (url, title, topic slugs), topics in the feed's order."""
    slugs = {topic.id: topic.slug for topic in topics}
    return [
        (feed.url, feed.title, tuple(slugs[i] for i in feed.topic_ids if i in slugs))
        for feed in feeds
    ]


def build_opml(
    feeds: Sequence[tuple[str, str, Sequence[str]]], *, title: str = "newsbot feeds"
) -> bytes:
    """An OPML 2.0 file (UTF-8) of (url, title, topic slugs); parse_opml reads it back.

    A feed sits in the folder of its first topic, and its `category` attribute lists every
    topic, so readers that know folders and readers that know categories both keep them.
    """
    folders: dict[str, list[ET.Element]] = {}
    loose: list[ET.Element] = []
    for url, name, slugs in feeds:
        text = _xml_text(name)
        outline = ET.Element("outline", type="rss", text=text, title=text, xmlUrl=_xml_text(url))
        topics = [_xml_text(slug) for slug in slugs if slug]
        if topics:
            outline.set("category", ",".join(topics))
            folders.setdefault(topics[0], []).append(outline)
        else:
            loose.append(outline)
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = _xml_text(title)
    body = ET.SubElement(root, "body")
    for slug in sorted(folders):
        folder = ET.SubElement(body, "outline", text=slug, title=slug)
        folder.extend(folders[slug])
    body.extend(loose)
    ET.indent(root)
    xml = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + xml + "\n").encode("utf-8")


def _xml_text(value: str) -> str:
    return _NOT_XML.sub("", value)
