"""Queries run on a few read connections beside the writer: a slow one holds up no other."""

from __future__ import annotations

import asyncio
from pathlib import Path

from storage import Storage, open_storage

# A query that keeps its connection busy for a while (seconds, on any machine here).
SLOW = """WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000000)
          SELECT count(*) FROM n"""


async def answered_during_a_slow_query(storage: Storage) -> bool:
    """Whether /topics and a chat's row are answered while a slow query still runs. Tasks
    start in the order they are made: the slow query takes its connection first."""
    slow = asyncio.create_task(storage._all(SLOW))

    async def commands() -> bool:
        assert await storage.topics() == []
        assert await storage.chat(1) is None
        return not slow.done()

    answered_first = await asyncio.create_task(commands())
    ((count,),) = await slow
    assert count == 10_000_000
    return answered_first


async def test_a_slow_query_holds_up_no_other(tmp_path: Path) -> None:
    storage = await open_storage(tmp_path / "newsbot.db")
    try:
        assert await answered_during_a_slow_query(storage)
    finally:
        await storage.close()


async def test_with_one_reader_queries_queue(tmp_path: Path) -> None:
    """The opposite, which the test above would meet if the readers were one."""
    storage = await open_storage(tmp_path / "newsbot.db", readers=1)
    try:
        assert not await answered_during_a_slow_query(storage)
    finally:
        await storage.close()
