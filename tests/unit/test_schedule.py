"""Digest times and quiet hours in a chat's time zone, clock changes included."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.delivery.schedule import (
    chat_zone,
    format_clock,
    next_digest_at,
    parse_clock,
    quiet_until,
    zone,
)

ALMATY, BERLIN = ZoneInfo("Asia/Almaty"), ZoneInfo("Europe/Berlin")


def at(text: str, tz: ZoneInfo) -> float:
    """A local wall-clock time as a timestamp ('2026-11-27 08:00')."""
    return datetime.fromisoformat(text).replace(tzinfo=tz).timestamp()


def local(timestamp: float | None, tz: ZoneInfo) -> str | None:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, tz).strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("08:00", 480),
        ("8:00", 480),
        ("23.59", 1439),
        ("0:00", 0),
        (" 19:30 ", 1170),
        ("24:00", None),
        ("12:60", None),
        ("12", None),
        ("12:5", None),
        ("noon", None),
        ("", None),
        ("１２:００", None),  # full-width digits are not a time
    ],
)
def test_clock_times_are_read_strictly(text: str, minutes: int | None) -> None:
    assert parse_clock(text) == minutes


def test_clock_times_are_written_with_two_digits() -> None:
    assert [format_clock(m) for m in (0, 65, 1439)] == ["00:00", "01:05", "23:59"]


@pytest.mark.parametrize(
    ("now", "times", "expected"),
    [
        ("2026-11-27 07:59", [480], "2026-11-27 08:00"),
        ("2026-11-27 08:00", [480], "2026-11-28 08:00"),  # at the time: the next one
        ("2026-11-27 08:01", [480, 1140], "2026-11-27 19:00"),
        ("2026-11-27 23:30", [480, 1140], "2026-11-28 08:00"),
        ("2026-12-31 23:59", [0], "2027-01-01 00:00"),
        ("2026-11-27 20:00", [1180, 1439], "2026-11-27 23:59"),
        ("2026-11-27 10:00", [59, 1180], "2026-11-27 19:40"),
    ],
)
def test_the_next_digest_is_the_first_local_time_after_now(
    now: str, times: list[int], expected: str
) -> None:
    assert local(next_digest_at(at(now, ALMATY), ALMATY, times), ALMATY) == expected


def test_no_digest_times_means_no_digest() -> None:
    assert next_digest_at(at("2026-11-27 07:00", ALMATY), ALMATY, []) is None


def test_digest_times_keep_to_the_local_clock_across_a_clock_change() -> None:
    # Berlin moves from +01:00 to +02:00 at 02:00 on 29 March 2026.
    before = next_digest_at(at("2026-03-28 09:00", BERLIN), BERLIN, [480])
    after = next_digest_at(at("2026-03-29 09:00", BERLIN), BERLIN, [480])
    assert local(before, BERLIN) == "2026-03-29 08:00"
    assert local(after, BERLIN) == "2026-03-30 08:00"
    assert after is not None and before is not None and after - before == 24 * 3600
    # 02:30 does not exist that night: the digest comes an hour later by the clock, once.
    skipped = next_digest_at(at("2026-03-29 01:00", BERLIN), BERLIN, [150])
    assert local(skipped, BERLIN) == "2026-03-29 03:30"


@pytest.mark.parametrize(
    ("now", "quiet", "until"),
    [
        ("2026-11-27 22:59", (1380, 420), None),
        ("2026-11-27 23:00", (1380, 420), "2026-11-28 07:00"),  # start: inside
        ("2026-11-28 03:00", (1380, 420), "2026-11-28 07:00"),
        ("2026-11-28 06:59", (1380, 420), "2026-11-28 07:00"),
        ("2026-11-28 07:00", (1380, 420), None),  # end: outside
        ("2026-11-27 12:00", (780, 840), None),
        ("2026-11-27 13:00", (780, 840), "2026-11-27 14:00"),
        ("2026-11-27 13:59", (780, 840), "2026-11-27 14:00"),
        ("2026-11-27 14:00", (780, 840), None),
        ("2026-11-27 03:00", None, None),
        ("2026-11-27 03:00", (180, 180), None),  # an empty window holds nothing
        ("2026-11-27 12:00", (180, 180), None),
    ],
)
def test_quiet_hours_hold_until_their_end(
    now: str, quiet: tuple[int, int] | None, until: str | None
) -> None:
    assert local(quiet_until(at(now, ALMATY), ALMATY, quiet), ALMATY) == until


def test_quiet_hours_are_the_chats_own_time_zone() -> None:
    moment = at("2026-11-27 23:30", ALMATY)  # 19:30 in Berlin
    assert quiet_until(moment, ALMATY, (1380, 420)) is not None
    assert quiet_until(moment, BERLIN, (1380, 420)) is None


def test_time_zones_are_found_whatever_the_case_and_unknown_ones_are_none() -> None:
    assert zone("asia/ALMATY") == ALMATY and zone(" UTC ") == ZoneInfo("UTC")
    assert [zone(name) for name in ("Mars/Base", "", "../etc/passwd", "+05:00")] == [None] * 4
    assert chat_zone("Asia/Almaty", "Europe/Moscow") == ALMATY
    assert chat_zone(None, "Europe/Moscow") == ZoneInfo("Europe/Moscow")
    assert chat_zone("Nowhere/City", "Europe/Moscow") == ZoneInfo("Europe/Moscow")
