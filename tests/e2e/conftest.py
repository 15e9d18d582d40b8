"""The end-to-end fixture: the real Application against a fake Bot API and a feed server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.fake_bot_api import FakeBotApi
from tests.support.harness import ADMIN, USER, RunningBot, running_bot_against

__all__ = ["ADMIN", "USER"]


@pytest.fixture
async def running_bot(tmp_path: Path) -> AsyncIterator[RunningBot]:
    async with running_bot_against(FakeBotApi(), tmp_path) as bot:
        yield bot
