"""Queueing an announcement for many chats: /announce's confirmation, as the bot runs it.

A temporary SQLite file through the production opener holds --chats active chats (and a
tenth as many paused ones, which are skipped). Each round drafts an announcement and times
`Storage.queue_notice`, the one INSERT … SELECT behind the "Send to N chats" button, while
(a) a ticker measures the event loop's longest stall and (b) a command's query
(`Storage.topics()`, on the reader connection) runs every 10 ms and its slowest answer is
kept: the bot keeps answering while the rows are written. Then the sender's first claim of
100 rows from the full queue is timed, and /stats's counts over all of it. The anchor is the
same rows written by one `executemany` of ready-made tuples in the same run (what a loop in
Python could do at best).

Run: .venv/bin/python bench/announce_bench.py [--chats 100000] [--rounds 3]
Prints figures only; never asserts on timing.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storage import NoticeText, Storage, open_storage  # noqa: E402

NOW = 1_800_000_000.0
TEXT = NoticeText(ru="Завтра бот отдыхает.", en="The bot rests tomorrow.")


async def prepared(path: Path, chats: int) -> Storage:
    """The schema through the production opener, then the chats in bulk."""
    storage = await open_storage(path)
    await storage.close()
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO chats (id, type, language, active, created_at) VALUES (?, ?, ?, ?, 0)",
            (
                (n, "private" if n % 5 else "group", "ru" if n % 3 else "en", int(n % 11 != 0))
                for n in range(1, chats + chats // 10 + 1)
            ),
        )
        conn.execute("COMMIT")
    return await open_storage(path)


async def one_round(storage: Storage) -> tuple[int, float, float, float]:
    """(rows queued, seconds, the loop's longest stall, the slowest query beside it)."""
    notice_id = await storage.draft_notice(TEXT, created_by=1, now=NOW)
    stalls: list[float] = []
    queries: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            stalls.append(now - last - 0.005)
            last = now

    async def commands() -> None:
        while not done.is_set():
            started = time.perf_counter()
            await storage.topics()
            queries.append(time.perf_counter() - started)
            await asyncio.sleep(0.01)

    beside = [asyncio.create_task(ticker()), asyncio.create_task(commands())]
    try:
        await asyncio.sleep(0.05)
        started = time.perf_counter()
        queued = await storage.queue_notice(notice_id, now=NOW)
        took = time.perf_counter() - started
    finally:
        done.set()
        await asyncio.gather(*beside)
    assert queued is not None
    return queued, took, max(stalls), max(queries)


def anchor(path: Path, rows: int) -> float:
    """The same number of outbox rows from one executemany of ready tuples."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute(
            "INSERT INTO notices (id, kind, body_ru, body_en, created_at)"
            " VALUES (999999, 'announcement', 'a', 'a', 0)"
        )
        ids = [r[0] for r in conn.execute("SELECT id FROM chats WHERE active = 1 LIMIT ?", (rows,))]
        values = [(chat, 0, 999999, NOW) for chat in ids]
        started = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO outbox (chat_id, thread_id, notice_id, created_at) VALUES (?, ?, ?, ?)",
            values,
        )
        conn.execute("COMMIT")
        return time.perf_counter() - started


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "announce.db"
        storage = await prepared(path, args.chats)
        try:
            for n in range(1, args.rounds + 1):
                queued, took, stall, query = await one_round(storage)
                print(
                    f"round {n}: {queued} rows queued in {took:.3f} s "
                    f"({queued / took:,.0f} rows/s); longest loop stall {stall * 1000:.1f} ms; "
                    f"slowest query beside it {query * 1000:.1f} ms"
                )
            started = time.perf_counter()
            claimed = await storage.claim_deliveries(NOW, limit=100)
            claim = time.perf_counter() - started
            print(
                f"the sender's first claim of {len(claimed)} rows from "
                f"{args.rounds * args.chats} pending: {claim * 1000:.1f} ms"
            )
            started = time.perf_counter()
            await storage.bot_stats(since=NOW)
            print(f"/stats's counts over it all: {(time.perf_counter() - started) * 1000:.1f} ms")
        finally:
            await storage.close()
        seconds = anchor(path, args.chats)
        print(f"anchor: executemany of {args.chats} ready rows {seconds:.3f} s")
        print(f"ratio queue_notice / anchor (last round): {took / seconds:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    asyncio.run(main(parser.parse_args()))
