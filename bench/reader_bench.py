"""Article reader throughput and memory on the reference article (goal: >= 100 articles/s).

Run: python bench/reader_bench.py [PATH]. Prints figures only; never asserts on timing.
"""

from __future__ import annotations

import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.articles import read_article  # noqa: E402

GOAL = 100.0
DEFAULT = Path(os.environ.get("NEWSBOT_SHARED_DIR", ROOT.parent / "shared")) / "samples"


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT / "kz-tj-talks.ru.txt"
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
