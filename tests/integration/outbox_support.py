"""A scripted MessageProvider (a fake of the provider port) and helpers for the outbox tests."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from leadcartel_desktop.domain.outbox import Channel, OutboxMessage, OutcomeKind, SendOutcome
from leadcartel_desktop.services.outbox import OutboxService
from tests.conftest import FixedClock


@dataclass(frozen=True)
class Step:
    """One scripted answer to send(): `holds` says whether the provider kept the message."""

    outcome: SendOutcome
    holds: bool = False


def accepted() -> Step:
    return Step(SendOutcome.accepted("auto"), holds=True)


def refused() -> Step:
    """Connection refused / 500 recording nothing: certainly not processed."""
    return Step(SendOutcome.retry("Connection refused"))


def timed_out_after_recording() -> Step:
    return Step(SendOutcome.ambiguous("Read timed out"), holds=True)


@dataclass
class FakeProvider:
    """Keeps what it "received" by idempotency key; answers reconcile from that."""

    script: deque[Step] = field(default_factory=deque)
    unsure: int = 0  # reconcile answers AMBIGUOUS this many times first
    gate: threading.Event | None = None  # when set, send() waits for it (messages in flight)
    calls: list[OutboxMessage] = field(default_factory=list)
    held: dict[str, str] = field(default_factory=dict)
    received: list[OutboxMessage] = field(default_factory=list)
    reconciled: int = 0
    in_flight: int = 0
    most_in_flight: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def then(self, *steps: Step) -> FakeProvider:
        self.script.extend(steps)
        return self

    def send(self, message: OutboxMessage) -> SendOutcome:
        with self._lock:
            self.calls.append(message)
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            step = self.script.popleft() if self.script else accepted()
        try:
            if self.gate is not None:
                assert self.gate.wait(30), "the test never opened the gate"
            with self._lock:
                if step.holds and message.idempotency_key not in self.held:
                    self.held[message.idempotency_key] = f"P{len(self.held) + 1}"
                    self.received.append(message)
                if step.outcome.kind is OutcomeKind.ACCEPTED:
                    return SendOutcome.accepted(self.held[message.idempotency_key], "queued")
                return step.outcome
        finally:
            with self._lock:
                self.in_flight -= 1

    def reconcile(
        self, message: OutboxMessage, *, taken: Collection[str] = ()
    ) -> SendOutcome | None:
        with self._lock:
            self.reconciled += 1
            if self.unsure > 0:
                self.unsure -= 1
                return SendOutcome.ambiguous("The provider cannot tell yet")
            provider_id = self.held.get(message.idempotency_key)
        return SendOutcome.accepted(provider_id) if provider_id else None

    def check(self) -> str:
        return "Connected"

    def bodies(self) -> list[Any]:
        return [message.payload["body"] for message in self.received]


@dataclass
class FakeProviders:
    """The ProviderSource: one fake per channel."""

    by_channel: dict[Channel, FakeProvider]

    def provider(self, channel: Channel) -> FakeProvider:
        return self.by_channel[channel]

    def unavailable(self, channel: Channel) -> str | None:
        return None if channel in self.by_channel else "No provider"


@dataclass
class Switch:
    """Connectivity whose answer a test flips; counts how often it was asked."""

    is_online: bool = True
    asked: int = 0

    def online(self) -> bool:
        self.asked += 1
        return self.is_online


def outbox_for(
    context: Any, clock: FixedClock, provider: FakeProvider, **options: Any
) -> OutboxService:
    providers = FakeProviders(dict.fromkeys(Channel, provider))
    return OutboxService(context.database.unit_of_work, clock, providers, **options)


def advance(clock: FixedClock, seconds: float) -> None:
    clock.instant += timedelta(seconds=seconds)


def queue_texts(outbox: OutboxService, recipient: str, bodies: Iterable[str]) -> list[int]:
    return [outbox.enqueue(Channel.SMS, recipient, {"body": body}) for body in bodies]
