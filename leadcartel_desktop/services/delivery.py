"""What the invoice list says about an issued invoice's messages: waiting, sent or not sent."""

from __future__ import annotations

from collections.abc import Iterable

from leadcartel_desktop.domain.outbox import OutboxState

WAITING = "Waiting to send"
SENT = "Sent"
NOT_SENT = "Not sent"
_OPEN = frozenset({OutboxState.PENDING, OutboxState.SENDING, OutboxState.UNKNOWN})


def delivery_of_states(states: Iterable[OutboxState]) -> str:
    """'Waiting to send' until every message is accepted, then 'Sent'; '' when none.

    Cancelled messages do not count; any failed one (and none open) reads 'Not sent'.
    """
    kept = {state for state in states if state is not OutboxState.CANCELLED}
    if not kept:
        return ""
    if kept & _OPEN:
        return WAITING
    if OutboxState.FAILED in kept:
        return NOT_SENT
    return SENT
