"""`newsbot --version`: the installed distribution's version, else the package's own."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import bot
from bot.__main__ import main, version
from tests.conftest import REPO_ROOT


def version_output(capsys: pytest.CaptureFixture[str]) -> str:
    """What `newsbot --version` prints; it must exit with status 0."""
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


def test_the_version_comes_from_the_installed_distribution(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A distribution found first on the path (as pip installs one) names the version."""
    info = tmp_path / "newsbot-9.8.7.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: newsbot\nVersion: 9.8.7\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert version_output(capsys) == "newsbot 9.8.7\n"


def test_a_checkout_not_installed_gives_the_packages_own_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "path", [str(tmp_path)])  # no distribution named newsbot
    with pytest.raises(importlib.metadata.PackageNotFoundError):
        importlib.metadata.version("newsbot")
    monkeypatch.setattr(bot, "__version__", "0.0.0+checkout")
    assert version_output(capsys) == "newsbot 0.0.0+checkout\n"


def test_the_packages_version_is_the_projects() -> None:
    """The fallback says what pyproject.toml says, so a checkout reports the right version."""
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert bot.__version__ == project["project"]["version"]


def test_python_m_bot_version() -> None:
    """The real entry point, as a user runs it."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--version"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"newsbot {version()}\n"
