"""Article reader throughput and memory on the reference article (goal: >= 100 articles/s).

Run: python bench/reader_bench.py [PATH] [--against REV]. Prints figures only; never asserts
on timing. With --against, the reader of git revision REV reads the same article in the same
run, alternating with this one (two rounds each), and both rates are printed with their
ratio: on a shared machine only a ratio measured in one run means anything.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.articles import read_article  # noqa: E402

GOAL = 100.0
DEFAULT = Path(os.environ.get("NEWSBOT_SHARED_DIR", ROOT.parent / "shared")) / "samples"


# Run in a child process with one tree's `bot` first on the path: warm reads for 3 s.
_RATE = """
import sys, time
from bot.articles import read_article
title, body = open(sys.argv[1], encoding="utf-8").read().split("\\n", 1)
for _ in range(6):
    read_article(title, body)
runs, start = 0, time.perf_counter()
while time.perf_counter() - start < 3.0:
    read_article(title, body)
    runs += 1
print(runs / (time.perf_counter() - start))
"""


def rate_of(tree: Path, article: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run(
        [sys.executable, "-c", _RATE, str(article)],
        env=env,
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def compare(article: Path, revision: str) -> None:
    """This tree's reader against REV's, alternating, two rounds each."""
    with tempfile.TemporaryDirectory() as scratch:
        old = Path(scratch)
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", revision], capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
        now_rates, old_rates = [], []
        for _ in range(2):
            now_rates.append(rate_of(ROOT, article))
            old_rates.append(rate_of(old, article))
    now, before = statistics.median(now_rates), statistics.median(old_rates)
    print(
        f"this tree: {now:.0f} articles/s; {revision}: {before:.0f} articles/s; "
        f"ratio {now / before:.2f} (rounds: {[round(r) for r in now_rates]} vs "
        f"{[round(r) for r in old_rates]})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT / "kz-tj-talks.ru.txt")
    parser.add_argument("--against", metavar="REV", help="also measure git revision REV")
    args = parser.parse_args()
    path: Path = args.path
    if not path.exists():
        print(f"reference article not found: {path}")
        return 0
    text = path.read_text(encoding="utf-8")
    title, body = text.split("\n", 1)

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    read_article(title, body)  # cold: loads dictionaries and gazetteers, fills caches
    cold = time.perf_counter() - t0
    for _ in range(5):
        read_article(title, body)

    runs = 0
    start = time.perf_counter()
    while time.perf_counter() - start < 3.0:
        read_article(title, body)
        runs += 1
    elapsed = time.perf_counter() - start
    rate = runs / elapsed

    tracemalloc.start()
    read_article(title, body)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    print(f"article: {path.name} ({len(text)} chars)")
    print(f"first call (cold, loads morphology): {cold * 1000:.0f} ms")
    print(
        f"warm: {runs} reads in {elapsed:.2f} s = {rate:.0f} articles/s, "
        f"{elapsed / runs * 1000:.2f} ms each"
    )
    print(
        f"goal >= {GOAL:.0f} articles/s: {'met' if rate >= GOAL else 'NOT met'} "
        f"({rate / GOAL:.1f}x)"
    )
    print(f"peak traced allocation per warm read: {peak / 1024:.0f} KiB")
    print(
        f"process max RSS: {rss_after / 1024:.1f} MiB (before reader: {rss_before / 1024:.1f} MiB)"
    )
    if args.against:
        compare(path.resolve(), args.against)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
