"""Shared test fixtures: where the shared corpora live and how to skip without them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = Path(os.environ.get("NEWSBOT_SHARED_DIR", REPO_ROOT.parent / "shared"))
DATA_DIR = Path(__file__).resolve().parent / "data"


def shared_file(relative: str) -> Path:
    """Return a path inside ../shared, skipping (or failing under CI) when it is absent.

    A user's fresh clone has no ../shared; `.ci/run` sets NEWSBOT_REQUIRE_SHARED=1 so that
    a missing file fails the run instead of silently skipping.
    """
    path = SHARED_DIR / relative
    if not path.exists():
        message = f"shared data not found: {path} (tests reading ../shared need it beside the repo)"
        if os.environ.get("NEWSBOT_REQUIRE_SHARED") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path
