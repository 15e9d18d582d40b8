"""A checker for Telegram's HTML subset: only allowed tags, balanced, entities well formed."""

from __future__ import annotations

import re
from html.parser import HTMLParser

ALLOWED = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-spoiler",
    "span",
}
_BARE_AMPERSAND = re.compile(r"&(?!(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)")


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED:
            self.problems.append(f"tag <{tag}> is not allowed")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"unbalanced </{tag}>")
        else:
            self.stack.pop()


def telegram_html_problems(text: str) -> list[str]:
    checker = _Checker()
    checker.feed(text)
    checker.close()
    problems = checker.problems + [f"unclosed <{t}>" for t in checker.stack]
    if _BARE_AMPERSAND.search(text):
        problems.append("bare '&' (must be &amp;)")
    if not problems and (length := shown_length(text)) > 4096:
        problems.append(f"{length} UTF-16 units once parsed, over 4096")
    return problems


def shown_length(text: str) -> int:
    """Telegram's count, written apart from the bot's own: the text the parser keeps, in
    UTF-16 code units."""
    shown = _Text()
    shown.feed(text)
    shown.close()
    return len("".join(shown.parts).encode("utf-16-le")) // 2


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
