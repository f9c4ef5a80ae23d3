"""Recording outcomes: several sends' outcomes share one short write transaction (group commit)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime

from leadcartel_desktop.domain.outbox import OutboxMessage, OutboxState
from leadcartel_desktop.services.outbox_outcomes import Recording
from leadcartel_desktop.services.ports import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)


def register_address(recipient: str) -> str:
    """The address the opt-out register keys on (WhatsApp's "whatsapp:" prefix dropped)."""
    return recipient.strip().removeprefix("whatsapp:")


def write(
    uow: UnitOfWork,
    message: OutboxMessage,
    recording: Recording,
    now: datetime,
    *,
    claimed: bool = False,
) -> bool:
    """One row's new state, and the recipient on the opt-out register when asked.

    `claimed`: only while the row is still sending under the claim `message` was read with
    (its worker's lease); False when it is not, and the row is left as it is. The opt-out is
    registered either way: the provider said so.
    """
    written = True
    if claimed:
        written = uow.outbox.record_claimed(
            message.id,
            message.claimed_by,
            recording.state,
            attempts=recording.attempts,
            next_attempt_at=recording.next_attempt_at,
            provider_id=recording.provider_id,
            error_code=recording.error_code,
            error=recording.error,
            hint=recording.hint,
            now=now,
        )
    else:
        uow.outbox.record(
            message.id,
            recording.state,
            attempts=recording.attempts,
            next_attempt_at=recording.next_attempt_at,
            provider_id=recording.provider_id,
            error_code=recording.error_code,
            error=recording.error,
            hint=recording.hint,
            now=now,
        )
    if recording.opted_out:
        reason = f"{recording.error_code}: {recording.error}".strip(": ")
        uow.opt_outs.add(message.channel, register_address(message.recipient), reason, now)
    return written


@dataclass(slots=True)
class _Entry:
    message: OutboxMessage
    recording: Recording
    now: datetime
    only_if: OutboxState | None
    state: OutboxState | None = None
    error: BaseException | None = None


class OutboxRecorder:
    """Writes outcomes as they come from the sending threads.

    Each commit waits for the disk, so while one batch is being written the outcomes that
    arrive meanwhile are gathered and written together by the next writer: a thread whose
    entry another thread already wrote just returns. An outcome never waits for a timer.
    """

    def __init__(self, unit_of_work: UnitOfWorkFactory) -> None:
        self._uow = unit_of_work
        self._gathering = threading.Lock()
        self._writing = threading.Lock()
        self._pending: list[_Entry] = []
        self._outstanding = 0  # outcomes handed to save() and not yet written (or failed)

    @property
    def outstanding(self) -> int:
        """Outcomes waiting to be recorded: gathered, or in a batch being committed."""
        with self._gathering:
            return self._outstanding

    def save(
        self,
        message: OutboxMessage,
        recording: Recording,
        now: datetime,
        only_if: OutboxState | None = None,
    ) -> OutboxState:
        """Record `recording` (only while the row is still in `only_if`, when given).

        Returns the row's state afterwards; raises what writing it raised.
        """
        entry = _Entry(message, recording, now, only_if)
        with self._gathering:
            self._pending.append(entry)
            self._outstanding += 1
        try:
            with self._writing:
                if entry.state is None and entry.error is None:
                    with self._gathering:
                        batch, self._pending = self._pending, []
                    self._write(batch)
        finally:
            with self._gathering:
                self._outstanding -= 1
        if entry.error is not None:
            raise entry.error
        assert entry.state is not None
        return entry.state

    def _write(self, batch: list[_Entry]) -> None:
        try:
            with self._uow() as uow:
                states = [self._apply(uow, entry) for entry in batch]
                uow.commit()
        except BaseException as error:
            for entry in batch:
                entry.error = error
            return
        for entry, state in zip(batch, states, strict=True):
            entry.state = state
            log.info(
                "outbox %d (%s): %s%s",
                entry.message.id,
                entry.message.channel.value,
                state.value,
                f" [{entry.recording.error_code}]" if entry.recording.error_code else "",
            )

    @staticmethod
    def _apply(uow: UnitOfWork, entry: _Entry) -> OutboxState:
        if entry.only_if is OutboxState.SENDING:  # an attempt's outcome: under its own claim
            if write(uow, entry.message, entry.recording, entry.now, claimed=True):
                return entry.recording.state
            current = uow.outbox.get(entry.message.id)
            log.warning(
                "outbox %d: no longer sending under this claim (%s); %s is not recorded on it",
                entry.message.id,
                current.state.value,
                entry.recording.state.value,
            )
            return current.state
        if entry.only_if is not None:
            current = uow.outbox.get(entry.message.id).state
            if current is not entry.only_if:
                return current  # changed meanwhile (retried, cancelled): keep that
        write(uow, entry.message, entry.recording, entry.now)
        return entry.recording.state
