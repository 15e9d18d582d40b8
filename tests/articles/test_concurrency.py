"""The reader read from several threads at once gives exactly what one read at a time gives.

Feeds are read in worker threads when the bot runs without reader processes; a stemmer or a
dictionary shared without care gives wrong stems and summaries there (and only there). The
caches are emptied before the threaded pass, so it takes the uncached paths too.
"""

from __future__ import annotations

import random
import sys
from concurrent.futures import ThreadPoolExecutor
from types import ModuleType

from bot.articles import Article, read_article
from bot.articles.evaluate import read_file
from bot.feeds.parse import parse_feed
from tests.conftest import shared_file

THREADS = 6
ROUNDS = 4


def corpus() -> list[tuple[str, str]]:
    """(title, body) of every news article and of the real feeds' items."""
    texts = [read_file(path) for path in sorted(shared_file("corpora/news-articles").glob("*.txt"))]
    for path in sorted(shared_file("corpora/real-feeds").glob("*.*")):
        if path.suffix in (".xml", ".rss", ".atom"):
            texts += [(e.title, e.content) for e in parse_feed(path.read_bytes()).entries]
    return texts


def empty_caches() -> None:
    for name, module in list(sys.modules.items()):
        if name.startswith("bot.articles") and isinstance(module, ModuleType):
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


def test_reading_in_threads_gives_what_reading_one_at_a_time_gives() -> None:
    texts = corpus()
    assert len(texts) > 500
    alone: list[Article] = [read_article(title, body) for title, body in texts]

    for round_ in range(ROUNDS):  # a race shows in some runs only: several runs
        empty_caches()
        order = list(range(len(texts)))
        random.Random(round_).shuffle(order)  # neighbours differ from the first pass
        with ThreadPoolExecutor(THREADS) as pool:
            read = pool.map(lambda i: read_article(*texts[i]), order)
            together = dict(zip(order, read, strict=True))
        differing = [i for i, article in enumerate(alone) if together[i] != article]
        assert differing == [], [texts[i][0][:60] for i in differing[:5]]
