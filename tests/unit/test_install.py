"""The install is what the code needs: every import works, and the lock covers the project."""

from __future__ import annotations

import importlib
import re
import tomllib

from tests.conftest import REPO_ROOT


def test_trafilatura_and_its_html_cleaner_import() -> None:
    """jusText under trafilatura needs lxml.html.clean; a fresh install once lost it silently."""
    trafilatura = importlib.import_module("trafilatura")
    importlib.import_module("lxml.html.clean")
    page = "<html><body><nav>Menu</nav><article><p>" + "Talks were held. " * 30
    page += "</p></article><footer>Footer</footer></body></html>"
    extracted = trafilatura.extract(page)
    assert extracted is not None and "Talks were held." in extracted and "Menu" not in extracted


def _names(requirements: list[str]) -> set[str]:
    return {
        re.split(r"[\[<>=!~; ]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements
    }


def _locked(path: str) -> dict[str, str]:
    pins = {}
    for line in (REPO_ROOT / path).read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)", line)
        if match:
            pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def test_locks_pin_every_declared_dependency() -> None:
    """Adding a dependency without re-locking fails here, not on tomorrow's fresh machine."""
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = _names(project["dependencies"])
    test = _names(project["optional-dependencies"]["test"])
    assert runtime <= set(_locked("requirements.lock")), "re-run pip-compile (README, Development)"
    assert runtime | test <= set(_locked("requirements-test.lock"))
    app_pins = _locked("requirements.lock")
    test_pins = _locked("requirements-test.lock")
    assert {k: test_pins.get(k) for k in app_pins} == app_pins, "the locks disagree"
    mutation_pins = _locked("requirements-mutation.lock")
    assert "cosmic-ray" in mutation_pins
    assert {k: mutation_pins.get(k) for k in test_pins} == test_pins, "the locks disagree"
