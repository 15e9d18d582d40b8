"""Notices: one text for many chats, sent through the outbox like a card (paced, retried,
held by quiet hours, never put into a digest). Made when queued, in both languages, so the
sender only picks the chat's language."""

from __future__ import annotations

from collections.abc import Callable

from bot.delivery.render import escape_html, telegram_length
from bot.i18n import LANGUAGES, t
from storage.models import NoticeText, Topic

# An announcement's length as Telegram counts it: its preview (a header line above the text)
# must fit in one message of 4096.
ANNOUNCEMENT_LIMIT = 3500


def announcement(text: str) -> NoticeText:
    """The admin's text as written (escaped: it is shown, never read as markup), the same
    in every chat."""
    body = escape_html(text.strip())
    return NoticeText(ru=body, en=body)


def announcement_length(text: str) -> int:
    return telegram_length(text.strip(), parsed_html=False)


def topic_removed(topic: Topic) -> NoticeText:
    """ "The topic X is gone" in each language, the topic named as that language names it."""
    return _in_both(lambda lang: t(lang, "notice_topic_removed", name=_name(topic, lang)))


def topic_renamed(old: Topic, new: Topic) -> tuple[NoticeText, tuple[str, ...]]:
    """ "X is now called Y" in each language, and the languages whose name changed: only
    chats reading those are told."""
    text = _in_both(
        lambda lang: t(lang, "notice_topic_renamed", old=_name(old, lang), new=_name(new, lang))
    )
    return text, tuple(lang for lang in LANGUAGES if old.name(lang) != new.name(lang))


def _name(topic: Topic, lang: str) -> str:
    return escape_html(topic.name(lang))


def _in_both(render: Callable[[str], str]) -> NoticeText:
    return NoticeText(ru=render("ru"), en=render("en"))
