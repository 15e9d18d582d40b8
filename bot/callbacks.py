"""The data behind the bot's inline buttons: short, typed, and checked on every press.

Telegram hands a button's `callback_data` back verbatim when it is pressed, but anyone can
send a callback query with data of their own choosing, and old messages keep the buttons
they had when sent. So a press is parsed strictly against the action it names, and what
does not parse is answered as out of date, never trusted and never an exception.

Data is `name:field:field…`: the action's short name, then its fields, each an integer or a
short token of letters, digits, "_", "-" and ".". Telegram allows 64 bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BYTES = 64  # Telegram's limit on callback_data
_NAME = re.compile(r"[a-z][a-z0-9]{0,7}")
_TOKEN = re.compile(r"[\w.-]{1,40}", re.ASCII)
_INT = re.compile(r"0|-?[1-9][0-9]{0,18}")  # canonical: one spelling per number
_INT64 = 2**63
_ACTIONS: dict[str, Action] = {}

Field = int | str


@dataclass(frozen=True)
class Action:
    """One kind of button: its name and the types of its fields, in order."""

    name: str
    fields: tuple[type[int] | type[str], ...] = ()

    def __post_init__(self) -> None:
        if not _NAME.fullmatch(self.name):
            raise ValueError(f"an action's name is 1-8 lowercase letters or digits: {self.name!r}")
        if self.name in _ACTIONS:
            raise ValueError(f"two actions are called {self.name!r}")
        _ACTIONS[self.name] = self

    @property
    def pattern(self) -> re.Pattern[str]:
        """What a CallbackQueryHandler matches: data naming this action (fields unchecked)."""
        return re.compile(rf"^{self.name}(:|$)")

    def data(self, *values: Field) -> str:
        """The callback_data of a button for these values; a value that cannot travel raises
        (a programming error: the bot only makes buttons from its own values)."""
        parsed = self.parse(":".join([self.name, *map(str, values)]))
        if parsed is None or parsed != values:
            raise ValueError(f"{self.name}: cannot encode {values!r}")
        return ":".join([self.name, *map(str, values)])

    def parse(self, data: str | None) -> tuple[Field, ...] | None:
        """The fields of a press of this action; None for anything else (stale or forged)."""
        if data is None or len(data.encode("utf-8")) > MAX_BYTES:
            return None
        name, *parts = data.split(":")
        if name != self.name or len(parts) != len(self.fields):
            return None
        values: list[Field] = []
        for kind, part in zip(self.fields, parts, strict=True):
            if kind is int:
                if not _INT.fullmatch(part) or not -_INT64 <= int(part) < _INT64:
                    return None
                values.append(int(part))
            elif _TOKEN.fullmatch(part):
                values.append(part)
            else:
                return None
        return tuple(values)
