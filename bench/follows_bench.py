"""Follows: matching one item against many followed phrases, and its fan-out to their chats.

A temporary SQLite file through the production opener. Phrases are made from the words of
../shared/corpora/news-articles (read in place): its distinct words, the most frequent first,
then pairs of words one or two apart, each taken apart by bot.follows.parse_phrase and stored by
Storage.follow_phrase. Chats follow them with a skewed popularity (rank r is followed about
1/r as often: a few phrases by thousands of chats, most by a handful), --per-chat each.

  (1) matching: the reference article (../shared/samples/kz-tj-talks.ru.txt), its keys
      computed once as the reader does (bot.topics.item_keys), matched against every phrase
      by the index (storage MATCH_PHRASES, one transaction), the median of --repeat runs;
      beside it, in the same run, the same question asked phrase by phrase in Python
      (bot.follows.mentions) and follow by follow (what matching per chat would cost).
  (2) fan-out: Storage.store_items of that article as a new item (matching and queueing in
      one transaction) to the chats whose phrases it mentions.

Run: .venv/bin/python bench/follows_bench.py [--phrases 10000] [--chats 100000]
Prints figures only; never asserts on timing.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.articles.lemmas import WORD_RE  # noqa: E402
from bot.follows import Phrase, mentions, parse_phrase  # noqa: E402
from bot.topics import item_keys  # noqa: E402
from storage import FeedCheck, ItemDraft, Storage, open_storage  # noqa: E402
from storage.store import MATCH_PHRASES  # noqa: E402

SHARED = ROOT.parent / "shared"
ARTICLES = SHARED / "corpora" / "news-articles"
REFERENCE = SHARED / "samples" / "kz-tj-talks.ru.txt"
NOW = 1_800_000_000.0


def phrases_from_corpus(wanted: int) -> list[Phrase]:
    """Distinct phrases: single words by frequency, then pairs of words one or two apart."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.txt"))]
    words = [w for text in texts for w in WORD_RE.findall(text)]
    candidates = [w for w, _ in Counter(words).most_common()]
    candidates += [f"{a} {b}" for a, b in itertools.pairwise(words)]
    candidates += [f"{a} {b}" for a, b in zip(words, words[2:], strict=False)]
    found: dict[str, Phrase] = {}
    for candidate in candidates:
        parsed = parse_phrase(candidate)
        if isinstance(parsed, Phrase) and parsed.key not in found:
            found[parsed.key] = parsed
            if len(found) == wanted:
                break
    return list(found.values())


async def prepared(
    path: Path, phrases: list[Phrase], chats: int, per_chat: int
) -> tuple[Storage, list[tuple[int, int]]]:
    """Storage with `chats` chats following the phrases; (chat, phrase index) of each follow."""
    storage = await open_storage(path)
    async with storage._transaction() as conn:
        await conn.executemany(
            "INSERT INTO chats (id, type, language, created_at) VALUES (?, 'private', 'ru', ?)",
            [(c, NOW) for c in range(1, chats + 1)],
        )
    for n, p in enumerate(phrases):  # every phrase through the production path, once
        await storage.follow_phrase(
            n % chats + 1,
            phrase=p.key,
            shown=p.shown,
            word_keys=p.word_keys,
            limit=10**6,
            now=NOW,
        )
    ids = {row[1]: int(row[0]) for row in await storage._all("SELECT id, phrase FROM phrases")}
    rng = random.Random(7)
    weights = [1 / (rank + 1) for rank in range(len(phrases))]
    follows = {(n % chats + 1, n) for n in range(len(phrases))}
    for chat in range(1, chats + 1):
        for n in rng.choices(range(len(phrases)), weights, k=per_chat):
            follows.add((chat, n))
    async with storage._transaction() as conn:
        await conn.executemany(
            """INSERT OR IGNORE INTO follows (chat_id, thread_id, phrase_id, shown, created_at)
               VALUES (?, 0, ?, ?, ?)""",
            [(chat, ids[phrases[n].key], phrases[n].shown, NOW) for chat, n in sorted(follows)],
        )
    return storage, sorted(follows)


def timed(work: object) -> float:
    started = time.perf_counter()
    assert callable(work)
    work()
    return time.perf_counter() - started


async def run(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    phrases = phrases_from_corpus(args.phrases)
    print(f"{len(phrases)} distinct phrases made in {time.perf_counter() - started:.1f} s")
    title, _, body = REFERENCE.read_text(encoding="utf-8").partition("\n")
    cold = time.perf_counter()
    keys = item_keys(title, body)
    cold = time.perf_counter() - cold
    warm = timed(lambda: item_keys(title, body))
    print(f"reference article: {len(body)} characters, {len(keys)} keys;")
    print(f"  its keys (in the reader): {cold * 1000:.1f} ms first, {warm * 1000:.1f} ms again")
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        storage, follows = await prepared(Path(tmp) / "f.db", phrases, args.chats, args.per_chat)
        chats_following = len({chat for chat, _ in follows})
        print(
            f"{args.chats} chats, {len(follows)} follows of {len(phrases)} phrases "
            f"({chats_following} chats follow something), set up in "
            f"{time.perf_counter() - started:.1f} s"
        )
        try:
            await measure(storage, phrases, follows, keys, title, body, args.repeat)
        finally:
            await storage.close()


async def measure(
    storage: Storage,
    phrases: list[Phrase],
    follows: list[tuple[int, int]],
    keys: frozenset[str],
    title: str,
    body: str,
    repeat: int,
) -> None:
    check = FeedCheck(next_check_at=NOW + 600)
    feed = await storage.add_feed(
        "https://bench.test/rss", title="B", interval_seconds=600, next_check_at=NOW, now=NOW
    )
    old = ItemDraft("old", None, title, None, text=body)
    await storage.store_items(feed.id, [old], now=NOW, check=check, queue=False, push_limit=20)
    ((item_id,),) = await storage._all("SELECT id FROM items")

    # (1) matching: by the index, by phrase, by follow.
    by_index: list[float] = []
    payload = json.dumps(sorted(keys), ensure_ascii=False)
    for _ in range(repeat):
        async with storage._transaction() as conn:
            await conn.execute("DELETE FROM item_phrases")
            begun = time.perf_counter()
            await conn.execute(MATCH_PHRASES, (item_id, payload))
            by_index.append(time.perf_counter() - begun)
    matched = await storage._all("SELECT phrase_id FROM item_phrases")
    by_phrase = [0.0] * repeat
    for n in range(repeat):
        by_phrase[n] = timed(lambda: [p for p in phrases if mentions(p, keys)])
    expected = [p for p in phrases if mentions(p, keys)]
    assert len(matched) == len(expected), (len(matched), len(expected))  # the real thing
    per_follow = timed(lambda: {chat for chat, n in follows if mentions(phrases[n], keys)})
    print(f"(1) matching one item against {len(phrases)} phrases ({len(expected)} match):")
    index_ms = statistics.median(by_index) * 1000
    phrase_ms = statistics.median(by_phrase) * 1000
    print(f"    by the index (SQL):          {index_ms:8.1f} ms  (median of {repeat})")
    print(f"    phrase by phrase (Python):   {phrase_ms:8.1f} ms  ({phrase_ms / index_ms:.1f}x)")
    print(
        f"    follow by follow (Python):   {per_follow * 1000:8.1f} ms  "
        f"({per_follow * 1000 / index_ms:.1f}x; {len(follows)} follows)"
    )

    # (2) the whole store of a new item: match, then queue for every chat it is for.
    wanted = {chat for chat, n in follows if mentions(phrases[n], keys)}
    new = ItemDraft("new", None, title, None, text=body, word_keys=keys)
    begun = time.perf_counter()
    outcome = await storage.store_items(
        feed.id, [new], now=NOW, check=check, queue=True, push_limit=20
    )
    took = time.perf_counter() - begun
    assert outcome.queued == len(wanted), (outcome.queued, len(wanted))  # the real thing
    print(
        f"(2) fan-out: the new item stored, matched and queued for {outcome.queued} chats "
        f"in {took * 1000:.0f} ms ({took / max(outcome.queued, 1) * 1e6:.1f} µs a chat)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phrases", type=int, default=10_000)
    parser.add_argument("--chats", type=int, default=100_000)
    parser.add_argument("--per-chat", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    if not ARTICLES.is_dir() or not REFERENCE.is_file():
        print(f"{ARTICLES} or {REFERENCE} is missing: nothing to measure")
        return
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
