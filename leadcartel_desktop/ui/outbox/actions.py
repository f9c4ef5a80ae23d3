"""Which of the outbox view's actions a message allows, and what each does to it."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from leadcartel_desktop.domain.outbox import OutboxState
from leadcartel_desktop.services.outbox import OutboxService


class OutboxAction(StrEnum):
    RETRY = "Retry now"
    CANCEL = "Cancel message"
    ARRIVED = "It arrived — mark as sent"
    SEND_AGAIN = "Send again"


TIPS = {
    OutboxAction.RETRY: "Try a waiting or failed message now; an unknown one is checked first.",
    OutboxAction.CANCEL: "Stop a message that is still waiting to be sent.",
    OutboxAction.ARRIVED: (
        "The provider cannot say whether it kept this message. If it arrived (it is in the "
        "mailbox's Sent folder, or the customer has it), mark it sent: it is not sent again."
    ),
    OutboxAction.SEND_AGAIN: (
        "It did not arrive: send it again with the same message id, so a copy that turns up "
        "later is recognisable. A provider that can be asked is asked first."
    ),
}
ALLOWED: dict[OutboxAction, frozenset[OutboxState]] = {
    OutboxAction.RETRY: frozenset(
        {OutboxState.PENDING, OutboxState.FAILED, OutboxState.CANCELLED, OutboxState.UNKNOWN}
    ),
    OutboxAction.CANCEL: frozenset({OutboxState.PENDING}),
    OutboxAction.ARRIVED: frozenset({OutboxState.UNKNOWN}),
    OutboxAction.SEND_AGAIN: frozenset({OutboxState.UNKNOWN}),
}
# Asking the provider goes to the network: that action runs off the database lane.
ASKS_PROVIDER = frozenset({OutboxAction.SEND_AGAIN})


def allowed(action: OutboxAction, state: OutboxState | None) -> bool:
    return state is not None and state in ALLOWED[action]


def work(action: OutboxAction, outbox: OutboxService, message_id: int) -> Callable[[], str]:
    """The action as a job for the task runner; its result is the line the dialog shows."""

    def run() -> str:
        match action:
            case OutboxAction.RETRY:
                if outbox.retry_now(message_id) is OutboxState.UNKNOWN:
                    return (
                        "The provider is asked about it again now: it is sent again only if the "
                        "provider does not have it."
                    )
                return "It is tried again now."
            case OutboxAction.CANCEL:
                outbox.cancel(message_id)
                return "Cancelled: it will not be sent."
            case OutboxAction.ARRIVED:
                outbox.resolve_unknown(message_id, arrived=True)
                return "Marked as sent: it will not be sent again."
            case OutboxAction.SEND_AGAIN:
                state = outbox.resolve_unknown(message_id, arrived=False)
                if state is OutboxState.SENT:
                    return "The provider had it after all: marked as sent, not sent again."
                if state is OutboxState.PENDING:
                    return "It is sent again now, with the same message id."
                return f"The provider answered: the message is now {state.value}."

    return run
