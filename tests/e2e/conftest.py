from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import build_application
from bot.config import Config, PollingConfig, TopicConfig
from storage import open_storage
from tests.support.fake_bot_api import FakeBotApi
from tests.support.feed_server import FeedServer
from tests.support.harness import Clock, RunningBot

ADMIN = 100
USER = 200


@pytest.fixture
async def running_bot(tmp_path) -> AsyncIterator[RunningBot]:  # type: ignore[no-untyped-def]
    api = FakeBotApi().start()
    feeds = FeedServer().start()
    storage = await open_storage(tmp_path / "newsbot.db")
    clock = Clock()
    config = Config(
        admins=frozenset({ADMIN}),
        database=tmp_path / "newsbot.db",
        poll_interval=600,
        language="ru",
        timezone="Europe/Moscow",
        api_base_url=api.base_url,
        token=api.token,
        topics=(
            TopicConfig("central-asia", "Центральная Азия", "Central Asia", ("Казахстан",)),
            TopicConfig("sport", "Спорт", "Sport", ("футбол",)),
        ),
        # The feed server runs on 127.0.0.1, which the fetcher refuses unless told otherwise.
        polling=PollingConfig(allow_private_networks=True, check_timeout=5),
    )
    # The poll job's own timer is set far out: tests run it explicitly with `poll()`.
    app = build_application(config, storage=storage, clock=clock, poll_tick=3600)
    bot = RunningBot(app, api, feeds, storage, clock)
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()
        await storage.close()
        feeds.stop()
        api.stop()
