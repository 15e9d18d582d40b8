"""Message catalogues: the bot answers in Russian or English.

Values passed in are inserted as given: callers escape feed-sourced text for HTML first.
"""

from __future__ import annotations

from bot.i18n import en, ru

CATALOGUES: dict[str, dict[str, str]] = {"ru": ru.MESSAGES, "en": en.MESSAGES}


def t(lang: str, key: str, **values: object) -> str:
    catalogue = CATALOGUES.get(lang, CATALOGUES["en"])
    template = catalogue.get(key) or CATALOGUES["en"][key]
    return template.format(**values)


def language_for(code: str | None, default: str) -> str:
    """Pick the catalogue for a Telegram language_code ('ru', 'en-US', None ...)."""
    if code:
        base = code.split("-")[0].lower()
        if base in CATALOGUES:
            return base
        # Users of other languages read English more often than Russian, unless the
        # admin chose Russian as the default for a Russian-speaking audience.
        return default if default in CATALOGUES else "en"
    return default
