"""One bot per database: the lock file beside it (the two-process case is in test_commands)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from storage.lock import DatabaseInUse, DatabaseLock


def test_a_second_holder_is_refused_until_the_first_lets_go(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    first = DatabaseLock(database)
    first.acquire()
    with pytest.raises(DatabaseInUse) as refused:
        DatabaseLock(database).acquire()
    assert str(refused.value) == (
        f"the database is in use by process {os.getpid()} (lock {database}.lock); "
        "stop that bot first, or give this one its own database"
    )
    first.release()
    first.release()  # twice is harmless
    with DatabaseLock(database) as second:
        assert second.path.read_text() == str(os.getpid())
    with DatabaseLock(database):  # the context manager let go too
        pass


def test_the_lock_file_names_the_holder_readably(tmp_path: Path) -> None:
    lock = DatabaseLock(tmp_path / "bot.db")
    lock.path.write_text("9999999999 left by an older bot")
    previous = os.umask(0o022)
    try:
        with lock:
            assert lock.path.read_text() == str(os.getpid())
    finally:
        os.umask(previous)
    fresh = DatabaseLock(tmp_path / "other.db")
    previous = os.umask(0o022)
    try:
        with fresh:
            assert stat.S_IMODE(fresh.path.stat().st_mode) == 0o644
    finally:
        os.umask(previous)
