"""Opening the database: PRAGMAs and numbered migrations, applied at start-up."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

import aiosqlite

MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def migrations() -> list[tuple[int, str]]:
    """The packaged migrations as (version, SQL), in order."""
    files = resources.files("storage.migrations").iterdir()
    return numbered((f.name, f.read_text(encoding="utf-8")) for f in files if f.is_file())


def numbered(files: Iterable[tuple[str, str]]) -> list[tuple[int, str]]:
    """(file name, SQL) of migration files as (version, SQL), in order; other names are
    ignored, and a gap in the numbers is an error (a migration file was lost)."""
    found = sorted(
        (int(match.group(1)), sql) for name, sql in files if (match := MIGRATION_NAME.match(name))
    )
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
        ((version,),) = await cursor.fetchall()  # always one row: 0 in a new file
    return int(version)


async def migrate(
    conn: aiosqlite.Connection, known: Sequence[tuple[int, str]] | None = None
) -> int:
    """Apply every migration newer than `PRAGMA user_version`, each in its own transaction
    (`known`: the packaged ones unless given)."""
    current = await schema_version(conn)
    known = migrations() if known is None else known
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
    lines = [line.partition("--")[0] for line in sql.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
