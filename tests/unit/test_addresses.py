"""The address guard: which IPs are public, which URLs are refused, and spellings of 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.feeds.fetch import (
    Fetcher,
    FetchError,
    FetchPolicy,
    UnsafeURLError,
    check_url,
    is_public_address,
    system_resolver,
)
from tests.support.hostile_server import ConnectLog

NOT_PUBLIC = [
    # IPv4
    "0.0.0.0",
    "0.1.2.3",
    "10.1.2.3",
    "100.64.0.1",  # CGNAT
    "100.127.255.254",
    "127.0.0.1",
    "127.255.255.254",
    "169.254.169.254",  # cloud metadata
    "169.254.0.1",
    "172.16.0.1",
    "172.31.255.255",
    "192.0.0.8",  # IETF protocol assignments
    "192.0.2.10",  # documentation
    "192.88.99.1",  # 6to4 relay anycast
    "192.168.1.1",
    "198.18.0.1",  # benchmarking
    "198.19.255.1",
    "198.51.100.7",  # documentation
    "203.0.113.9",  # documentation
    "224.0.0.1",  # multicast
    "239.255.255.250",
    "240.0.0.1",  # reserved
    "255.255.255.255",
    # IPv6
    "::",
    "::1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:7f00:1",
    "::ffff:169.254.169.254",
    "::ffff:10.0.0.1",
    "::127.0.0.1",  # IPv4-compatible
    "::8.8.8.8",  # IPv4-compatible is deprecated, whatever it embeds
    "2002:7f00:1::",  # 6to4 of 127.0.0.1
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
    "2002:c0a8:101::1",  # 6to4 of 192.168.1.1
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "64:ff9b:1::1",  # local-use NAT64
    "2001::1",  # Teredo
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo with a public server
    "2001:db8::1",  # documentation
    "3fff::1",  # documentation
    "fc00::1",  # unique local
    "fd12:3456::1",
    "fe80::1",  # link-local
    "fe80::1%eth0",
    "::1%8.8.8.8",  # a zone id is never read as the address
    "10.0.0.1%1.1.1.1",
    "fec0::1",  # site-local
    "ff02::1",  # multicast
    "100::1",  # discard
    # not addresses at all
    "",
    "localhost",
    "127.1",
    "2130706433",
    "::ffff:999.0.0.1",
]
PUBLIC = [
    "8.8.8.8",
    "1.1.1.1",
    "93.184.216.34",
    "2606:4700:4700::1111",
    "2001:4860:4860::8888",
    "::ffff:8.8.8.8",  # mapped public
    "2002:808:808::1",  # 6to4 of 8.8.8.8
    "64:ff9b::808:808",  # NAT64 of 8.8.8.8
]


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_not_public(address: str) -> None:
    assert is_public_address(address) is False


@pytest.mark.parametrize("address", PUBLIC)
def test_public(address: str) -> None:
    """A pure check: these addresses are only classified, never dialled."""
    assert is_public_address(address) is True
    assert is_public_address(ipaddress.ip_address(address)) is True


@given(st.ip_addresses())
def test_agrees_with_ipaddress_on_what_is_never_global(address: object) -> None:
    """Whatever ipaddress itself calls non-global, private or loopback is never public."""
    assert isinstance(address, ipaddress.IPv4Address | ipaddress.IPv6Address)
    if not address.is_global or address.is_loopback or address.is_private:
        mapped = isinstance(address, ipaddress.IPv6Address) and (
            address.ipv4_mapped or address.sixtofour
        )
        if not mapped:
            assert not is_public_address(address)


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/feed.xml",
        "https://example.com:8443/a?b=c#d",
        "HTTPS://Example.COM/",
        "http://[2606:4700::1111]/",
        "http://пример.рф/лента",
        "http://example.com:1/",
        "http://example.com:65535/",
    ],
)
def test_check_url_accepts(url: str) -> None:
    assert check_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/feed.xml",
        "file:///etc/passwd",
        "gopher://example.com/",
        "javascript:alert(1)",
        "data:text/plain,hello",
        "//example.com/feed",
        "example.com/feed",
        "/feed.xml",
        "",
        "http://",
        "http:///feed",
        "http://example.com:99999/",
        "http://example.com:0/",
        "http://example.com:65536/",
        "http://example.com:-1/",
        "http://example.com:http/",
        "http://user:hunter2@example.com/",
        "http://user@example.com/",
        "http://example.com\\@evil.test/",
        "http://[fe80::1%25eth0]/",
        "http://ex ample.com/",
        "http://exa\x00mple.com/",
        "http://0177.0.0.1/",
    ],
)
def test_check_url_refuses(url: str) -> None:
    with pytest.raises(UnsafeURLError) as caught:
        check_url(url)
    assert isinstance(caught.value, FetchError) and caught.value.status is None
    assert "hunter2" not in str(caught.value)


@given(st.text(max_size=80))
def test_check_url_never_raises_anything_else(text: str) -> None:
    for url in (text, "http://" + text, "https://example.com/" + text):
        with contextlib.suppress(UnsafeURLError):
            assert check_url(url) == url


# --- spellings of loopback, through the fetcher and a real resolver ----------------------

LOOPBACK_SPELLINGS = [
    "localhost",
    "LOCALHOST.",
    "127.0.0.1",
    "127.1",
    "127.0.1",
    "2130706433",  # decimal
    "0x7f000001",  # hex
    "0x7f.0.0.1",  # dotted hex
    "0177.0.0.1",  # dotted octal
    "017700000001",  # octal
    "0.0.0.0",
    "0",
    "[::1]",
    "[::ffff:7f00:1]",
    "[::ffff:127.0.0.1]",
    "[0:0:0:0:0:ffff:7f00:1]",
    "[::]",
    "169.254.169.254",
    "[::ffff:a9fe:a9fe]",
    "2852039166",  # 169.254.169.254 in decimal
]


async def numeric_resolver(host: str, port: int) -> list[str]:
    """The real resolver, allowed only where no DNS is involved.

    Numeric spellings are parsed by getaddrinfo itself (AI_NUMERICHOST proves it); localhost
    is answered here as /etc/hosts would, so no name ever reaches a DNS server.
    """
    if host.lower().rstrip(".") == "localhost":
        return ["127.0.0.1", "::1"]
    loop = asyncio.get_running_loop()
    await loop.getaddrinfo(host, port, flags=socket.AI_NUMERICHOST)  # gaierror for a name
    return await system_resolver(host, port)


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS)
async def test_spellings_of_local_addresses_are_refused(
    host: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    connects = ConnectLog(monkeypatch)
    async with Fetcher(FetchPolicy(connect_timeout=2), resolver=numeric_resolver) as fetcher:
        with pytest.raises(UnsafeURLError):
            await fetcher.fetch(f"http://{host}:8080/feed.xml")
    assert connects.addresses == []


async def test_numeric_spellings_resolve_to_loopback() -> None:
    """The refusals above come from the address check, not from a failed resolution."""
    for host in ("127.1", "2130706433", "0x7f.0.0.1", "0177.0.0.1", "017700000001"):
        assert await numeric_resolver(host, 80) == ["127.0.0.1"]


@settings(max_examples=60, deadline=None)
@given(st.ip_addresses().filter(lambda a: not is_public_address(a)))
def test_any_non_public_literal_is_refused_without_a_connect(address: object) -> None:
    assert isinstance(address, ipaddress.IPv4Address | ipaddress.IPv6Address)
    host = f"[{address}]" if address.version == 6 else str(address)
    resolved: list[str] = []

    async def spy(name: str, port: int) -> list[str]:
        resolved.append(name)
        return [str(address)]

    async def attempt() -> None:
        async with Fetcher(resolver=spy) as fetcher:
            with pytest.raises(UnsafeURLError):
                await fetcher.fetch(f"http://{host}/")

    asyncio.run(attempt())
    assert resolved == []  # refused on sight, before even resolving
