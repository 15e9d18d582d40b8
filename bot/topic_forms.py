"""Topics as admins type them in Telegram: /addtopic and /edittopic read and checked.

Pure: text in, a TopicConfig (or an EditForm) or a Problem out; the handlers answer. Easy to
type on a phone: the parts of a new topic are separated by "|" or by new lines, keywords by
commas, e.g.

    /addtopic energy | Энергетика | Energy | нефть, газ, электростанция

Keywords are plain words or phrases, matched by word forms as configured topics are
(bot/topics.py): never regular expressions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bot.articles.lemmas import WORD_RE
from bot.config import TopicConfig
from bot.topics import topic_named
from storage.models import Topic

SLUG = re.compile(r"[a-z0-9-]{2,32}")
NAME_LIMIT = 64
KEYWORD_LIMIT = 60  # characters of one keyword
KEYWORD_WORDS = 5  # words of one keyword
KEYWORDS_MOST = 50  # keywords of one topic
_PARTS = re.compile(r"\s*[|\n]\s*")
_KEYWORD_SEPARATORS = re.compile(r"[,;\n|]")
_PATTERN_CHARS = set("*+?[](){}\\^$/<>=~#@%")  # a pattern, markup or a handle: not a phrase
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
FIELDS = {
    "name_ru": "name_ru",
    "ru": "name_ru",
    "name_en": "name_en",
    "en": "name_en",
    "keywords": "keywords",
    "kw": "keywords",
}


@dataclass(frozen=True)
class Problem:
    """What is wrong, as a catalogue key and its values (raw: the handler escapes them)."""

    key: str
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class EditForm:
    """`/edittopic <topic> <field> <value>`: the topic as typed, the field, the raw value."""

    topic: str
    field: str  # 'name_ru', 'name_en' or 'keywords'
    value: str


def command_text(text: str) -> str:
    """A command message's text after the command itself, new lines kept."""
    parts = text.strip().split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 and parts[0].startswith("/") else ""


def parse_new_topic(text: str) -> TopicConfig | Problem | None:
    """`<slug> | <name ru> | <name en> | <keyword>, <keyword>…` (or each part on its own
    line; the slug may be followed by a space instead of "|"). None when it is not that
    shape at all (the handler shows how); a Problem for a part that is wrong."""
    parts = _PARTS.split(text.strip())
    head = parts[0].split(maxsplit=1)
    parts = [*head, *parts[1:]]
    if len(parts) < 3:
        return None
    slug, name_ru, name_en, *keyword_parts = parts
    keywords = parse_keywords("\n".join(keyword_parts))
    if isinstance(keywords, Problem):
        return keywords
    if not SLUG.fullmatch(slug.lower()):
        return Problem("topic_bad_slug", {"slug": slug})
    return check_names(
        TopicConfig(slug.lower(), _clean_name(name_ru), _clean_name(name_en), keywords)
    )


def parse_edit(text: str) -> EditForm | Problem | None:
    """`<topic> <field> <value>`: None without a topic; a Problem for an unknown field.
    A topic alone is an EditForm with an empty field (the handler shows the topic)."""
    parts = text.strip().split(maxsplit=2)
    if not parts:
        return None
    if len(parts) == 1:
        return EditForm(parts[0], "", "")
    wanted = FIELDS.get(parts[1].lower())
    if wanted is None:
        return Problem("topic_unknown_field", {"field": parts[1]})
    return EditForm(parts[0], wanted, parts[2] if len(parts) > 2 else "")


def edited(topic: Topic, form: EditForm) -> TopicConfig | Problem:
    """The topic with the edit applied, checked. Keywords: a list replaces them, "+ a, b"
    adds, "- a, b" removes, "-" alone removes them all."""
    current = TopicConfig(topic.slug, topic.name_ru, topic.name_en, topic.keywords)
    if form.field == "keywords":
        value = form.value.strip()
        if value == "-":
            return TopicConfig(topic.slug, topic.name_ru, topic.name_en, ())
        change = parse_keywords(value.lstrip("+-"))
        if isinstance(change, Problem):
            return change
        if not change:
            return Problem("topic_value_missing", {"field": form.field})
        if value.startswith("+"):
            keywords = _unique([*topic.keywords, *change])
        elif value.startswith("-"):
            gone = {_key(k) for k in change}
            keywords = tuple(k for k in topic.keywords if _key(k) not in gone)
        else:
            keywords = change
        if len(keywords) > KEYWORDS_MOST:
            return Problem("topic_keywords_too_many", {"most": str(KEYWORDS_MOST)})
        return TopicConfig(topic.slug, topic.name_ru, topic.name_en, keywords)
    name = _clean_name(form.value)
    if form.field == "name_ru":
        return check_names(TopicConfig(current.slug, name, current.name_en, current.keywords))
    return check_names(TopicConfig(current.slug, current.name_ru, name, current.keywords))


def check_names(form: TopicConfig) -> TopicConfig | Problem:
    """Both names: there, short, and showing what they are."""
    for key, name in (("name_ru", form.name_ru), ("name_en", form.name_en)):
        if not name:
            return Problem("topic_value_missing", {"field": key})
        if len(name) > NAME_LIMIT or _hidden_characters(name):
            return Problem("topic_bad_name", {"field": key, "name": name})
    return form


def clash(
    form: TopicConfig, topics: Iterable[Topic], *, topic_id: int | None = None
) -> Problem | None:
    """A slug or name another topic already answers to (people name topics by either:
    bot.topics.topic_named), which would make one of the two unreachable."""
    others = [tp for tp in topics if tp.id != topic_id]
    for value in (form.slug, form.name_ru, form.name_en):
        other = topic_named(value, others)
        if other is not None:
            return Problem("topic_name_taken", {"name": value, "slug": other.slug})
    return None


def parse_keywords(text: str) -> tuple[str, ...] | Problem:
    """Keywords separated by commas, semicolons or new lines: each a plain word or phrase."""
    keywords = _unique(" ".join(k.split()) for k in _KEYWORD_SEPARATORS.split(text))
    for keyword in keywords:
        words = WORD_RE.findall(keyword)
        if (
            not words
            or len(keyword) > KEYWORD_LIMIT
            or len(words) > KEYWORD_WORDS
            or any(c.isdigit() or c in _PATTERN_CHARS for c in keyword)
            or _hidden_characters(keyword)
        ):
            return Problem("topic_bad_keyword", {"keyword": keyword})
    if len(keywords) > KEYWORDS_MOST:
        return Problem("topic_keywords_too_many", {"most": str(KEYWORDS_MOST)})
    return keywords


def _clean_name(name: str) -> str:
    return " ".join(name.split())


def _hidden_characters(text: str) -> bool:
    """Control characters and direction overrides: a name must look as it is."""
    return any(unicodedata.category(c) == "Cc" or c in _BIDI for c in text)


def _key(keyword: str) -> str:
    return keyword.casefold().replace("ё", "е")


def _unique(keywords: Iterable[str]) -> tuple[str, ...]:
    """Non-empty keywords, each once (the first spelling kept)."""
    seen: dict[str, str] = {}
    for keyword in keywords:
        if keyword and _key(keyword) not in seen:
            seen[_key(keyword)] = keyword
    return tuple(seen.values())


def describe(keywords: Sequence[str]) -> str:
    """Keywords as an admin types them back."""
    return ", ".join(keywords)
