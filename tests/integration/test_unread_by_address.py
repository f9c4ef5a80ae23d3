"""An unmatched sender's unread count holds whatever case each message spelled the address in."""

from __future__ import annotations

from datetime import timedelta

from leadcartel_desktop.app import AppContext
from leadcartel_desktop.domain.outbox import Channel
from tests.conftest import FixedClock
from tests.integration.thread_support import store_inbound


def _unread(context: AppContext) -> dict[str, int]:
    return {row.address.casefold(): row.unread for row in context.services.threads.threads()}


def test_one_sender_in_three_cases_is_one_conversation_with_three_unread(
    context: AppContext, clock: FixedClock
) -> None:
    t = clock.now()
    for n, address in enumerate(["Bob@Example.com", "bob@example.com", "BOB@EXAMPLE.COM"]):
        store_inbound(context, address, f"m{n}", t + timedelta(minutes=n), Channel.EMAIL)
    store_inbound(context, "carol@example.com", "hi", t - timedelta(minutes=1), Channel.EMAIL)

    rows = context.services.threads.threads()
    assert [(row.contact_id, row.unread) for row in rows] == [(None, 3), (None, 1)]
    # Whichever spelling the list shows, reading it clears all three.
    assert context.services.threads.mark_unmatched_read(rows[0].address) == 3
    assert _unread(context) == {"bob@example.com": 0, "carol@example.com": 1}


def test_the_newest_spelling_differing_from_the_others_still_counts_them_all(
    context: AppContext, clock: FixedClock
) -> None:
    t = clock.now()
    store_inbound(context, "dave@example.com", "one", t, Channel.EMAIL)
    store_inbound(context, "dave@example.com", "two", t + timedelta(minutes=1), Channel.EMAIL)
    store_inbound(context, "DAVE@example.com", "three", t + timedelta(minutes=2), Channel.EMAIL)
    assert _unread(context) == {"dave@example.com": 3}
