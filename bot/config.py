"""Configuration: a TOML file for everything but the token, which comes from the environment.

Unknown keys are errors: a misspelt key silently ignored is a setting the admin believes in
but the bot does not apply.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LANGUAGES = ("ru", "en")
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
MIN_POLL_INTERVAL = 60


class ConfigError(Exception):
    """The configuration cannot be used; `problems` lists every reason, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class TopicConfig:
    slug: str
    name_ru: str
    name_en: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class FeedConfig:
    url: str
    topics: tuple[str, ...] = ()
    fulltext: bool = False


@dataclass(frozen=True)
class PollingConfig:
    """[polling]: how feeds are fetched and scheduled (see README, Configuration)."""

    allow_private_networks: bool = False
    allowed_hosts: tuple[str, ...] = ()
    max_bytes: int = 10 * 1024 * 1024
    check_timeout: int = 90
    concurrency: int = 8
    per_host: int = 2
    max_interval: int = 6 * 3600
    max_backoff: int = 24 * 3600
    alert_after: int = 5
    push_limit: int = 20
    reader_processes: int | None = None  # None: one per core; 0: threads in the bot process


@dataclass(frozen=True)
class DeliveryConfig:
    """[delivery]: Telegram's limits the pacer keeps to (see README, Configuration)."""

    messages_per_second: float = 30.0
    chat_interval: float = 1.0
    group_per_minute: int = 20
    # Telegram's preview of the card's link, for pushed and requested cards alike: off by
    # default, the card already says what the article says.
    link_previews: bool = False


@dataclass(frozen=True)
class FollowsConfig:
    """[follows]: what users may follow of their own (see README, Configuration)."""

    per_chat: int = 20  # words and phrases one chat may follow
    users_can_add_feeds: bool = False  # may users follow feeds of their own (/follow https://…)
    feeds_per_chat: int = 5  # feeds of its own one chat may follow


@dataclass(frozen=True)
class Config:
    admins: frozenset[int] = frozenset()
    database: Path = Path("newsbot.db")
    poll_interval: int = 900
    language: str = "ru"
    timezone: str = "Europe/Moscow"
    api_base_url: str | None = None
    token: str | None = None
    topics: tuple[TopicConfig, ...] = ()
    feeds: tuple[FeedConfig, ...] = field(default_factory=tuple)
    polling: PollingConfig = field(default_factory=PollingConfig)
    delivery: DeliveryConfig = field(default_factory=DeliveryConfig)
    follows: FollowsConfig = field(default_factory=FollowsConfig)

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.admins


_TOP_KEYS = {"bot", "topics", "feeds", "polling", "delivery", "follows"}
_BOT_KEYS = {"admins", "database", "poll_interval", "language", "timezone", "api_base_url"}
_TOPIC_KEYS = {"slug", "name_ru", "name_en", "keywords"}
_FEED_KEYS = {"url", "topics", "fulltext"}
# [polling] integers: (smallest allowed, largest allowed)
_POLLING_RANGES = {
    "max_bytes": (64 * 1024, 512 * 1024 * 1024),
    "check_timeout": (5, 3600),
    "concurrency": (1, 256),
    "per_host": (1, 64),
    "max_interval": (MIN_POLL_INTERVAL, 7 * 24 * 3600),
    "max_backoff": (MIN_POLL_INTERVAL, 30 * 24 * 3600),
    "alert_after": (1, 1000),
    "push_limit": (1, 1000),
    "reader_processes": (0, 64),
}
# [delivery] numbers: (smallest allowed, largest allowed, integers only)
_DELIVERY_RANGES = {
    "messages_per_second": (1, 1000, False),
    "chat_interval": (0, 60, False),
    "group_per_minute": (1, 60, True),
}


def is_http_url(url: str) -> bool:
    """An http(s) address with a host and, if any, a valid port."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError for a port out of range
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def load_config(
    path: str | Path, *, environ: Mapping[str, str] | None = None, require_token: bool = False
) -> Config:
    """Read, validate and return the configuration; raise ConfigError listing every problem."""
    env = os.environ if environ is None else environ
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError([f"{path}: file not found"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{path}: cannot read: {exc}"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{path}: not valid TOML: {exc}"]) from None
    problems: list[str] = []
    config = _parse(raw, env.get("BOT_TOKEN") or None, problems)
    if require_token and not config.token:
        problems.append("BOT_TOKEN is not set: export the token @BotFather gave you")
    if problems:
        raise ConfigError(problems)
    return config


def _unknown(
    section: str, table: Mapping[str, Any], allowed: set[str], problems: list[str]
) -> None:
    for key in sorted(set(table) - allowed):
        problems.append(f"{section}: unknown key '{key}' (allowed: {', '.join(sorted(allowed))})")


def _parse(raw: dict[str, Any], token: str | None, problems: list[str]) -> Config:
    _unknown("top level", raw, _TOP_KEYS, problems)
    bot = raw.get("bot", {})
    if not isinstance(bot, dict):
        problems.append("[bot] must be a table")
        bot = {}
    _unknown("[bot]", bot, _BOT_KEYS, problems)

    admins = bot.get("admins", [])
    if not isinstance(admins, list) or not all(
        isinstance(a, int) and not isinstance(a, bool) for a in admins
    ):
        problems.append("[bot] admins: must be a list of Telegram user ids (integers)")
        admins = []

    database = bot.get("database", "newsbot.db")
    if not isinstance(database, str) or not database.strip():
        problems.append("[bot] database: must be a file path")
        database = "newsbot.db"
    db_path = Path(database)
    if not db_path.is_absolute():
        db_path = Path.cwd() / db_path

    poll_interval = bot.get("poll_interval", 900)
    if (
        not isinstance(poll_interval, int)
        or isinstance(poll_interval, bool)
        or poll_interval < MIN_POLL_INTERVAL
    ):
        problems.append(
            f"[bot] poll_interval: seconds between checks, at least {MIN_POLL_INTERVAL}"
        )
        poll_interval = 900

    language = bot.get("language", "ru")
    if language not in LANGUAGES:
        problems.append(f"[bot] language: one of {', '.join(LANGUAGES)}, not {language!r}")
        language = "ru"

    timezone = bot.get("timezone", "Europe/Moscow")
    try:
        ZoneInfo(str(timezone))
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"[bot] timezone: unknown time zone {timezone!r} (e.g. 'Europe/Moscow')")
        timezone = "UTC"

    api_base_url = bot.get("api_base_url") or None
    if api_base_url is not None and (
        not isinstance(api_base_url, str) or not is_http_url(api_base_url)
    ):
        problems.append(f"[bot] api_base_url: not an http(s) URL: {api_base_url!r}")
        api_base_url = None

    topics = _parse_topics(raw.get("topics", []), problems)
    known = {t.slug for t in topics}
    feeds = _parse_feeds(raw.get("feeds", []), known, problems)
    polling = _parse_polling(raw.get("polling", {}), problems)
    delivery = _parse_delivery(raw.get("delivery", {}), problems)
    follows = _parse_follows(raw.get("follows", {}), problems)
    return Config(
        admins=frozenset(admins),
        database=db_path,
        poll_interval=poll_interval,
        language=language,
        timezone=str(timezone),
        api_base_url=api_base_url,
        token=token,
        topics=tuple(topics),
        feeds=tuple(feeds),
        polling=polling,
        delivery=delivery,
        follows=follows,
    )


# [follows] integers: (smallest allowed, largest allowed)
_FOLLOWS_RANGES = {"per_chat": (1, 1000), "feeds_per_chat": (1, 100)}


def _parse_follows(raw: Any, problems: list[str]) -> FollowsConfig:
    if not isinstance(raw, dict):
        problems.append("[follows] must be a table")
        return FollowsConfig()
    _unknown("[follows]", raw, {"users_can_add_feeds", *_FOLLOWS_RANGES}, problems)
    values: dict[str, Any] = {}
    for key, (low, high) in _FOLLOWS_RANGES.items():
        if key in raw:
            value = raw[key]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                problems.append(f"[follows] {key}: an integer from {low} to {high}")
            else:
                values[key] = value
    if "users_can_add_feeds" in raw:
        if isinstance(raw["users_can_add_feeds"], bool):
            values["users_can_add_feeds"] = raw["users_can_add_feeds"]
        else:
            problems.append("[follows] users_can_add_feeds: true or false")
    return FollowsConfig(**values)


def _parse_delivery(raw: Any, problems: list[str]) -> DeliveryConfig:
    if not isinstance(raw, dict):
        problems.append("[delivery] must be a table")
        return DeliveryConfig()
    _unknown("[delivery]", raw, {"link_previews", *_DELIVERY_RANGES}, problems)
    values: dict[str, Any] = {}
    if "link_previews" in raw:
        if isinstance(raw["link_previews"], bool):
            values["link_previews"] = raw["link_previews"]
        else:
            problems.append("[delivery] link_previews: true or false")
    for key, (low, high, whole) in _DELIVERY_RANGES.items():
        if key in raw:
            value = raw[key]
            kinds = int if whole else int | float
            if isinstance(value, bool) or not isinstance(value, kinds) or not low <= value <= high:
                kind = "an integer" if whole else "a number"
                problems.append(f"[delivery] {key}: {kind} from {low} to {high}")
            else:
                values[key] = value
    return DeliveryConfig(**values)


def _parse_polling(raw: Any, problems: list[str]) -> PollingConfig:
    if not isinstance(raw, dict):
        problems.append("[polling] must be a table")
        return PollingConfig()
    _unknown(
        "[polling]", raw, {"allow_private_networks", "allowed_hosts", *_POLLING_RANGES}, problems
    )
    values: dict[str, Any] = {}
    for key, (low, high) in _POLLING_RANGES.items():
        if key in raw:
            value = raw[key]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                problems.append(f"[polling] {key}: an integer from {low} to {high}")
            else:
                values[key] = value
    private = raw.get("allow_private_networks", False)
    if not isinstance(private, bool):
        problems.append("[polling] allow_private_networks: true or false")
    else:
        values["allow_private_networks"] = private
    hosts = _string_list(raw.get("allowed_hosts", []))
    if hosts is None:
        problems.append("[polling] allowed_hosts: a list of host names")
    else:
        values["allowed_hosts"] = tuple(h.lower() for h in hosts)
    return PollingConfig(**values)


def config_warnings(config: Config) -> list[str]:
    """What is allowed but is probably not what the admin meant."""
    warnings = []
    if not config.feeds and not config.topics:
        warnings.append("the configuration has no topics and no feeds: the bot has nothing to do")
    if not config.admins:
        warnings.append("[bot] admins is empty: nobody can add feeds or see their health")
    return warnings


def _string_list(value: Any) -> list[str] | None:
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return [v.strip() for v in value]
    return None


def _tables(
    raw: Any, section: str, allowed: set[str], problems: list[str]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """The tables of an array section, each with the name to report its problems under."""
    if not isinstance(raw, list):
        problems.append(f"[[{section}]] must be an array of tables")
        return
    for n, entry in enumerate(raw, 1):
        where = f"[[{section}]] #{n}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: must be a table")
            continue
        _unknown(where, entry, allowed, problems)
        yield where, entry


def _parse_topics(raw: Any, problems: list[str]) -> list[TopicConfig]:
    topics: list[TopicConfig] = []
    for where, entry in _tables(raw, "topics", _TOPIC_KEYS, problems):
        slug = entry.get("slug")
        if not isinstance(slug, str) or not SLUG_PATTERN.match(slug):
            problems.append(f"{where}: slug must be lowercase latin letters, digits, '-' or '_'")
            continue
        where = f"topic '{slug}'"
        if any(t.slug == slug for t in topics):
            problems.append(f"{where}: defined twice")
            continue
        names = {}
        for key in ("name_ru", "name_en"):
            value = entry.get(key, slug)
            if not isinstance(value, str) or not value.strip():
                problems.append(f"{where}: {key} must be a non-empty string")
                value = slug
            names[key] = value.strip()
        keywords = _string_list(entry.get("keywords", []))
        if keywords is None:
            problems.append(f"{where}: keywords must be a list of non-empty strings")
            keywords = []
        topics.append(TopicConfig(slug, names["name_ru"], names["name_en"], tuple(keywords)))
    return topics


def _parse_feeds(raw: Any, known_topics: set[str], problems: list[str]) -> list[FeedConfig]:
    feeds: list[FeedConfig] = []
    for where, entry in _tables(raw, "feeds", _FEED_KEYS, problems):
        url = entry.get("url")
        if not isinstance(url, str) or not is_http_url(url.strip()):
            problems.append(f"{where}: url must be an http(s) URL, got {url!r}")
            continue
        if "@" in urlsplit(url.strip()).netloc:
            problems.append(f"{where}: url must not carry a user name or password")
            continue
        topics = _string_list(entry.get("topics", []))
        if topics is None:
            problems.append(f"{where}: topics must be a list of topic slugs")
            topics = []
        for slug in topics:
            if slug not in known_topics:
                problems.append(f"{where}: topic '{slug}' is referenced but not defined")
        fulltext = entry.get("fulltext", False)
        if not isinstance(fulltext, bool):
            problems.append(f"{where}: fulltext must be true or false")
            fulltext = False
        same = [f.url for f in feeds if feed_url_key(f.url) == feed_url_key(url)]
        if same:
            problems.append(f"{where}: {url.strip()!r} is the same feed as {same[0]!r}")
            continue
        feeds.append(FeedConfig(url.strip(), tuple(topics), fulltext))
    return feeds


def feed_url_key(url: str) -> str:
    """Two feed addresses are the same feed when they differ only in case of the scheme and
    host, a default port, a fragment or a trailing slash."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    port = parts.port if parts.port not in (None, 80 if parts.scheme == "http" else 443) else None
    netloc = f"{host}:{port}" if port else host
    path = parts.path.rstrip("/") or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme.lower()}://{netloc}{path}{query}"
