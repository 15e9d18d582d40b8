from __future__ import annotations

from pathlib import Path

import pytest

from bot.__main__ import main
from bot.app import build_application, limits
from bot.config import (
    Config,
    ConfigError,
    DeliveryConfig,
    FollowsConfig,
    feed_url_key,
    load_config,
)
from bot.delivery.pacing import Limits
from tests.conftest import REPO_ROOT

EXAMPLE = REPO_ROOT / "config.example.toml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_config_is_valid() -> None:
    config = load_config(EXAMPLE, environ={"BOT_TOKEN": "1:x"}, require_token=True)
    assert config.token == "1:x"
    assert config.topics and config.feeds
    slugs = {t.slug for t in config.topics}
    assert all(set(f.topics) <= slugs for f in config.feeds)


def test_token_comes_only_from_the_environment(tmp_path: Path) -> None:
    path = write(tmp_path, '[bot]\ntoken = "123:abc"\n')
    with pytest.raises(ConfigError) as raised:
        load_config(path, environ={})
    assert raised.value.problems == [
        "[bot]: unknown key 'token' (allowed: admins, api_base_url, database, language, "
        "poll_interval, timezone)"
    ]
    with pytest.raises(ConfigError, match="BOT_TOKEN is not set"):
        load_config(write(tmp_path, ""), environ={}, require_token=True)


def test_every_problem_is_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
colour = "blue"
[bot]
admins = ["me"]
poll_interval = 5
language = "de"
timezone = "Mars/Olympus"
api_base_url = "ftp://x"
[[topics]]
slug = "asia"
keywords = "Казахстан"
[[feeds]]
url = "not a url"
[[feeds]]
url = "https://e.x/rss"
topics = ["asia", "sport"]
refresh = 1
""",
    )
    with pytest.raises(ConfigError) as raised:
        load_config(path, environ={})
    problems = "\n".join(raised.value.problems)
    for expected in (
        "top level: unknown key 'colour'",
        "admins: must be a list of Telegram user ids",
        "poll_interval: seconds between checks, at least 60",
        "language: one of ru, en",
        "timezone: unknown time zone 'Mars/Olympus'",
        "api_base_url: not an http(s) URL",
        "topic 'asia': keywords must be a list",
        "[[feeds]] #1: url must be an http(s) URL",
        "[[feeds]] #2: topic 'sport' is referenced but not defined",
        "[[feeds]] #2: unknown key 'refresh'",
    ):
        assert expected in problems
    assert len(raised.value.problems) == 10


def test_bad_toml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "[bot\n"), environ={})
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "absent.toml", environ={})


def test_check_config_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-config", str(EXAMPLE)]) == 0
    assert "OK" in capsys.readouterr().out
    bad = write(tmp_path, "[bot]\nlanguage = 'xx'\n")
    assert main(["check-config", str(bad)]) == 1
    assert "error: [bot] language" in capsys.readouterr().err


def test_run_without_token_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    assert main(["run", "--config", str(EXAMPLE)]) == 1
    assert "BOT_TOKEN is not set" in capsys.readouterr().err


def test_polling_section_is_read_and_checked(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "[polling]\nallow_private_networks = true\nallowed_hosts = ['Feeds.Local']\n"
        "concurrency = 4\nmax_backoff = 3600\npush_limit = 7\n",
    )
    polling = load_config(path, environ={}).polling
    assert polling.allow_private_networks and polling.allowed_hosts == ("feeds.local",)
    assert (polling.concurrency, polling.max_backoff, polling.push_limit) == (4, 3600, 7)
    assert (polling.max_bytes, polling.alert_after) == (10 * 1024 * 1024, 5)  # defaults
    bad = write(
        tmp_path,
        "[polling]\nconcurrency = 0\nallow_private_networks = 'yes'\nmax_bytes = true\n"
        "allowed_hosts = [1]\nretries = 3\n",
    )
    with pytest.raises(ConfigError) as raised:
        load_config(bad, environ={})
    problems = "\n".join(raised.value.problems)
    for expected in (
        "[polling]: unknown key 'retries'",
        "[polling] concurrency: an integer from 1 to 256",
        "[polling] max_bytes: an integer",
        "[polling] allow_private_networks: true or false",
        "[polling] allowed_hosts: a list of host names",
    ):
        assert expected in problems


def test_the_same_feed_twice_is_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "[[feeds]]\nurl = 'https://news.example/rss/'\n"
        "[[feeds]]\nurl = 'HTTPS://News.Example:443/rss#top'\n"
        "[[feeds]]\nurl = 'https://news.example/rss?page=2'\n"
        "[[feeds]]\nurl = 'http://news.example:99999/rss'\n"
        "[[feeds]]\nurl = 'https://user:secret@news.example/private'\n",
    )
    with pytest.raises(ConfigError) as raised:
        load_config(path, environ={})
    assert raised.value.problems == [
        "[[feeds]] #2: 'HTTPS://News.Example:443/rss#top' is the same feed as "
        "'https://news.example/rss/'",
        "[[feeds]] #4: url must be an http(s) URL, got 'http://news.example:99999/rss'",
        "[[feeds]] #5: url must not carry a user name or password",
    ]


def test_check_config_warns_of_an_empty_config_and_no_admins(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check-config", str(write(tmp_path, ""))]) == 0
    err = capsys.readouterr().err
    assert "warning: the configuration has no topics and no feeds" in err
    assert "warning: [bot] admins is empty" in err
    assert (
        main(
            ["check-config", str(write(tmp_path, "[bot]\nadmins = [1]\n[[topics]]\nslug = 'a'\n"))]
        )
        == 0
    )
    assert "warning: the configuration" not in capsys.readouterr().err


# [polling]: the documented defaults (README, config.example.toml) and accepted ranges.
POLLING_DEFAULTS = {
    "allow_private_networks": False,
    "allowed_hosts": (),
    "max_bytes": 10 * 1024 * 1024,
    "check_timeout": 90,
    "concurrency": 8,
    "per_host": 2,
    "max_interval": 6 * 3600,
    "max_backoff": 24 * 3600,
    "alert_after": 5,
    "push_limit": 20,
    "reader_processes": None,
}
POLLING_RANGES = {
    "max_bytes": (65_536, 536_870_912),
    "check_timeout": (5, 3600),
    "concurrency": (1, 256),
    "per_host": (1, 64),
    "max_interval": (60, 604_800),
    "max_backoff": (60, 2_592_000),
    "alert_after": (1, 1000),
    "push_limit": (1, 1000),
    "reader_processes": (0, 64),
}


def test_polling_defaults_are_the_documented_ones(tmp_path: Path) -> None:
    polling = load_config(write(tmp_path, ""), environ={}).polling
    assert {key: getattr(polling, key) for key in POLLING_DEFAULTS} == POLLING_DEFAULTS


@pytest.mark.parametrize("key", sorted(POLLING_RANGES))
def test_polling_ranges_take_their_ends_and_refuse_one_past(tmp_path: Path, key: str) -> None:
    low, high = POLLING_RANGES[key]
    for value in (low, high):
        polling = load_config(write(tmp_path, f"[polling]\n{key} = {value}\n"), environ={}).polling
        assert getattr(polling, key) == value
    for value in (low - 1, high + 1):
        with pytest.raises(ConfigError) as raised:
            load_config(write(tmp_path, f"[polling]\n{key} = {value}\n"), environ={})
        assert raised.value.problems == [f"[polling] {key}: an integer from {low} to {high}"]


def test_booleans_are_not_integers_in_polling(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        load_config(write(tmp_path, "[polling]\nconcurrency = true\n"), environ={})
    assert raised.value.problems == ["[polling] concurrency: an integer from 1 to 256"]


def test_delivery_section_sets_the_pacers_limits(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, ""), environ={}).delivery == DeliveryConfig(
        30, 1.0, 20, link_previews=False
    )
    path = write(
        tmp_path,
        "[delivery]\nmessages_per_second = 25.5\nchat_interval = 0\ngroup_per_minute = 60\n"
        "link_previews = true\n",
    )
    config = load_config(path, environ={})
    assert config.delivery == DeliveryConfig(25.5, 0, 60, link_previews=True)
    assert limits(config) == Limits(
        per_second=25.5, chat_interval=0.0, group_count=60, group_window=60.0
    )
    bad = write(
        tmp_path,
        "[delivery]\nmessages_per_second = 0.5\nchat_interval = 61\ngroup_per_minute = 1.5\n"
        "burst = 3\nlink_previews = 1\n",
    )
    with pytest.raises(ConfigError) as raised:
        load_config(bad, environ={})
    assert raised.value.problems == [
        "[delivery]: unknown key 'burst'"
        " (allowed: chat_interval, group_per_minute, link_previews, messages_per_second)",
        "[delivery] link_previews: true or false",
        "[delivery] messages_per_second: a number from 1 to 1000",
        "[delivery] chat_interval: a number from 0 to 60",
        "[delivery] group_per_minute: an integer from 1 to 60",
    ]
    for text in ("[delivery]\nmessages_per_second = true\n", "delivery = 3\n"):
        with pytest.raises(ConfigError):
            load_config(write(tmp_path, text), environ={})


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("http://news.example/rss", "http://news.example:80/rss", True),
        ("https://news.example/rss", "https://NEWS.example:443/rss/", True),
        ("https://news.example/rss", "https://news.example:8443/rss", False),
        ("http://news.example:8080/rss", "http://news.example:8081/rss", False),
        ("https://news.example/rss?page=1", "https://news.example/rss?page=2", False),
        ("https://news.example/rss", "http://news.example/rss", False),
    ],
)
def test_feed_url_key_says_when_two_addresses_are_one_feed(a: str, b: str, same: bool) -> None:
    assert (feed_url_key(a) == feed_url_key(b)) is same


@pytest.mark.parametrize(
    ("api_base_url", "base", "files"),
    [
        (None, "https://api.telegram.org/bot", "https://api.telegram.org/file/bot"),
        (
            "http://127.0.0.1:8081/bot",
            "http://127.0.0.1:8081/bot",
            "http://127.0.0.1:8081/file/bot",
        ),
        (
            "http://api.local/custom/",
            "http://api.local/custom/",
            "https://api.telegram.org/file/bot",
        ),
    ],
)
def test_the_bot_talks_to_the_configured_api_and_takes_files_from_beside_it(
    api_base_url: str | None, base: str, files: str
) -> None:
    app = build_application(Config(token="1:x", api_base_url=api_base_url))
    assert (app.bot.base_url, app.bot.base_file_url) == (base + "1:x", files + "1:x")


# --- follows ---


def test_follows_are_limited_per_chat_and_users_feeds_are_off_by_default(tmp_path: Path) -> None:
    default = FollowsConfig(per_chat=20, users_can_add_feeds=False, feeds_per_chat=5)
    assert load_config(write(tmp_path, ""), environ={}).follows == default
    assert load_config(EXAMPLE, environ={}).follows == default  # the example says the defaults
    for low, high in (("1", "1"), ("1000", "100")):
        text = f"[follows]\nper_chat = {low}\nusers_can_add_feeds = true\nfeeds_per_chat = {high}\n"
        follows = load_config(write(tmp_path, text), environ={}).follows
        assert follows == FollowsConfig(int(low), True, int(high))
    bad = write(
        tmp_path,
        "[follows]\nper_chat = 0\nfeeds_per_chat = 101\nusers_can_add_feeds = 1\nregex = true\n",
    )
    with pytest.raises(ConfigError) as raised:
        load_config(bad, environ={})
    assert raised.value.problems == [
        "[follows]: unknown key 'regex' (allowed: feeds_per_chat, per_chat, users_can_add_feeds)",
        "[follows] per_chat: an integer from 1 to 1000",
        "[follows] feeds_per_chat: an integer from 1 to 100",
        "[follows] users_can_add_feeds: true or false",
    ]
    for text, problem in (
        ("[follows]\nper_chat = 1001\n", "[follows] per_chat: an integer from 1 to 1000"),
        ("[follows]\nper_chat = true\n", "[follows] per_chat: an integer from 1 to 1000"),
        ("[follows]\nper_chat = 2.5\n", "[follows] per_chat: an integer from 1 to 1000"),
        ("[follows]\nfeeds_per_chat = 0\n", "[follows] feeds_per_chat: an integer from 1 to 100"),
        ("follows = 3\n", "[follows] must be a table"),
    ):
        with pytest.raises(ConfigError) as raised:
            load_config(write(tmp_path, text), environ={})
        assert raised.value.problems == [problem], text
