"""Ports for sending: the outbox table, the opt-out register, providers and the keychain."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from leadcartel_desktop.domain.outbox import Channel, OutboxMessage, OutboxState, SendOutcome

if TYPE_CHECKING:  # annotations only: the storage loads this module before the first paint
    from leadcartel_desktop.domain.consent import ConsentChange
    from leadcartel_desktop.domain.providers import ProviderSettings
    from leadcartel_desktop.services.outbox_view import OutboxListRow


@dataclass(frozen=True, slots=True)
class NewOutboxItem:
    """A message to queue; the idempotency key is made once, here, never per attempt."""

    channel: Channel
    recipient: str
    payload: dict[str, object]
    idempotency_key: str
    invoice_id: int | None = None
    campaign_id: int | None = None
    contact_id: int | None = None
    not_before: datetime | None = None
    extra: dict[str, str] = field(default_factory=dict)


class OutboxRepository(Protocol):
    def enqueue(self, item: NewOutboxItem, now: datetime) -> int:
        """Add a row in state pending; the same idempotency key returns the existing row's id."""
        ...

    def enqueue_many(self, items: Sequence[NewOutboxItem], now: datetime) -> None:
        """enqueue() for many rows at once (executemany); a key already queued is kept."""
        ...

    def get(self, message_id: int) -> OutboxMessage: ...

    def claim_due(
        self, now: datetime, limit: int, channel: Channel | None = None, worker: str | None = None
    ) -> list[OutboxMessage]:
        """Pending rows whose next attempt is due, oldest first, switched to sending.

        Only the oldest open row (pending, sending or unknown) of each recipient on a channel
        is claimed, so messages to one recipient leave in the order they were queued. Each
        claimed row names `worker` (None: claimed outside any worker, nobody alive holds it).
        """
        ...

    def record_claimed(
        self,
        message_id: int,
        worker: str | None,
        state: OutboxState,
        *,
        attempts: int,
        next_attempt_at: datetime | None = None,
        provider_id: str = "",
        error_code: str = "",
        error: str = "",
        hint: str = "",
        now: datetime,
    ) -> bool:
        """record() only while the row is still sending under `worker`'s claim; False if not."""
        ...

    def orphaned(self, limit: int) -> list[OutboxMessage]:
        """Sending rows no registered worker holds (claimed by none, or by one now gone)."""
        ...

    def record(
        self,
        message_id: int,
        state: OutboxState,
        *,
        attempts: int,
        next_attempt_at: datetime | None = None,
        provider_id: str = "",
        error_code: str = "",
        error: str = "",
        hint: str = "",
        now: datetime,
    ) -> None: ...

    def provider_ids_of_others(self, message: OutboxMessage) -> frozenset[str]:
        """The provider ids recorded on the other rows to this message's recipient."""
        ...

    def in_state(self, state: OutboxState, limit: int = 1000) -> list[OutboxMessage]: ...

    def for_invoice(self, invoice_id: int) -> list[OutboxMessage]: ...

    def listing(self, states: Sequence[OutboxState], limit: int) -> list[OutboxListRow]:
        """Messages in `states`, newest first, for the operator's outbox view."""
        ...

    def counts(self) -> dict[OutboxState, int]: ...

    def next_due_at(self, skip: Collection[Channel] = ()) -> datetime | None:
        """When a pending row is next due or an unknown one next checked (the worker sleeps).

        Rows of the channels in `skip` are left out.
        """
        ...


class OutboxWorkerRegistry(Protocol):
    """Leases: the live senders on this database file (any process), each with a heartbeat."""

    def register(self, worker: str, now: datetime) -> None:
        """Add the worker (or refresh it, when it is there already)."""
        ...

    def beat(self, worker: str, now: datetime) -> bool:
        """Refresh the heartbeat; False when the worker's row is gone (taken as stale)."""
        ...

    def release(self, worker: str) -> None: ...

    def reap(self, stale_before: datetime) -> int:
        """Remove workers whose last heartbeat is before `stale_before`; returns how many."""
        ...


class OptOutRegister(Protocol):
    def add(self, channel: Channel, address: str, reason: str, now: datetime) -> None: ...

    def remove(self, channel: Channel, address: str) -> None: ...

    def apply_reply(
        self, channel: Channel, address: str, change: ConsentChange, at: datetime
    ) -> bool:
        """A reply's STOP or START written at `at`, unless a later consent change is known.

        The person's latest word wins whatever order the provider lists replies in: a later
        reply with a keyword, or an opt-out recorded later, makes this one moot (False).
        """
        ...

    def is_opted_out(self, channel: Channel, address: str) -> bool: ...


class ProviderSettingsRepository(Protocol):
    def providers(self) -> ProviderSettings: ...

    def save_providers(self, settings: ProviderSettings) -> None: ...


class SecretStore(Protocol):
    """The OS keychain; no fallback to plain text when there is none."""

    def available(self) -> bool: ...

    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None:
        """Raises UserFacingError when no keychain is available."""
        ...

    def delete(self, name: str) -> None: ...


class MessageProvider(Protocol):
    """One channel's adapter (SMTP, Twilio SMS/WhatsApp, Lead Cartel cloud messages)."""

    def send(self, message: OutboxMessage) -> SendOutcome:
        """One attempt, classified; never raises for provider or network failures."""
        ...

    def reconcile(
        self, message: OutboxMessage, *, taken: Collection[str] = ()
    ) -> SendOutcome | None:
        """Ask the provider whether it already has this message (after an ambiguous attempt).

        ACCEPTED with its provider id when it does; None when it certainly does not, so a
        resend is safe; an AMBIGUOUS outcome when it cannot tell yet (try again later).
        A match is a message created at or after the row's attempt started whose provider id
        is not in `taken` (ids other rows already hold); the oldest such one.
        """
        ...

    def check(self) -> str:
        """The Test button: a short success text, or UserFacingError with a clear reason."""
        ...


class ProviderFactory(Protocol):
    def provider_for(
        self, channel: Channel, settings: ProviderSettings, secrets: SecretStore
    ) -> MessageProvider:
        """Raises UserFacingError when the channel has no provider configured."""
        ...


class Connectivity(Protocol):
    def online(self) -> bool: ...


OutboxMessages = Sequence[OutboxMessage]
