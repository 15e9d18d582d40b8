"""One bot per database: an exclusive lock on a file beside it, held while the bot runs.

Two bots on one SQLite file would both drain the outbox and both answer. The lock is an
advisory `flock` on `<database>.lock`: the operating system drops it when the process ends,
however it ends (kill -9 included), so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class DatabaseInUse(Exception):
    """Another process holds the database."""


class DatabaseLock:
    def __init__(self, database: str | Path) -> None:
        self.path = Path(f"{database}.lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            pid = self.path.read_text(errors="replace").strip()
            holder = f"process {pid}" if pid else "another process"
            raise DatabaseInUse(
                f"the database is in use by {holder} (lock {self.path}); "
                "stop that bot first, or give this one its own database"
            ) from None
        mine = str(os.getpid()).encode()
        os.write(fd, mine)
        os.ftruncate(fd, len(mine))  # whatever an earlier holder wrote beyond it goes
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the lock
            self._fd = None

    def __enter__(self) -> DatabaseLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
