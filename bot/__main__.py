"""Command line: `newsbot run | check-config | preview | import-opml | export-opml`,
`newsbot --version` (also `python -m bot`)."""

from __future__ import annotations

import argparse
import importlib.metadata
import logging
import os
import sys

import bot
from bot.config import ConfigError, config_warnings, load_config
from storage.lock import DatabaseInUse, DatabaseLock


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newsbot", description="A Telegram news bot.")
    parser.add_argument("--version", action="version", version=f"newsbot {version()}")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the bot (long polling); needs BOT_TOKEN")
    run.add_argument("--config", default="config.toml", help="TOML file (default: config.toml)")
    check = commands.add_parser("check-config", help="validate a configuration file")
    check.add_argument("path")
    preview = commands.add_parser(
        "preview", help="print the cards a subscriber would get from a feed (no token needed)"
    )
    preview.add_argument(
        "source", help="a feed or an article (.txt, .html): a file or an http(s) URL"
    )
    preview.add_argument("--lang", default="ru", choices=["ru", "en"], help="card language")
    preview.add_argument("--limit", type=int, default=10, help="at most this many cards")
    preview.add_argument("--json", action="store_true", help="print items as JSON")
    import_cmd = commands.add_parser("import-opml", help="follow the feeds of an OPML file")
    import_cmd.add_argument("file", help="an .opml file exported by a feed reader")
    import_cmd.add_argument(
        "--config", default="config.toml", help="TOML file (default: config.toml)"
    )
    export_cmd = commands.add_parser(
        "export-opml", help="write every followed feed as OPML (to stdout without FILE)"
    )
    export_cmd.add_argument("file", nargs="?", help="the .opml file to write")
    export_cmd.add_argument(
        "--config", default="config.toml", help="TOML file (default: config.toml)"
    )
    args = parser.parse_args(argv)

    if args.command == "check-config":
        return check_config(args.path)
    if args.command == "preview":
        from bot.preview import preview_source

        return preview_source(args.source, lang=args.lang, limit=args.limit, as_json=args.json)
    if args.command == "import-opml":
        from bot.opml_cli import import_opml

        return import_opml(args.config, args.file)
    if args.command == "export-opml":
        from bot.opml_cli import export_opml

        return export_opml(args.config, args.file)
    return run_bot(args.config)


def version() -> str:
    """The installed distribution's version; the package's own in a checkout not installed."""
    try:
        return importlib.metadata.version("newsbot")
    except importlib.metadata.PackageNotFoundError:
        return bot.__version__


def check_config(path: str) -> int:
    try:
        config = load_config(path)
    except ConfigError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    print(
        f"{path}: OK — {len(config.topics)} topics, {len(config.feeds)} feeds, "
        f"{len(config.admins)} admins, database {config.database}"
    )
    for warning in config_warnings(config):
        print(f"warning: {warning}", file=sys.stderr)
    if not os.environ.get("BOT_TOKEN"):
        print("warning: BOT_TOKEN is not set: `newsbot run` will refuse to start", file=sys.stderr)
    return 0


def run_bot(path: str) -> int:
    try:
        config = load_config(path, require_token=True)
    except ConfigError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    from bot.app import run

    try:
        with DatabaseLock(config.database):
            run(config)
    except DatabaseInUse as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
