"""The fetcher against a hostile local server: statuses, redirects, caps, bombs, drips, guard."""

from __future__ import annotations

import asyncio
import gc
import gzip
import threading
import time
import tracemalloc
import zlib
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.feeds.fetch import (
    USER_AGENT,
    Fetcher,
    FetchError,
    FetchPolicy,
    FetchResult,
    UnsafeURLError,
)
from tests.support.hostile_server import (
    ConnectLog,
    HostileServer,
    Reply,
    Seen,
    endless,
    redirect,
    repeated,
)

LOCAL = FetchPolicy(
    allow_private_networks=True, connect_timeout=5, read_timeout=5, total_timeout=10
)
MiB = 1024 * 1024
DATE = "Tue, 14 Nov 2023 22:13:20 GMT"  # 1_700_000_000
RSS = "<?xml version='1.0'?><rss version='2.0'><channel><title>Лента</title></channel></rss>"


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with HostileServer() as running:
        yield running


async def fetch(url: str, policy: FetchPolicy = LOCAL, **kwargs: object) -> FetchResult:
    async with Fetcher(policy) as fetcher:
        return await fetcher.fetch(url, **kwargs)  # type: ignore[arg-type]


async def failure(url: str, policy: FetchPolicy = LOCAL, **kwargs: object) -> FetchError:
    with pytest.raises(FetchError) as caught:
        await fetch(url, policy, **kwargs)
    return caught.value


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def bomb(size: int) -> bytes:
    """A gzip stream of `size` zero bytes, built without holding them."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(MiB)
    parts = [packer.compress(block) for _ in range(size // MiB)]
    return b"".join([*parts, packer.flush()])


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    single = bomb(128 * MiB)
    return {"gzip": single, "gzip, gzip": gzipped(single)}


# --- the happy path ---------------------------------------------------------------------


async def test_a_feed_with_its_validators_and_freshness(server: HostileServer) -> None:
    body = RSS.encode("windows-1251")
    headers = [
        ("Content-Type", "application/rss+xml; charset=windows-1251"),
        ("ETag", '"v1"'),
        ("Last-Modified", DATE),
        ("Cache-Control", "public, max-age=300"),
    ]
    url = server.route("/feed.xml", Reply(headers=headers, body=body))
    result = await fetch(url)
    assert (result.status, result.url, result.content) == (200, url, body)
    assert result.content_type == "application/rss+xml; charset=windows-1251"
    assert (result.etag, result.last_modified, result.max_age) == ('"v1"', DATE, 300.0)
    assert not result.not_modified
    assert "<title>Лента</title>" in result.text()
    (request,) = server.seen("/feed.xml")
    assert request.headers["user-agent"] == USER_AGENT
    assert request.headers["accept-encoding"] == "gzip, deflate"
    assert "authorization" not in request.headers and "if-none-match" not in request.headers


def test_user_agent_names_the_bot_and_its_version() -> None:
    assert USER_AGENT.startswith("newsbot/0.") and "RSS reader" in USER_AGENT


@pytest.mark.parametrize(
    "field",
    [
        "max_bytes",
        "max_connections",
        "max_per_host",
        "total_timeout",
        "connect_timeout",
        "read_timeout",
    ],
)
@pytest.mark.parametrize("value", [0, -1])
def test_a_policy_with_one_limit_not_positive_is_refused(field: str, value: int) -> None:
    """Each limit is checked on its own: one zero among valid values is enough to refuse."""
    with pytest.raises(ValueError, match="must be positive"):
        FetchPolicy(**{field: value})  # type: ignore[arg-type]


def test_a_negative_max_redirects_is_refused() -> None:
    with pytest.raises(ValueError, match="max_redirects"):
        FetchPolicy(max_redirects=-1)


def test_the_smallest_valid_policy_is_accepted() -> None:
    policy = FetchPolicy(
        max_bytes=1,
        max_connections=1,
        max_per_host=1,
        total_timeout=0.001,
        connect_timeout=0.001,
        read_timeout=0.001,
        max_redirects=0,
    )
    assert (policy.max_bytes, policy.max_redirects, policy.read_timeout) == (1, 0, 0.001)


async def test_max_redirects_zero_fetches_but_follows_nothing(server: HostileServer) -> None:
    policy = FetchPolicy(allow_private_networks=True, max_redirects=0, total_timeout=10)
    url = server.route("/direct", Reply(body=b"the feed"))
    assert (await fetch(url, policy)).content == b"the feed"
    moved = server.route("/moved", redirect("/direct"))
    assert str(await failure(moved, policy)) == "too many redirects (more than 0)"
    assert [s.path for s in server.seen()] == ["/direct", "/moved"]


@pytest.mark.parametrize(
    ("headers", "max_age"),
    [
        ([("Expires", "Tue, 14 Nov 2023 23:13:20 GMT"), ("Date", DATE)], 3600.0),
        ([("Expires", "Tue, 14 Nov 2023 21:13:20 GMT"), ("Date", DATE)], 0.0),
        ([("Expires", "0"), ("Date", DATE)], 0.0),
        ([("Cache-Control", "max-age=60"), ("Expires", "Wed, 15 Nov 2023 22:13:20 GMT")], 60.0),
        ([("Cache-Control", "s-maxage=600")], None),
        ([("Cache-Control", "s-maxage=600, max-age=30")], 30.0),
        ([("Cache-Control", "no-cache")], 0.0),
        ([("Cache-Control", "no-store, max-age=600")], 0.0),
        ([("Cache-Control", "max-age=soon")], 0.0),
        ([], None),
    ],
)
async def test_freshness(
    server: HostileServer, headers: list[tuple[str, str]], max_age: float | None
) -> None:
    url = server.route("/f", Reply(headers=headers, body=b"x"))
    assert (await fetch(url)).max_age == max_age


async def test_text_falls_back_to_utf8(server: HostileServer) -> None:
    body = "Новости".encode()
    for content_type in ("text/xml", "text/xml; charset=no-such-codec", "text/xml; charset=rot13"):
        url = server.route("/t", Reply(headers=[("Content-Type", content_type)], body=body))
        assert (await fetch(url)).text() == "Новости"


async def test_conditional_get_answers_304(server: HostileServer) -> None:
    def conditional(seen: Seen) -> Reply:
        if seen.headers.get("if-none-match") == '"v1"':
            return Reply(304, [("ETag", '"v1"')])
        return Reply(headers=[("ETag", '"v1"')], body=b"full")

    url = server.route("/c", conditional)
    result = await fetch(url, etag='"v1"', last_modified=DATE)
    assert result.not_modified and result.status == 304 and result.content == b""
    assert (result.etag, result.last_modified) == ('"v1"', DATE)
    (request,) = server.seen("/c")
    assert request.headers["if-none-match"] == '"v1"'
    assert request.headers["if-modified-since"] == DATE
    assert (await fetch(url, etag='"v0"')).content == b"full"


@pytest.mark.parametrize(
    ("headers", "etag", "last_modified"),
    [
        ([], '"v1"', DATE),  # a 304 that omits its validators keeps the ones we sent
        ([("ETag", '"v2"')], '"v2"', DATE),  # the server's new ETag wins
        (
            [("Last-Modified", "Wed, 15 Nov 2023 22:13:20 GMT")],
            '"v1"',
            "Wed, 15 Nov 2023 22:13:20 GMT",
        ),
    ],
)
async def test_a_304_keeps_or_replaces_the_validators(
    server: HostileServer, headers: list[tuple[str, str]], etag: str, last_modified: str
) -> None:
    url = server.route("/nm", Reply(304, headers))
    result = await fetch(url, etag='"v1"', last_modified=DATE)
    assert result.not_modified
    assert (result.etag, result.last_modified) == (etag, last_modified)


# --- HTTP errors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "headers", "retry_after", "permanent"),
    [
        (404, [], None, False),
        (410, [], None, True),
        (500, [("Retry-After", "30")], None, False),  # only 429 and 503 carry a wait
        (429, [("Retry-After", "120")], 120.0, False),
        (429, [("Date", DATE), ("Retry-After", "Tue, 14 Nov 2023 22:14:50 GMT")], 90.0, False),
        (429, [("Retry-After", "whenever")], None, False),
        (503, [("Retry-After", "30")], 30.0, False),
        (503, [], None, False),
    ],
)
async def test_http_errors(
    server: HostileServer,
    status: int,
    headers: list[tuple[str, str]],
    retry_after: float | None,
    permanent: bool,
) -> None:
    url = server.route("/e", Reply(status, headers, body=b"error page"))
    error = await failure(url)
    assert type(error) is FetchError
    assert (error.status, error.retry_after, error.permanent) == (status, retry_after, permanent)
    assert str(error).startswith(f"HTTP {status} ")


# --- redirects --------------------------------------------------------------------------


def chain(server: HostileServer, hops: int) -> str:
    """/r0 -> /r1 -> ... -> /r{hops} (the feed); relative and absolute Locations alternate."""
    for hop in range(hops):
        target = f"/r{hop + 1}" if hop % 2 else server.url(f"/r{hop + 1}")
        server.route(f"/r{hop}", redirect(target, status=(301, 302, 303, 307, 308)[hop % 5]))
    server.route(f"/r{hops}", Reply(body=b"the feed"))
    return server.url("/r0")


async def test_five_redirects_are_followed(server: HostileServer) -> None:
    result = await fetch(chain(server, 5))
    assert (result.content, result.url) == (b"the feed", server.url("/r5"))


async def test_six_redirects_are_too_many(server: HostileServer) -> None:
    error = await failure(chain(server, 6))
    assert "too many redirects" in str(error)
    assert server.seen("/r6") == []


async def test_a_redirect_loop_ends(server: HostileServer) -> None:
    server.route("/a", redirect("/b"))
    url = server.route("/b", redirect(server.url("/a")))
    assert "too many redirects" in str(await failure(url))
    assert len(server.seen()) == 6  # the first request and five redirects


@pytest.mark.parametrize(
    "location",
    [
        "ftp://127.0.0.1/feed",
        "file:///etc/passwd",
        "http://u:hunter2@127.0.0.1/",
        "http://h:99999/",
    ],
)
async def test_redirects_to_unsafe_urls(server: HostileServer, location: str) -> None:
    error = await failure(server.route("/r", redirect(location)))
    assert isinstance(error, UnsafeURLError) and "hunter2" not in str(error)
    assert len(server.seen()) == 1


async def test_a_redirect_without_location_is_an_error(server: HostileServer) -> None:
    error = await failure(server.route("/r", Reply(302)))
    assert error.status == 302


# --- sizes and encodings ----------------------------------------------------------------


async def test_encodings_are_decoded(server: HostileServer) -> None:
    text = (RSS * 50).encode()
    raw_deflate = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    cases = {
        "gzip": gzipped(text),
        "x-gzip": gzipped(text),
        "GZIP": gzipped(text[:100]) + gzipped(text[100:]),  # two members
        "deflate": zlib.compress(text),
        "identity": text,
        "gzip, gzip": gzipped(gzipped(text)),
        "deflate, gzip": gzipped(zlib.compress(text)),
        "identity, gzip": gzipped(text),
    }
    for encoding, body in cases.items():
        url = server.route("/enc", Reply(headers=[("Content-Encoding", encoding)], body=body))
        assert (await fetch(url)).content == text, encoding
    raw = raw_deflate.compress(text) + raw_deflate.flush()
    url = server.route("/raw", Reply(headers=[("Content-Encoding", "deflate")], body=raw))
    assert (await fetch(url)).content == text


async def test_a_compressed_body_arriving_byte_by_byte(server: HostileServer) -> None:
    text = (RSS * 20).encode()
    for encoding, body in (("gzip", gzipped(text)), ("deflate", zlib.compress(text))):
        pieces = [body[i : i + 1] for i in range(len(body))]
        url = server.route(
            "/slow", Reply(headers=[("Content-Encoding", encoding)], stream=lambda p=pieces: p)
        )
        assert (await fetch(url)).content == text


@pytest.mark.timeout(30)  # a decoder that spins on an empty chunk never returns
@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw deflate"])
async def test_a_compressed_body_whose_first_bytes_come_alone(
    server: HostileServer, encoding: str
) -> None:
    """The first bytes (gzip magic, zlib header) each in its own read, then the rest."""
    text = (RSS * 20).encode()
    if encoding == "raw deflate":
        packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        body = packer.compress(text) + packer.flush()
    else:
        body = gzipped(text) if encoding == "gzip" else zlib.compress(text)
    pieces = [body[:1], body[1:2], body[2:3], body[3:]]
    name = encoding.split()[-1]
    # pacing, not synchronisation: the pause lets each piece reach the fetcher on its own
    reply = Reply(headers=[("Content-Encoding", name)], stream=lambda: pieces, pause=0.05)
    assert (await fetch(server.route("/paced", reply))).content == text


async def test_a_body_that_inflates_past_one_step(server: HostileServer) -> None:
    """A megabyte of text from one small chunk comes out whole, step by step."""
    text = b"".join(b"<item><guid>%d</guid></item>\n" % i for i in range(40_000))
    assert len(text) > MiB
    for encoding, body in (("gzip", gzipped(text)), ("deflate", zlib.compress(text))):
        url = server.route("/big", Reply(headers=[("Content-Encoding", encoding)], body=body))
        assert (await fetch(url, max_bytes=2 * MiB)).content == text, encoding


STEP = 64 * 1024  # the most output the fetcher's decoder hands out in one step


def prefix_with_output_pending(body: bytes) -> int:
    """The shortest prefix of a zlib stream that decodes to a full step with zlib still
    holding output (the tail of a match) that needs no more input."""
    for end in range(2, len(body)):
        probe = zlib.decompressobj()
        if len(probe.decompress(body[:end], STEP)) == STEP:
            assert not probe.unconsumed_tail and not probe.eof
            assert probe.decompress(b"", STEP), "no output pending at this prefix"
            return end
    raise AssertionError("the body never decodes to a full step")


async def test_what_has_arrived_is_decoded_in_full_before_more_is_read(
    server: HostileServer,
) -> None:
    """Output the received input already holds counts against the cap at once, even past a
    full step: a body over the cap is too large, whatever the next chunk brings."""
    items = (b"<item><guid>%d</guid>%s</item>\n" % (i, b"x" * (i * 37 % 300)) for i in range(600))
    text = b"".join(items)[: STEP + 500]
    body = zlib.compress(text, 9)
    end = prefix_with_output_pending(body)
    bad_check = body[end:-4] + bytes(b ^ 0xFF for b in body[-4:])  # a wrong Adler-32
    for rest, cap, outcome in (
        (body[end:], MiB, "whole"),
        (bad_check, MiB, "corrupt"),
        (bad_check, STEP, "too large"),  # the first piece alone decodes to STEP + pending
    ):
        pieces = [body[:end], rest]
        # pacing, not synchronisation: the pause lets the first piece arrive on its own
        reply = Reply(headers=[("Content-Encoding", "deflate")], stream=pieces.copy, pause=0.1)
        url = server.route("/pending", reply)
        if outcome == "whole":
            assert (await fetch(url, max_bytes=cap)).content == text
        else:
            assert outcome in str(await failure(url, max_bytes=cap))


@pytest.mark.parametrize(
    ("encoding", "trailer", "outcome"),
    [
        ("gzip", b"\0" * 64, "kept"),  # zero padding after the last member is ignored
        ("gzip", b"trailing garbage", "corrupt"),  # neither padding nor a gzip member
        ("deflate", b"trailing garbage", "kept"),  # a deflate stream ends where it ends
        ("deflate", b"\0" * 64, "kept"),
    ],
    ids=["gzip-zero-padding", "gzip-garbage", "deflate-garbage", "deflate-zero-padding"],
)
async def test_what_follows_the_end_of_a_compressed_stream(
    server: HostileServer, encoding: str, trailer: bytes, outcome: str
) -> None:
    text = (RSS * 20).encode()
    body = (gzipped(text) if encoding == "gzip" else zlib.compress(text)) + trailer
    url = server.route("/tail", Reply(headers=[("Content-Encoding", encoding)], body=body))
    if outcome == "kept":
        assert (await fetch(url)).content == text
    else:
        assert "corrupt" in str(await failure(url))


@pytest.mark.parametrize(
    ("encoding", "body", "message"),
    [
        ("br", b"whatever", "unsupported Content-Encoding"),
        ("gzip", b"not gzip at all", "corrupt"),
        ("deflate", b"\x78\x9c garbage", "corrupt"),
    ],
)
async def test_bad_encodings(
    server: HostileServer, encoding: str, body: bytes, message: str
) -> None:
    url = server.route("/bad", Reply(headers=[("Content-Encoding", encoding)], body=body))
    assert message in str(await failure(url))


async def test_a_declared_length_over_the_cap_is_refused_up_front(server: HostileServer) -> None:
    url = server.route("/big", Reply(headers=[("Content-Length", str(50 * MiB))], body=b"x"))
    error = await failure(url, max_bytes=MiB)
    assert "too large" in str(error) and "declared" in str(error)


async def test_the_cap_is_exact(server: HostileServer) -> None:
    url = server.route("/edge", Reply(body=b"x" * 1000))
    assert len((await fetch(url, max_bytes=1000)).content) == 1000
    assert "too large" in str(await failure(url, max_bytes=999))
    gz = server.route(
        "/edgegz", Reply(headers=[("Content-Encoding", "gzip")], body=gzipped(b"x" * 1000))
    )
    assert len((await fetch(gz, max_bytes=1000)).content) == 1000
    assert "too large" in str(await failure(gz, max_bytes=999))


async def peak_memory(url: str, cap: int) -> tuple[FetchError, int]:
    """Fetch `url` under `cap`, expecting refusal; returns the error and traced peak bytes."""
    policy = FetchPolicy(allow_private_networks=True, max_bytes=cap, total_timeout=30)
    async with Fetcher(policy) as fetcher:
        gc.collect()
        tracemalloc.start()
        try:
            with pytest.raises(FetchError) as caught:
                await fetcher.fetch(url)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    return caught.value, peak


async def test_a_50_mib_body_stops_at_the_cap(server: HostileServer) -> None:
    url = server.route("/huge", Reply(stream=repeated(b"x" * (64 * 1024), 800)))  # 50 MiB
    error, peak = await peak_memory(url, MiB)
    assert "too large" in str(error)
    print(f"50 MiB body, 1 MiB cap: peak traced memory {peak / MiB:.2f} MiB")
    assert peak < 3 * MiB
    assert server.wait_until(lambda s: s.in_flight == 0, timeout=10)
    assert server.sent_bytes("/huge") < 50 * MiB  # we hung up; the server could not send it all


@pytest.mark.parametrize("encoding", ["gzip", "gzip, gzip"])
async def test_gzip_bombs_stay_small(
    server: HostileServer, bombs: dict[str, bytes], encoding: str
) -> None:
    body = bombs[encoding]
    url = server.route("/bomb", Reply(headers=[("Content-Encoding", encoding)], body=body))
    error, peak = await peak_memory(url, MiB)
    assert "too large" in str(error)
    print(f"{encoding} bomb of {len(body)} bytes (128 MiB inside): peak {peak / MiB:.2f} MiB")
    assert peak < 3 * MiB


async def test_an_endless_stream_ends_at_the_cap(server: HostileServer) -> None:
    url = server.route("/endless", Reply(stream=endless(b"<item/>" * 1000)))
    assert "too large" in str(await failure(url, max_bytes=256 * 1024))


# --- time -------------------------------------------------------------------------------


async def test_a_slow_drip_ends_at_the_total_timeout(server: HostileServer) -> None:
    url = server.route("/drip", Reply(stream=endless(b"x"), pause=0.2))
    policy = FetchPolicy(allow_private_networks=True, read_timeout=5, total_timeout=1)
    started = time.monotonic()
    async with asyncio.timeout(10):  # without a total deadline the drip would never end
        error = await failure(url, policy)
    elapsed = time.monotonic() - started
    print(f"drip of 5 bytes/s, total_timeout 1 s: ended after {elapsed:.2f} s")
    assert str(error) == "timed out"
    assert 0.9 <= elapsed < 3
    assert server.sent_bytes("/drip") >= 2  # the drip really was flowing


async def test_dripped_headers_end_at_the_total_timeout(server: HostileServer) -> None:
    head = [b"HTTP/1.1 200 OK\r\n"] + [b"X-Slow: a\r\n"] * 1000
    url = server.route("/slowhead", Reply(raw=lambda: head, pause=0.2))
    policy = FetchPolicy(allow_private_networks=True, read_timeout=5, total_timeout=1)
    started = time.monotonic()
    async with asyncio.timeout(10):
        assert str(await failure(url, policy)) == "timed out"
    assert time.monotonic() - started < 3


async def test_a_silent_server_hits_the_read_timeout(server: HostileServer) -> None:
    hold = threading.Event()
    url = server.route("/silent", Reply(body=b"late", hold=hold))
    policy = FetchPolicy(allow_private_networks=True, read_timeout=0.5, total_timeout=10)
    started = time.monotonic()
    try:
        assert str(await failure(url, policy)) == "timed out"
    finally:
        hold.set()
    assert time.monotonic() - started < 3


# --- broken servers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"this is not HTTP\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort",
        b"HTTP/1.1 200 OK\r\nContent-Length: nope\r\n\r\nbody",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"HTTP/1.1 200 OK\r\n" + b"X-Long: " + b"a" * 200_000 + b"\r\n\r\n",
    ],
)
async def test_broken_responses_are_fetch_errors(server: HostileServer, raw: bytes) -> None:
    url = server.route("/broken", Reply(raw=lambda: [raw]))
    error = await failure(url)
    assert str(error).startswith("connection failed"), str(error)


async def test_a_long_error_detail_is_cut_to_160_characters(server: HostileServer) -> None:
    status_line = b"HTTP/1.1 OK " + b"ab " * 200 + b"\r\n\r\n"  # h11 quotes the bad line
    url = server.route("/longerror", Reply(raw=lambda: [status_line]))
    message = str(await failure(url))
    prefix = "connection failed: RemoteProtocolError: "
    assert message.startswith(prefix), message
    detail = message.removeprefix(prefix)  # the server's 600-character line, shortened
    assert len(detail) == 160 and "ab ab ab" in detail


async def test_nobody_listening(server: HostileServer) -> None:
    with HostileServer() as gone:
        url = gone.url("/feed")
    assert str(await failure(url)).startswith("connection failed")


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    headers=st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "Content-Encoding",
                    "Content-Type",
                    "Retry-After",
                    "Cache-Control",
                    "Expires",
                    "Date",
                    "Location",
                    "Content-Length",
                    "ETag",
                ]
            ),
            st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=30),
        ),
        max_size=4,
    ),
    status=st.sampled_from([200, 204, 301, 302, 304, 308, 400, 410, 429, 503, 599]),
    body=st.binary(max_size=200),
)
def test_any_server_answer_is_a_result_or_a_fetch_error(
    server: HostileServer, headers: list[tuple[str, str]], status: int, body: bytes
) -> None:
    url = server.route("/any", Reply(status, [(n, v.strip()) for n, v in headers], body=body))
    policy = FetchPolicy(allow_private_networks=True, max_redirects=2, total_timeout=5)
    try:
        result = asyncio.run(fetch(url, policy, max_bytes=1000))
    except FetchError:
        return
    assert result.status in (200, 204, 304)
    result.text()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.binary(max_size=300), st.integers(min_value=1, max_value=50))
def test_any_bytes_from_a_server_are_a_result_or_a_fetch_error(
    server: HostileServer, raw: bytes, split: int
) -> None:
    pieces = [raw[i : i + split] for i in range(0, len(raw), split)]
    url = server.route("/raw", Reply(raw=lambda: [b"HTTP/1.1 200 OK\r\n", *pieces]))
    try:
        result = asyncio.run(fetch(url, max_bytes=1000))
    except FetchError:
        return
    assert result.status == 200 and len(result.content) <= 1000


# --- the address guard ------------------------------------------------------------------


class Names:
    """A resolver for made-up names (never DNS); it records every lookup."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.asked: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        if host not in self.table:
            raise OSError(f"no such name {host}")
        return self.table[host]


async def guarded_failure(url: str, names: Names) -> FetchError:
    policy = FetchPolicy(allowed_hosts=frozenset({"feeds.test"}), total_timeout=10)
    async with Fetcher(policy, resolver=names) as fetcher:
        with pytest.raises(FetchError) as caught:
            await fetcher.fetch(url)
    return caught.value


async def test_the_default_policy_refuses_loopback_without_connecting(
    server: HostileServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    connects = ConnectLog(monkeypatch)
    url = server.route("/feed", Reply(body=b"secret"))
    with pytest.raises(UnsafeURLError) as caught:
        async with Fetcher() as fetcher:
            await fetcher.fetch(url)
    assert "127.0.0.1" in str(caught.value)
    assert connects.addresses == [] and server.seen() == []


async def test_an_allowed_host_is_fetched(
    server: HostileServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    connects = ConnectLog(monkeypatch)
    names = Names({"feeds.test": ["127.0.0.1"]})
    server.route("/feed", Reply(body=b"ok"))
    policy = FetchPolicy(allowed_hosts=frozenset({"feeds.test"}))
    async with Fetcher(policy, resolver=names) as fetcher:
        result = await fetcher.fetch(server.url("/feed", host="FEEDS.test"))
    assert result.content == b"ok"
    assert names.asked == ["feeds.test"]
    assert connects.addresses == [("127.0.0.1", server.port)]  # the vetted IP was dialled
    assert server.seen()[0].headers["host"] == f"feeds.test:{server.port}"


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{port}/inside",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:169.254.169.254]/latest/meta-data/",
        "http://metadata.test/computeMetadata/v1/",  # a name that resolves to 169.254.169.254
        "http://intranet.test:{port}/inside",  # a name that resolves to 10.0.0.5
        "http://mixed.test/",  # one public and one private address
        "http://localhost:{port}/inside",
        "http://2130706433:{port}/inside",
    ],
)
async def test_redirects_from_an_allowed_host_to_inside_are_refused(
    server: HostileServer, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    connects = ConnectLog(monkeypatch)
    names = Names(
        {
            "feeds.test": ["127.0.0.1"],
            "metadata.test": ["169.254.169.254"],
            "intranet.test": ["10.0.0.5"],
            "mixed.test": ["93.184.216.34", "192.168.0.1"],
            "localhost": ["127.0.0.1"],
        }
    )
    server.route("/inside", Reply(body=b"secret"))
    server.route("/feed", redirect(target.format(port=server.port)))
    error = await guarded_failure(server.url("/feed", host="feeds.test"), names)
    assert isinstance(error, UnsafeURLError), str(error)
    assert [s.path for s in server.seen()] == ["/feed"]
    assert connects.addresses == [("127.0.0.1", server.port)]  # only the first hop was dialled
    assert not connects.hosts() & {"169.254.169.254", "10.0.0.5", "192.168.0.1", "93.184.216.34"}


async def test_allow_private_networks_still_refuses_credentials_and_schemes(
    server: HostileServer,
) -> None:
    url = server.route("/feed", Reply(body=b"ok"))
    for bad in (url.replace("http://", "http://admin:hunter2@"), url.replace("http", "ftp", 1)):
        error = await failure(bad)
        assert isinstance(error, UnsafeURLError) and "hunter2" not in str(error)
    assert server.seen() == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:99999/",
        "ftp://127.0.0.1/feed",
        "file:///etc/passwd",
        "http://u:p@127.0.0.1/",
    ],
)
async def test_bad_urls_are_unsafe_url_errors(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    connects = ConnectLog(monkeypatch)
    error = await failure(url)
    assert isinstance(error, UnsafeURLError) and error.status is None
    assert connects.addresses == []


async def test_an_unknown_name_is_a_fetch_error() -> None:
    names = Names({})
    async with Fetcher(resolver=names) as fetcher:
        with pytest.raises(FetchError, match=r"cannot resolve nowhere\.test"):
            await fetcher.fetch("https://nowhere.test/feed")
    assert names.asked == ["nowhere.test"]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60), st.sampled_from(["http://", "https://", "", "http://feeds.test/"]))
def test_any_url_string_is_a_result_or_a_fetch_error(text: str, prefix: str) -> None:
    """Whatever the string, fetch raises only FetchError; nothing here can reach a server."""

    async def nowhere(host: str, port: int) -> list[str]:
        return ["192.0.2.1"]  # documentation address: refused by the guard, never dialled

    async def attempt() -> None:
        async with Fetcher(resolver=nowhere) as fetcher:
            await fetcher.fetch(prefix + text)

    with pytest.raises(FetchError):
        asyncio.run(attempt())


# --- concurrency ------------------------------------------------------------------------


async def run_held(server: HostileServer, urls: list[str], policy: FetchPolicy, limit: int) -> None:
    """Start all fetches; check that `limit` arrive and no more, then let them finish."""
    hold = threading.Event()
    for path in {u.split(str(server.port), 1)[1] for u in urls}:
        server.route(path, Reply(body=b"ok", hold=hold))
    names = Names({f"h{i}.test": ["127.0.0.1"] for i in range(3)})
    async with Fetcher(policy, resolver=names) as fetcher:
        tasks = [asyncio.create_task(fetcher.fetch(u)) for u in urls]
        try:
            arrived = await asyncio.to_thread(server.wait_until, lambda s: s.in_flight >= limit, 5)
            # Given a moment, a fetcher without limits would let the others through too.
            more = await asyncio.to_thread(server.wait_until, lambda s: s.in_flight > limit, 0.3)
        finally:
            hold.set()
            results = await asyncio.gather(*tasks, return_exceptions=True)
    assert arrived, f"only {server.in_flight} requests arrived"
    assert not more and server.peak_in_flight == limit, f"{server.peak_in_flight} at once"
    assert all(isinstance(r, FetchResult) and r.content == b"ok" for r in results), results


async def test_at_most_max_per_host_at_once(server: HostileServer) -> None:
    policy = FetchPolicy(allowed_hosts=frozenset({"h0.test"}), max_per_host=2, max_connections=16)
    urls = [server.url(f"/p{i}", host="h0.test") for i in range(6)]
    await run_held(server, urls, policy, limit=2)


async def test_at_most_max_connections_at_once(server: HostileServer) -> None:
    hosts = frozenset({"h0.test", "h1.test", "h2.test"})
    policy = FetchPolicy(allowed_hosts=hosts, max_per_host=4, max_connections=3)
    urls = [server.url(f"/q{i}", host=f"h{i % 3}.test") for i in range(9)]
    await run_held(server, urls, policy, limit=3)


async def test_one_slow_host_does_not_block_another(server: HostileServer) -> None:
    hold = threading.Event()
    server.route("/stuck", Reply(body=b"late", hold=hold))
    server.route("/quick", Reply(body=b"quick"))
    names = Names({"h0.test": ["127.0.0.1"], "h1.test": ["127.0.0.1"]})
    hosts = frozenset({"h0.test", "h1.test"})
    policy = FetchPolicy(allowed_hosts=hosts, max_per_host=1, total_timeout=10)
    async with Fetcher(policy, resolver=names) as fetcher:
        stuck = asyncio.create_task(fetcher.fetch(server.url("/stuck", host="h0.test")))
        try:
            quick = await fetcher.fetch(server.url("/quick", host="h1.test"))
            assert quick.content == b"quick" and not stuck.done()
        finally:
            hold.set()
        assert (await stuck).content == b"late"


async def test_the_total_timeout_starts_after_waiting_for_a_slot(server: HostileServer) -> None:
    """Queued fetches wait for their host's slot without losing their own time budget."""
    url = server.route("/paced", Reply(stream=repeated(b"x", 4), pause=0.1))  # ~0.3 s each
    policy = FetchPolicy(allow_private_networks=True, max_per_host=1, total_timeout=0.75)
    async with Fetcher(policy) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(url) for _ in range(3)))
    assert [r.content for r in results] == [b"xxxx"] * 3


def live_semaphores() -> int:
    gc.collect()
    return sum(isinstance(o, asyncio.Semaphore) for o in gc.get_objects())


async def test_no_per_host_gate_outlives_its_fetches(server: HostileServer) -> None:
    """A bot polling thousands of hosts keeps a host's gate only while fetches use it."""
    hold = threading.Event()
    server.route("/g", Reply(body=b"ok", hold=hold))
    hosts = [f"h{i}.test" for i in range(6)]
    names = Names({host: ["127.0.0.1"] for host in hosts})
    policy = FetchPolicy(
        allow_private_networks=True, max_per_host=1, max_connections=64, total_timeout=10
    )
    async with Fetcher(policy, resolver=names) as fetcher:
        before = live_semaphores()
        # two fetches per host at once: one holds the host's gate, the other waits on it
        urls = [server.url("/g", host=host) for host in hosts for _ in range(2)]
        tasks = [asyncio.create_task(fetcher.fetch(url)) for url in urls]
        try:
            arrived = await asyncio.to_thread(
                server.wait_until, lambda s: s.in_flight >= len(hosts), 5
            )
            during = live_semaphores()
        finally:
            hold.set()
            results = await asyncio.gather(*tasks, return_exceptions=True)
        after = live_semaphores()
    assert arrived and all(isinstance(r, FetchResult) and r.content == b"ok" for r in results)
    assert server.peak_in_flight == len(hosts)
    assert during == before + len(hosts)  # one gate per busy host
    assert after == before, f"{after - before} gates left behind"
