"""Opening the database: PRAGMAs and numbered migrations, applied at start-up."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import aiosqlite

MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def migrations() -> list[tuple[int, str]]:
    """The packaged migrations as (version, SQL), in order."""
    found: list[tuple[int, str]] = []
    for entry in resources.files("storage.migrations").iterdir():
        match = MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.read_text(encoding="utf-8")))
    found.sort()
    for expected, (version, _) in enumerate(found, 1):
        if version != expected:
            raise RuntimeError(f"migration {expected:03d} is missing (found {version:03d})")
    return found


async def connect(path: str | Path, *, read_only: bool = False) -> aiosqlite.Connection:
    """Open the database file, set WAL and foreign keys, and bring the schema up to date.

    A `read_only` connection (queries beside the writer) migrates nothing and writes nothing.
    """
    conn = await aiosqlite.connect(str(path), isolation_level=None)
    try:
        conn.row_factory = aiosqlite.Row
        await conn.execute("PRAGMA busy_timeout = 5000")
        if read_only:
            await conn.execute("PRAGMA query_only = ON")
            return conn
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.execute("PRAGMA synchronous = NORMAL")
        await migrate(conn)
    except BaseException:
        await conn.close()
        raise
    return conn


async def schema_version(conn: aiosqlite.Connection) -> int:
    async with conn.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def migrate(conn: aiosqlite.Connection) -> int:
    """Apply every migration newer than `PRAGMA user_version`, each in its own transaction."""
    current = await schema_version(conn)
    known = migrations()
    if current > len(known):
        raise RuntimeError(
            f"database schema {current} is newer than this newsbot ({len(known)}): upgrade newsbot"
        )
    for version, sql in known[current:]:
        await conn.execute("BEGIN")
        try:
            for statement in _statements(sql):
                await conn.execute(statement)
            await conn.execute(f"PRAGMA user_version = {version:d}")
        except BaseException:
            await conn.execute("ROLLBACK")
            raise
        await conn.execute("COMMIT")
    return await schema_version(conn)


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (migrations hold no triggers or string semicolons)."""
    lines = [line.split("--", 1)[0] for line in sql.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
