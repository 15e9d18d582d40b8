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
    if len(text) > 4096:
        problems.append(f"{len(text)} characters, over 4096")
    return problems
