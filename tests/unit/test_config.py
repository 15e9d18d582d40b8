from __future__ import annotations

from pathlib import Path

import pytest

from bot.__main__ import main
from bot.config import ConfigError, load_config
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
