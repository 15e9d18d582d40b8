"""When a chat wants its news: digest times and quiet hours, in the chat's own time zone.

Times of day are minutes after local midnight. Pure functions of a timestamp, so tests pass
any instant (a clock is injected everywhere else).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

_CLOCK = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)")
MAX_DIGESTS_A_DAY = 6


def parse_clock(text: str) -> int | None:
    """'8:00', '08:30', '23.15' → minutes after midnight; None for anything else."""
    match = _CLOCK.fullmatch(text.strip())
    return int(match[1]) * 60 + int(match[2]) if match else None


def format_clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def zone(name: str) -> ZoneInfo | None:
    """The IANA time zone `name` ('Asia/Almaty', in any case), None if there is none."""
    exact = _zones().get(name.strip().lower())
    return ZoneInfo(exact) if exact else None


def chat_zone(name: str | None, default: str) -> ZoneInfo:
    """The chat's own time zone if it chose one, else the configured `default`."""
    return (zone(name) if name else None) or ZoneInfo(default)


@functools.cache
def _zones() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


def _local_instant(day: date, minutes: int, tz: ZoneInfo) -> float:
    moment = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=tz)
    return moment.timestamp()


def next_digest_at(now: float, tz: ZoneInfo, times: Sequence[int]) -> float | None:
    """The first of the local `times` after `now` (None without times). A time that a clock
    change skips comes at the same offset as the hour before it."""
    if not times:
        return None
    today = datetime.fromtimestamp(now, UTC).astimezone(tz).date()
    candidates = (_local_instant(today + timedelta(days=d), m, tz) for d in (0, 1) for m in times)
    return min(c for c in candidates if c > now)


def quiet_until(now: float, tz: ZoneInfo, quiet: tuple[int, int] | None) -> float | None:
    """When the chat's quiet hours (start, end) end, if `now` is inside them; else None.
    Hours may span midnight (23:00–07:00); the end is not inside them."""
    if quiet is None or quiet[0] == quiet[1]:  # no hours at all between a start and itself
        return None
    start, end = quiet
    local = datetime.fromtimestamp(now, UTC).astimezone(tz)
    minute = local.hour * 60 + local.minute
    inside = start <= minute < end if start < end else minute >= start or minute < end
    if not inside:
        return None
    day = local.date() if minute < end else local.date() + timedelta(days=1)
    return _local_instant(day, end, tz)


def utc_offset(tz: ZoneInfo, now: float) -> str:
    """The zone's offset from UTC at `now`, as people write it: 'UTC+3', 'UTC-3:30', 'UTC+0'."""
    offset = datetime.fromtimestamp(now, tz).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign, minutes = ("-", -minutes) if minutes < 0 else ("+", minutes)
    hours, rest = divmod(minutes, 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
