"""Callback data: what the bot encodes it decodes; anything else is refused, never raised."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.callbacks import MAX_BYTES, Action

PAGE = Action("tpage", (str, int))
ONE = Action("tone", (int,))
NONE = Action("tnone")


def test_encoded_data_decodes_to_the_same_values() -> None:
    assert PAGE.data("central-asia", 20) == "tpage:central-asia:20"
    assert PAGE.parse("tpage:central-asia:20") == ("central-asia", 20)
    assert ONE.parse(ONE.data(-(2**63))) == (-(2**63),)
    assert NONE.parse("tnone") == ()
    assert PAGE.pattern.match("tpage:x:1") and not PAGE.pattern.match("tpagex:1")


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "tpage",
        "tpage:a",
        "tpage:a:1:2",
        "tpage:a:b",
        "tpage::1",
        "tpage:a b:1",
        "tpage:a:1.5",
        "tpage:a:+1",
        "tpage:a:01",
        "tpage:a:-0",
        "tpage:a:" + "1" * 20,
        "tpage:" + "a" * 41 + ":1",
        "tpage:café:1",
        "tone:9223372036854775808",
        "tone:-9223372036854775809",
        "tone:١",  # an Arabic-Indic digit: \d in Unicode, not a number Telegram sends
        "tone:1\n",
        "tnone:",
        "TONE:1",
        "tone:" + "1" * 70,
    ],
)
def test_anything_else_is_refused(data: str | None) -> None:
    assert PAGE.parse(data) is None and ONE.parse(data) is None and NONE.parse(data) is None


def test_values_that_cannot_travel_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="cannot encode"):
        PAGE.data("a:b", 1)
    with pytest.raises(ValueError, match="cannot encode"):
        PAGE.data("x" * 41, 1)
    with pytest.raises(ValueError, match="cannot encode"):
        ONE.data("1")  # a string where an integer belongs
    with pytest.raises(ValueError, match="two actions"):
        Action("tone", (int,))
    with pytest.raises(ValueError, match="lowercase"):
        Action("Page")
    with pytest.raises(ValueError, match="lowercase"):
        Action("ninechars")


def test_the_longest_data_fits_telegrams_limit() -> None:
    wide = Action("tw", (str, int))
    assert len(wide.data("a" * 40, -(2**63)).encode()) <= MAX_BYTES
    assert wide.parse("tw:" + "a" * 40 + ":" + str(-(2**63))) is not None


@given(st.text(max_size=80))
def test_parsing_never_raises(data: str) -> None:
    for action in (PAGE, ONE, NONE):
        parsed = action.parse(data)
        if parsed is not None:
            assert action.data(*parsed) == data


@given(st.from_regex(r"[A-Za-z0-9_.-]{1,40}", fullmatch=True), st.integers(-(2**63), 2**63 - 1))
def test_every_value_round_trips(token: str, number: int) -> None:
    assert PAGE.parse(PAGE.data(token, number)) == (token, number)


def test_data_over_64_bytes_is_refused_even_when_well_formed() -> None:
    three = Action("t3", (str, str))
    fits = "t3:" + "a" * 40 + ":" + "b" * 20
    assert len(fits.encode()) == 64 and three.parse(fits) == ("a" * 40, "b" * 20)
    assert three.parse(fits + "b") is None
    with pytest.raises(ValueError, match="cannot encode"):
        three.data("a" * 40, "b" * 21)
