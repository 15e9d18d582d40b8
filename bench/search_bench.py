"""/search on 100,000 stored items: query time per kind of query (goal: p95 <= 50 ms).

Builds once, and keeps under /tmp, a database of synthetic items made of sentences of the
shared corpora (news-articles and the items of real-feeds: Russian, English and a few other
languages), each item a title and 4-14 sentences, one every five minutes over a year, 2% of
them arriving weeks after their publication date (a feed added late). The database is made
at schema 005, filled, then brought to 006 (the search migration, timed) and indexed by the
bot's own backlog indexer (handlers.search.index_some, timed); those figures are kept beside
the database and printed again on later runs (--rebuild makes it anew).

Then ~200 queries of five kinds, drawn from the corpus: a rare word (in one sentence of the
pool, so ~0.2% of items), a common word (among the 40 most frequent content words: tens of
thousands of items), two words, a quoted phrase (two neighbouring words), and an inflected
form (a Russian word form whose lemma differs, found in all its forms). Each query is timed
as the handler runs it through storage: count + first page ("sql"); and in full: parsing,
count, page, the five snippets and lines ("page"). A deep page (the 20th) of common words,
and /latest's first and 20th page (all items, a topic of a third of them, one of 1%) are
timed too. Prints p50/p95/max; asserts nothing on timing.

Run: .venv/bin/python bench/search_bench.py [--items 100000] [--queries 40] [--rebuild]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiosqlite  # noqa: E402
import pytest  # noqa: E402

from bot.articles.lemmas import WORD_RE, is_cyrillic, lemma  # noqa: E402
from bot.feeds.parse import parse_feed  # noqa: E402
from bot.search import (  # noqa: E402
    PAGE_SIZE,
    STOPWORDS,
    item_line,
    match_expression,
    parse_query,
    snippet,
)
from handlers.search import index_some  # noqa: E402
from storage import open_storage  # noqa: E402
from storage.db import connect, migrate, migrations  # noqa: E402
from tests.conftest import shared_file  # noqa: E402

GOAL_MS = 50.0
VERSION = 2  # of the generated database: a change of the generator makes it anew
START = 1_700_000_000.0
STEP = 300.0  # seconds between two items
SENTENCE = re.compile(r"(?<=[.!?…])\s+")


def sentence_pool() -> list[str] | None:
    """Sentences of the shared corpora (40-400 characters each)."""
    try:
        articles = shared_file("corpora/news-articles")
        feeds = shared_file("corpora/real-feeds")
    except pytest.skip.Exception as exc:  # no ../shared beside the repository
        print(exc)
        return None
    texts = [p.read_text(encoding="utf-8") for p in sorted(articles.glob("*.txt"))]
    for path in sorted(feeds.iterdir()):
        if path.suffix != ".md":
            for entry in parse_feed(path.read_bytes()).entries:
                texts.append(f"{entry.title}. {entry.content}")
    pool = {
        " ".join(s.split())
        for text in texts
        for s in SENTENCE.split(text)
        if 40 <= len(s.strip()) <= 400
    }
    return sorted(pool)


def build(path: Path, pool: list[str], items: int) -> dict[str, float]:
    """Make the database at `path`; returns the migration and indexing figures."""
    return asyncio.run(_build(path, pool, items))


async def _build(path: Path, pool: list[str], items: int) -> dict[str, float]:
    rng = random.Random(7)
    russian = [s for s in pool if is_cyrillic(s)]
    other = [s for s in pool if not is_cyrillic(s)]
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    conn = await aiosqlite.connect(str(path), isolation_level=None)
    await conn.execute("PRAGMA journal_mode = WAL")
    await conn.execute("PRAGMA synchronous = NORMAL")
    await migrate(conn, migrations()[:5])
    await conn.execute("BEGIN")
    await conn.executemany(
        "INSERT INTO feeds (id, url, title, interval_seconds, next_check_at, created_at)"
        " VALUES (?, ?, ?, 600, 0, 0)",
        [(f, f"https://feed{f}.example/rss", f"Лента {f}") for f in range(1, 31)],
    )
    rows = []
    for n in range(1, items + 1):
        sentences = russian if rng.random() < 0.7 else other
        body = [rng.choice(sentences) for _ in range(rng.randint(4, 14))]
        fetched = START + n * STEP
        published = fetched - (rng.uniform(7, 30) * 86400 if rng.random() < 0.02 else 60)
        title = body[0][:120]
        rows.append(
            (
                n,
                1 + n % 30,
                f"k{n}",
                f"https://news.example/{n}",
                title,
                published,
                fetched,
                " ".join(body[1:]),
                body[1],
                f"fp{n}",
                n,
            )
        )
    await conn.executemany(
        """INSERT INTO items (id, feed_id, key, url, title, published_at, fetched_at, text,
                              summary, fingerprint, story_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        rows,
    )
    # A broad topic (a third of the items) and a narrow one (1%), for /latest's pages.
    await conn.execute(
        "INSERT INTO topics (id, slug, name_ru, name_en) VALUES"
        " (1, 'broad', 'Широкая', 'Broad'), (2, 'narrow', 'Узкая', 'Narrow')"
    )
    await conn.executemany(
        "INSERT INTO item_topics (item_id, topic_id) VALUES (?, ?)",
        [(n, 1) for n in range(3, items + 1, 3)] + [(n, 2) for n in range(100, items + 1, 100)],
    )
    await conn.execute("COMMIT")
    start = time.perf_counter()
    await migrate(conn)
    migration = time.perf_counter() - start
    await conn.close()
    storage = await open_storage(path)
    start = time.perf_counter()
    indexed = 0
    while await storage.unindexed_items(1):
        indexed += await index_some(storage, None)
    backlog = time.perf_counter() - start
    await storage.close()
    return {"items": items, "migration_s": migration, "backlog_s": backlog, "indexed": indexed}


def queries(pool: list[str], per_kind: int) -> dict[str, list[str]]:
    """Queries of each kind, drawn from the sentence pool (the same ones every run)."""
    rng = random.Random(11)
    in_sentences: Counter[str] = Counter()
    forms: dict[str, str] = {}
    bigrams: list[str] = []
    for sentence in pool:
        words = [w for w in WORD_RE.findall(sentence) if len(w) > 3]
        in_sentences.update(sorted({lemma(w) for w in words}))
        for w in words:
            forms.setdefault(w.lower(), lemma(w))
        plain = WORD_RE.findall(sentence)
        for a, b in itertools.pairwise(plain):
            if len(a) > 3 and len(b) > 3:
                bigrams.append(f'"{a} {b}"')
    ranked = sorted(
        (w for w in in_sentences if w not in STOPWORDS), key=lambda w: (-in_sentences[w], w)
    )
    common = [w for w in ranked if is_cyrillic(w)][:30] + [w for w in ranked if w.isascii()][:10]
    # Two words of one language: a common one and one of the next thousands.
    pairs = [(c, [w for w in ranked[200:3000] if is_cyrillic(w) == is_cyrillic(c)]) for c in common]
    rare = sorted(w for w, c in in_sentences.items() if c == 1)
    inflected = sorted(f for f, lem in forms.items() if is_cyrillic(f) and f != lem and len(f) > 5)
    two = []
    for _ in range(per_kind):
        first, others = rng.choice(pairs)
        two.append(f"{first} {rng.choice(others)}")
    return {
        "rare word": rng.sample(rare, per_kind),
        "common word": [rng.choice(common) for _ in range(per_kind)],
        "two words": two,
        "phrase": rng.sample(sorted(set(bigrams)), per_kind),
        "inflected": rng.sample(inflected, per_kind),
    }


def figures(times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
    return f"p50 {statistics.median(ms):7.1f}  p95 {p95:7.1f}  max {ms[-1]:7.1f} ms"


async def measure(path: Path, kinds: dict[str, list[str]]) -> None:
    storage = await open_storage(path)
    try:
        newest = await storage.newest_item_id()
        all_sql: list[float] = []
        found_counts: dict[str, list[int]] = {}
        for kind, texts in kinds.items():
            sql: list[float] = []
            page: list[float] = []
            for text in texts:
                start = time.perf_counter()
                query = parse_query(text)
                match = match_expression(query)
                begin_sql = time.perf_counter()
                total = await storage.search_count(match, newest_item=newest)
                items = await storage.search_items(
                    match, newest_item=newest, offset=0, limit=PAGE_SIZE
                )
                sql.append(time.perf_counter() - begin_sql)
                lines = [
                    item_line(n, item, "ru", "Europe/Moscow", snippet(item.text, query))
                    for n, item in enumerate(items, 1)
                ]
                assert len(lines) == min(total, PAGE_SIZE)
                page.append(time.perf_counter() - start)
                found_counts.setdefault(kind, []).append(total)
            all_sql += sql
            found = sorted(found_counts[kind])
            print(
                f"{kind:12} sql  {figures(sql)}   found: median {found[len(found) // 2]},"
                f" max {found[-1]}"
            )
            print(f"{'':12} page {figures(page)}")
        print(f"{'all':12} sql  {figures(all_sql)}   (goal: p95 <= {GOAL_MS:.0f} ms)")
        deep: list[float] = []
        for text in kinds["common word"]:
            match = match_expression(parse_query(text))
            start = time.perf_counter()
            await storage.search_items(match, newest_item=newest, offset=19 * PAGE_SIZE, limit=5)
            deep.append(time.perf_counter() - start)
        print(f"{'page 20':12} sql  {figures(deep)}   (common words)")
        for topic, name in ((None, "all"), (1, "a third"), (2, "1%")):
            for page in (1, 20):
                latest: list[float] = []
                for _ in range(20):
                    start = time.perf_counter()
                    await storage.latest_page(
                        topic, newest_item=newest, offset=(page - 1) * PAGE_SIZE, limit=6
                    )
                    latest.append(time.perf_counter() - start)
                print(f"/latest {name:8} page {page:2}  sql  {figures(latest)}")
    finally:
        await storage.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=40, help="queries of each kind")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    pool = sentence_pool()
    if pool is None:
        return
    path = Path(f"/tmp/newsbot-search-bench-v{VERSION}-{args.items}.db")
    built = path.with_suffix(".json")
    if args.rebuild or not built.exists() or not path.exists():
        print(f"building {path} ({args.items} items, {len(pool)} sentences) ...", flush=True)
        built.write_text(json.dumps(build(path, pool, args.items)))
    made = json.loads(built.read_text())
    size = sum(
        Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists()
    )
    print(
        f"{made['items']} items: migration 006 {made['migration_s']:.2f} s; backlog indexed"
        f" {made['indexed']} items in {made['backlog_s']:.1f} s"
        f" ({made['indexed'] / made['backlog_s']:.0f} items/s); database {size / 2**20:.0f} MiB"
    )
    asyncio.run(_sizes(path))
    asyncio.run(measure(path, queries(pool, args.queries)))


async def _sizes(path: Path) -> None:
    """How much of the file the index takes (dbstat)."""
    conn = await connect(path, read_only=True)
    try:
        async with conn.execute(
            """SELECT name LIKE 'item_search%', sum(pgsize) FROM dbstat GROUP BY 1"""
        ) as cursor:
            sizes = dict(await cursor.fetchall())
        print(
            f"search index {sizes.get(1, 0) / 2**20:.0f} MiB,"
            f" everything else {sizes.get(0, 0) / 2**20:.0f} MiB"
        )
    except aiosqlite.OperationalError as exc:  # SQLite built without dbstat
        print(f"no sizes: {exc}")
    finally:
        await conn.close()


if __name__ == "__main__":
    main()
