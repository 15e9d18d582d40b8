"""Package data (gazetteers, word lists), loaded once on first use and never mutated."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


def word_set(text: str) -> frozenset[str]:
    """Inline word lists in code stay readable as one string."""
    return frozenset(text.split())


def _read(name: str) -> str:
    return (
        resources.files("bot.articles").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    )


@cache
def word_list(name: str) -> frozenset[str]:
    """Whitespace-separated words of a .txt data file (lines starting with # are comments)."""
    words: set[str] = set()
    for line in _read(name).splitlines():
        if line.strip().startswith("#"):
            continue
        words.update(w.lower() for w in line.split())
    return frozenset(words)


@cache
def line_list(name: str) -> tuple[str, ...]:
    """Non-empty, non-comment lines of a .txt data file, lower-cased."""
    return tuple(
        line.strip().lower()
        for line in _read(name).splitlines()
        if line.strip() and not line.strip().startswith("#")
    )


@dataclass(frozen=True)
class Country:
    ru: str
    en: str
    ru_aliases: tuple[str, ...]
    en_aliases: tuple[str, ...]
    ru_adj: tuple[str, ...]
    en_adj: tuple[str, ...]


@dataclass(frozen=True)
class Leader:
    """A current head of state/government; *_key is the word that names them in running text."""

    ru: str
    en: str
    country: str
    ru_key: str
    en_key: str


@dataclass(frozen=True)
class City:
    ru: str
    en: str


def _str_tuple(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


@cache
def countries() -> tuple[Country, ...]:
    raw = json.loads(_read("countries.json"))
    return tuple(
        Country(
            ru=str(c["ru"]),
            en=str(c["en"]),
            ru_aliases=_str_tuple(c.get("ru_aliases")),
            en_aliases=_str_tuple(c.get("en_aliases")),
            ru_adj=_str_tuple(c.get("ru_adj")),
            en_adj=_str_tuple(c.get("en_adj")),
        )
        for c in raw
    )


@cache
def leaders() -> tuple[Leader, ...]:
    raw = json.loads(_read("leaders.json"))
    return tuple(
        Leader(
            ru=str(x["ru"]),
            en=str(x["en"]),
            country=str(x["country"]),
            ru_key=str(x.get("ru_key") or str(x["ru"]).split()[-1]),
            en_key=str(x.get("en_key") or str(x["en"]).split()[-1]),
        )
        for x in raw
    )


@cache
def cities() -> tuple[City, ...]:
    raw = json.loads(_read("cities.json"))
    return tuple(City(ru=str(x["ru"]), en=str(x["en"])) for x in raw)
