"""Message catalogues: the bot answers in Russian or English.

Values passed in are inserted as given: callers escape feed-sourced text for HTML first.
A message that counts something has a key ending in "_n" and keeps its plural forms in one
value, separated by "|": English "one|other", Russian "one|few|many" (1 новость, 2 новости,
5 новостей).
"""

from __future__ import annotations

from bot.i18n import en, ru

CATALOGUES: dict[str, dict[str, str]] = {"ru": ru.MESSAGES, "en": en.MESSAGES}
LANGUAGES = tuple(CATALOGUES)


def t(lang: str, key: str, **values: object) -> str:
    catalogue = CATALOGUES.get(lang, CATALOGUES["en"])
    template = catalogue.get(key) or CATALOGUES["en"][key]
    return template.format(**values)


def tn(lang: str, key: str, n: int, **values: object) -> str:
    """The message for a count `n` in its plural form; `{n}` in the template is the count."""
    assert key.endswith("_n"), key
    lang = lang if lang in CATALOGUES else "en"
    template = CATALOGUES[lang].get(key) or CATALOGUES["en"][key]
    forms = template.split("|")  # before formatting: a value may hold "|" itself
    return forms[min(plural_form(lang, n), len(forms) - 1)].format(n=n, **values)


def plural_form(lang: str, n: int) -> int:
    """Which of a message's forms a count takes: CLDR's rules for Russian and English."""
    n = abs(n)
    if lang != "ru":
        return 0 if n == 1 else 1
    if n % 10 == 1 and n % 100 != 11:
        return 0
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return 1
    return 2


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
