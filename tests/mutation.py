"""Mutation testing: do the tests notice when a module's code is changed?

    .venv/bin/python -m tests.mutation bot/feeds/refresh.py storage/store.py
    .venv/bin/python -m tests.mutation bot/config.py:_parse_polling,feed_url_key,85-95
    .venv/bin/python -m tests.mutation handlers/admin.py --max 40 --sample
    .venv/bin/python -m tests.mutation bot/feeds/refresh.py --changed-since main

For each module it prints how many mutants were run, killed, timed out and survived, the
score (killed + timed out) / run, and every survivor as file:line with the original and the
mutated line, so that a developer can write the test that kills it or argue that it is
equivalent. It measures and never gates: the exit status is 0 whatever the score. It is too
slow for `.ci/run`; run it on every module an issue changes.

A module may be narrowed with `:` and a comma-separated list of function or class names
(qualified, `FeedService.refresh`, or the last part, `refresh`) and line ranges (`85-95`);
`--changed-since REV` keeps to the lines changed since a revision. `--dry-run` only counts.
The cosmic-ray sessions (.sqlite) stay in `--workdir` for `cr-report` and `cr-html`.

Tool: cosmic-ray, which writes each mutant into the module's file on disk and runs the test
command as a new process. Everything the tests start sees the mutant too, including the
`python -m bot run` subprocesses of tests/e2e/test_commands.py and tests/e2e/test_crash.py.
mutmut 3 was the alternative and does not fit (read in mutmut 3.8.1's source): it rewrites
every function into a trampoline that picks the mutant at call time, and chooses the tests
to run per function from a call trace recorded inside the pytest process; a function reached
only from a subprocess is never in that trace, so its mutants are reported "no tests" and
never run. It also leaves decorated functions alone (`@asynccontextmanager`, `@property`, ...)
and code outside functions (module constants such as `_POLLING_RANGES`).

Never in the work tree: other engineers edit the repository while this runs, and a mutant
on disk there would break their tests. The script copies the working tree as it is (tracked
files with their uncommitted changes, plus untracked files that git does not ignore: what
the developer is about to commit) into a directory under /tmp, or with `--head` the
committed HEAD only, and runs everything in that copy; one copy per worker. The copies find
../shared through NEWSBOT_SHARED_DIR (the repository's ../shared unless already set) and
import their own code first (PYTHONPATH), not the editable install's. A baseline run on the
unmutated copy comes first: tests failing there are deselected (named in the output), since
with `-x` they would "kill" every mutant.

Speed: the whole suite takes a minute on two cores, too long per mutant. Each module maps to
the test files that exercise it (TEST_MAP, most direct and fastest first; `--tests` overrides
it; a test file that no entry names is reported, so that the table keeps up), run with
`-x -q -p no:cacheprovider` and a fixed Hypothesis seed. A mutant whose tests run past the
per-mutant timeout (by default four times the baseline, at least 30 s) is killed with its
whole process group and counted "timed out", which counts as killed. At most two
workers (two cores), each with its own copy and its own share of the mutants. `--max N` runs at
most N mutants per module, spread evenly over the file, or picked at random with `--sample`.

Fewer equivalent mutants: cosmic-ray never mutates strings, so docstrings are untouched;
mutants inside type annotations, `if TYPE_CHECKING:` blocks, Protocol classes and logging calls
are skipped, as are lines marked `# pragma: no mutate` and the bare `*` of a signature (which
cosmic-ray takes for a multiplication). Of cosmic-ray's operators, each binary operator is
replaced by its counterpart only (+ by -, * by /, | by &, ...) rather than by all eleven, and
each comparison by its negation and boundary (< by <= and >=, == by !=, is by is not).

A flaky test can only make a mutant look killed, never survive; survivors are worth reading.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import json
import os
import random
import re
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

sys.dont_write_bytecode = True  # nothing of this run is left in the repository's folders

try:
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome, WorkItem, WorkResult
except ModuleNotFoundError as missing:
    if missing.name != "cosmic_ray":
        raise
    raise SystemExit(
        "cosmic-ray is not installed: pip install -r requirements-mutation.lock -e ."
    ) from missing

REPO = Path(__file__).resolve().parent.parent

# Module (or folder, ending in /) -> the test files that exercise it, most direct and fastest
# first: with -x a mutant usually dies in the first file. The longest matching key wins.
E2E_FEEDS = (
    "tests/e2e/test_feed_health.py",
    "tests/e2e/test_feed_to_subscriber.py",
    "tests/e2e/test_handlers.py",  # first checks push nothing with a subscriber present
)
TEST_MAP: dict[str, tuple[str, ...]] = {
    "bot/articles/": (
        "tests/articles",
        "tests/unit/test_clean.py",
        "tests/unit/test_threads.py",
        "tests/unit/test_preview.py",
        "tests/e2e/test_summit.py",
    ),
    "bot/feeds/fetch.py": (
        "tests/unit/test_addresses.py",
        "tests/feeds/test_fetch.py",
        "tests/feeds/test_refresh.py",
        "tests/feeds/test_poll_cycle.py",
    ),
    "bot/feeds/parse.py": (
        "tests/unit/test_parse.py",
        "tests/feeds/test_real_feeds.py",
        "tests/feeds/test_poll_cycle.py",
    ),
    "bot/feeds/clean.py": (
        "tests/unit/test_clean.py",
        "tests/unit/test_parse.py",
        "tests/feeds/test_real_feeds.py",
    ),
    "bot/feeds/refresh.py": (
        "tests/feeds/test_refresh.py",
        "tests/feeds/test_poll_cycle.py",
        *E2E_FEEDS,
    ),
    "bot/feeds/sync.py": (
        "tests/feeds/test_sync.py",
        "tests/feeds/test_refresh.py",
        "tests/e2e/test_crash.py",
        "tests/e2e/test_admin_topics.py",  # topics admins changed, after a restart
    ),
    "bot/config.py": (
        "tests/unit/test_config.py",
        "tests/feeds/test_sync.py",
        "tests/unit/test_opml.py",
        "tests/unit/test_render.py",
        "tests/e2e/test_crash.py",
    ),
    "bot/delivery/render.py": (
        "tests/unit/test_render.py",
        "tests/unit/test_keyboards.py",  # the card's keyboard, the documents message
        "tests/e2e/test_digests.py",
        "tests/unit/test_preview.py",
        "tests/delivery/test_sender.py",
        "tests/e2e/test_summit.py",
        "tests/e2e/test_feed_to_subscriber.py",
    ),
    "bot/delivery/schedule.py": (
        "tests/unit/test_schedule.py",
        "tests/unit/test_settings_view.py",  # UTC offsets on the time zone buttons
        "tests/e2e/test_digests.py",
    ),
    "bot/delivery/outbox.py": (
        "tests/delivery/test_sender.py",
        "tests/e2e/test_digests.py",  # quiet hours, digests, a chat's time zone
        "tests/e2e/test_settings_keyboard.py",  # a chat's own link previews
        "tests/delivery/test_pacing.py",
        "tests/e2e/test_handlers.py",  # forum threads, blocked chats
        "tests/e2e/test_feed_to_subscriber.py",
        "tests/e2e/test_commands.py",
        "tests/e2e/test_crash.py",
        "tests/e2e/test_buttons.py",  # the keyboard under a card
        "tests/e2e/test_announce.py",  # notices: in the chat's language, quiet hours
    ),
    "bot/delivery/pacing.py": (
        "tests/delivery/test_pacing.py",
        "tests/delivery/test_sender.py",
        "tests/e2e/test_commands.py",
    ),
    "bot/delivery/alerts.py": (
        "tests/delivery/test_sender.py",
        "tests/e2e/test_feed_health.py",
        "tests/feeds/test_poll_cycle.py",
    ),
    "bot/chat_admins.py": ("tests/unit/test_chat_admins.py", "tests/e2e/test_handlers.py"),
    "bot/stories.py": (
        "tests/unit/test_stories.py",
        "tests/unit/test_threads.py",
        "tests/storage/test_storage.py",
        "tests/e2e/test_feed_to_subscriber.py",
    ),
    "bot/topics.py": ("tests/unit/test_topics.py", "tests/unit/test_parse.py", *E2E_FEEDS),
    "bot/reading.py": (
        "tests/unit/test_parse.py",
        "tests/feeds/test_refresh.py",
        "tests/feeds/test_real_feeds.py",
        "tests/e2e/test_feed_to_subscriber.py",  # one story from two feeds
        "tests/e2e/test_crash.py",  # reader processes, killed with the bot
        "tests/e2e/test_commands.py",  # reader processes, shut down with the bot
    ),
    "bot/opml.py": ("tests/unit/test_opml.py", "tests/e2e/test_opml_e2e.py"),
    "bot/opml_cli.py": ("tests/e2e/test_opml_e2e.py",),
    "bot/preview.py": ("tests/unit/test_preview.py",),
    "bot/__main__.py": (
        "tests/unit/test_cli.py",
        "tests/unit/test_config.py",
        "tests/unit/test_preview.py",
        "tests/e2e/test_commands.py",
        "tests/e2e/test_crash.py",
    ),
    "bot/journal.py": ("tests/e2e/test_journal.py", "tests/e2e/test_crash.py"),
    "bot/menu.py": ("tests/e2e/test_menu.py",),
    "bot/callbacks.py": ("tests/unit/test_callbacks.py", "tests/e2e/test_language.py"),
    # Follows: the pure phrase rules, and the commands.
    "bot/follows.py": (
        "tests/unit/test_follow_phrases.py",
        "tests/storage/test_follows_storage.py",
        "tests/e2e/test_follows.py",
    ),
    "handlers/follows.py": ("tests/e2e/test_follows.py",),
    "bot/i18n/": ("tests/unit/test_i18n.py", "tests/e2e/test_language.py"),
    # --- search ---
    "bot/search.py": (
        "tests/unit/test_search.py",
        "tests/storage/test_search_storage.py",
        "tests/e2e/test_search_e2e.py",
    ),
    "bot/": ("tests/e2e",),
    "handlers/admin.py": (
        "tests/e2e/test_handlers.py",
        "tests/e2e/test_feed_health.py",
        "tests/e2e/test_commands.py",
        "tests/e2e/test_feed_to_subscriber.py",
        "tests/e2e/test_stats.py",
        "tests/e2e/test_admin_refusals.py",
    ),
    # --- admins in Telegram: topics, announcements, statistics ---
    "bot/topic_forms.py": ("tests/unit/test_topic_forms.py", "tests/e2e/test_admin_topics.py"),
    "bot/delivery/notices.py": ("tests/e2e/test_admin_topics.py", "tests/e2e/test_announce.py"),
    "handlers/topics_admin.py": (
        "tests/e2e/test_admin_topics.py",
        "tests/e2e/test_admin_refusals.py",
    ),
    "handlers/announce.py": ("tests/e2e/test_announce.py", "tests/e2e/test_admin_refusals.py"),
    "handlers/opml.py": ("tests/e2e/test_opml_e2e.py", "tests/e2e/test_handlers.py"),
    "handlers/settings.py": (
        "tests/unit/test_settings_view.py",
        "tests/e2e/test_settings_keyboard.py",
        "tests/e2e/test_language.py",
        "tests/e2e/test_digests.py",
    ),
    "handlers/membership.py": ("tests/e2e/test_handlers.py", "tests/e2e/test_commands.py"),
    # --- topic toggles, card buttons, deep links and /share ---
    "handlers/start.py": (
        "tests/unit/test_keyboards.py",
        "tests/e2e/test_deep_links.py",
        "tests/e2e/test_handlers.py",
    ),
    "handlers/cards.py": ("tests/e2e/test_buttons.py",),
    "handlers/subscriptions.py": (
        "tests/unit/test_keyboards.py",
        "tests/e2e/test_buttons.py",
        "tests/e2e/test_deep_links.py",
        "tests/e2e/test_channels.py",
        "tests/e2e/test_handlers.py",
        "tests/e2e/test_commands.py",
    ),
    # --- search ---
    "handlers/search.py": ("tests/e2e/test_search_e2e.py", "tests/storage/test_search_storage.py"),
    "handlers/news.py": (
        "tests/e2e/test_search_e2e.py",
        "tests/e2e/test_handlers.py",
        "tests/e2e/test_summit.py",
        "tests/e2e/test_feed_to_subscriber.py",
        "tests/e2e/test_commands.py",
    ),
    "handlers/": ("tests/e2e",),
    "storage/lock.py": (
        "tests/storage/test_lock.py",
        "tests/e2e/test_commands.py",
        "tests/e2e/test_crash.py",
    ),
    "storage/": (
        "tests/storage",
        "tests/feeds/test_sync.py",
        "tests/feeds/test_refresh.py",
        "tests/feeds/test_poll_cycle.py",
        "tests/unit/test_topics.py",
        "tests/delivery/test_sender.py",
        "tests/e2e/test_feed_to_subscriber.py",
        "tests/e2e/test_feed_health.py",
        "tests/e2e/test_handlers.py",
        "tests/e2e/test_commands.py",
        "tests/e2e/test_summit.py",
        "tests/e2e/test_digests.py",
        "tests/e2e/test_channels.py",
        "tests/e2e/test_crash.py",
        "tests/e2e/test_admin_topics.py",
        "tests/e2e/test_announce.py",
        "tests/e2e/test_stats.py",
    ),
}

# Test files that exercise no module of ours (installation and locks, the tests' own guards).
NO_MODULE_TESTS = {"tests/unit/test_install.py", "tests/unit/test_no_network.py"}

# Operators left out (cosmic-ray's own operators-filter, regular expressions matched at the
# start of the name): a binary operator becomes its counterpart only, a comparison its
# negation and its boundary; unary operators are removed or flipped in sign.
KEPT_BINARY = (
    "Add_Sub|Sub_Add|Mul_Div|Div_Mul|FloorDiv_Div|Mod_FloorDiv|Pow_Mul"
    "|BitOr_BitAnd|BitAnd_BitOr|BitXor_BitOr|LShift_RShift|RShift_LShift"
)
KEPT_COMPARISON = (
    "Eq_NotEq|NotEq_Eq|Lt_LtE|Lt_GtE|LtE_Lt|LtE_Gt|Gt_GtE|Gt_LtE|GtE_Gt|GtE_Lt|Is_IsNot|IsNot_Is"
)
KEPT_UNARY = "USub_UAdd|Delete_Not|Delete_USub|Delete_Invert"
EXCLUDED_OPERATORS = (
    rf"core/ReplaceBinaryOperator_(?!({KEPT_BINARY})$)",
    rf"core/ReplaceComparisonOperator_(?!({KEPT_COMPARISON})$)",
    rf"core/ReplaceUnaryOperator_(?!({KEPT_UNARY})$)",
)

LOGGER_NAMES = {"log", "logger", "logging", "_log", "_logger", "LOG", "LOGGER"}
LOG_METHODS = {"debug", "info", "warning", "warn", "error", "exception", "critical", "log"}

# Why a mutant was not run, as written into the session's results.
SKIP_OPERATOR = "Filtered operator"  # cosmic-ray's operators-filter writes this
SKIP_ANNOTATION = "skipped: type annotation"
SKIP_TYPE_CHECKING = "skipped: TYPE_CHECKING block"
SKIP_PROTOCOL = "skipped: Protocol class (types only)"
SKIP_LOGGING = "skipped: logging call"
SKIP_NOT_ARITHMETIC = "skipped: a signature's * marker, not an operator"
SKIP_SCOPE = "skipped: outside the requested functions and lines"
SKIP_SAMPLE = "skipped: not sampled (--max)"
SKIP_OTHER_WORKER = "skipped: another worker's share"

Position = tuple[int, int]  # (line, column in characters), as cosmic-ray (parso) counts


@dataclass(frozen=True)
class Target:
    """A module to mutate and, optionally, the functions and line ranges to keep to."""

    path: str
    names: tuple[str, ...] = ()
    lines: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Mutant:
    line: int
    operator: str
    where: str  # enclosing function or class, qualified
    outcome: str  # "killed" | "timeout" | "survived" | "error"
    diff: tuple[str, ...] = ()
    detail: str = ""


@dataclass
class ModuleReport:
    target: Target
    tests: tuple[str, ...]
    generated: int = 0
    chosen: int = 0  # mutants chosen to run
    dry_run: bool = False
    skipped: Counter[str] = field(default_factory=Counter)
    deselected: tuple[str, ...] = ()
    baseline_seconds: float = 0.0
    timeout: float = 0.0
    seconds: float = 0.0
    mutants: list[Mutant] = field(default_factory=list)
    problem: str = ""

    def count(self, outcome: str) -> int:
        return sum(1 for m in self.mutants if m.outcome == outcome)

    @property
    def run(self) -> int:
        return self.count("killed") + self.count("timeout") + self.count("survived")

    @property
    def score(self) -> float | None:
        if not self.run:
            return None
        return (self.count("killed") + self.count("timeout")) / self.run


# --- what to mutate and where ---------------------------------------------------------------


def parse_target(spec: str) -> Target:
    """`path[:name,name,N-M,...]` -> Target."""
    path, _, scope = spec.partition(":")
    names: list[str] = []
    lines: list[tuple[int, int]] = []
    for part in filter(None, (p.strip() for p in scope.split(","))):
        match = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if match:
            lines.append((int(match[1]), int(match[2] or match[1])))
        else:
            names.append(part)
    return Target(path.removeprefix("./"), tuple(names), tuple(lines))


def changed_lines(path: str, since: str, *, head: bool) -> tuple[tuple[int, int], ...]:
    """The line ranges of `path` that differ from revision `since` (in HEAD or the work tree)."""
    known = subprocess.run(
        ["git", "-C", str(REPO), "cat-file", "-e", f"{since}:{path}"], capture_output=True
    )
    if known.returncode != 0:  # a new file: all of it changed
        return ((1, sys.maxsize),)
    diff = git("diff", "-U0", "--no-color", since, *(["HEAD"] if head else []), "--", path)
    ranges = []
    for match in re.finditer(r"^@@ -\S+ \+(\d+)(?:,(\d+))? @@", diff, re.MULTILINE):
        first, count = int(match[1]), int(match[2] or 1)
        if count:
            ranges.append((first, first + count - 1))
    return tuple(ranges)


def unmapped_tests(tree: Path) -> list[str]:
    """Test files that no TEST_MAP entry names: a new file the table has not caught up with."""
    named = {path for paths in TEST_MAP.values() for path in paths} | NO_MODULE_TESTS
    return sorted(
        relative
        for relative in (p.relative_to(tree).as_posix() for p in tree.glob("tests/**/test_*.py"))
        if not any(relative == n or relative.startswith(f"{n}/") for n in named)
    )


def tests_for(module: str) -> tuple[str, ...]:
    keys = [k for k in TEST_MAP if module == k or (k.endswith("/") and module.startswith(k))]
    if not keys:
        return ("tests",)
    return TEST_MAP[max(keys, key=len)]


@dataclass(frozen=True)
class SourceMap:
    """Ranges of one module's source: its definitions and the places not worth mutating."""

    definitions: tuple[tuple[int, int, str], ...]  # (first line, last line, qualified name)
    skip: tuple[tuple[Position, Position, str], ...]  # (start, end, reason)
    operators: tuple[tuple[Position, Position], ...]  # between the operands of a binary operation

    def where(self, line: int) -> str:
        inner = [d for d in self.definitions if d[0] <= line <= d[1]]
        return max(inner, key=lambda d: d[0])[2] if inner else "<module>"

    def in_names(self, line: int, names: Iterable[str]) -> bool:
        wanted = set(names)
        for first, last, qualname in self.definitions:
            if first <= line <= last and (qualname in wanted or qualname.split(".")[-1] in wanted):
                return True
        return False

    def skip_reason(self, position: Position, operator: str) -> str | None:
        for start, end, reason in self.skip:
            if start <= position < end:
                return reason
        # cosmic-ray takes the bare `*` of `def f(a, *, b)` for a multiplication.
        if operator.startswith("core/ReplaceBinaryOperator_") and not any(
            start <= position < end for start, end in self.operators
        ):
            return SKIP_NOT_ARITHMETIC
        return None


def source_map(source: str) -> SourceMap:
    tree = ast.parse(source)
    lines = source.splitlines()

    def position(line: int, byte_col: int) -> Position:
        # ast counts columns in UTF-8 bytes, parso in characters.
        text = lines[line - 1] if line - 1 < len(lines) else ""
        return line, len(text.encode("utf-8")[:byte_col].decode("utf-8", errors="replace"))

    skip: list[tuple[Position, Position, str]] = []
    definitions: list[tuple[int, int, str]] = []
    operators: list[tuple[Position, Position]] = []

    def span(node: ast.AST, reason: str) -> None:
        start = position(node.lineno, node.col_offset)  # type: ignore[attr-defined]
        end = position(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
        skip.append((start, end, reason))

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            name = prefix
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{child.name}"
                first = min([child.lineno, *(d.lineno for d in child.decorator_list)])
                definitions.append((first, child.end_lineno or child.lineno, name))
                name += "."
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                if child.returns is not None:
                    span(child.returns, SKIP_ANNOTATION)
                arguments = child.args
                every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
                every += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
                for argument in every:
                    if argument.annotation is not None:
                        span(argument.annotation, SKIP_ANNOTATION)
            elif isinstance(child, ast.AnnAssign):
                span(child.annotation, SKIP_ANNOTATION)
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                span(child, SKIP_TYPE_CHECKING)
            elif isinstance(child, ast.ClassDef) and any(
                _is_name(base, "Protocol") for base in child.bases
            ):
                span(child, SKIP_PROTOCOL)
            elif isinstance(child, ast.Call) and _is_logging_call(child):
                span(child, SKIP_LOGGING)
            if isinstance(child, ast.BinOp | ast.AugAssign):
                left, right = (
                    (child.left, child.right)
                    if isinstance(child, ast.BinOp)
                    else (child.target, child.value)
                )
                operators.append(
                    (
                        position(left.end_lineno or left.lineno, left.end_col_offset or 0),
                        position(right.lineno, right.col_offset),
                    )
                )
            visit(child, name)

    visit(tree, "")
    return SourceMap(tuple(definitions), tuple(skip), tuple(operators))


def _is_name(node: ast.expr, name: str) -> bool:
    """`name` or `something.name`."""
    if isinstance(node, ast.Subscript):  # Protocol[T]
        node = node.value
    return (isinstance(node, ast.Name) and node.id == name) or (
        isinstance(node, ast.Attribute) and node.attr == name
    )


def _is_type_checking(test: ast.expr) -> bool:
    return _is_name(test, "TYPE_CHECKING")


def _is_logging_call(call: ast.Call) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr in LOG_METHODS
        and isinstance(func.value, ast.Name)
        and func.value.id in LOGGER_NAMES
    )


# --- the private copies ---------------------------------------------------------------------


def git(*args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(REPO), *args], check=True, capture_output=True, text=True
    ).stdout


def snapshot(destination: Path, *, head: bool) -> str:
    """Copy the repository into `destination`; returns what was copied, for the report."""
    destination.mkdir(parents=True)
    commit = git("rev-parse", "--short", "HEAD").strip()
    if head:
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", "HEAD"], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(destination)], input=archive, check=True)
        return f"HEAD {commit}"
    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for relative in filter(None, listed.split("\0")):
        source = REPO / relative
        if not source.is_file():  # deleted in the work tree
            continue
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target, follow_symlinks=False)
    changed = git("status", "--porcelain", "--untracked-files=normal").strip()
    return f"work tree at {commit}" + (" with uncommitted changes" if changed else "")


def environment(tree: Path, shared: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tree), env.get("PYTHONPATH", "")]))
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # a same-size mutant must never meet a stale .pyc
    env["NEWSBOT_SHARED_DIR"] = str(shared)
    if shared.is_dir():
        env["NEWSBOT_REQUIRE_SHARED"] = "1"  # a skipped test would let mutants survive
    return env


# --- running ----------------------------------------------------------------------------------


def pytest_command(tests: Sequence[str], deselect: Iterable[str], *, stop_first: bool) -> list[str]:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    command += ["--hypothesis-seed=0", "-o", "addopts="]
    command += ["-x"] if stop_first else ["-rfE"]
    for node in deselect:
        command += ["--deselect", node]
    return [*command, *tests]


def run_baseline(
    tree: Path, env: dict[str, str], tests: Sequence[str], deselect: Sequence[str]
) -> tuple[int, float, list[str], str]:
    """Run the tests on the unmutated copy: (exit status, seconds, failing node ids, output)."""
    started = time.monotonic()
    done = subprocess.run(
        pytest_command(tests, deselect, stop_first=False),
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.monotonic() - started
    failing = [
        m[1] for m in re.finditer(r"^(?:FAILED|ERROR) (\S+?)(?: - .*)?$", done.stdout, re.MULTILINE)
    ]
    return done.returncode, seconds, failing, done.stdout + done.stderr


def baseline(
    tree: Path, env: dict[str, str], tests: Sequence[str]
) -> tuple[tuple[str, ...], float] | str:
    """Tests failing on the unmutated copy are deselected (with -x they would kill every
    mutant); returns (deselected, seconds of a passing run), or why it cannot pass."""
    deselect: list[str] = []
    for _attempt in range(2):
        status, seconds, failing, output = run_baseline(tree, env, tests, deselect)
        if status == 0:
            return tuple(deselect), seconds
        if status != 1 or not failing:
            return f"baseline run failed (pytest exit {status}):\n{output[-3000:]}"
        deselect += failing
    return f"baseline still failing after deselecting {deselect}:\n{output[-3000:]}"


def cosmic_ray(tree: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", *args], cwd=tree, env=env, check=True)


def write_config(path: Path, module: str, command: Sequence[str], timeout: float) -> None:
    def text(value: str) -> str:
        return json.dumps(value)  # a JSON string is a TOML basic string

    excluded = ", ".join(text(e) for e in EXCLUDED_OPERATORS)
    path.write_text(
        "[cosmic-ray]\n"
        f"module-path = {text(module)}\n"
        f"timeout = {timeout:.1f}\n"
        "excluded-modules = []\n"
        f"test-command = {text(shlex.join(command))}\n\n"
        "[cosmic-ray.distributor]\n"
        'name = "local"\n\n'
        "[cosmic-ray.filters.operators-filter]\n"
        f"exclude-operators = [{excluded}]\n",
        encoding="utf-8",
    )


def position_of(item: WorkItem) -> Position:
    start = item.mutations[0].start_pos
    return int(start[0]), int(start[1])


def mark(db: WorkDB, job_ids: Sequence[str], reason: str) -> None:
    if job_ids:
        db.set_multiple_results(
            list(job_ids), WorkResult(worker_outcome=WorkerOutcome.SKIPPED, output=reason)
        )


def choose(
    session: Path,
    target: Target,
    smap: SourceMap,
    *,
    limit: int | None,
    sample: bool,
    seed: int,
) -> list[WorkItem]:
    """Skip the mutants not worth running; returns those to run, in source order."""
    with use_db(str(session), WorkDB.Mode.open) as db:
        pending = sorted(
            db.pending_work_items, key=lambda i: (position_of(i), i.mutations[0].operator_name)
        )
        by_reason: dict[str, list[str]] = {}
        kept: list[WorkItem] = []
        for item in pending:
            where = position_of(item)
            reason = smap.skip_reason(where, item.mutations[0].operator_name)
            if reason is None and (target.names or target.lines):
                line = where[0]
                in_lines = any(first <= line <= last for first, last in target.lines)
                if not in_lines and not smap.in_names(line, target.names):
                    reason = SKIP_SCOPE
            if reason is None:
                kept.append(item)
            else:
                by_reason.setdefault(reason, []).append(item.job_id)
        if limit is not None and len(kept) > limit:
            if sample:
                chosen = set(random.Random(seed).sample(range(len(kept)), limit))
            else:  # evenly spread over the file
                chosen = {round(i * len(kept) / limit) for i in range(limit)}
            by_reason[SKIP_SAMPLE] = [it.job_id for i, it in enumerate(kept) if i not in chosen]
            kept = [it for i, it in enumerate(kept) if i in chosen]
        for reason, job_ids in by_reason.items():
            mark(db, job_ids, reason)
        return kept


def results_done(session: Path) -> int:
    """Results written so far by a running worker (progress only)."""
    try:
        with sqlite3.connect(f"file:{session}?mode=ro", uri=True, timeout=1) as conn:
            row = conn.execute(
                "SELECT count(*) FROM work_results WHERE upper(worker_outcome) != 'SKIPPED'"
            ).fetchone()
    except sqlite3.OperationalError:  # locked for a moment by the writer
        return -1
    return int(row[0])


def execute(
    trees: Sequence[Path],
    envs: Sequence[dict[str, str]],
    config: Path,
    session: Path,
    items: Sequence[WorkItem],
    label: str,
) -> list[Path]:
    """Split the mutants between the workers, run them, and return the workers' sessions."""
    sessions = [session.with_name(f"{session.stem}-{i}.sqlite") for i in range(len(trees))]
    for i, worker_session in enumerate(sessions):
        shutil.copyfile(session, worker_session)
        with use_db(str(worker_session), WorkDB.Mode.open) as db:
            mark(
                db,
                [it.job_id for n, it in enumerate(items) if n % len(trees) != i],
                SKIP_OTHER_WORKER,
            )
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "cosmic_ray.cli", "exec", str(config), str(s)],
            cwd=tree,
            env=env,
            start_new_session=True,  # so that an interrupt can end each worker's whole group
        )
        for tree, env, s in zip(trees, envs, sessions, strict=True)
    ]
    started = time.monotonic()
    try:
        for process in processes:
            while True:
                try:
                    process.wait(timeout=60)
                    break
                except subprocess.TimeoutExpired:
                    done = sum(max(results_done(s), 0) for s in sessions)
                    minutes = (time.monotonic() - started) / 60
                    print(f"   {label}: {done}/{len(items)} mutants, {minutes:.0f} min", flush=True)
    finally:
        for process in processes:
            if process.poll() is None:  # interrupted: end the worker and its test run
                for child in _children(process.pid):  # cosmic-ray gives each its own group
                    _kill_group(child)
                _kill_group(process.pid)
                process.wait()
    return sessions


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # ended meanwhile
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
        os.killpg(pid, signal.SIGKILL)


def collect(sessions: Sequence[Path], smap: SourceMap) -> list[Mutant]:
    mutants: list[Mutant] = []
    for worker_session in sessions:
        with use_db(str(worker_session), WorkDB.Mode.open) as db:
            for item, result in db.completed_work_items:
                if result.worker_outcome == WorkerOutcome.SKIPPED:
                    continue
                spec = item.mutations[0]
                line = int(spec.start_pos[0])
                diff = tuple(
                    d
                    for d in (result.diff or "").splitlines()
                    if d[:1] in "+-" and d not in ("+", "-") and not d.startswith(("+++", "---"))
                )
                if result.worker_outcome != WorkerOutcome.NORMAL:
                    outcome, detail = "error", (result.output or "")[-2000:]
                elif result.test_outcome == TestOutcome.SURVIVED:
                    outcome, detail = "survived", ""
                elif result.test_outcome == TestOutcome.KILLED:
                    outcome = "timeout" if result.output == "timeout" else "killed"
                    detail = ""
                else:
                    outcome, detail = "error", (result.output or "")[-2000:]
                mutants.append(
                    Mutant(line, spec.operator_name, smap.where(line), outcome, diff, detail)
                )
    return sorted(mutants, key=lambda m: (m.line, m.operator))


def measure(
    target: Target,
    tests: tuple[str, ...],
    trees: Sequence[Path],
    envs: Sequence[dict[str, str]],
    work: Path,
    args: argparse.Namespace,
) -> ModuleReport:
    report = ModuleReport(target, tests)
    started = time.monotonic()
    original = trees[0] / target.path
    if not original.is_file() or original.suffix != ".py":
        report.problem = "no such Python file in the copy"
        return report
    source = original.read_text(encoding="utf-8")
    smap = source_map(source)
    missing = [t for t in tests if not (trees[0] / t).exists()]
    if missing:
        print(f"   warning: no {' '.join(missing)} in the copy; left out", flush=True)
        tests = report.tests = tuple(t for t in tests if t not in missing)
        if not tests:
            report.problem = "none of its test files is in the copy"
            return report

    if not args.dry_run:
        outcome = baseline(trees[0], envs[0], tests)
        if isinstance(outcome, str):
            report.problem = outcome
            return report
        report.deselected, report.baseline_seconds = outcome
    deselect = report.deselected
    report.timeout = args.timeout or max(30.0, 4 * report.baseline_seconds)

    slug = re.sub(r"\W+", "_", target.path)
    config, session = work / f"{slug}.toml", work / f"{slug}.sqlite"
    command = pytest_command(tests, deselect, stop_first=True)
    write_config(config, target.path, command, report.timeout)
    session.unlink(missing_ok=True)
    cosmic_ray(trees[0], envs[0], "cosmic_ray.cli", "init", str(config), str(session))
    cosmic_ray(
        trees[0], envs[0], "cosmic_ray.tools.filters.operators_filter", str(session), str(config)
    )
    cosmic_ray(trees[0], envs[0], "cosmic_ray.tools.filters.pragma_no_mutate", str(session))
    items = choose(session, target, smap, limit=args.max, sample=args.sample, seed=args.seed)
    report.chosen, report.dry_run = len(items), args.dry_run
    with use_db(str(session), WorkDB.Mode.open) as db:
        report.generated = db.num_work_items
        report.skipped = Counter(
            (r.output or "skipped: # pragma: no mutate")
            for _, r in db.results
            if r.worker_outcome == WorkerOutcome.SKIPPED
        )
    print(
        f"   {target.path}: {len(items)} mutants to run of {report.generated} generated; "
        f"baseline {report.baseline_seconds:.1f} s, timeout {report.timeout:.0f} s",
        flush=True,
    )
    if items and not args.dry_run:
        sessions = execute(trees, envs, config, session, items, target.path)
        report.mutants = collect(sessions, smap)
    for tree in trees:  # cosmic-ray puts the original back; make sure of it
        if (tree / target.path).read_text(encoding="utf-8") != source:
            (tree / target.path).write_text(source, encoding="utf-8")
            print(f"   warning: {tree / target.path} was left mutated; restored", flush=True)
    report.seconds = time.monotonic() - started
    return report


# --- the report -------------------------------------------------------------------------------


def print_report(report: ModuleReport) -> None:
    target = report.target
    scope = ",".join([*target.names, *(f"{a}-{b}" for a, b in target.lines)])
    print(f"\n== {target.path}" + (f" (only {scope})" if scope else ""))
    print(f"   tests: {' '.join(report.tests)}")
    if report.problem:
        print(f"   not measured: {report.problem}")
        return
    if report.deselected:
        print(f"   deselected (failing without any mutant): {' '.join(report.deselected)}")
    skipped = ", ".join(
        f"{n} {reason.removeprefix('skipped: ')}"
        for reason, n in sorted(report.skipped.items(), key=lambda kv: -kv[1])
        if reason != SKIP_OTHER_WORKER
    )
    print(f"   generated {report.generated}; not run: {skipped or 'none'}")
    if report.dry_run:
        print(f"   would run {report.chosen} (dry run)")
        return
    killed, timeout, survived = (report.count(k) for k in ("killed", "timeout", "survived"))
    errors = report.count("error")
    print(
        f"   run {report.run}: killed {killed}, timed out {timeout} (counted as killed), "
        f"survived {survived}" + (f", errors {errors} (not counted)" if errors else "")
    )
    score = report.score
    print(
        "   score "
        + (f"{score:.1%}" if score is not None else "n/a")
        + f" = (killed + timed out) / run; {report.seconds / 60:.1f} min"
    )
    for mutant in report.mutants:
        if mutant.outcome in ("survived", "error"):
            label = "SURVIVED" if mutant.outcome == "survived" else "ERROR"
            print(f"   {label} {target.path}:{mutant.line} in {mutant.where} [{mutant.operator}]")
            for line in mutant.diff:
                print(f"      {line}")
            if mutant.detail:
                print("      " + mutant.detail.strip().replace("\n", "\n      "))


def print_summary(reports: Sequence[ModuleReport]) -> None:
    print("\n== summary")
    print(f"   {'module':40} {'run':>5} {'killed':>7} {'timeout':>8} {'survived':>9} {'score':>7}")
    for r in reports:
        score = f"{r.score:.1%}" if r.score is not None else "n/a"
        print(
            f"   {r.target.path:40} {r.run:>5} {r.count('killed'):>7} {r.count('timeout'):>8} "
            f"{r.count('survived'):>9} {score:>7}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.mutation",
        description="Mutation score and survivors of the named modules (cosmic-ray, in a copy).",
    )
    parser.add_argument("modules", nargs="+", metavar="MODULE[:NAME,N-M,...]")
    parser.add_argument("--tests", nargs="+", metavar="PATH", help="test files for every module")
    parser.add_argument("--max", type=int, metavar="N", help="at most N mutants per module")
    parser.add_argument("--sample", action="store_true", help="with --max: pick at random")
    parser.add_argument("--seed", type=int, default=0, help="for --sample (default 0)")
    parser.add_argument("--timeout", type=float, metavar="S", help="per mutant (default 4x base)")
    parser.add_argument("--workers", type=int, default=2, choices=(1, 2))
    parser.add_argument("--head", action="store_true", help="mutate HEAD, not the work tree")
    parser.add_argument(
        "--changed-since", metavar="REV", help="only the lines changed since this revision"
    )
    parser.add_argument("--workdir", type=Path, help="where the copies go (kept afterwards)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copies")
    parser.add_argument(
        "--dry-run", action="store_true", help="count the mutants that would run, run none"
    )
    args = parser.parse_args(argv)

    shared = Path(os.environ.get("NEWSBOT_SHARED_DIR", REPO.parent / "shared")).resolve()
    work = args.workdir.resolve() if args.workdir else Path(tempfile.mkdtemp(prefix="newsbot-mut-"))
    if work.is_relative_to(REPO):
        parser.error("--workdir must be outside the repository")
    work.mkdir(parents=True, exist_ok=True)
    trees = [work / f"tree-{i}" for i in range(args.workers)]
    for tree in trees:
        if tree.exists():
            shutil.rmtree(tree)
    copied = snapshot(trees[0], head=args.head)
    for tree in trees[1:]:
        shutil.copytree(trees[0], tree, symlinks=True)
    envs = [environment(tree, shared) for tree in trees]
    print(f"mutating a copy of the {copied} in {work} ({args.workers} workers)", flush=True)
    unmapped = unmapped_tests(trees[0])
    if unmapped and not args.tests:
        print(
            f"warning: TEST_MAP names none of {' '.join(unmapped)}; mutants they kill may survive"
        )
    if not shared.is_dir():
        print(f"warning: {shared} is missing; tests reading ../shared skip and let mutants live")

    reports = []
    try:
        for spec in args.modules:
            target = parse_target(spec)
            if args.changed_since:
                changed = changed_lines(target.path, args.changed_since, head=args.head)
                target = replace(target, lines=target.lines + changed)
                if not target.lines and not target.names:
                    print(f"\n== {target.path}: no line changed since {args.changed_since}")
                    continue
            tests = tuple(args.tests) if args.tests else tests_for(target.path)
            report = measure(target, tests, trees, envs, work, args)
            print_report(report)
            reports.append(report)
        print_summary(reports)
    except KeyboardInterrupt:  # the workers and their test runs are ended by now
        print("\ninterrupted; the modules finished before:")
        print_summary(reports)
        return 130
    finally:
        if args.workdir or args.keep:
            print(f"\nsessions and copies kept in {work} (cr-report / cr-html read the .sqlite)")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
