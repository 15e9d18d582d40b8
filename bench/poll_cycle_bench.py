"""The poll cycle of the running bot: 1,000 feeds behind 200 ms of latency, 8 at a time.

The real Application (build_application) runs against the fake Bot API and a feed server of
this file on 127.0.0.1 that answers every request after --latency seconds. The JobQueue's
"poll-feeds" job runs on its own timer (--tick); the injected clock makes every feed due at
once, and the cycle is the wall time from that moment until every feed has been checked.
Ideal = feeds x latency / concurrency (1000 x 0.2 s / 8 = 25 s). Three passes per run:
  (a) first check: 5 items per feed are read (the real article reader) and stored, not pushed;
  (b) the server answers 200 with the same bytes: nothing is new;
  (c) the server answers 304 to the ETag the bot sends back.
During each pass, fake users send /start and /topics at a steady rate; the reply latency is
the time from queueing the update at the fake Bot API to the bot's sendMessage reaching it.

Hosts (--hosts): "many" (default) gives each feed its own made-up host name, *.bench.test,
mapped to 127.0.0.1 by an injected resolver (names listed in allowed_hosts; no DNS is ever
asked); "one" puts every feed on 127.0.0.1 with per_host = concurrency.

Run: .venv/bin/python bench/poll_cycle_bench.py [--runs 3] [--feeds 1000] [--hosts many|one]
Prints figures only; never asserts on timing.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402

from bot.app import build_application, fetch_policy  # noqa: E402
from bot.config import Config, PollingConfig, TopicConfig, load_config  # noqa: E402
from bot.feeds.fetch import Fetcher  # noqa: E402
from bot.feeds.parse import Entry, parse_feed  # noqa: E402
from bot.reading import read_and_file  # noqa: E402
from storage import Storage, open_storage  # noqa: E402
from tests.conftest import shared_file  # noqa: E402
from tests.support.fake_bot_api import FakeBotApi  # noqa: E402
from tests.support.feeds import FeedItem, rss  # noqa: E402
from tests.support.harness import Clock, RunningBot  # noqa: E402
from tests.support.readers import light_reader  # noqa: E402

HOST_SUFFIX = ".bench.test"  # a reserved top-level domain: never a real host
ITEMS_PER_FEED = 5
POLL_INTERVAL = 600
# Between passes the clock jumps past the longest backoff, so a feed that failed is due too.
ADVANCE = 24 * 3600 + POLL_INTERVAL
ADMIN = 100


# --- the feed server ---------------------------------------------------------------------


@dataclass
class PassStats:
    requests: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    max_in_flight: int = 0
    first_at: float | None = None  # perf_counter of the first request
    service_max: float = 0.0  # longest request-to-answer time inside the server
    service_sum: float = 0.0


class LatencyFeedServer:
    """HTTP/1.1 with keep-alive on 127.0.0.1, in its own thread and event loop.

    Each GET is answered `latency` seconds after it arrived; nothing else waits, so any
    number of requests can be in flight at once (the max is reported to prove it).
    """

    def __init__(self, bodies: dict[str, bytes], latency: float) -> None:
        self.bodies = bodies
        self.etags = {p: '"' + hashlib.sha256(b).hexdigest()[:16] + '"' for p, b in bodies.items()}
        self.latency = latency
        self.honour_etag = False  # pass (c): answer 304 when If-None-Match matches
        self.stats = PassStats()
        self._lock = threading.Lock()
        self._in_flight = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="feed-server", daemon=True)
        self.port = 0

    def start(self) -> LatencyFeedServer:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("feed server did not start")
        return self

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def new_pass(self, *, honour_etag: bool) -> None:
        with self._lock:
            self.honour_etag = honour_etag
            self.stats = PassStats()

    def snapshot(self) -> PassStats:
        with self._lock:
            s = self.stats
            return PassStats(
                s.requests,
                dict(s.statuses),
                s.max_in_flight,
                s.first_at,
                s.service_max,
                s.service_sum,
            )

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(
            asyncio.start_server(self._serve, "127.0.0.1", 0, backlog=1024)
        )
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            server.close()
            self._loop.run_until_complete(server.wait_closed())
            self._loop.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                arrived = time.perf_counter()
                lines = head.decode("latin-1").split("\r\n")
                _, path, _ = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
                with self._lock:
                    self._in_flight += 1
                    stats = self.stats
                    stats.requests += 1
                    stats.max_in_flight = max(stats.max_in_flight, self._in_flight)
                    if stats.first_at is None:
                        stats.first_at = arrived
                    honour = self.honour_etag
                await asyncio.sleep(self.latency)  # the simulated network and server time
                status, answer = self._answer(path, headers, honour)
                writer.write(answer)
                await writer.drain()
                with self._lock:
                    self._in_flight -= 1
                    took = time.perf_counter() - arrived
                    stats.statuses[status] = stats.statuses.get(status, 0) + 1
                    stats.service_max = max(stats.service_max, took)
                    stats.service_sum += took
                if headers.get("connection", "").lower() == "close":
                    return
        finally:
            writer.close()

    def _answer(self, path: str, headers: dict[str, str], honour: bool) -> tuple[int, bytes]:
        body = self.bodies.get(path)
        if body is None:
            return 404, b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
        etag = self.etags[path]
        if honour and headers.get("if-none-match") == etag:
            return 304, f"HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\n\r\n".encode()
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml; charset=utf-8\r\n"
            f"ETag: {etag}\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        return 200, head.encode() + body


# --- the fake Bot API, timed -------------------------------------------------------------


class TimedBotApi(FakeBotApi):
    """The fake Bot API, noting when each user's command was queued and first answered."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.asked_at: dict[int, float] = {}
        self.answered_at: dict[int, float] = {}
        self._times = threading.Lock()

    def send_command(self, text: str, *, user_id: int, **options: Any) -> int:
        with self._times:
            self.asked_at[options.get("chat_id") or user_id] = time.perf_counter()
        return super().send_command(text, user_id=user_id, **options)

    def _send_message(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        reached = time.perf_counter()
        with self._times:
            self.answered_at.setdefault(int(params["chat_id"]), reached)
        return super()._send_message(params)

    def unanswered(self, users: Sequence[int]) -> int:
        with self._times:
            return sum(1 for u in users if u not in self.answered_at)

    def latency(self, user: int) -> float | None:
        """Seconds from the user's command to the first reply, None while unanswered."""
        with self._times:
            if user not in self.answered_at:
                return None
            return self.answered_at[user] - self.asked_at[user]


class CommandLoad:
    """Fake users sending commands at a steady rate, from a thread of their own (so a busy
    bot event loop cannot slow the senders down and hide its own latency)."""

    def __init__(self, api: TimedBotApi, first_user: int, count: int, rate: float) -> None:
        self.api = api
        self.users = [first_user + k for k in range(count)]
        self.rate = rate
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._send, name="command-load", daemon=True)

    def start(self) -> CommandLoad:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)

    def _send(self) -> None:
        start = time.perf_counter()
        for k, user in enumerate(self.users):
            wait = start + k / self.rate - time.perf_counter()
            if wait > 0 and self._stop.wait(wait):
                return
            command = "/start" if k % 2 == 0 else "/topics"
            self.api.send_command(command, user_id=user, language="ru" if k % 4 < 2 else "en")

    async def replies(self, timeout: float = 60.0) -> tuple[dict[str, list[float]], int]:
        """Latencies per command once every command was sent and answered (or timed out)."""
        await asyncio.to_thread(self._thread.join, timeout)
        deadline = time.monotonic() + timeout
        while self.api.unanswered(self.users) and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        by_command: dict[str, list[float]] = {"/start": [], "/topics": []}
        for k, user in enumerate(self.users):
            latency = self.api.latency(user)
            if latency is not None:
                by_command["/start" if k % 2 == 0 else "/topics"].append(latency)
        return by_command, self.api.unanswered(self.users)


class LoopLag:
    """How late the bot's event loop wakes a 10 ms timer: time it spends unable to run
    handlers (busy callbacks, or the GIL held by worker threads)."""

    PERIOD = 0.01

    def __init__(self) -> None:
        self.lags: list[float] = []
        self._task: asyncio.Task[None] | None = None

    def start(self) -> LoopLag:
        self._task = asyncio.create_task(self._watch())
        return self

    async def stop(self) -> list[float]:
        assert self._task is not None
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)
        return self.lags

    async def _watch(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(self.PERIOD)
            self.lags.append(time.perf_counter() - before - self.PERIOD)


# --- the run -----------------------------------------------------------------------------


class BenchResolver:
    """*.bench.test -> 127.0.0.1; any other name is refused and recorded, never looked up."""

    def __init__(self) -> None:
        self.refused: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        if host.endswith(HOST_SUFFIX):
            return ["127.0.0.1"]
        self.refused.append(host)
        raise OSError(f"bench resolver: no such host {host}")


def entry_pool() -> list[tuple[str, str]] | None:
    """(title, text) of real entries from the real-feeds corpus: realistic lengths, languages."""
    try:
        folder = shared_file("corpora/real-feeds")
    except pytest.skip.Exception as exc:
        print(exc)
        return None
    pool = []
    for path in sorted(folder.iterdir()):
        if path.suffix == ".md":
            continue
        for entry in parse_feed(path.read_bytes()).entries:
            if entry.title and len(entry.content) >= 80:
                pool.append((entry.title, entry.content))
    return pool


def feed_bodies(count: int, pool: Sequence[tuple[str, str]]) -> dict[str, bytes]:
    bodies = {}
    for n in range(count):
        items = []
        for j in range(ITEMS_PER_FEED):
            title, text = pool[(n * ITEMS_PER_FEED + j) % len(pool)]
            items.append(
                FeedItem(
                    guid=f"feed{n}-item{j}",
                    title=title,
                    description=text,
                    link=f"https://news{n}.example/a/{j}",
                    published=1_700_000_000.0 + n * 60 + j,
                )
            )
        bodies[f"/feed/{n:04d}.xml"] = rss(f"Feed {n}", items)
    return bodies


@dataclass
class PassResult:
    name: str
    cycle: float
    tick_wait: float
    cpu: float  # process CPU seconds during the cycle (bot, servers and all threads)
    loop_lag: list[float]
    stats: PassStats
    checked: int
    errors: int
    items: int
    commands: dict[str, list[float]]
    unanswered: int


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def latency_line(values: Sequence[float]) -> str:
    if not values:
        return "no replies"
    ms = [v * 1000 for v in values]
    return (
        f"n={len(ms)} p50 {statistics.median(ms):6.1f} ms, p95 {percentile(ms, 0.95):6.1f} ms, "
        f"max {max(ms):6.1f} ms"
    )


async def one_pass(
    name: str,
    bot: RunningBot,
    server: LatencyFeedServer,
    api: TimedBotApi,
    args: argparse.Namespace,
    first_user: int,
    *,
    honour_etag: bool,
) -> PassResult:
    services = bot.app.bot_data.services
    assert services is not None
    server.new_pass(honour_etag=honour_etag)
    due = len(await bot.storage.due_feeds(bot.clock.now + ADVANCE, args.feeds + 1))
    if due != args.feeds:
        print(f"    note: {due} of {args.feeds} feeds will be due (some were paused)")
    bot.clock.advance(ADVANCE)  # every feed is due now; the job's own timer starts them
    due_at = time.perf_counter()
    cpu_at = time.process_time()
    lag = LoopLag().start()
    load: CommandLoad | None = None
    deadline = time.monotonic() + 20 * ideal(args) + 60  # then the pass is stuck
    while server.snapshot().requests < due:
        if load is None and server.snapshot().requests > 0:
            load = CommandLoad(api, first_user, args.commands, args.command_rate).start()
        if time.monotonic() > deadline:
            raise RuntimeError(f"pass {name}: stuck at {server.snapshot().requests} requests")
        await asyncio.sleep(0.01)
    await services.feeds.wait_idle()  # the last checks parse, read and store
    cycle = time.perf_counter() - due_at
    cpu = time.process_time() - cpu_at
    loop_lag = await lag.stop()
    stats = server.snapshot()
    if load is None:  # a cycle so fast that it ended before the first poll of the loop
        load = CommandLoad(api, first_user, args.commands, args.command_rate).start()
    commands, unanswered = await load.replies()
    feeds = await bot.storage.feeds()
    checked = sum(1 for f in feeds if f.last_checked_at == bot.clock.now)
    errors = sum(1 for f in feeds if f.last_error)
    items = sum([await bot.storage.item_count(f.id) for f in feeds])
    tick_wait = (stats.first_at or due_at) - due_at
    return PassResult(
        name, cycle, tick_wait, cpu, loop_lag, stats, checked, errors, items, commands, unanswered
    )


async def idle_commands(api: TimedBotApi, args: argparse.Namespace) -> dict[str, list[float]]:
    load = CommandLoad(api, 1_000_000, args.idle_commands, args.command_rate).start()
    commands, _ = await load.replies()
    return commands


def build_config(
    api: FakeBotApi, db: Path, topics: Sequence[TopicConfig], hosts: list[str], one_host: bool
) -> Config:
    return Config(
        admins=frozenset({ADMIN}),
        database=db,
        poll_interval=POLL_INTERVAL,
        language="ru",
        timezone="Europe/Moscow",
        api_base_url=api.base_url,
        token=api.token,
        topics=tuple(topics),
        polling=PollingConfig(
            allow_private_networks=True,  # the feed server is on 127.0.0.1
            allowed_hosts=tuple(hosts),
            concurrency=8,
            per_host=8 if one_host else 2,
        ),
    )


async def one_run(
    n: int, args: argparse.Namespace, bodies: dict[str, bytes], topics: Sequence[TopicConfig]
) -> list[PassResult]:
    api = TimedBotApi()
    api.start()
    server = LatencyFeedServer(bodies, args.latency).start()
    one_host = args.hosts == "one"
    names = [f"feed{k:04d}{HOST_SUFFIX}" for k in range(args.feeds)]
    urls = [
        f"http://127.0.0.1:{server.port}{path}"
        if one_host
        else f"http://{names[k]}:{server.port}{path}"
        for k, path in enumerate(sorted(bodies))
    ]
    resolver = BenchResolver()
    results: list[PassResult] = []
    with tempfile.TemporaryDirectory(prefix="newsbot-pollbench-") as tmp:
        db = Path(tmp) / "newsbot.db"
        storage: Storage = await open_storage(db)
        config = build_config(api, db, topics, [] if one_host else names, one_host)
        fetcher = None if one_host else Fetcher(fetch_policy(config), resolver=resolver)
        clock = Clock()
        app = build_application(
            config,
            storage=storage,
            fetcher=fetcher,
            clock=clock,
            reader=read_and_file if args.reader == "full" else light_reader,
            poll_tick=args.tick,
        )
        bot = RunningBot(app, api, None, storage, clock)  # type: ignore[arg-type]
        try:
            await bot.start()
            topic_ids = [t.id for t in await storage.topics()]
            for k, url in enumerate(urls):
                await storage.add_feed(
                    url,
                    title=url,
                    interval_seconds=POLL_INTERVAL,
                    next_check_at=clock.now + POLL_INTERVAL,  # due after the first advance
                    now=clock.now,
                    topic_ids=topic_ids[k % len(topic_ids) : k % len(topic_ids) + 1],
                )
            idle = await idle_commands(api, args)
            print(
                f"run {n}: idle bot, {args.idle_commands} commands: "
                f"{latency_line(idle['/start'] + idle['/topics'])}"
            )
            for k, (name, honour) in enumerate(
                (("a first check", False), ("b same content", False), ("c 304", True))
            ):
                result = await one_pass(
                    name, bot, server, api, args, 2_000_000 + k * 10_000, honour_etag=honour
                )
                results.append(result)
                report_pass(n, result, args)
        finally:
            await bot.stop()
            if fetcher is not None:
                await fetcher.aclose()
            await storage.close()
            server.stop()
            api.stop()
    if resolver.refused:
        print(f"  resolver refused {len(resolver.refused)} names: {resolver.refused[:3]}")
    return results


def ideal(args: argparse.Namespace) -> float:
    return float(args.feeds * args.latency / 8)


def report_pass(n: int, r: PassResult, args: argparse.Namespace) -> None:
    s = r.stats
    statuses = ", ".join(f"{code}: {count}" for code, count in sorted(s.statuses.items()))
    mean = s.service_sum / max(1, sum(s.statuses.values())) * 1000
    print(
        f"run {n} pass ({r.name}): cycle {r.cycle:6.2f} s = {r.cycle / ideal(args):.3f} x ideal "
        f"{ideal(args):.1f} s (first request {r.tick_wait:.2f} s after due; "
        f"process CPU {r.cpu:.1f} s = {r.cpu / r.cycle:.2f} cores)"
    )
    print(
        f"    server: {s.requests} requests ({statuses}), max in flight {s.max_in_flight}, "
        f"answer time mean {mean:.0f} ms, max {s.service_max * 1000:.0f} ms"
    )
    print(
        f"    storage: {r.checked}/{args.feeds} feeds checked this pass, {r.errors} with errors, "
        f"{r.items} items stored"
    )
    print(f"    event loop lag (10 ms timer): {latency_line(r.loop_lag)}")
    every = r.commands["/start"] + r.commands["/topics"]
    print(f"    commands during the cycle: {latency_line(every)}; unanswered {r.unanswered}")
    for command, values in r.commands.items():
        print(f"      {command:8} {latency_line(values)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions, each printed")
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.2, help="server answer delay, s")
    parser.add_argument("--tick", type=float, default=1.0, help="poll job interval, s")
    parser.add_argument("--hosts", choices=("many", "one"), default="many")
    parser.add_argument("--reader", choices=("full", "light"), default="full")
    parser.add_argument("--commands", type=int, default=200, help="commands during each pass")
    parser.add_argument("--idle-commands", type=int, default=50, help="commands before pass a")
    parser.add_argument("--command-rate", type=float, default=10.0, help="commands per second")
    args = parser.parse_args()

    pool = entry_pool()
    if pool is None:
        return 0
    bodies = feed_bodies(args.feeds, pool)
    example = load_config(ROOT / "config.example.toml", environ={})
    size = sum(len(b) for b in bodies.values())
    hosts = (
        f"each feed on its own host *{HOST_SUFFIX} -> 127.0.0.1 by an injected resolver, "
        "per_host = 2"
        if args.hosts == "many"
        else "all feeds on 127.0.0.1, per_host = 8"
    )
    print(
        f"{args.feeds} feeds x {ITEMS_PER_FEED} items ({size / 1024:.0f} KiB, texts from "
        f"{len(pool)} real entries), latency {args.latency * 1000:.0f} ms, concurrency 8, "
        f"{hosts}; poll tick {args.tick} s; reader: {args.reader}; "
        f"ideal cycle {ideal(args):.1f} s"
    )
    print(
        f"commands: {args.commands} per pass at {args.command_rate}/s, alternating /start "
        "(writes the chat) and /topics (reads)"
    )
    # The reader loads its dictionaries on first use; a running bot pays that once at start.
    started = time.perf_counter()
    title, text = pool[0]
    read_and_file(Entry("warm-up", None, title, None, text), None, [], [])
    print(f"reader warm-up (dictionaries, once per process): {time.perf_counter() - started:.2f} s")
    all_results = []
    for n in range(1, args.runs + 1):
        all_results.append(asyncio.run(one_run(n, args, bodies, example.topics)))
    print("summary (cycle / ideal; command p95):")
    for k in range(3):
        name = all_results[0][k].name
        ratios = [f"{run[k].cycle / ideal(args):.3f}" for run in all_results]
        p95 = [
            f"{percentile(run[k].commands['/start'] + run[k].commands['/topics'], 0.95) * 1000:.0f}"
            for run in all_results
            if run[k].commands["/start"] + run[k].commands["/topics"]
        ]
        print(f"  pass ({name}): {', '.join(ratios)} x ideal; p95 {', '.join(p95)} ms")
    print("goal: cycle <= 1.1 x ideal in every pass, command p95 <= 100 ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
