"""When a campaign message may go: local schedules to UTC, send windows, quiet hours, pacing."""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from leadcartel_desktop.domain.errors import ValidationError

ALL_DAYS = frozenset(range(7))  # Monday is 0, as date.weekday() counts
# No SMS or WhatsApp message between 21:00 and 08:00 in the recipient's zone.
QUIET_END = time(8, 0)
QUIET_START = time(21, 0)
MIDNIGHT = time(0, 0)
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class LocalTimeProblem(StrEnum):
    NONEXISTENT = "nonexistent"  # skipped when the clocks went forward
    AMBIGUOUS = "ambiguous"  # happened twice when the clocks went back


@dataclass(frozen=True, slots=True)
class ScheduledTime:
    """A local date and time resolved to a UTC instant, and what was odd about it, said."""

    utc: datetime
    problem: LocalTimeProblem | None = None
    note: str = ""


def zone(name: str, field: str = "Time zone") -> ZoneInfo:
    """The IANA zone `name` (spaces around ignored), or a ValidationError naming `field`.

    Only names in the zone list are taken: a region folder ("Europe") or a name too long for
    a file name is refused like any unknown name, never passed to ZoneInfo to fail as a file
    error. A name in another case ("europe/berlin", which a case-blind disk let through before)
    is the listed zone it names, so it means the same on every machine.
    """
    key = name.strip()
    if key not in known_zones():
        key = _zones_by_folded_name().get(key.casefold(), "")
    if not key:
        raise ValidationError(field, f"'{name}' is not a known time zone")
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # the data changed under us
        raise ValidationError(field, f"'{name}' is not a known time zone") from None


# Files in a zone folder that are not a place's zone: 'localtime' is this computer's own zone
# (a link to /etc/localtime on Linux, absent from tzdata on Windows), so stored it would mean
# something else on every machine; 'Factory' is tzdata's "zone unknown" placeholder
# (abbreviation -00); 'posixrules' is the default-rules file. The posix/ and right/ trees
# repeat the zones (right/ counting leap seconds, which no clock does).
NOT_ZONES = frozenset({"localtime", "Factory", "posixrules"})
_NOT_ZONE_FOLDERS = ("posix/", "right/")


@cache
def known_zones() -> frozenset[str]:
    """Every IANA zone name on this machine (or in tzdata), read once: about 20 ms.

    Only places' zones: the names in NOT_ZONES and the posix/ and right/ copies are left out.
    """
    return frozenset(
        name
        for name in available_timezones()
        if name not in NOT_ZONES and not name.startswith(_NOT_ZONE_FOLDERS)
    )


@cache
def _zones_by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in known_zones()}


def to_utc(
    local_date: date, local_time: time, tz_name: str, *, after: datetime | None = None
) -> ScheduledTime:
    """Wall-clock `local_time` on `local_date` in `tz_name`, as a UTC instant.

    A time the clocks skipped (02:30 on the night they go forward) is moved on by the gap
    (03:30 local); a time that happens twice (the night they go back) is taken the first time,
    unless the first is not after `after` (already past) and the second is: chosen during the
    repeated hour, 02:40 still ahead is the second 02:40. Either is reported in `note`, so the
    operator sees what will happen.
    """
    where = zone(tz_name)
    wall = datetime.combine(local_date, local_time.replace(tzinfo=None, fold=0))
    first = wall.replace(tzinfo=where)
    second = wall.replace(tzinfo=where, fold=1)
    utc = first.astimezone(UTC)
    later = second.astimezone(UTC)
    if after is not None and utc != later and utc <= after < later:
        return ScheduledTime(
            later,
            LocalTimeProblem.AMBIGUOUS,
            f"{local_time:%H:%M} on {local_date.isoformat()} in {tz_name} happens twice (the "
            f"clocks go back); the first has passed, so it is sent the second time, at "
            f"{later:%H:%M} UTC",
        )
    back = utc.astimezone(where).replace(tzinfo=None)
    shown = f"{local_time:%H:%M} on {local_date.isoformat()} in {tz_name}"
    if back != wall:
        return ScheduledTime(
            utc,
            LocalTimeProblem.NONEXISTENT,
            f"{shown} does not exist (the clocks go forward); it is sent at {back:%H:%M}",
        )
    if first.utcoffset() != second.utcoffset():
        return ScheduledTime(
            utc,
            LocalTimeProblem.AMBIGUOUS,
            f"{shown} happens twice (the clocks go back); it is sent the first time, "
            f"at {utc:%H:%M} UTC",
        )
    return ScheduledTime(utc)


@dataclass(frozen=True, slots=True)
class SendWindow:
    """Days and hours (local to the recipient) a campaign may send in.

    `start` to `end` is a daily range; equal values mean the whole day. `quiet` adds the
    21:00-08:00 rest for SMS and WhatsApp.
    """

    weekdays: frozenset[int] = ALL_DAYS
    start: time = MIDNIGHT
    end: time = MIDNIGHT
    quiet: bool = False

    def hours(self) -> tuple[time, time | None]:
        """The allowed daily range with quiet hours applied; None as end means midnight."""
        whole_day = self.start == self.end
        start: time = MIDNIGHT if whole_day else self.start
        end: time | None = None if whole_day or self.end == MIDNIGHT else self.end
        if self.quiet:
            start = max(start, QUIET_END)
            end = QUIET_START if end is None else min(end, QUIET_START)
        return start, end

    def check(self) -> SendWindow:
        """Refuse a window that can never send, naming the field."""
        if not self.weekdays or not self.weekdays <= ALL_DAYS:
            raise ValidationError("Days", "choose at least one day of the week")
        if self.end != MIDNIGHT and self.end < self.start:
            raise ValidationError("Hours", "the end must be after the start (same day)")
        start, end = self.hours()
        if end is not None and end <= start:
            raise ValidationError(
                "Hours",
                "the allowed hours fall inside the quiet hours (21:00-08:00) for SMS and WhatsApp",
            )
        return self


def next_allowed(at_utc: datetime, tz_name: str, window: SendWindow) -> datetime:
    """`at_utc` if the window is open then in `tz_name`, else the instant it next opens."""
    return open_span(at_utc, tz_name, window)[0]


def open_span(at_utc: datetime, tz_name: str, window: SendWindow) -> tuple[datetime, datetime]:
    """(when, closes): `at_utc` or the instant the window next opens, and when that span ends."""
    where = zone(tz_name)
    local = at_utc.astimezone(where).replace(tzinfo=None)
    start, end = window.hours()
    for offset in range(8):
        day = local.date() + timedelta(days=offset)
        if day.weekday() not in window.weekdays:
            continue
        opens = datetime.combine(day, start)
        if end is None:
            closes = to_utc(day + timedelta(days=1), MIDNIGHT, tz_name).utc
        else:
            closes = to_utc(day, end, tz_name).utc
        if offset == 0 and opens <= local and at_utc < closes:
            return at_utc, closes
        if local < opens:
            return max(at_utc, to_utc(day, start, tz_name).utc), closes
    raise ValidationError("Days", "the send window never opens")  # only with no weekday


def interval(per_minute: int) -> timedelta:
    """The gap between two messages, rounded up to the microsecond (never faster)."""
    if per_minute <= 0:
        raise ValidationError("Messages per minute", "must be at least 1")
    return timedelta(microseconds=-(-60_000_000 // per_minute))


def pace(
    start: datetime, zones: Sequence[str], per_minute: int, window: SendWindow
) -> list[datetime]:
    """Each recipient's due time: one message per interval overall, each in its own window.

    Message i is never before start + i x interval; a recipient whose window is closed then
    waits for it to open, and the others go on in the meantime. Recipients keep their order
    among those due together.
    """
    gap = interval(per_minute)
    due: list[datetime | None] = [None] * len(zones)
    waiting = [(start, position) for position in range(len(zones))]
    heapq.heapify(waiting)
    slot = start  # the earliest time the next message may take
    # Many recipients share a zone: its latest open span answers most of them at once.
    spans: dict[str, tuple[datetime, datetime]] = {}
    while waiting:
        ready, position = heapq.heappop(waiting)
        candidate = max(ready, slot)
        zone_name = zones[position]
        span = spans.get(zone_name)
        if span is None or not span[0] <= candidate < span[1]:
            span = spans[zone_name] = open_span(candidate, zone_name, window)
        allowed = max(candidate, span[0])
        if allowed == candidate:
            due[position] = candidate
            slot = candidate + gap
        else:
            heapq.heappush(waiting, (allowed, position))
    return [when for when in due if when is not None]


def describe_days(weekdays: frozenset[int]) -> str:
    if weekdays == ALL_DAYS:
        return "every day"
    return ", ".join(DAY_NAMES[day] for day in sorted(weekdays))
