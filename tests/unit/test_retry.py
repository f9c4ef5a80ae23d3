"""When to try again: Retry-After in both forms, capped jittered backoff, outcome -> row state."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadcartel_desktop.domain.outbox import Channel, OutboxMessage, OutboxState, SendOutcome
from leadcartel_desktop.domain.retry import (
    MAX_ATTEMPTS,
    MAX_DELAY_SECONDS,
    MAX_RETRY_AFTER_SECONDS,
    backoff_seconds,
    next_attempt_at,
    parse_retry_after,
)
from leadcartel_desktop.services.outbox_outcomes import after_check, after_send, check_delay

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("2", 2),
        (" 120 ", 120),
        ("0", 0),
        ("Tue, 10 Mar 2026 12:00:30 GMT", 30),
        ("Tue, 10 Mar 2026 11:59:00 GMT", 0),  # a date in the past: go now
        (None, None),
        ("soon", None),
        ("-5", None),
        ("²", None),
        ("٣", None),  # Arabic-Indic three: no HTTP delta-seconds
    ],
)
def test_retry_after_in_both_forms(header: str | None, seconds: int | None) -> None:
    assert parse_retry_after(header, NOW) == seconds


@pytest.mark.parametrize(
    "header",
    ["999999999999999999999", "Tue, 10 Mar 9999 12:00:00 GMT", "Wed, 11 Mar 2026 12:00:01 GMT"],
)
def test_a_retry_after_beyond_a_day_waits_a_day(header: str) -> None:
    """Years ahead would overflow the next attempt's date (and stall the row for good)."""
    seconds = parse_retry_after(header, NOW)
    assert seconds == MAX_RETRY_AFTER_SECONDS
    later = next_attempt_at(NOW, 1, seconds, random.Random(1))
    assert later == NOW + timedelta(days=1)
    assert next_attempt_at(NOW, 1, 10**15, random.Random(1)) == NOW + timedelta(days=1)


def test_retry_after_rounds_a_fractional_date_up() -> None:
    assert parse_retry_after("Tue, 10 Mar 2026 12:00:02 GMT", NOW + timedelta(0, 0.5)) == 2


@given(st.integers(min_value=1, max_value=60), st.integers(min_value=0, max_value=2**32))
def test_backoff_doubles_with_full_jitter_and_is_capped(attempt: int, seed: int) -> None:
    delay = backoff_seconds(attempt, random.Random(seed))
    window = min(MAX_DELAY_SECONDS, 2 * 2 ** (attempt - 1))
    assert window / 2 <= delay <= window <= MAX_DELAY_SECONDS


@given(
    st.integers(min_value=1, max_value=20),
    st.none() | st.integers(min_value=0, max_value=86_400),
    st.integers(min_value=0, max_value=2**32),
)
def test_the_next_attempt_is_never_sooner_than_retry_after(
    attempt: int, retry_after: int | None, seed: int
) -> None:
    when = next_attempt_at(NOW, attempt, retry_after, random.Random(seed))
    assert when > NOW
    if retry_after is not None:
        assert when >= NOW + timedelta(seconds=retry_after)


def _message(attempts: int = 0) -> OutboxMessage:
    return OutboxMessage(
        1, Channel.SMS, "+6591234567", {}, "k", OutboxState.SENDING, attempts, created_at=NOW
    )


def test_each_outcome_kind_lands_in_its_state() -> None:
    rng = random.Random(1)

    def state(outcome: SendOutcome) -> OutboxState:
        return after_send(_message(), outcome, NOW, rng, MAX_ATTEMPTS).state

    assert state(SendOutcome.accepted("SM1")) is OutboxState.SENT
    assert state(SendOutcome.retry("refused")) is OutboxState.PENDING
    assert state(SendOutcome.permanent("21211", "bad number")) is OutboxState.FAILED
    assert state(SendOutcome.ambiguous("read timeout")) is OutboxState.UNKNOWN


def test_a_retry_after_the_last_attempt_gives_up() -> None:
    last = after_send(
        _message(MAX_ATTEMPTS - 1), SendOutcome.retry("503"), NOW, random.Random(), MAX_ATTEMPTS
    )
    assert (last.state, last.attempts, last.next_attempt_at) == (
        OutboxState.FAILED,
        MAX_ATTEMPTS,
        None,
    )


def test_an_opt_out_answer_asks_for_the_register() -> None:
    outcome = SendOutcome.permanent("21610", "Unsubscribed", opted_out=True)
    assert after_send(_message(), outcome, NOW, random.Random(), MAX_ATTEMPTS).opted_out


def test_reconciling_resends_only_what_the_provider_certainly_lacks() -> None:
    unknown = _message(1)
    rng = random.Random(2)
    assert after_check(unknown, None, NOW, rng, MAX_ATTEMPTS).state is OutboxState.PENDING
    found = after_check(unknown, SendOutcome.accepted("SM9"), NOW, rng, MAX_ATTEMPTS)
    assert (found.state, found.provider_id) == (OutboxState.SENT, "SM9")
    unsure = after_check(unknown, SendOutcome.ambiguous("?"), NOW, rng, MAX_ATTEMPTS)
    assert unsure.state is OutboxState.UNKNOWN
    assert unsure.next_attempt_at is not None and unsure.next_attempt_at > NOW
    gave_up = after_check(_message(MAX_ATTEMPTS), None, NOW, rng, MAX_ATTEMPTS)
    assert gave_up.state is OutboxState.FAILED


def test_checks_of_an_unknown_message_thin_out_as_it_ages() -> None:
    rng = random.Random(5)
    young = check_delay(_message(), NOW + timedelta(seconds=1), rng)
    old = check_delay(_message(), NOW + timedelta(hours=1), rng)
    ancient = check_delay(_message(), NOW + timedelta(days=3), rng)
    assert young == timedelta(seconds=2)
    assert timedelta(minutes=7) < old <= timedelta(minutes=15)
    assert ancient <= timedelta(seconds=MAX_DELAY_SECONDS)
