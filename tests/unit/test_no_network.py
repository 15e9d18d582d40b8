"""The test suite's own guard: no connection leaves loopback, no real name is looked up."""

from __future__ import annotations

import socket

import pytest


def test_real_names_are_not_looked_up() -> None:
    with pytest.raises(socket.gaierror, match="look up no real names"):
        socket.getaddrinfo("example.com", 443)
    assert socket.getaddrinfo("localhost", 80)
    assert socket.getaddrinfo("127.0.0.1", 80)[0][4][0] == "127.0.0.1"


def test_connections_outside_loopback_are_refused() -> None:
    with socket.socket() as sock, pytest.raises(ConnectionRefusedError, match="only connect"):
        sock.connect(("192.0.2.1", 80))
