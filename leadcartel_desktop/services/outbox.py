"""The outbox use cases: queue a message, send what is due, record the truth, reconcile."""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime, timedelta

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.outbox import (
    Channel,
    OutboxMessage,
    OutboxState,
    OutcomeKind,
    SendOutcome,
)
from leadcartel_desktop.domain.retry import MAX_ATTEMPTS
from leadcartel_desktop.services import outbox_operator as operator
from leadcartel_desktop.services import outbox_outcomes as outcomes
from leadcartel_desktop.services.campaign_gate import ready_to_send
from leadcartel_desktop.services.messaging_ports import NewOutboxItem
from leadcartel_desktop.services.outbox_items import new_item
from leadcartel_desktop.services.outbox_lease import STALE_AFTER, OutboxLease
from leadcartel_desktop.services.outbox_outcomes import Recording
from leadcartel_desktop.services.outbox_pauses import ChannelPauses
from leadcartel_desktop.services.outbox_recorder import OutboxRecorder, register_address, write
from leadcartel_desktop.services.outbox_view import (
    FILTER_STATES,
    LIST_LIMIT,
    OutboxFilter,
    OutboxListRow,
    OutboxStatus,
    held_behind,
)
from leadcartel_desktop.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from leadcartel_desktop.services.sending import ProviderSource
from leadcartel_desktop.services.thread_ports import OutboundRow

log = logging.getLogger(__name__)
# Channels that reach a person (the cloud channel carries API calls, not conversation).
THREAD_CHANNELS = frozenset({Channel.EMAIL, Channel.SMS, Channel.WHATSAPP})
BATCH = 50
Listener = Callable[[], None]
Decision = Callable[[UnitOfWork, int, datetime], OutboxState]


class OutboxService:
    """Every message leaves through here; provider calls never run inside a transaction."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        clock: Clock,
        providers: ProviderSource,
        *,
        rng: random.Random | None = None,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self._uow = unit_of_work
        self._clock = clock
        self._providers = providers
        self._rng = rng or random.Random()
        self._max_attempts = max_attempts
        self._listeners: list[Listener] = []
        self._listeners_guard = threading.Lock()
        self._recorder = OutboxRecorder(unit_of_work)
        self._pauses = ChannelPauses(providers.provider)

    # Queueing -----------------------------------------------------------------------------

    def enqueue(
        self,
        channel: Channel,
        recipient: str,
        payload: dict[str, object],
        *,
        cause: str | None = None,
        invoice_id: int | None = None,
        campaign_id: int | None = None,
        contact_id: int | None = None,
        not_before: datetime | None = None,
    ) -> int:
        """Queue one message and return its row id at once (see new_item for `cause`)."""
        item = new_item(
            channel,
            recipient,
            payload,
            cause=cause,
            invoice_id=invoice_id,
            campaign_id=campaign_id,
            contact_id=contact_id,
            not_before=not_before,
        )
        return self.enqueue_item(item)

    def enqueue_item(self, item: NewOutboxItem) -> int:
        with self._uow() as uow:
            message_id = self.queue_in(uow, item)
            uow.commit()
        self.changed()
        return message_id

    def queue_in(self, uow: UnitOfWork, item: NewOutboxItem) -> int:
        """Queue inside the caller's transaction (the change that caused the message).

        Call changed() after the commit so the worker wakes. A message to a contact also
        goes into that contact's thread (invoice sends and reminders included).
        """
        message_id = uow.outbox.enqueue(item, self._clock.now())
        if item.contact_id is not None and item.channel in THREAD_CHANNELS:
            row = OutboundRow(
                item.contact_id,
                item.channel,
                message_id,
                str(item.payload.get("body", "")),
                str(item.payload.get("subject", "")),
                item.campaign_id,
            )
            uow.messages.add_outbound([row])
        return message_id

    def queue_many_in(self, uow: UnitOfWork, items: Sequence[NewOutboxItem]) -> None:
        """queue_in() for many rows at once (a campaign's build); call changed() after."""
        uow.outbox.enqueue_many(items, self._clock.now())

    def on_change(self, listener: Listener) -> None:
        """Called (on any thread) after rows were queued or changed: the worker's notify."""
        with self._listeners_guard:
            self._listeners.append(listener)

    def off_change(self, listener: Listener) -> None:
        """Stop calling `listener` (a closed window's)."""
        with self._listeners_guard:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def changed(self) -> None:
        with self._listeners_guard:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener()
            except Exception:
                log.exception("outbox listener failed")

    # For the UI ---------------------------------------------------------------------------

    def get(self, message_id: int) -> OutboxMessage:
        with self._uow(read_only=True) as uow:
            return uow.outbox.get(message_id)

    def for_invoice(self, invoice_id: int) -> list[OutboxMessage]:
        with self._uow(read_only=True) as uow:
            return uow.outbox.for_invoice(invoice_id)

    def in_state(self, state: OutboxState, limit: int = 1000) -> list[OutboxMessage]:
        with self._uow(read_only=True) as uow:
            return uow.outbox.in_state(state, limit)

    def listing(self, shown: OutboxFilter, limit: int = LIST_LIMIT) -> list[OutboxListRow]:
        """The operator's outbox view: messages in the filter's states, newest first."""
        with self._uow(read_only=True) as uow:
            rows = uow.outbox.listing(FILTER_STATES[shown], limit)
            unknown = uow.outbox.listing((OutboxState.UNKNOWN,), LIST_LIMIT)  # no payloads
            return held_behind(rows, unknown)

    def counts(self) -> dict[OutboxState, int]:
        with self._uow(read_only=True) as uow:
            return uow.outbox.counts()

    def status(self) -> OutboxStatus:
        """The status bar's line: the counts, and the channels paused by a refusal."""
        counts = self.counts()
        waiting = counts.get(OutboxState.PENDING, 0) + counts.get(OutboxState.SENDING, 0)
        no_provider = waiting > 0 and all(self.unavailable(channel) for channel in Channel)
        return OutboxStatus(counts, self.paused(), no_provider)

    def next_due_at(self, skip: Collection[Channel] = ()) -> datetime | None:
        with self._uow(read_only=True) as uow:
            return uow.outbox.next_due_at(skip)

    @property
    def unrecorded(self) -> int:
        """Outcomes handed over and not yet committed (the recorder batches them)."""
        return self._recorder.outstanding

    def unavailable(self, channel: Channel) -> str | None:
        """Why `channel` cannot send now (no provider, no secret), or None when it can."""
        return self._providers.unavailable(channel)

    def refused(self, channel: Channel) -> str | None:
        """Why `channel` is paused: its provider refused the credentials (401/403).

        None when it is not. The pause ends once other settings or another secret are saved
        (Settings > Providers), on Retry of one of its messages, or when the app restarts; its
        rows wait meanwhile.
        """
        refusal = self._pauses.refusal(channel)
        return refusal.outcome.message if refusal is not None else None

    def paused(self) -> dict[Channel, str]:
        """Every channel refused(), with its reason."""
        return self._pauses.paused()

    def waits(self, channel: Channel) -> str | None:
        """Why the worker leaves `channel`'s rows alone now (no provider, or refused), or None."""
        return self.unavailable(channel) or self.refused(channel)

    def is_opted_out(self, channel: Channel, recipient: str) -> bool:
        with self._uow(read_only=True) as uow:
            return uow.opt_outs.is_opted_out(channel, register_address(recipient))

    # The operator's decisions --------------------------------------------------------------

    def cancel(self, message_id: int) -> None:
        """Stop a message that is still waiting; one being sent or maybe sent cannot be."""
        self._decide(operator.cancel, message_id)

    def retry_now(self, message_id: int) -> OutboxState:
        """Due at once: a failed or cancelled message is tried afresh, an unknown one checked.

        The operator asks to try again: a pause of its channel (the credentials were refused)
        ends, so the channel's waiting messages go too, or the channel pauses again at once.
        """
        channel = self.get(message_id).channel
        state = self._decide(operator.retry_now, message_id)
        if self._pauses.resume(channel):
            self.changed()
        return state

    def resume_paused(self, channel: Channel | None = None) -> None:
        """End the pause of `channel` (None: of every channel), e.g. once the settings are saved.

        Changed settings or secrets end a pause by themselves (see outbox_pauses.py); this is
        for a save that kept them as they were (the provider unblocked the account meanwhile).
        """
        if self._pauses.resume(channel):
            self.changed()

    def resolve_unknown(self, message_id: int, arrived: bool) -> OutboxState:
        """The operator settles a message whose delivery is unknown; returns its new state.

        `arrived`: it got there (seen in the Sent folder, or the customer has it), so it is
        marked sent. Otherwise it is sent again with the row's own idempotency key (an email
        keeps its Message-ID), after one more look at the provider where it can be asked: a
        provider that has it after all gets it marked sent, not sent twice. Refused with
        ConflictError for a row that is not unknown. Asks the provider: not on the GUI thread.
        """
        if arrived:
            return self._decide(operator.mark_arrived, message_id)
        message = self.get(message_id)
        operator.require_unknown(message, "sent again")
        answer = self._ask(message)
        if answer is not None and answer.kind in {OutcomeKind.ACCEPTED, OutcomeKind.PERMANENT}:
            now = self._now()
            recording = outcomes.after_check(message, answer, now, self._rng, self._max_attempts)
            return self._save(message, recording, only_if=OutboxState.UNKNOWN)
        return self._decide(operator.send_again, message_id)

    def _decide(self, decision: Decision, message_id: int) -> OutboxState:
        with self._uow() as uow:
            state = decision(uow, message_id, self._clock.now())
            uow.commit()
        self.changed()
        return state

    # Sending ------------------------------------------------------------------------------

    def lease(self) -> OutboxLease:
        """A new sender's lease (not yet taken): the rows it claims name it."""
        return OutboxLease(self._uow)

    def process_due(self, now: datetime) -> int:
        """Send every message due at `now`, one after another; returns how many were tried.

        It holds a lease of its own while it runs (the command line, beside a running app):
        a worker starting meanwhile leaves its rows alone.
        """
        tried = 0
        lease = self.lease()
        lease.take(self._now())
        try:
            while batch := self.claim(now, BATCH, worker=lease.worker):
                for message in batch:
                    self.deliver(message)
                    tried += 1
                    lease.keep(self._now())
        finally:
            lease.end()
        return tried

    def claim(
        self,
        now: datetime,
        limit: int,
        channel: Channel | None = None,
        *,
        worker: str | None = None,
    ) -> list[OutboxMessage]:
        """Switch due rows to sending (a short write); opted-out recipients are cancelled.

        The rows name `worker`'s lease; without one (None) nobody alive holds them, and the
        next worker to start takes them as interrupted (what a crash leaves).
        """
        return self.claim_slots(now, {channel: limit}, worker=worker)

    def claim_slots(
        self,
        now: datetime,
        slots: Mapping[Channel | None, int],
        total: int | None = None,
        *,
        worker: str | None = None,
    ) -> list[OutboxMessage]:
        """claim() for several channels (None: any) in one write.

        Each channel gets up to its count, and all of them together up to `total`. A channel
        paused by a credentials refusal gets none: its rows wait for the credentials.
        """
        total = sum(slots.values()) if total is None else total
        slots = self._unpaused(slots)
        stopped = 0
        ready: list[OutboxMessage] = []
        with self._uow() as uow:
            # Rows stopped here are no longer due (cancelled, or waiting until later): claim
            # again while every claimed row was stopped, so that a batch of stopped rows
            # (each the head of its recipient's line) does not read as "nothing is due".
            while not ready:
                claimed: list[OutboxMessage] = []
                for channel, limit in slots.items():
                    count = min(limit, total - len(claimed))
                    claimed += uow.outbox.claim_due(now, count, channel, worker)
                if not claimed:
                    break
                ready = ready_to_send(uow, claimed, now)
                stopped += len(claimed) - len(ready)
            uow.commit()
        if stopped:
            self.changed()
        return ready

    def deliver(self, message: OutboxMessage, sent: Listener | None = None) -> OutboxState:
        """One attempt for a claimed row: send (no transaction open), then record the outcome.

        `sent` is called once the provider has answered, before the outcome is written. The
        outcome is written only while the row is still sending under the same claim. A row
        of a channel paused since it was claimed (a batch, another sending thread) is not sent:
        it waits again, as the refused one does.
        """
        refusal = self._pauses.refusal(message.channel)
        if refusal is not None:
            recording = outcomes.credentials_refused(message, refusal.outcome, self._now())
            return self._save(message, recording, only_if=OutboxState.SENDING)
        try:
            provider = self._providers.provider(message.channel)
        except UserFacingError as error:
            recording = outcomes.no_provider(message, error.message, self._now())
            return self._save(message, recording, only_if=OutboxState.SENDING)
        try:
            outcome = provider.send(message)
        except Exception:
            log.exception("outbox %d: the %s adapter raised", message.id, message.channel.value)
            outcome = SendOutcome.ambiguous("The provider adapter failed unexpectedly")
        if sent is not None:
            sent()
        if outcome.kind is OutcomeKind.CREDENTIALS:  # paused before the row waits (status bar)
            self._pauses.pause(message.channel, provider, outcome)
        now = self._now()
        recording = outcomes.after_send(message, outcome, now, self._rng, self._max_attempts)
        return self._save(message, recording, only_if=OutboxState.SENDING)

    # Reconciling --------------------------------------------------------------------------

    def due_for_check(self, now: datetime, limit: int = BATCH) -> list[OutboxMessage]:
        """Unknown rows whose next check with the provider is due."""
        with self._uow(read_only=True) as uow:
            unknown = uow.outbox.in_state(OutboxState.UNKNOWN, limit=10_000)
        due = [row for row in unknown if row.next_attempt_at is None or row.next_attempt_at <= now]
        return due[:limit]

    def check_unknown(self, message: OutboxMessage) -> OutboxState:
        """Ask the provider whether it has this message; resend only if it certainly does not.

        A row settled since it was listed (by a check that just ended, or the operator) is not
        asked about again, nor is one whose channel is paused (the credentials were refused).
        """
        with self._uow(read_only=True) as uow:
            current = uow.outbox.get(message.id)
        if current.state is not OutboxState.UNKNOWN or self.refused(message.channel):
            return current.state
        answer = self._ask(message)
        now = self._now()
        recording = outcomes.after_check(message, answer, now, self._rng, self._max_attempts)
        return self._save(message, recording, only_if=OutboxState.UNKNOWN)

    def _ask(self, message: OutboxMessage) -> SendOutcome | None:
        """The provider's answer on whether it has the message (never one another row holds)."""
        try:
            with self._uow(read_only=True) as uow:
                taken = uow.outbox.provider_ids_of_others(message)
            provider = self._providers.provider(message.channel)
            answer = provider.reconcile(message, taken=taken)
            if answer is not None and answer.kind is OutcomeKind.CREDENTIALS:
                self._pauses.pause(message.channel, provider, answer)
            return answer
        except UserFacingError as error:
            return SendOutcome.ambiguous(error.message)
        except Exception:
            log.exception("outbox %d: reconciling raised", message.id)
            return SendOutcome.ambiguous(message.last_error)

    def reconcile_unknown(self, now: datetime) -> int:
        """Check every unknown row due at `now`; returns how many were checked."""
        due = self.due_for_check(now, limit=10_000)
        for message in due:
            self.check_unknown(message)
        return len(due)

    def mark_interrupted(self, now: datetime, stale_after: timedelta = STALE_AFTER) -> int:
        """Rows left sending by a crash become unknown (checked, never resent blindly).

        Only rows no live sender holds: a lease silent for `stale_after` is removed first, and
        a row claimed under a lease still beating (another worker, thread or process, sending
        it now) is left alone.
        """
        with self._uow() as uow:
            gone = uow.outbox_workers.reap(now - stale_after)
            stuck = uow.outbox.orphaned(limit=100_000)
            for message in stuck:
                write(uow, message, outcomes.interrupted(message, now), now)
            uow.commit()
        if gone:
            log.info("outbox: %d sender(s) stopped beating and were taken as gone", gone)
        if stuck:
            log.warning("outbox: %d message(s) were interrupted while sending", len(stuck))
            self.changed()
        return len(stuck)

    def mark_unrecorded(self, messages: Sequence[OutboxMessage], now: datetime) -> int:
        """Sends whose outcome could not be written become unknown: the provider is asked.

        Only rows still sending under the claim they were read with; returns how many changed
        (raises what writing raised: the caller tries again later).
        """
        with self._uow() as uow:
            changed = sum(
                write(uow, message, outcomes.unrecorded(message, now), now, claimed=True)
                for message in messages
            )
            uow.commit()
        if changed:
            log.warning("outbox: %d send(s) whose outcome was not saved are checked again", changed)
            self.changed()
        return changed

    def recover_after_crash(self, now: datetime) -> int:
        """At start: mark interrupted rows unknown and reconcile them; returns how many."""
        count = self.mark_interrupted(now)
        self.reconcile_unknown(now)
        return count

    # Recording ----------------------------------------------------------------------------

    def _now(self) -> datetime:
        return self._clock.now()

    def _unpaused(self, slots: Mapping[Channel | None, int]) -> Mapping[Channel | None, int]:
        """`slots` without the paused channels ("any channel" made each channel not paused)."""
        paused = self.paused()
        if not paused:
            return slots
        kept: dict[Channel | None, int] = {}
        for channel, limit in slots.items():
            if channel is None:
                for each in Channel:
                    if each not in paused and each not in slots:
                        kept[each] = limit
            elif channel not in paused:
                kept[channel] = limit
        return kept

    def _save(
        self, message: OutboxMessage, recording: Recording, only_if: OutboxState | None = None
    ) -> OutboxState:
        state = self._recorder.save(message, recording, self._now(), only_if)
        self.changed()
        return state
