"""OPML against storage: `newsbot import-opml` / `export-opml`, and the steps the bot shares.

`import_feeds` and `export_feeds` are the storage edge of bot/opml.py; the Telegram handlers
(handlers/opml.py) call them too, so a file imported from the shell or from a chat is
treated the same way.
"""

from __future__ import annotations

import asyncio
import sqlite3
import sys
import time
from pathlib import Path

from bot.config import Config, ConfigError, load_config
from bot.opml import (
    MAX_OPML_BYTES,
    ImportReport,
    OpmlDocument,
    OpmlError,
    build_opml,
    export_rows,
    name_list,
    plan_import,
    read_opml,
    too_large,
)
from storage import FeedExistsError, Storage, open_storage


async def import_feeds(
    storage: Storage,
    document: OpmlDocument,
    *,
    now: float,
    interval_seconds: int,
    added_by: int | None = None,
) -> ImportReport:
    """Follow the file's new feeds without fetching them: they are due at once.

    The poll job checks them soon; a feed's first check stores its items without pushing
    them, so a file of hundreds of feeds neither blocks the caller nor floods subscribers.
    """
    followed = [feed.url for feed in await storage.feeds()]
    plan = plan_import(document.feeds, followed_urls=followed, topics=await storage.topics())
    added, existing = 0, len(plan.existing)
    for feed, topic_ids in plan.new:
        try:
            await storage.add_feed(
                feed.url,
                title=feed.title or feed.url,
                interval_seconds=interval_seconds,
                next_check_at=now,
                now=now,
                added_by=added_by,
                topic_ids=topic_ids,
            )
        except FeedExistsError:  # followed meanwhile, e.g. by an /addfeed
            existing += 1
            continue
        added += 1
    return ImportReport(added, existing, len(document.skipped), plan.unknown_categories)


async def export_feeds(storage: Storage) -> tuple[bytes, int]:
    """Every followed feed as an OPML file, and how many feeds it holds."""
    feeds = await storage.feeds()
    return build_opml(export_rows(feeds, await storage.topics())), len(feeds)


def summary(report: ImportReport) -> str:
    unknown = name_list(report.unknown_categories) or "none"
    return (
        f"{report.added} added, {report.existing} already followed, "
        f"{report.skipped} skipped (not http(s)); unknown categories: {unknown}"
    )


# --- the commands -----------------------------------------------------------------------


def import_opml(config_path: str, file: str) -> int:
    """`newsbot import-opml FILE`: follow the file's feeds in the configured database."""
    config = _config(config_path)
    if config is None:
        return 1
    try:
        document = read_opml(_read_capped(Path(file)))
    except OSError as exc:
        return _fail(f"{file}: cannot read: {exc.strerror or exc}")
    except OpmlError as exc:
        return _fail(f"{file}: {exc}")
    try:
        report = asyncio.run(_import(config, document))
    except sqlite3.Error as exc:
        return _fail(f"{config.database}: {exc}")
    print(f"{file}: {summary(report)}")
    return 0


def export_opml(config_path: str, file: str | None) -> int:
    """`newsbot export-opml [FILE]`: write every followed feed as OPML (stdout without FILE)."""
    config = _config(config_path)
    if config is None:
        return 1
    if not config.database.exists():
        return _fail(f"{config.database}: no such database (has the bot been started?)")
    try:
        data, count = asyncio.run(_export(config))
    except sqlite3.Error as exc:
        return _fail(f"{config.database}: {exc}")
    if file is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        print(f"{count} feeds exported", file=sys.stderr)  # stdout holds only the file
        return 0
    try:
        Path(file).write_bytes(data)
    except OSError as exc:
        return _fail(f"{file}: cannot write: {exc.strerror or exc}")
    print(f"{file}: {count} feeds exported")
    return 0


async def _import(config: Config, document: OpmlDocument) -> ImportReport:
    storage = await open_storage(config.database)
    try:
        # The bot creates the configured topics at start-up; do so here too, so that a file
        # imported before the first start still finds them.
        for topic in config.topics:
            await storage.sync_topic(topic.slug, topic.name_ru, topic.name_en, topic.keywords)
        return await import_feeds(
            storage, document, now=time.time(), interval_seconds=config.poll_interval
        )
    finally:
        await storage.close()


async def _export(config: Config) -> tuple[bytes, int]:
    storage = await open_storage(config.database)
    try:
        return await export_feeds(storage)
    finally:
        await storage.close()


def _config(path: str) -> Config | None:
    try:
        return load_config(path)
    except ConfigError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return None


def _read_capped(path: Path) -> bytes:
    """Read at most one byte past the cap, so a huge file is refused without loading it."""
    with path.open("rb") as stream:
        data = stream.read(MAX_OPML_BYTES + 1)
    if len(data) > MAX_OPML_BYTES:
        raise too_large(path.stat().st_size)
    return data


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1
