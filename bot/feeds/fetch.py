"""The one HTTP path for feeds and article pages, safe against hostile URLs and servers.

Every address is vetted where it is dialled (after our own DNS resolution, on every redirect
hop), so a feed can never make the bot reach loopback, a private network or a cloud metadata
service. Bodies are decompressed here in bounded steps and capped after decompression, and a
whole fetch runs under one deadline, so neither a compression bomb nor a slow drip can hold
the bot. Every failure is a FetchError whose message an admin can read.
"""

from __future__ import annotations

import asyncio
import datetime
import email.utils
import functools
import hashlib
import ipaddress
import re
import socket
import ssl
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import metadata
from types import TracebackType

import httpcore
import httpx

try:
    _VERSION = metadata.version("newsbot")
except metadata.PackageNotFoundError:  # running from a source tree that was never installed
    _VERSION = "0.1.0"

USER_AGENT = f"newsbot/{_VERSION} (+https://github.com/newsbot; RSS reader)"
ACCEPT_ENCODING = "gzip, deflate"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# host, port -> IP address strings; injectable so that tests never ask a real DNS server.
Resolver = Callable[[str, int], Awaitable[list[str]]]


@dataclass(frozen=True)
class FetchPolicy:
    """What one Fetcher may reach and how much it may spend on one fetch."""

    allow_private_networks: bool = False  # self-hosted feeds, and tests on 127.0.0.1
    allowed_hosts: frozenset[str] = frozenset()  # host names exempt from the address check
    max_bytes: int = 10 * 1024 * 1024  # measured after decompression
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0  # the whole fetch: redirects, headers and body
    max_redirects: int = 5
    max_connections: int = 16  # fetches at once, overall
    max_per_host: int = 2  # fetches at once, per host

    def __post_init__(self) -> None:
        limits = (self.max_bytes, self.max_connections, self.max_per_host, self.total_timeout)
        if min(limits) <= 0 or self.connect_timeout <= 0 or self.read_timeout <= 0:
            raise ValueError("FetchPolicy: sizes, limits and timeouts must be positive")
        if self.max_redirects < 0:
            raise ValueError("FetchPolicy: max_redirects must not be negative")


DEFAULT_POLICY = FetchPolicy()


class FetchError(Exception):
    """The resource could not be fetched; the message is what an admin reads (no secrets)."""

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.status = status  # the HTTP status when the server answered
        self.retry_after = retry_after  # seconds the server asked us to wait (429, 503)

    @property
    def permanent(self) -> bool:
        """410 Gone: the server says the resource will not come back."""
        return self.status == 410


class UnsafeURLError(FetchError):
    """Refused before any request: a scheme, credentials or an address we must not use."""


@dataclass(frozen=True)
class FetchResult:
    url: str  # after redirects
    status: int
    content: bytes  # decompressed
    content_type: str | None
    etag: str | None
    last_modified: str | None
    max_age: float | None  # seconds the answer stays fresh; None when the server did not say

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @functools.cached_property
    def digest(self) -> str | None:
        """The body's SHA-256 (hashed once, however often asked); None for a 304, which has
        no body to compare."""
        return None if self.not_modified else hashlib.sha256(self.content).hexdigest()

    def text(self) -> str:
        """The body as text: the Content-Type charset when Python knows it, else UTF-8."""
        charset = _charset(self.content_type)
        if charset:
            try:
                return self.content.decode(charset, "replace")
            except LookupError:  # an unknown name, or a codec that is not a text encoding
                pass
        return self.content.decode("utf-8", "replace")


# --- addresses --------------------------------------------------------------------------

_V4_BLOCKED = tuple(
    ipaddress.IPv4Network(n)
    for n in (
        "0.0.0.0/8",  # "this network", incl. the unspecified address
        "10.0.0.0/8",
        "100.64.0.0/10",  # carrier-grade NAT
        "127.0.0.0/8",
        "169.254.0.0/16",  # link-local, incl. cloud metadata 169.254.169.254
        "172.16.0.0/12",
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation
        "192.88.99.0/24",  # deprecated 6to4 relay anycast
        "192.168.0.0/16",
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation
        "203.0.113.0/24",  # documentation
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, incl. broadcast
    )
)
_V6_BLOCKED = tuple(
    ipaddress.IPv6Network(n)
    for n in (
        "::/96",  # unspecified, loopback and the deprecated IPv4-compatible form
        "64:ff9b:1::/48",  # local-use NAT64
        "100::/64",  # discard-only
        "2001::/23",  # IETF protocol assignments, incl. Teredo 2001::/32
        "2001:db8::/32",  # documentation
        "3fff::/20",  # documentation
        "5f00::/16",  # SRv6 SIDs
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
        "fec0::/10",  # deprecated site-local
        "ff00::/8",  # multicast
    )
)
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def is_public_address(ip: str | ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True only for a globally routable unicast address, embedded IPv4 forms included."""
    if isinstance(ip, str):
        try:
            address: IPAddress = ipaddress.ip_address(ip.split("%", 1)[0])
        except ValueError:
            return False
    else:
        address = ip
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id is not None:
            return False  # a zone index only makes sense on a link-local address
        embedded = _embedded_v4(address)
        if embedded is not None:
            return _public_v4(embedded)
        if address.teredo is not None:
            return False
        return (
            address.is_global
            and not address.is_reserved
            and not address.is_multicast
            and not any(address in net for net in _V6_BLOCKED)
        )
    return _public_v4(address)


def _embedded_v4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, NAT64): what gets dialled."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _public_v4(address: ipaddress.IPv4Address) -> bool:
    return (
        address.is_global
        and not address.is_multicast
        and not any(address in net for net in _V4_BLOCKED)
    )


# --- URLs -------------------------------------------------------------------------------

_HOST_NAME = re.compile(r"[A-Za-z0-9_.-]+")
_HOST_V6 = re.compile(r"[0-9A-Fa-f:.]+")


def check_url(url: str) -> str:
    """Refuse what we never fetch: other schemes, no host, credentials, impossible ports.

    The address check needs DNS and happens when connecting; this is the part that needs
    only the string. Messages never repeat the URL, which may hold a password.
    """
    if not isinstance(url, str):
        raise UnsafeURLError("invalid URL: not a string")
    try:
        parsed = httpx.URL(url)
        port = parsed.port
        host = parsed.raw_host.decode("ascii")
    except (httpx.InvalidURL, ValueError, TypeError) as exc:  # UnicodeError is a ValueError
        raise UnsafeURLError("invalid URL") from exc
    if parsed.scheme not in ("http", "https"):
        scheme = parsed.scheme[:16] or "none"
        raise UnsafeURLError(f"unsupported URL scheme {scheme!r}: only http and https")
    if parsed.userinfo:
        raise UnsafeURLError("URL must not contain a user name or password")
    if not host:
        raise UnsafeURLError("URL has no host")
    if not (_HOST_NAME.fullmatch(host) or (":" in host and _HOST_V6.fullmatch(host))):
        raise UnsafeURLError("URL has an invalid host")
    if port is not None and not 0 < port < 65536:
        raise UnsafeURLError(f"URL has an invalid port {str(port)[:8]}")
    return url


# --- resolving and dialling -------------------------------------------------------------


async def system_resolver(host: str, port: int) -> list[str]:
    """The operating system's resolver (numeric spellings such as 127.1 never leave it)."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, but it resolves the host itself and dials only vetted IPs.

    TLS still verifies the real host name: httpcore starts TLS on the stream we return with
    the URL's host as server_hostname, whatever address we dialled.
    """

    def __init__(self, policy: FetchPolicy, resolver: Resolver) -> None:
        self._policy = policy
        self._resolver = resolver
        self._inner = httpcore.AnyIOBackend()
        self._exempt = frozenset(h.lower().rstrip(".") for h in policy.allowed_hosts)

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._vetted(host, port, timeout)
        failure: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None  # _vetted never returns an empty list
        raise failure

    async def _vetted(self, host: str, port: int, timeout: float | None) -> list[str]:
        """Resolve `host` and return its addresses, refusing all of them if one is not public."""
        exempt = self._policy.allow_private_networks or host.lower().rstrip(".") in self._exempt
        literal = _numeric_host(host)
        if not exempt and literal is not None and not is_public_address(literal):
            raise UnsafeURLError(f"refused: {host} is not a public address")
        try:
            async with asyncio.timeout(timeout):
                addresses = await self._resolver(host, port)
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"resolving {host} timed out") from None
        except (OSError, UnicodeError) as exc:
            raise FetchError(f"cannot resolve {host}") from exc
        if not addresses:
            raise FetchError(f"cannot resolve {host}")
        if not exempt:
            for address in addresses:
                if not is_public_address(address):
                    raise UnsafeURLError(f"refused: {host} resolves to {address}, not public")
        return addresses

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise UnsafeURLError("refused: unix sockets are never used")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


_LEGACY_NUMERIC = re.compile(r"[0-9A-Fa-fXx.]+")


def _numeric_host(host: str) -> IPAddress | None:
    """The address a numeric host stands for, in any spelling the C library accepts.

    inet_aton reads 2130706433, 127.1, 0x7f.0.0.1 and 0177.0.0.1 as 127.0.0.1, without DNS;
    checking them here means no resolver can turn them into something else.
    """
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    if not _LEGACY_NUMERIC.fullmatch(host):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One verifying TLS context for the process: loading the CA store is slow, using it is not."""
    return httpx.create_ssl_context(trust_env=False)


def _transport(
    policy: FetchPolicy, backend: httpcore.AsyncNetworkBackend
) -> httpx.AsyncHTTPTransport:
    """httpx's transport over a connection pool that connects only through `backend`."""
    limits = httpx.Limits(
        max_connections=policy.max_connections,
        max_keepalive_connections=policy.max_connections,
    )
    context = _ssl_context()
    transport = httpx.AsyncHTTPTransport(verify=context, trust_env=False, limits=limits)
    # httpx offers no public way to pass a network backend; its pool is one attribute.
    if not isinstance(transport._pool, httpcore.AsyncConnectionPool):
        raise RuntimeError("httpx changed its transport: the address guard cannot be installed")
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=context,
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=backend,
    )
    return transport


class _HostGates:
    """One semaphore per host, kept only while some fetch uses it."""

    def __init__(self, per_host: int) -> None:
        self._per_host = per_host
        self._gates: dict[str, tuple[asyncio.Semaphore, int]] = {}

    @asynccontextmanager
    async def hold(self, host: str) -> AsyncIterator[None]:
        gate, users = self._gates.get(host, (asyncio.Semaphore(self._per_host), 0))
        self._gates[host] = (gate, users + 1)
        try:
            async with gate:
                yield
        finally:
            gate, users = self._gates[host]
            if users == 1:
                del self._gates[host]
            else:
                self._gates[host] = (gate, users - 1)


# --- the fetcher ------------------------------------------------------------------------

_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class Fetcher:
    """GETs URLs under one FetchPolicy; share one per application (it pools connections)."""

    def __init__(
        self, policy: FetchPolicy = DEFAULT_POLICY, *, resolver: Resolver | None = None
    ) -> None:
        self.policy = policy
        backend = _GuardedBackend(policy, resolver or system_resolver)
        self._client = httpx.AsyncClient(
            transport=_transport(policy, backend),
            trust_env=False,
            follow_redirects=False,
            timeout=httpx.Timeout(
                connect=policy.connect_timeout,
                read=policy.read_timeout,
                write=policy.read_timeout,
                pool=policy.total_timeout,
            ),
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING},
        )
        self._slots = asyncio.Semaphore(policy.max_connections)
        self._hosts = _HostGates(policy.max_per_host)

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
    ) -> FetchResult:
        """GET `url` with the validators we hold; 304 is a result, every failure a FetchError."""
        check_url(url)
        cap = self.policy.max_bytes if max_bytes is None else max_bytes
        headers: dict[str, str] = {}
        if etag and _sendable(etag):
            headers["If-None-Match"] = etag
        if last_modified and _sendable(last_modified):
            headers["If-Modified-Since"] = last_modified
        try:
            async with self._slots, asyncio.timeout(None) as deadline:
                return await self._follow(url, headers, cap, deadline, (etag, last_modified))
        except TimeoutError:  # the total deadline
            raise FetchError("timed out") from None
        except httpx.TimeoutException:
            raise FetchError("timed out") from None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol):
            raise UnsafeURLError("invalid URL") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"connection failed: {_describe(exc)}") from None

    async def _follow(
        self,
        url: str,
        headers: dict[str, str],
        cap: int,
        deadline: asyncio.Timeout,
        validators: tuple[str | None, str | None],
    ) -> FetchResult:
        """Follow redirects by hand so that every hop goes through check_url and the guard."""
        current = url
        for hop in range(self.policy.max_redirects + 1):
            host = httpx.URL(current).host
            async with self._hosts.hold(host):
                if hop == 0:  # waiting for a free slot is not part of the fetch's time
                    loop = asyncio.get_running_loop()
                    deadline.reschedule(loop.time() + self.policy.total_timeout)
                request = self._client.build_request("GET", current, headers=headers)
                response = await self._client.send(request, stream=True)
                try:
                    target = _redirect_target(response)
                    if target is None:
                        return await _finish(response, cap, validators)
                finally:
                    await response.aclose()
            current = check_url(target)
        raise FetchError(f"too many redirects (more than {self.policy.max_redirects})")


def _sendable(value: str) -> bool:
    """A stored validator goes back to the server only if it is a valid header value."""
    return value.isascii() and value.isprintable()


def _redirect_target(response: httpx.Response) -> str | None:
    location = response.headers.get("Location")
    if response.status_code not in _REDIRECTS or not location:
        return None
    try:
        return str(response.url.join(location.strip()))
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise UnsafeURLError("redirect to an invalid URL") from exc


async def _finish(
    response: httpx.Response, cap: int, validators: tuple[str | None, str | None]
) -> FetchResult:
    status = response.status_code
    headers = response.headers
    if status == 304:
        # A 304 may omit the validators; the ones we sent are still the current ones.
        return FetchResult(
            url=str(response.url),
            status=status,
            content=b"",
            content_type=headers.get("Content-Type"),
            etag=headers.get("ETag") or validators[0],
            last_modified=headers.get("Last-Modified") or validators[1],
            max_age=_max_age(headers),
        )
    if not 200 <= status < 300:
        reason = httpx.codes.get_reason_phrase(status)
        retry_after = _retry_after(headers) if status in (429, 503) else None
        message = f"HTTP {status} {reason}".strip()
        if 300 <= status < 400:
            message += " without a usable Location"
        raise FetchError(message, status=status, retry_after=retry_after)
    declared = headers.get("Content-Length", "").strip()
    if declared.isascii() and declared.isdigit() and int(declared) > cap:
        raise FetchError(f"too large: {int(declared)} bytes declared (limit {cap})")
    stages = _decoders(headers.get_list("Content-Encoding", split_commas=True))
    content = await _read_body(response.aiter_raw(), stages, cap)
    return FetchResult(
        url=str(response.url),
        status=status,
        content=content,
        content_type=headers.get("Content-Type"),
        etag=headers.get("ETag"),
        last_modified=headers.get("Last-Modified"),
        max_age=_max_age(headers),
    )


def _describe(exc: httpx.HTTPError) -> str:
    detail = " ".join(str(exc).split())[:160]
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


# --- bodies -----------------------------------------------------------------------------

_STEP = 64 * 1024  # the most output one decompression step may produce


class _Inflate:
    """One zlib stage (gzip or deflate) whose output comes in bounded steps.

    A bomb then never lands in memory: each step yields at most _STEP bytes, and the caller
    stops pulling as soon as the cap is passed.
    """

    def __init__(self, gzip: bool) -> None:
        self._gzip = gzip
        self._head = b""  # deflate: the first bytes, until we know zlib-wrapped from raw
        self._d: zlib._Decompress | None = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzip else None
        self._done = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._d is None:
            self._head += data
            if len(self._head) < 2:
                return
            data, self._head = self._head, b""
            self._d = zlib.decompressobj(zlib.MAX_WBITS if _zlib_header(data) else -zlib.MAX_WBITS)
        try:
            yield from self._inflate(data)
        except zlib.error:
            raise FetchError("the compressed body is corrupt") from None

    def _inflate(self, data: bytes) -> Iterator[bytes]:
        assert self._d is not None
        while True:
            if self._d.eof:
                # gzip allows several members in a row; trailing zero padding is ignored
                if not self._gzip or not data.strip(b"\0"):
                    return
                self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            out = self._d.decompress(data, _STEP)
            if out:
                yield out
            data = self._d.unused_data if self._d.eof else self._d.unconsumed_tail
            if not data and not self._d.eof and len(out) < _STEP:
                return

    def flush(self) -> Iterator[bytes]:
        if self._d is None:  # fewer than two bytes in all: feed them through as they are
            self._d = zlib.decompressobj(-zlib.MAX_WBITS)
            data, self._head = self._head, b""
            yield from self.feed(data)
        # A truncated stream keeps what was decoded; zlib holds back nothing past _STEP.
        try:
            rest = self._d.flush() if not self._d.eof else b""
        except zlib.error:
            raise FetchError("the compressed body is corrupt") from None
        if rest:
            yield rest


def _zlib_header(data: bytes) -> bool:
    """RFC 1950: deflate method, and the header's check bits make it a multiple of 31."""
    return data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0


def _decoders(encodings: Sequence[str]) -> list[_Inflate]:
    """Decoders for Content-Encoding, in decoding order (the reverse of the header's)."""
    stages = []
    for raw in reversed(encodings):
        name = raw.strip().lower()
        if name in ("", "identity"):
            continue
        if name in ("gzip", "x-gzip"):
            stages.append(_Inflate(gzip=True))
        elif name == "deflate":
            stages.append(_Inflate(gzip=False))
        else:
            raise FetchError(f"unsupported Content-Encoding {name[:24]!r}")
    return stages


def _through(stages: Sequence[_Inflate], data: bytes, first: int = 0) -> Iterator[bytes]:
    if first == len(stages):
        if data:
            yield data
        return
    for piece in stages[first].feed(data):
        yield from _through(stages, piece, first + 1)


def _drain(stages: Sequence[_Inflate]) -> Iterator[bytes]:
    for index, stage in enumerate(stages):
        for piece in stage.flush():
            yield from _through(stages, piece, index + 1)


async def _read_body(raw: AsyncIterator[bytes], stages: Sequence[_Inflate], cap: int) -> bytes:
    """Decompress as the bytes arrive and stop at the first byte past `cap`."""
    body = bytearray()

    def take(pieces: Iterator[bytes]) -> None:
        for piece in pieces:
            if len(body) + len(piece) > cap:
                raise FetchError(f"too large: over {cap} bytes")
            body.extend(piece)

    async for chunk in raw:
        take(_through(stages, chunk))
    take(_drain(stages))
    return bytes(body)


# --- headers ----------------------------------------------------------------------------

_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_.:+-]+)""", re.IGNORECASE)


def _charset(content_type: str | None) -> str | None:
    match = _CHARSET.search(content_type or "")
    return match.group(1) if match else None


def _http_date(value: str | None) -> float | None:
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # "-0000": a date in UTC with no zone information
        return when.replace(tzinfo=datetime.UTC).timestamp()
    return when.timestamp()


def _server_now(headers: httpx.Headers) -> float:
    """The server's clock when it sent the answer, so relative times need no clock sync."""
    date = _http_date(headers.get("Date"))
    return time.time() if date is None else date


def _retry_after(headers: httpx.Headers) -> float | None:
    """Retry-After in seconds, given as delta-seconds or as an HTTP-date."""
    value = headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():
        return float(value)
    when = _http_date(value)
    return None if when is None else max(0.0, when - _server_now(headers))


def _max_age(headers: httpx.Headers) -> float | None:
    """Freshness from Cache-Control max-age (s-maxage is for shared caches), else Expires."""
    directives: dict[str, str] = {}
    for part in headers.get_list("Cache-Control", split_commas=True):
        name, _, value = part.strip().partition("=")
        directives.setdefault(name.strip().lower(), value.strip().strip('"'))
    if "no-store" in directives or "no-cache" in directives:
        return 0.0
    if "max-age" in directives:
        value = directives["max-age"]
        # RFC 9111: an invalid max-age makes the answer stale
        return float(value) if value.isascii() and value.isdigit() else 0.0
    expires = headers.get("Expires")
    if expires is None:
        return None
    when = _http_date(expires)
    if when is None:  # "0", "-1" and other invalid dates mean already expired
        return 0.0
    return max(0.0, when - _server_now(headers))
