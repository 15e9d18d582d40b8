"""Items as cards: Telegram HTML messages (split under Telegram's limit) or plain text.

Every string that came from a feed is escaped; only our own tags reach Telegram. Lengths are
measured as Telegram measures them: UTF-16 code units of the text once the tags are parsed.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import Action
from bot.config import is_http_url
from bot.i18n import t
from storage.models import DigestLine, Item, Topic

MESSAGE_LIMIT = 4096
SUMMARY_LIMIT = 600
TITLE_LIMIT = 300
DOCUMENT_LIMIT = 1000
# Up to this many documents are listed as they are; a longer list goes into an expandable
# quote, so a summit card stays short on a phone until the reader opens the list.
PLAIN_DOCUMENTS = 3
DIGEST_LIMIT = 50  # headlines in one digest; the rest are counted, not listed


@dataclass(frozen=True)
class Card:
    title: str
    source: str
    published_at: float | None
    url: str | None
    summary: str
    documents: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    place: str | None = None
    other_sources: tuple[str, ...] = ()  # other feeds that carried the same story
    followed: str | None = None  # the chat's followed phrase that brought it (follows)


class Readable(Protocol):
    """What a card is made of: a stored Item and a not-yet-stored ItemDraft both qualify."""

    @property
    def title(self) -> str: ...
    @property
    def url(self) -> str | None: ...
    @property
    def published_at(self) -> float | None: ...
    @property
    def text(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def documents(self) -> list[dict[str, str]]: ...
    @property
    def entities(self) -> dict[str, Any]: ...


def item_card(item: Item) -> Card:
    card = make_card(item, item.feed_title, fallback_date=item.fetched_at)
    return replace(card, other_sources=item.other_sources)


def more_items_message(item: Item, count: int, lang: str) -> str:
    """The one message that stands for the new items past a check's bound."""
    return t(lang, "more_items", count=count, source=escape_html(cut_text(item.feed_title, 100)))


def render_digest(lines: tuple[DigestLine, ...], lang: str, when: str) -> list[str]:
    """A digest: the headlines since the last one, grouped by topic, each a link; as many
    messages as it takes, never a headline cut in two."""
    shown, rest = lines[:DIGEST_LIMIT], lines[DIGEST_LIMIT:]
    count = sum(max(1, line.more) for line in lines)
    blocks = [Block(f"<b>{escape_html(t(lang, 'digest_header', count=count, when=when))}</b>")]
    groups: dict[str, list[DigestLine]] = {}
    for line in shown:
        name = line.topic.name(lang) if line.topic else t(lang, "digest_other")
        if line.followed and not line.topic:  # follows: under the phrase that brought it
            name = t(lang, "digest_followed", phrase=cut_text(line.followed, 60))
        groups.setdefault(name, []).append(line)
    for name, group in groups.items():
        blocks.append(Block(f"<b>{escape_html(name)}</b>"))
        blocks.extend(Block(_digest_line(line, lang), tight=True) for line in group)
    if rest:
        hidden = sum(max(1, line.more) for line in rest)
        blocks.append(Block(escape_html(t(lang, "digest_rest", count=hidden))))
    return pack_messages(blocks)


def _digest_line(line: DigestLine, lang: str) -> str:
    source = escape_html(cut_text(line.source, 60))
    if line.more:
        return "• " + escape_html(t(lang, "digest_more", count=line.more)) + f" <i>{source}</i>"
    title = escape_html(cut_text(line.title, TITLE_LIMIT) or t(lang, "untitled"))
    if line.url and is_http_url(line.url):
        title = f'<a href="{html.escape(line.url, quote=True)}">{title}</a>'
    return f"• {title} <i>{source}</i>"


def make_card(item: Readable, source: str, *, fallback_date: float | None = None) -> Card:
    entities = item.entities
    return Card(
        title=item.title,
        source=source,
        published_at=item.published_at if item.published_at is not None else fallback_date,
        url=item.url,
        summary=without_title(item.summary or item.text, item.title),
        documents=tuple(str(d.get("title", "")) for d in item.documents if d.get("title")),
        participants=tuple(str(p) for p in entities.get("participants", [])),
        place=entities.get("place") or None,
    )


_SENTENCE_END = re.compile(r"[.!?…»\"')](?=\s)")
_FIRST_SENTENCE = re.compile(r"\S.*?(?:[.!?…]+[»\"')]*(?=\s)|$)", re.DOTALL)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def without_title(summary: str, title: str) -> str:
    """The summary without a first sentence that only repeats the title (many feeds open the
    article with its headline): the card shows the title once."""
    first = _FIRST_SENTENCE.match(summary.lstrip())
    if first is None or not _words(title) or _words(first.group()) != _words(title):
        return summary
    return summary.lstrip()[first.end() :].strip()


def cut_text(text: str, limit: int) -> str:
    """Shorten to at most `limit` characters at a sentence end, else at a word, adding '…'."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    ends = [m.end() for m in _SENTENCE_END.finditer(head) if m.end() <= limit]
    if ends and ends[-1] >= limit // 2:
        return head[: ends[-1]]
    space = head.rfind(" ", 0, limit)
    cut = head[:space] if space >= limit // 2 else head[: limit - 1]
    return cut.rstrip(" ,;:-—–") + "…"


def _who_and_where(card: Card) -> str:
    who = ", ".join(card.participants)
    return f"{who} — {card.place}" if who and card.place else who or card.place or ""


def format_date(timestamp: float | None, timezone: str) -> str:
    if timestamp is None:
        return ""
    moment = datetime.fromtimestamp(timestamp, UTC).astimezone(ZoneInfo(timezone))
    return moment.strftime("%d.%m.%Y %H:%M")


def escape_html(text: object) -> str:
    """A value as Telegram HTML text (quotes need escaping only inside attributes)."""
    return html.escape(str(text), quote=False)


def render_html(
    card: Card, lang: str, timezone: str, *, summary_limit: int = SUMMARY_LIMIT
) -> list[str]:
    """The card as one or more Telegram HTML messages, each under the 4096-character limit."""
    title = cut_text(card.title, TITLE_LIMIT) or t(lang, "untitled")
    blocks: list[Block] = [Block(f"<b>{escape_html(title)}</b>")]
    meta = " · ".join(
        p for p in (cut_text(card.source, 100), format_date(card.published_at, timezone)) if p
    )
    if meta:
        blocks.append(Block(f"<i>{escape_html(meta)}</i>", tight=True))
    if card.followed:  # follows: why the card came, right under where it came from
        followed = t(lang, "card_followed", phrase=cut_text(card.followed, 60))
        blocks.append(Block(escape_html(followed), tight=True))
    if card.participants or card.place:
        blocks.append(Block(escape_html(_who_and_where(card))))
    if card.summary:
        blocks.append(Block(escape_html(cut_text(card.summary, summary_limit))))
    if card.documents:
        header = t(lang, "documents_signed", count=len(card.documents))
        blocks.append(Block(f"<b>{escape_html(header)}</b>"))
        blocks.extend(_document_blocks(card.documents))
    if card.other_sources:
        sources = ", ".join(cut_text(s, 60) for s in card.other_sources[:5])
        blocks.append(Block(f"<i>{escape_html(t(lang, 'also_in', sources=sources))}</i>"))
    if card.url and is_http_url(card.url):
        link = (
            f'<a href="{html.escape(card.url, quote=True)}">{escape_html(t(lang, "read_more"))}</a>'
        )
        blocks.append(Block(link))
    return pack_messages(blocks)


def _document_blocks(documents: tuple[str, ...]) -> list[Block]:
    """Numbered lines; past PLAIN_DOCUMENTS, in expandable quotes of at most half a message
    each (a quote is one block, so one that would not fit is never cut inside its tag)."""
    lines = [
        f"{n}. {escape_html(cut_text(doc, DOCUMENT_LIMIT))}" for n, doc in enumerate(documents, 1)
    ]
    if len(lines) <= PLAIN_DOCUMENTS:
        return [Block(line, tight=True) for line in lines]
    groups: list[list[str]] = [[]]
    for line in lines:
        group = groups[-1]
        if group and telegram_length("\n".join([*group, line])) > MESSAGE_LIMIT // 2:
            groups.append(group := [])
        group.append(line)
    return [
        Block("<blockquote expandable>" + "\n".join(group) + "</blockquote>", tight=True)
        for group in groups
    ]


@dataclass(frozen=True)
class Block:
    """A self-contained piece of HTML; `tight` ones follow the previous line directly."""

    html: str
    tight: bool = False


_TAG = re.compile(r"<[^>]*>")


def plain_text(html_text: str) -> str:
    """What Telegram shows of our HTML: the text without tags, entities decoded."""
    return html.unescape(_TAG.sub("", html_text))


def telegram_length(text: str, *, parsed_html: bool = True) -> int:
    """A message's length as Telegram counts it against MESSAGE_LIMIT: UTF-16 code units
    of the text after entity parsing (an emoji or a rare CJK character counts twice)."""
    shown = plain_text(text) if parsed_html else text
    return len(shown.encode("utf-16-le")) // 2


def pack_messages(blocks: list[Block], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Join blocks into as few messages as fit, never splitting a block (so never a tag)."""
    messages: list[str] = []
    current, length = "", 0
    for block in blocks:
        separator = ("\n" if block.tight else "\n\n") if current else ""
        size = telegram_length(block.html)
        if current and length + len(separator) + size > limit:
            messages.append(current)
            current, length, separator = "", 0, ""
        current += separator + block.html
        length += len(separator) + size
    if current:
        messages.append(current)
    return messages


def split_plain(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Plain text in pieces of at most `limit` UTF-16 units, cut at line ends where it can,
    else at spaces, else anywhere: the last resort for a part Telegram found too long."""
    pieces: list[str] = []
    rest = text.strip()
    while rest:
        if telegram_length(rest, parsed_html=False) <= limit:
            pieces.append(rest)
            break
        head = _utf16_prefix(rest, limit)
        cut = head.rfind("\n")
        if cut < len(head) // 2:
            cut = head.rfind(" ")
        if cut < len(head) // 2:
            cut = len(head)
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].strip()
    return pieces


def _utf16_prefix(text: str, limit: int) -> str:
    """The longest prefix of `text` within `limit` UTF-16 units, never half a character."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return text[:index]
    return text


def render_text(card: Card, lang: str, timezone: str) -> str:
    """The card for a terminal: the same content, no markup."""
    lines = [cut_text(card.title, TITLE_LIMIT) or t(lang, "untitled")]
    meta = " · ".join(p for p in (card.source, format_date(card.published_at, timezone)) if p)
    if meta:
        lines.append(meta)
    if card.participants or card.place:
        lines += ["", _who_and_where(card)]
    if card.summary:
        lines += ["", cut_text(card.summary, SUMMARY_LIMIT)]
    if card.documents:
        lines += ["", t(lang, "documents_signed", count=len(card.documents))]
        lines += [f"{n}. {title}" for n, title in enumerate(card.documents, 1)]
    if card.url:
        lines += ["", card.url]
    return "\n".join(lines)


# --- card buttons: the small keyboard under a pushed card ---------------------------------
#
# Presses are handled in handlers/cards.py. The data carries only integers, far within
# Telegram's 64 bytes: ids looked up again on a press, and the card's forum thread, for a
# press on a card too old for Telegram to show the bot (it then says nothing of the thread).
CARD_DOCUMENTS = Action("cdocs", (int, int))  # item id, thread: the list of its documents
CARD_UNSUBSCRIBE = Action("cunsub", (int, int, int))  # item id, topic id, thread
CARD_RESUBSCRIBE = Action("cresub", (int, int, int))  # the undo of an unsubscribe from a card
BUTTON_NAME_LIMIT = 40  # a topic's name on a button: longer ones are cut, the phone cuts more


def card_keyboard(
    item_id: int,
    documents: int,
    topic: Topic | None,
    lang: str,
    *,
    thread: int = 0,
    subscribed: bool = True,
) -> InlineKeyboardMarkup | None:
    """The buttons under a card: its documents, when the card folds them into a quote (more
    than PLAIN_DOCUMENTS), and leaving (or, after that, rejoining) the topic that brought it.
    None when there is nothing to press."""
    rows: list[list[InlineKeyboardButton]] = []
    if documents > PLAIN_DOCUMENTS:
        label = t(lang, "button_documents", count=documents)
        rows.append(
            [InlineKeyboardButton(label, callback_data=CARD_DOCUMENTS.data(item_id, thread))]
        )
    if topic is not None:
        name = cut_text(topic.name(lang), BUTTON_NAME_LIMIT)
        if subscribed:
            label = t(lang, "button_unsubscribe", name=name)
            data = CARD_UNSUBSCRIBE.data(item_id, topic.id, thread)
        else:
            label = t(lang, "button_resubscribe", name=name)
            data = CARD_RESUBSCRIBE.data(item_id, topic.id, thread)
        rows.append([InlineKeyboardButton(label, callback_data=data)])
    return InlineKeyboardMarkup(rows) if rows else None


def render_documents(item: Readable, lang: str) -> list[str]:
    """An item's documents as messages of their own (the Documents button): the title, then
    every document numbered, outside any quote, easy to copy or forward."""
    title = cut_text(item.title, TITLE_LIMIT) or t(lang, "untitled")
    documents = [str(d.get("title", "")) for d in item.documents if d.get("title")]
    header = t(lang, "documents_signed", count=len(documents))
    blocks = [Block(f"<b>{escape_html(title)}</b>"), Block(f"<b>{escape_html(header)}</b>")]
    blocks += [
        Block(f"{n}. {escape_html(cut_text(doc, DOCUMENT_LIMIT))}", tight=True)
        for n, doc in enumerate(documents, 1)
    ]
    return pack_messages(blocks)
