"""Schedules in a named zone, send windows with quiet hours, and pacing (pure functions)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.send_windows import (
    LocalTimeProblem,
    SendWindow,
    interval,
    known_zones,
    next_allowed,
    pace,
    to_utc,
    zone,
)

BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"
TOKYO = "Asia/Tokyo"
LOS_ANGELES = "America/Los_Angeles"
QUIET = SendWindow(quiet=True)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_nine_in_berlin_is_eight_utc_before_the_clocks_change_and_seven_after() -> None:
    before = to_utc(date(2026, 3, 28), time(9, 0), BERLIN)
    after = to_utc(date(2026, 3, 29), time(9, 0), BERLIN)
    assert before.utc == utc(2026, 3, 28, 8, 0)
    assert after.utc == utc(2026, 3, 29, 7, 0)
    assert (before.problem, after.problem) == (None, None)


def test_a_time_the_clocks_skip_is_moved_on_by_the_gap_and_said() -> None:
    skipped = to_utc(date(2026, 3, 29), time(2, 30), BERLIN)
    assert skipped.utc == utc(2026, 3, 29, 1, 30)  # 03:30 CEST
    assert skipped.problem is LocalTimeProblem.NONEXISTENT
    assert "does not exist" in skipped.note and "03:30" in skipped.note


def test_a_time_that_happens_twice_is_taken_the_first_time_and_said() -> None:
    twice = to_utc(date(2026, 10, 25), time(2, 30), BERLIN)
    assert twice.utc == utc(2026, 10, 25, 0, 30)  # 02:30 CEST, before the clocks go back
    assert twice.problem is LocalTimeProblem.AMBIGUOUS
    assert "happens twice" in twice.note


def test_an_unknown_zone_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError) as refused:
        to_utc(date(2026, 3, 28), time(9, 0), "Mars/Olympus")
    assert refused.value.field == "Time zone"


@pytest.mark.parametrize(
    "name", ["Europe", "America", "Europe/", "a" * 300, "", "../Europe/Berlin"]
)
def test_a_folder_or_a_long_name_is_no_zone(name: str) -> None:
    """ZoneInfo would fail on these as files (a folder, a name too long): said as a field."""
    with pytest.raises(ValidationError) as refused:
        zone(name, "Contact zone")
    assert refused.value.field == "Contact zone"
    assert f"'{name}' is not a known time zone" in str(refused.value)


def test_a_known_zone_is_found_with_spaces_around_ignored() -> None:
    assert zone(" Europe/Berlin ").key == "Europe/Berlin"
    assert zone("UTC").key == "UTC"


def test_quiet_hours_defer_to_eight_in_the_recipients_zone() -> None:
    late = utc(2026, 3, 10, 21, 30)  # 22:30 in Berlin
    assert next_allowed(late, BERLIN, QUIET) == utc(2026, 3, 11, 7, 0)  # 08:00 CET
    assert next_allowed(late, NEW_YORK, QUIET) == late  # 17:30 in New York
    assert next_allowed(utc(2026, 3, 10, 19, 59), BERLIN, QUIET) == utc(2026, 3, 10, 19, 59)
    assert next_allowed(utc(2026, 3, 10, 20, 0), BERLIN, QUIET) == utc(2026, 3, 11, 7, 0)


def test_the_window_opens_at_eight_local_also_across_the_clock_change() -> None:
    saturday_night = utc(2026, 3, 28, 22, 0)  # 23:00 CET; Sunday 08:00 is CEST
    assert next_allowed(saturday_night, BERLIN, QUIET) == utc(2026, 3, 29, 6, 0)


def test_allowed_days_and_hours_combine_with_quiet_hours() -> None:
    weekdays_nine_to_five = SendWindow(frozenset(range(5)), time(9, 0), time(17, 0), quiet=True)
    friday_evening = utc(2026, 3, 13, 17, 0)  # Friday 17:00 UTC
    assert next_allowed(friday_evening, "UTC", weekdays_nine_to_five) == utc(2026, 3, 16, 9, 0)
    assert next_allowed(utc(2026, 3, 16, 16, 59), "UTC", weekdays_nine_to_five) == utc(
        2026, 3, 16, 16, 59
    )


def test_a_window_without_quiet_hours_may_send_at_night() -> None:
    assert next_allowed(utc(2026, 3, 10, 23, 0), "UTC", SendWindow()) == utc(2026, 3, 10, 23, 0)


def test_windows_that_can_never_send_are_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError) as no_day:
        SendWindow(frozenset()).check()
    assert no_day.value.field == "Days"
    with pytest.raises(ValidationError) as backwards:
        SendWindow(start=time(17, 0), end=time(9, 0)).check()
    assert backwards.value.field == "Hours"
    with pytest.raises(ValidationError) as all_quiet:
        SendWindow(start=time(21, 30), end=time(23, 0), quiet=True).check()
    assert all_quiet.value.field == "Hours"


def test_message_i_is_not_before_start_plus_i_intervals() -> None:
    start = utc(2026, 3, 10, 12, 0)
    dues = pace(start, ["UTC"] * 7, 3, QUIET)  # 3 per minute: every 20 s
    assert dues == [start + timedelta(seconds=20 * i) for i in range(7)]
    assert interval(7) == timedelta(microseconds=8_571_429)  # rounded up: never faster


def test_pacing_defers_into_quiet_hours_per_zone_and_the_others_go_on() -> None:
    start = utc(2026, 3, 10, 19, 59)  # 20:59 in Berlin, 14:59 in New York
    dues = pace(start, [BERLIN, BERLIN, NEW_YORK, NEW_YORK], 1, QUIET)
    assert dues[0] == start
    assert dues[1] == utc(2026, 3, 11, 7, 0)  # Berlin's 21:00 is quiet: tomorrow 08:00
    assert dues[2:] == [start + timedelta(minutes=1), start + timedelta(minutes=2)]


def test_a_crowd_deferred_to_the_same_morning_is_still_paced() -> None:
    start = utc(2026, 3, 10, 22, 0)  # 23:00 in Berlin: all wait for 08:00
    dues = pace(start, [BERLIN] * 100 + [LOS_ANGELES, TOKYO], 60, QUIET)
    morning = utc(2026, 3, 11, 7, 0)
    assert dues[:100] == [morning + timedelta(seconds=i) for i in range(100)]
    assert dues[100] == start  # 15:00 in Los Angeles
    assert dues[101] == utc(2026, 3, 10, 23, 0)  # 07:00 in Tokyo: waits for 08:00


def test_a_zone_in_another_case_is_the_listed_zone_on_every_machine() -> None:
    """A case-blind disk (macOS, Windows) let 'europe/berlin' be saved; it stays usable."""
    assert zone("europe/berlin").key == "Europe/Berlin"
    assert zone(" AMERICA/NEW_YORK ").key == "America/New_York"


@pytest.mark.parametrize("name", ["localtime", "Factory", "posixrules", "posix/Europe/Berlin"])
def test_a_machine_dependent_or_placeholder_name_is_no_zone(name: str) -> None:
    """'localtime' is this computer's own zone and 'Factory' tzdata's placeholder: stored,
    either would mean something else on another machine (or nothing)."""
    assert name not in known_zones()
    with pytest.raises(ValidationError):
        zone(name)


def test_the_zone_list_holds_places_zones() -> None:
    assert {"Europe/Berlin", "UTC", "Asia/Tokyo"} <= known_zones()
    assert not {name for name in known_zones() if name.startswith(("posix/", "right/"))}


def test_a_name_in_another_case_is_the_listed_zone() -> None:
    assert zone("europe/berlin").key == "Europe/Berlin"


def test_a_repeated_time_whose_first_has_passed_is_taken_the_second_time() -> None:
    """Berlin, 25 Oct 2026: 02:00-03:00 happens twice; chosen at the second 02:10, 02:40 is
    still ahead: the second 02:40 (01:40 UTC), not the first (00:40 UTC, already past)."""
    now = utc(2026, 10, 25, 1, 10)
    second = to_utc(date(2026, 10, 25), time(2, 40), BERLIN, after=now)
    assert second.utc == utc(2026, 10, 25, 1, 40)
    assert second.problem is LocalTimeProblem.AMBIGUOUS
    assert "second time" in second.note
    # Chosen before the first one, or after both, the first is kept (refused if past).
    earlier = to_utc(date(2026, 10, 25), time(2, 40), BERLIN, after=utc(2026, 10, 24, 20))
    assert earlier.utc == utc(2026, 10, 25, 0, 40)
    late = to_utc(date(2026, 10, 25), time(2, 40), BERLIN, after=utc(2026, 10, 25, 3))
    assert late.utc == utc(2026, 10, 25, 0, 40)
    plain = to_utc(date(2026, 10, 26), time(2, 40), BERLIN, after=now)
    assert (plain.utc, plain.problem) == (utc(2026, 10, 26, 1, 40), None)


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),  # an old book's spelling: the same zone
        ("America/Argentina/Salta", "America/Argentina/Salta"),
        ("Europe", "UTC"),  # a folder
        ("Factory", "UTC"),
        ("localtime", "UTC"),
        ("posix/Europe/Berlin", "UTC"),
        ("a" * 300, "UTC"),
        ("", "UTC"),
    ],
)
def test_a_stored_zone_is_shown_as_the_zone_list_reads_it_else_in_utc(
    stored: str, shown: str
) -> None:
    from leadcartel_desktop.services.clock import shown_zone

    assert shown_zone(stored).key == shown
