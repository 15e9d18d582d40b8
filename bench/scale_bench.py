"""Storage at scale: the hot queries of the running bot on a large SQLite database.

Builds the large database ONCE (cached under --dir, default /tmp/newsbot-scale; rebuilt
only when absent, when the sizes or seed differ, or when a migration it was built with has
changed): the schema through the production opener (`storage.open_storage`), then bulk rows
with sqlite3 executemany in big transactions. Shapes: items spread over two years, arriving
in order, published_at NULL for 10 %, 1-2 topics each from ~20 of skewed popularity, ~5 %
listing signed documents and ~1 % summits (both mostly in the first five topics, none in
the last), ~10 % repeating an earlier story; chats with 1-3 subscriptions (10 % take
digests, 10 % have quiet hours), ~10 sent outbox rows per chat, and pending rows: 100,000 due,
20,000 held for digests, 5,000 waiting for quiet hours to end. Text is made of the words of
../shared/corpora/news-articles (read in place; generated words without it).

Each run works on a copy of the cached file. Opening the copy applies the migrations this
tree has and the file has not (their time is printed; the migrated file then becomes the
cache). Then, through the real `Storage` methods the handlers, jobs and sender call:
p50/p95/max over --calls calls (fewer when one measure passes --budget seconds: the table
says how many) of /latest, /latest <topic>, /summit, /documents, /documents <topic>,
/mysubs, /topics, /feeds, due feeds, the next outbox batch (read and claim), fan-out of one
item to every chat (store_items), /mysubs while a fan-out and a 1,000-item poll write run,
and the process RSS at the end. Prints figures only; never asserts on timing.

Run: .venv/bin/python bench/scale_bench.py [--items 1000000 --feeds 1000 --chats 100000]
A quick run: --items 20000 --feeds 50 --chats 2000.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import math
import multiprocessing
import os
import random
import re
import shutil
import sqlite3
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import closing
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storage import FeedCheck, ItemDraft, Storage, open_storage  # noqa: E402
from storage.db import migrations  # noqa: E402
from storage.store import HELD_FOR_DIGEST, QUIET_HOURS  # noqa: E402

NOW = 1_800_000_000.0
SPAN = 2 * 365 * 24 * 3600.0
TOPICS = 20
FIRST_CHAT = 100_000_000
BATCH = 50_000  # rows per executemany and per transaction while building
SHARED = Path(os.environ.get("NEWSBOT_SHARED_DIR", ROOT.parent / "shared"))
WORDS = re.compile(r"[^\W\d_]{3,}")


@dataclass(frozen=True)
class Sizes:
    items: int
    feeds: int
    chats: int
    seed: int


# --- building the database ------------------------------------------------------------


def vocabulary() -> list[str]:
    """Words of the shared news articles, read in place; made-up words without them."""
    folder = SHARED / "corpora" / "news-articles"
    words: set[str] = set()
    if folder.is_dir():
        for path in sorted(folder.glob("*.txt")):
            words.update(WORDS.findall(path.read_text(encoding="utf-8", errors="replace")))
    if len(words) < 500:
        print(f"{folder} not found: the text is made of made-up words", flush=True)
        rng = random.Random(0)
        syllables = ["ка", "зах", "стан", "та", "джик", "до", "го", "вор", "мир", "ро", "на"]
        words = {"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(5000)}
    return sorted(words)


def skewed(rng: random.Random, n: int) -> int:
    """A topic index, 0 the most popular (weights 1/(k+1))."""
    return rng.choices(range(n), weights=[1 / (k + 1) for k in range(n)])[0]


def migration_hashes(version: int) -> list[str]:
    return [hashlib.sha256(sql.encode()).hexdigest()[:16] for _, sql in migrations()[:version]]


def table_columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [str(row[1]) for row in conn.execute(f"PRAGMA table_info({table})")]


def build(path: Path, sizes: Sizes) -> None:
    """Write the large database at `path`."""
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()

    async def schema() -> None:
        storage = await open_storage(path)
        await storage.close()

    asyncio.run(schema())
    rng = random.Random(sizes.seed)
    words = vocabulary()
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -200000")
        _build_topics_and_feeds(conn, rng, sizes)
        _build_items(conn, rng, sizes, words)
        _build_chats(conn, rng, sizes)
        _build_outbox(conn, rng, sizes)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _bulk(conn: sqlite3.Connection, sql: str, rows: Iterator[tuple[Any, ...]]) -> int:
    """executemany in transactions of BATCH rows; returns the number of rows."""
    count = 0
    while True:
        batch = [row for _, row in zip(range(BATCH), rows, strict=False)]
        if not batch:
            return count
        conn.execute("BEGIN")
        conn.executemany(sql, batch)
        conn.execute("COMMIT")
        count += len(batch)


def _build_topics_and_feeds(conn: sqlite3.Connection, rng: random.Random, sizes: Sizes) -> None:
    _bulk(
        conn,
        "INSERT INTO topics (id, slug, name_ru, name_en, keywords) VALUES (?, ?, ?, ?, '[]')",
        ((t + 1, f"topic-{t:02d}", f"Тема {t}", f"Topic {t}") for t in range(TOPICS)),
    )
    _bulk(
        conn,
        """INSERT INTO feeds (id, url, title, interval_seconds, next_check_at, primed,
                              last_checked_at, last_ok_at, created_at, source)
           VALUES (?, ?, ?, 600, ?, 1, ?, ?, ?, 'admin')""",
        (
            (
                f + 1,
                f"https://feed{f:04d}.scale.test/rss",
                f"Лента {f}",
                NOW + rng.uniform(-300, 600),
                NOW - 600,
                NOW - 600,
                NOW - SPAN,
            )
            for f in range(sizes.feeds)
        ),
    )
    _bulk(
        conn,
        "INSERT OR IGNORE INTO feed_topics (feed_id, topic_id) VALUES (?, ?)",
        (
            (f + 1, skewed(rng, TOPICS) + 1)
            for f in range(sizes.feeds)
            for _ in range(rng.randint(1, 2))
        ),
    )


def _documents(rng: random.Random, words: list[str]) -> str:
    kinds = ["agreement", "memorandum", "programme", "declaration", "protocol"]
    docs = [
        {"title": "Соглашение о " + " ".join(rng.choices(words, k=4)), "kind": rng.choice(kinds)}
        for _ in range(rng.randint(1, 9))
    ]
    return json.dumps(docs, ensure_ascii=False)


def _build_items(
    conn: sqlite3.Connection, rng: random.Random, sizes: Sizes, words: list[str]
) -> None:
    texts = [" ".join(rng.choices(words, k=rng.randint(40, 70))) for _ in range(5000)]
    summaries = [" ".join(rng.choices(words, k=rng.randint(15, 25))) for _ in range(2000)]
    entities = json.dumps(
        {"participants": ["Токаев", "Рахмон"], "countries": ["KZ", "TJ"], "place": "Астана"},
        ensure_ascii=False,
    )
    topic_columns = table_columns(conn, "item_topics")
    extra = [c for c in ("sort_time", "with_documents") if c in topic_columns]
    item_topics: list[tuple[Any, ...]] = []
    stories: list[int] = []

    def rows() -> Iterator[tuple[Any, ...]]:
        for n in range(sizes.items):
            item_id = n + 1
            fetched = NOW - SPAN + SPAN * n / sizes.items + rng.uniform(0, 60)
            published = None if rng.random() < 0.1 else fetched - rng.uniform(0, 6 * 3600)
            topics = {skewed(rng, TOPICS) for _ in range(rng.randint(1, 2))}
            political = min(topics) < 5
            has_docs = TOPICS - 1 not in topics and rng.random() < (0.13 if political else 0.015)
            summit = TOPICS - 1 not in topics and rng.random() < (0.035 if political else 0.002)
            documents = _documents(rng, words) if has_docs else "[]"
            story = item_id
            if stories and rng.random() < 0.1:
                story = stories[-rng.randint(1, min(50, len(stories)))]
            stories.append(story)
            for topic in sorted(topics):
                values = {"sort_time": fetched if published is None else published}
                values["with_documents"] = int(has_docs)
                item_topics.append((item_id, topic + 1, *(values[c] for c in extra)))
            yield (
                item_id,
                rng.randint(1, sizes.feeds),
                f"k{item_id}",
                f"https://news.scale.test/{item_id}",
                " ".join(rng.choices(words, k=rng.randint(6, 10))).capitalize(),
                published,
                fetched,
                "ru",
                rng.choice(texts),
                rng.choice(summaries),
                documents,
                entities if summit else "{}",
                int(summit),
                story,
                f"fp{item_id}",
            )

    generated = rows()
    topic_sql = (
        f"INSERT INTO item_topics (item_id, topic_id{''.join(', ' + c for c in extra)}) "
        f"VALUES (?, ?{', ?' * len(extra)})"
    )
    while True:
        batch = [row for _, row in zip(range(BATCH), generated, strict=False)]
        if not batch:
            break
        conn.execute("BEGIN")
        conn.executemany(
            """INSERT INTO items (id, feed_id, key, url, title, published_at, fetched_at, lang,
                                  text, summary, documents, entities, is_summit, story_id,
                                  fingerprint)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            batch,
        )
        conn.executemany(topic_sql, item_topics)
        conn.execute("COMMIT")
        item_topics.clear()


def _build_chats(conn: sqlite3.Connection, rng: random.Random, sizes: Sizes) -> None:
    def chats() -> Iterator[tuple[Any, ...]]:
        for n in range(sizes.chats):
            digest = rng.random() < 0.1
            quiet = rng.random() < 0.1
            yield (
                FIRST_CHAT + n,
                "private" if rng.random() < 0.95 else "supergroup",
                "ru" if rng.random() < 0.7 else "en",
                "480 1140" if digest else "",
                NOW + rng.uniform(0, 12 * 3600) if digest else None,
                1380 if quiet else None,
                420 if quiet else None,
            )

    _bulk(
        conn,
        """INSERT INTO chats (id, type, language, digest_times, next_digest_at, quiet_start,
                              quiet_end, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, 0)""",
        chats(),
    )

    def subscriptions() -> Iterator[tuple[int, int, int]]:
        for n in range(sizes.chats):
            thread = rng.randint(1, 3) if rng.random() < 0.02 else 0
            for topic in {skewed(rng, TOPICS) for _ in range(rng.randint(1, 3))}:
                yield FIRST_CHAT + n, thread, topic + 1

    _bulk(
        conn,
        """INSERT INTO subscriptions (chat_id, thread_id, topic_id, created_at)
           VALUES (?, ?, ?, 0)""",
        subscriptions(),
    )


def _build_outbox(conn: sqlite3.Connection, rng: random.Random, sizes: Sizes) -> None:
    """~10 sent rows per chat, then pending rows (due, held for digests, in quiet hours)
    in shuffled order, so the rows a batch must skip lie between those it takes."""
    recent = max(1, sizes.items // 30)  # about the last month
    first_recent = sizes.items - recent + 1
    digest_chats = [
        int(r[0]) for r in conn.execute("SELECT id FROM chats WHERE digest_times != ''")
    ]
    quiet_chats = [int(r[0]) for r in conn.execute("SELECT id FROM chats WHERE quiet_start >= 0")]
    used: set[tuple[int, int]] = set()

    def pick(chat: int) -> int:
        while True:
            item = rng.randint(first_recent, sizes.items)
            if (chat, item) not in used:
                used.add((chat, item))
                return item

    def history() -> Iterator[tuple[Any, ...]]:
        for n in range(sizes.chats):
            chat = FIRST_CHAT + n
            for _ in range(rng.randint(5, 15)):
                created = NOW - rng.uniform(0, 30 * 24 * 3600)
                yield chat, pick(chat), "sent", 1, 0.0, None, created, created + 5

    pending: list[tuple[Any, ...]] = []
    for _ in range(sizes.chats):
        chat = FIRST_CHAT + rng.randrange(sizes.chats)
        pending.append((chat, pick(chat), "pending", 0, 0.0, None, NOW - 60, None))
    for _ in range(sizes.chats // 5):
        chat = rng.choice(digest_chats)
        pending.append((chat, pick(chat), "pending", 0, HELD_FOR_DIGEST, None, NOW - 60, None))
    for _ in range(sizes.chats // 20):
        chat = rng.choice(quiet_chats)
        until = NOW + 3 * 3600
        pending.append((chat, pick(chat), "pending", 0, until, QUIET_HOURS, NOW - 60, None))
    rng.shuffle(pending)
    sql = """INSERT INTO outbox (chat_id, item_id, status, attempts, not_before, last_error,
                                 created_at, sent_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)"""
    _bulk(conn, sql, history())
    _bulk(conn, sql, iter(pending))


# --- the cached database ---------------------------------------------------------------


def cached_database(folder: Path, sizes: Sizes, rebuild: bool) -> tuple[Path, dict[str, Any]]:
    """The built file for these sizes (built now if need be) and its description."""
    folder.mkdir(parents=True, exist_ok=True)
    name = f"scale-{sizes.items}-{sizes.feeds}-{sizes.chats}-{sizes.seed}"
    base, sidecar = folder / f"{name}.db", folder / f"{name}.json"
    info: dict[str, Any] = {}
    if base.exists() and sidecar.exists() and not rebuild:
        info = json.loads(sidecar.read_text())
        current = migration_hashes(info.get("version", 0))
        if info.get("sizes") != asdict(sizes) or info.get("migrations") != current:
            info = {}  # built for other sizes, or with a migration that has changed since
    if not info:
        print(f"building {base} ({sizes.items:,} items, {sizes.chats:,} chats) ...", flush=True)
        # In a process of its own: the build's memory must not count in the RSS measured.
        started = time.perf_counter()
        child = multiprocessing.get_context("fork").Process(target=build, args=(base, sizes))
        child.start()
        child.join()
        if child.exitcode != 0:
            raise SystemExit(f"building the database failed (exit code {child.exitcode})")
        seconds = time.perf_counter() - started
        version = schema_version(base)
        info = {
            "sizes": asdict(sizes),
            "version": version,
            "migrations": migration_hashes(version),
            "build_seconds": round(seconds, 1),
        }
        sidecar.write_text(json.dumps(info))
    return base, info


def schema_version(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])


def counts(path: Path) -> dict[str, int]:
    tables = ("items", "item_topics", "chats", "subscriptions", "outbox", "feeds")
    with closing(sqlite3.connect(path)) as conn:
        return {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}


def copy_database(source: Path, target: Path) -> None:
    for leftover in target.parent.glob(target.name + "*"):
        leftover.unlink()
    shutil.copyfile(source, target)
    # On disk before measuring: else the first checkpoint's fsync pays for writing the copy.
    descriptor = os.open(target, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# --- measuring -------------------------------------------------------------------------


@dataclass
class Figure:
    name: str
    calls: int
    p50: float
    p95: float
    worst: float
    goal: str = "≤ 20 ms"


def percentile(sorted_ms: list[float], share: float) -> float:
    return sorted_ms[max(0, math.ceil(share * len(sorted_ms)) - 1)]


def figure(name: str, samples: list[float], goal: str = "≤ 20 ms") -> Figure:
    ms = sorted(s * 1000 for s in samples)
    return Figure(name, len(ms), percentile(ms, 0.5), percentile(ms, 0.95), ms[-1], goal)


async def timed(
    name: str, call: Callable[[int], Awaitable[object]], calls: int, budget: float
) -> Figure:
    """`calls` calls of `call(n)` (fewer if they pass `budget` seconds, at least 10)."""
    for n in range(3):  # warm: the first call of a query reads its pages from the file cache
        await call(n)
    samples: list[float] = []
    started = time.perf_counter()
    for n in range(calls):
        t0 = time.perf_counter()
        await call(n)
        samples.append(time.perf_counter() - t0)
        if len(samples) >= 10 and time.perf_counter() - started > budget:
            break
    return figure(name, samples)


def rss_mib() -> tuple[float, float]:
    """(current, peak) resident set of this process, MiB."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def poll_drafts(rng: random.Random, count: int, tag: str) -> list[ItemDraft]:
    return [
        ItemDraft(
            key=f"{tag}-{n}",
            url=f"https://poll.scale.test/{tag}/{n}",
            title=f"Новость {tag} {n}",
            published_at=NOW + n,
            text="Текст новости о переговорах и соглашениях. " * 8,
            lang="ru",
            summary="Текст новости о переговорах.",
            documents=[{"title": "Соглашение", "kind": "agreement"}] if n % 20 == 0 else [],
            topic_ids=tuple(sorted({rng.randint(1, TOPICS) for _ in range(2)})),
            fingerprint=f"{tag}-{n}",
        )
        for n in range(count)
    ]


async def fan_out(storage: Storage, feed_id: int, tag: str, *, story: bytes = b"") -> int:
    """One new item filed under every topic: queued for every subscribed chat. With `story`,
    it is signed so: a second item of the same `story` joins the first one's story (and is
    queued for no chat that has it)."""
    draft = ItemDraft(
        key=tag,
        url=f"https://fanout.scale.test/{tag}",
        title=f"Срочно {tag}",
        published_at=NOW,
        text="Текст срочной новости.",
        summary="Текст срочной новости.",
        topic_ids=tuple(range(1, TOPICS + 1)),
        fingerprint=tag,
        signature=story or None,
        story_bands=(1,) if story else (),
    )
    check = FeedCheck(next_check_at=NOW + 600)
    outcome = await storage.store_items(
        feed_id,
        [draft],
        now=NOW,
        check=check,
        queue=True,
        push_limit=20,
        same_story=lambda a, b: a == b,
    )
    return outcome.queued


async def measure(path: Path, sizes: Sizes, calls: int, budget: float) -> list[Figure]:
    rng = random.Random(sizes.seed + 1)
    storage = await open_storage(path)
    try:
        figures = await _queries(storage, rng, sizes, calls, budget)
        figures += await _writes(storage, rng, sizes)
    finally:
        await storage.close()
    return figures


async def _queries(
    storage: Storage, rng: random.Random, sizes: Sizes, calls: int, budget: float
) -> list[Figure]:
    topic_ids = [t.id for t in await storage.topics()]
    chats = [FIRST_CHAT + rng.randrange(sizes.chats) for _ in range(calls + 3)]
    running = [rng.randint(1, sizes.feeds) for _ in range(8)]

    def topic(n: int) -> int:
        return topic_ids[n % len(topic_ids)]

    plan: list[tuple[str, Callable[[int], Awaitable[object]]]] = [
        ("/latest", lambda n: storage.latest_page(None, newest_item=2**62, offset=0, limit=5)),
        (
            "/latest <topic>",
            lambda n: storage.latest_page(topic(n), newest_item=2**62, offset=0, limit=5),
        ),
        ("/summit", lambda n: storage.latest_summit()),
        ("/documents", lambda n: storage.latest_with_documents(None, 3)),
        ("/documents <topic>", lambda n: storage.latest_with_documents(topic(n), 3)),
        ("/mysubs", lambda n: storage.subscriptions(chats[n])),
        ("/topics", lambda n: storage.topics()),
        ("/feeds", lambda n: storage.feeds()),
        ("due feeds", lambda n: storage.due_feeds(NOW, 8, exclude=running)),
        ("next outbox time", lambda n: storage.next_outbox_time()),
        ("next outbox batch (read)", lambda n: storage.pending_outbox(NOW, 20)),
        ("next outbox batch (claim)", lambda n: storage.claim_deliveries(NOW, 20)),
    ]
    figures = []
    for name, call in plan:
        figures.append(await timed(name, call, calls, budget))
        print(_row(figures[-1]), flush=True)
    return figures


async def _writes(storage: Storage, rng: random.Random, sizes: Sizes) -> list[Figure]:
    samples, queued = [], 0
    for run in range(3):
        t0 = time.perf_counter()
        queued = await fan_out(storage, 1, f"fan{run}")
        samples.append(time.perf_counter() - t0)
    fan = figure(f"fan-out of one item ({queued:,} chats), 3 runs", samples, "≤ 1 s")
    print(_row(fan), flush=True)
    # The same story again from other feeds: every chat is asked whether it has it.
    await fan_out(storage, 1, "story-first", story=b"story")
    samples = []
    for run in range(3):
        t0 = time.perf_counter()
        queued = await fan_out(
            storage, 2 + run % max(1, sizes.feeds - 1), f"again{run}", story=b"story"
        )
        samples.append(time.perf_counter() - t0)
    again = figure(f"fan-out of a story every chat has ({queued} queued), 3 runs", samples, "—")
    print(_row(again), flush=True)

    check = FeedCheck(next_check_at=NOW + 600)
    drafts = poll_drafts(rng, 1000, "poll")
    poll_feed = min(2, sizes.feeds)
    t0 = time.perf_counter()
    await storage.store_items(poll_feed, drafts, now=NOW, check=check, queue=False, push_limit=20)
    alone = figure("1,000-item poll write, alone", [time.perf_counter() - t0], "—")
    print(_row(alone), flush=True)

    # /mysubs while a fan-out and a 1,000-item poll write (a new feed's first check: stored,
    # not pushed) run; each write starts again until /mysubs has been asked 200 times.
    chats = [FIRST_CHAT + rng.randrange(sizes.chats) for _ in range(100_000)]
    busy: list[float] = []
    writes = {"fan-out": 0, "poll": 0}

    async def writer(kind: str) -> None:
        while len(busy) < 200:
            tag = f"busy-{kind}-{writes[kind]}"
            if kind == "fan-out":
                await fan_out(storage, 1, tag)
            else:
                await storage.store_items(
                    poll_feed,
                    poll_drafts(rng, 1000, tag),
                    now=NOW,
                    check=check,
                    queue=False,
                    push_limit=20,
                )
            writes[kind] += 1

    async def reader() -> None:
        n = 0
        while len(busy) < 200 or not all(writes.values()):
            t0 = time.perf_counter()
            await storage.subscriptions(chats[n % len(chats)])
            busy.append(time.perf_counter() - t0)
            n += 1
            await asyncio.sleep(0.005)  # a user's command now and then, not a tight loop

    await asyncio.gather(writer("fan-out"), writer("poll"), reader())
    during = figure(
        f"/mysubs during {writes['fan-out']} fan-outs + {writes['poll']} poll writes", busy
    )
    print(_row(during), flush=True)
    return [fan, again, alone, during]


def _row(f: Figure) -> str:
    return f"| {f.name} | {f.calls} | {f.p50:.2f} | {f.p95:.2f} | {f.worst:.2f} | {f.goal} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--chats", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--budget", type=float, default=60.0, help="seconds per measure, at most")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/newsbot-scale"))
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    sizes = Sizes(args.items, args.feeds, args.chats, args.seed)
    at_start, _ = rss_mib()

    base, info = cached_database(args.dir, sizes, args.rebuild)
    run = args.dir / "run.db"
    copy_database(base, run)
    before = schema_version(run)
    t0 = time.perf_counter()

    async def opened() -> None:
        storage = await open_storage(run)
        await storage.close()

    asyncio.run(opened())
    opening = time.perf_counter() - t0
    after = schema_version(run)
    if after != before:  # the migrated file becomes the cache: the next run need not
        with closing(sqlite3.connect(run)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        copy_database(run, base)
        info.update(version=after, migrations=migration_hashes(after))
        (args.dir / f"{base.stem}.json").write_text(json.dumps(info))

    rows = counts(run)
    print(
        f"database {base}: {base.stat().st_size / 2**20:,.0f} MiB, built in "
        f"{info['build_seconds']:.0f} s; " + ", ".join(f"{t} {n:,}" for t, n in rows.items())
    )
    print(f"opening the copy: {opening:.2f} s (schema {before} -> {after})")
    print("| measure | calls | p50 ms | p95 ms | max ms | goal |")
    print("| --- | --- | --- | --- | --- | --- |")
    asyncio.run(measure(run, sizes, args.calls, args.budget))
    current, peak = rss_mib()
    print(
        f"process RSS at the end: {current:.0f} MiB (peak {peak:.0f} MiB; {at_start:.0f} MiB "
        "before opening the database); goal ≤ 250 MB"
    )


if __name__ == "__main__":
    main()
