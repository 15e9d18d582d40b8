"""Shared test fixtures: where the shared corpora live and how to skip without them; no
connection leaves loopback; the article reader's crashes are not swallowed."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.articles.reader import STRICT_ENV

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = Path(os.environ.get("NEWSBOT_SHARED_DIR", REPO_ROOT.parent / "shared"))
DATA_DIR = Path(__file__).resolve().parent / "data"


def shared_file(relative: str) -> Path:
    """Return a path inside ../shared, skipping (or failing under CI) when it is absent.

    A user's fresh clone has no ../shared; `.ci/run` sets NEWSBOT_REQUIRE_SHARED=1 so that
    a missing file fails the run instead of silently skipping.
    """
    path = SHARED_DIR / relative
    if not path.exists():
        message = f"shared data not found: {path} (tests reading ../shared need it beside the repo)"
        if os.environ.get("NEWSBOT_REQUIRE_SHARED") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _loopback_only(address: object) -> None:
    if isinstance(address, tuple) and address:
        host = str(address[0])
        if not (host.startswith("127.") or host in ("::1", "localhost")):
            raise ConnectionRefusedError(f"tests may only connect to 127.0.0.1, not {host}")


_real_getaddrinfo = socket.getaddrinfo
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def _local_getaddrinfo(host: object, *args: Any, **kwargs: Any) -> Any:
    """Names are looked up only when they are local: a test never asks a DNS server about a
    real name (an address literal needs no server and is let through)."""
    name = host.decode() if isinstance(host, bytes) else host
    if isinstance(name, str) and name.lower().rstrip(".") not in _LOCAL_NAMES:
        try:
            if not _numeric_ipv4(name):  # "127.1", "0x7f.0.0.1": inet_aton's spellings
                ipaddress.ip_address(name.split("%")[0])
        except ValueError:
            raise socket.gaierror(
                socket.EAI_NONAME, f"tests look up no real names: {name}"
            ) from None
    return _real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]


def _numeric_ipv4(name: str) -> bool:
    try:
        socket.inet_aton(name)
    except OSError:
        return False
    return True


def _guarded_connect(self: socket.socket, address: object) -> None:
    _loopback_only(address)
    _real_connect(self, address)  # type: ignore[arg-type]


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    _loopback_only(address)
    return _real_connect_ex(self, address)  # type: ignore[arg-type]


@pytest.fixture(autouse=True, scope="session")
def _no_network_outside_loopback() -> Iterator[None]:
    """Every test runs with connections outside 127.0.0.1 refused, and DNS asked about no real
    name, so none can leak out."""
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = _local_getaddrinfo
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _real_connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = _real_getaddrinfo


@pytest.fixture(autouse=True, scope="session")
def _strict_reader() -> Iterator[None]:
    """A reader crash fails the test that caused it instead of becoming an empty Article.

    In production read_article swallows a crash so that one odd article never stops a feed;
    an empty Article then meets the loose assertions of hostile-input and corpus tests. Session
    scope: it is on before any module-scoped fixture reads an article. Tests of the production
    fallback itself turn it off with monkeypatch.delenv.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(STRICT_ENV, "1")
        yield
