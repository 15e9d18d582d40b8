"""Ingest throughput on the real-feeds corpus, beside feedparser alone (goal: >= 0.7x).

Measures entries per second through our ingest path (parse -> key -> clean, then store into
a fresh SQLite file the way FeedService does it, one `store_items` call per feed) with a light
reader that files each entry under its feed's topics without reading the article, and compares
it with `feedparser.parse` alone on the same bytes in the same run. The full article reader
(`read_and_file`) is measured too, for information. Every rate is the number of entries
feedparser finds in the corpus divided by the time, so the ratios are time ratios. The parsers
are timed interleaved, file by file, and each figure is the best of several rounds (median
beside it): on a shared machine the best round is the one least disturbed by neighbours.

Run: .venv/bin/python bench/ingest_bench.py [--runs 3] [--rounds 5] [--profile]
Prints figures only; never asserts on timing.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import feedparser  # noqa: E402
import pytest  # noqa: E402

from bot.config import load_config  # noqa: E402
from bot.feeds.parse import parse_feed  # noqa: E402
from bot.feeds.refresh import EntryReader  # noqa: E402
from bot.reading import read_and_file, same_story  # noqa: E402
from storage import Feed, FeedCheck, Storage, open_storage  # noqa: E402
from tests.conftest import shared_file  # noqa: E402
from tests.support.readers import light_reader  # noqa: E402

GOAL = 0.7
CORPUS = "corpora/real-feeds"
NOW = 1_800_000_000.0


@dataclass(frozen=True)
class Corpus:
    files: tuple[tuple[str, bytes], ...]
    feedparser_entries: int  # what feedparser finds: the numerator of every rate
    our_entries: int  # what parse_feed keeps (duplicates collapsed, ads dropped)


def load_corpus() -> Corpus | None:
    try:
        folder = shared_file(CORPUS)
    except pytest.skip.Exception as exc:  # no ../shared beside the repository
        print(exc)
        return None
    # provenance.md describes the corpus; every other file is a feed.
    paths = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix != ".md")
    files = tuple((p.name, p.read_bytes()) for p in paths)
    fp_entries = sum(len(feedparser.parse(data).entries) for _, data in files)
    ours = sum(len(parse_feed(data).entries) for _, data in files)
    return Corpus(files, fp_entries, ours)


PARSERS: tuple[tuple[str, Callable[[bytes], object]], ...] = (
    ("feedparser", feedparser.parse),
    (
        "feedparser_flags",  # the options parse_feed passes: no sanitizing, no URI rewriting
        lambda data: feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False),
    ),
    ("parse_feed", parse_feed),
)


def time_parsers(corpus: Corpus, turn: int) -> dict[str, float]:
    """One pass over the corpus per parser, interleaved file by file (the order rotating with
    `turn`), so that a burst of load from a neighbour on the machine hits all of them alike."""
    totals = dict.fromkeys((name for name, _ in PARSERS), 0.0)
    order = PARSERS[turn % len(PARSERS) :] + PARSERS[: turn % len(PARSERS)]
    for _, data in corpus.files:
        for name, parse in order:
            start = time.perf_counter()
            parse(data)
            totals[name] += time.perf_counter() - start
    return totals


def time_parse_feed(corpus: Corpus, rounds: int) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        for _, data in corpus.files:
            parse_feed(data)
    return time.perf_counter() - start


@dataclass
class StoreTimes:
    total: float = 0.0  # parse + read + store, the whole round
    parse: float = 0.0
    read: float = 0.0
    store: float = 0.0  # fingerprints, topics, store_items
    stored: int = 0


async def _prepare(
    path: Path, topic_specs: Sequence[tuple[str, str, str, tuple[str, ...]]], corpus: Corpus
) -> tuple[Storage, list[Feed]]:
    storage = await open_storage(path)
    topic_ids = [(await storage.sync_topic(*spec)).id for spec in topic_specs]
    feeds = []
    for n, (name, _) in enumerate(corpus.files):
        feeds.append(
            await storage.add_feed(
                f"https://feeds.bench.test/{name}",
                title=name,
                interval_seconds=900,
                next_check_at=NOW,
                now=NOW,
                topic_ids=topic_ids[n % len(topic_ids) : n % len(topic_ids) + 1],
            )
        )
    return storage, feeds


async def store_round(
    corpus: Corpus,
    folder: Path,
    reader: EntryReader,
    topic_specs: Sequence[tuple[str, str, str, tuple[str, ...]]],
) -> StoreTimes:
    """One round into a fresh database: what FeedService._store does for each feed."""
    storage, feeds = await _prepare(folder / "ingest.sqlite", topic_specs, corpus)
    times = StoreTimes()
    try:
        start = time.perf_counter()
        for feed, (_, data) in zip(feeds, corpus.files, strict=True):
            t0 = time.perf_counter()
            parsed = parse_feed(data)
            t1 = time.perf_counter()
            unique = {e.key: e for e in parsed.entries}
            known = await storage.item_fingerprints(feed.id, list(unique))
            entries = [e for k, e in unique.items() if known.get(k) != e.fingerprint]
            topics = await storage.topics()
            t2 = time.perf_counter()
            drafts = [reader(e, None, topics, feed.topic_ids) for e in entries]
            t3 = time.perf_counter()
            outcome = await storage.store_items(
                feed.id,
                drafts,
                now=NOW,
                check=FeedCheck(next_check_at=NOW + 900, title=parsed.title),
                queue=False,
                push_limit=20,
                same_story=same_story,
            )
            t4 = time.perf_counter()
            times.parse += t1 - t0
            times.read += t3 - t2
            times.store += (t2 - t1) + (t4 - t3)
            times.stored += outcome.new
        times.total = time.perf_counter() - start
    finally:
        await storage.close()
    return times


def run_store(
    corpus: Corpus,
    rounds: int,
    reader: EntryReader,
    topic_specs: Sequence[tuple[str, str, str, tuple[str, ...]]],
) -> StoreTimes:
    summed = StoreTimes()
    for _ in range(rounds):
        with tempfile.TemporaryDirectory(prefix="newsbot-ingest-") as tmp:
            one = asyncio.run(store_round(corpus, Path(tmp), reader, topic_specs))
        summed.total += one.total
        summed.parse += one.parse
        summed.read += one.read
        summed.store += one.store
        summed.stored += one.stored
    return summed


def topic_specs_from_example() -> list[tuple[str, str, str, tuple[str, ...]]]:
    """The example configuration's topics: real rules for the full reader to match."""
    config = load_config(ROOT / "config.example.toml", environ={})
    return [(t.slug, t.name_ru, t.name_en, t.keywords) for t in config.topics]


def one_run(
    n: int,
    corpus: Corpus,
    rounds: int,
    full_rounds: int,
    specs: Sequence[tuple[str, str, str, tuple[str, ...]]],
) -> dict[str, float]:
    """Rounds of (all parsers, then parse+store into a fresh database); the best round of each
    is the figure least disturbed by the neighbours, the median is printed beside it."""
    times: dict[str, list[float]] = {name: [] for name, _ in PARSERS}
    stores: list[StoreTimes] = []
    for turn in range(rounds):
        for name, seconds in time_parsers(corpus, turn).items():
            times[name].append(seconds)
        stores.append(run_store(corpus, 1, light_reader, specs))
    times["store"] = [s.total for s in stores]
    full = run_store(corpus, full_rounds, read_and_file, specs)
    entries = corpus.feedparser_entries
    best = {name: min(values) for name, values in times.items()}
    median = {name: statistics.median(values) for name, values in times.items()}

    def line(label: str, name: str) -> str:
        return (
            f"  {label:40} {entries / best[name]:6.0f} entries/s best "
            f"({best[name] * 1000:6.1f} ms), {entries / median[name]:6.0f} median"
        )

    fastest = min(stores, key=lambda s: s.total)
    print(f"run {n}: {rounds} rounds x {entries} entries")
    print(line("feedparser.parse (defaults)", "feedparser"))
    print(line("feedparser.parse (our flags, info)", "feedparser_flags"))
    print(line("parse_feed (parse+key+clean)", "parse_feed"))
    print(
        line("parse+store, light reader", "store")
        + f"  [best round: parse {fastest.parse * 1000:.0f} ms, store "
        f"{fastest.store * 1000:.0f} ms; {fastest.stored} items]"
    )
    print(
        f"  {'parse+read+store, full reader (info)':40} "
        f"{entries * full_rounds / full.total:6.0f} entries/s "
        f"({full_rounds} round(s); read {full.read * 1000:.0f} ms of {full.total * 1000:.0f} ms)"
    )
    ratios = {
        "parse": best["feedparser"] / best["parse_feed"],
        "store": best["feedparser"] / best["store"],
        "parse_median": median["feedparser"] / median["parse_feed"],
        "store_median": median["feedparser"] / median["store"],
    }
    for key, label in (("parse", "parse_feed"), ("store", "parse+store")):
        ratio = ratios[key]
        verdict = "meets" if ratio >= GOAL else "MISSES"
        print(
            f"  ratio {label} / feedparser = {ratio:.2f}x best, "
            f"{ratios[key + '_median']:.2f}x median ({verdict} goal {GOAL}x)"
        )
    return ratios


def profile(
    corpus: Corpus, rounds: int, specs: Sequence[tuple[str, str, str, tuple[str, ...]]], top: int
) -> None:
    """Where parse_feed and parse+store spend their time, beyond feedparser itself."""
    targets: list[tuple[str, Callable[[], object]]] = [
        ("parse_feed", lambda: time_parse_feed(corpus, rounds)),
        ("parse+store (light reader)", lambda: run_store(corpus, rounds, light_reader, specs)),
    ]
    for label, target in targets:
        profiler = cProfile.Profile()
        profiler.enable()
        target()
        profiler.disable()
        for order in ("tottime", "cumulative"):
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.strip_dirs().sort_stats(order).print_stats(top)
            print(f"--- profile: {label}, by {order} ---")
            body = out.getvalue()
            print(body[body.find("   ncalls") :].rstrip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions, each printed")
    parser.add_argument("--rounds", type=int, default=7, help="passes over the corpus per run")
    parser.add_argument("--full-rounds", type=int, default=1, help="rounds with the full reader")
    parser.add_argument("--profile", action="store_true", help="profile after the runs")
    parser.add_argument("--top", type=int, default=25, help="profile lines to print")
    args = parser.parse_args()

    corpus = load_corpus()
    if corpus is None:
        return 0
    specs = topic_specs_from_example()
    size = sum(len(data) for _, data in corpus.files)
    print(
        f"corpus: {len(corpus.files)} feeds, {size / 1024:.0f} KiB, "
        f"{corpus.feedparser_entries} entries by feedparser, "
        f"{corpus.our_entries} kept by parse_feed"
    )
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"machine: {os.cpu_count()} CPUs, load average {load} (figures are noisy when high)")
    # Warm-up: loads feedparser's tables, our word lists and the reader's dictionaries.
    time_parse_feed(corpus, 1)
    run_store(corpus, 1, read_and_file, specs)

    ratios = [
        one_run(n, corpus, args.rounds, args.full_rounds, specs) for n in range(1, args.runs + 1)
    ]
    parse_ratios = sorted(r["parse"] for r in ratios)
    store_ratios = sorted(r["store"] for r in ratios)
    print(f"summary over {len(ratios)} runs, best-of-rounds ratios (goal >= {GOAL}x):")
    for label, values in (("parse_feed", parse_ratios), ("parse+store", store_ratios)):
        listed = ", ".join(f"{r:.2f}" for r in values)
        print(f"  {label}/feedparser: {listed} (median {values[len(values) // 2]:.2f}x)")
    if args.profile:
        profile(corpus, args.rounds, specs, args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
