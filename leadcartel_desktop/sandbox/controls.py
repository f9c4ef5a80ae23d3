"""What a sandbox server received, the failures it was told to fake, its latency and limits."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


class FaultKind(StrEnum):
    SERVER_ERROR = "500"  # answers 500 and records nothing (SMTP: 451)
    UNAVAILABLE = "503"  # answers 503, records nothing
    RATE_LIMIT = "429"  # answers 429 with Retry-After (seconds or an HTTP date)
    ACCEPT_THEN_TIMEOUT = "accept_then_timeout"  # records, then holds the answer
    INVALID_NUMBER = "21211"  # Twilio: invalid 'To' number (SMTP: 550 no such mailbox)
    UNSUBSCRIBED = "21610"  # Twilio: recipient replied STOP (SMTP: 550 opted out)
    UNAUTHORIZED = "401"  # wrong credentials (SMTP: 535 on AUTH)
    SCOPE = "401_scope"  # cloud: a good token without this call's scope


# Faults meant for a send skip the reads (list, get, Test button) unless told otherwise.
_SEND_METHODS = frozenset({"POST"})
_ANY_METHOD = frozenset({"GET", "POST", "PUT", "DELETE", "AUTH"})


@dataclass(frozen=True, slots=True)
class Fault:
    kind: FaultKind
    retry_after: str = "1"  # for 429: "2" or "Wed, 21 Oct 2026 07:28:00 GMT"
    hold_seconds: float = 5.0  # for accept_then_timeout
    methods: frozenset[str] = frozenset()  # empty: POST only (every method for 401)

    def applies_to(self, method: str) -> bool:
        chosen = self.methods or (
            _ANY_METHOD if self.kind is FaultKind.UNAUTHORIZED else _SEND_METHODS
        )
        if method == "DATA":  # SMTP's send; a 401 is played at AUTH instead
            return self.kind is not FaultKind.UNAUTHORIZED and "POST" in chosen
        return method.upper() in chosen


@dataclass(frozen=True, slots=True)
class Received:
    """One thing a server accepted: `kind` is sms, whatsapp, email, message, invoice.create..."""

    server: str
    kind: str
    summary: str
    data: dict[str, Any]
    at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def as_json(self) -> dict[str, Any]:
        return {
            "server": self.server,
            "kind": self.kind,
            "summary": self.summary,
            "at": self.at.isoformat(),
            "data": {
                key: value for key, value in self.data.items() if not isinstance(value, bytes)
            },
        }


class Controls:
    """Thread-safe state shared by a server's request threads, its tests and the admin endpoint."""

    def __init__(self, server: str, on_receive: Callable[[Received], None] | None = None) -> None:
        self.server = server
        self.on_receive = on_receive
        self.stopping = threading.Event()
        self._lock = threading.Condition()
        self._received: list[Received] = []
        self._faults: deque[Fault] = deque()
        self.latency_seconds = 0.0
        self.max_concurrency: int | None = None
        self.rate_per_second: float | None = None
        self._in_flight = 0
        self._window: deque[float] = deque()
        self._handling: list[float] = []
        # The server's way of playing a customer who writes to us (see receive).
        self.inbound: Callable[..., dict[str, Any]] | None = None

    # What arrived -------------------------------------------------------------------------
    def record(self, kind: str, summary: str, data: dict[str, Any]) -> Received:
        item = Received(self.server, kind, summary, data)
        with self._lock:
            self._received.append(item)
            self._lock.notify_all()
        if self.on_receive is not None:
            self.on_receive(item)
        return item

    def received(self, kind: str | None = None) -> list[Received]:
        with self._lock:
            return [item for item in self._received if kind is None or item.kind == kind]

    def wait_for(self, count: int, timeout: float = 5.0) -> bool:
        """True once at least `count` items arrived (for tests), False after `timeout`."""
        with self._lock:
            return self._lock.wait_for(lambda: len(self._received) >= count, timeout)

    def receive(self, from_: str, body: str, **fields: Any) -> dict[str, Any]:
        """Play a customer writing to us; the server lists the message as its API would.

        Twilio: `from_` is "+1555..." or "whatsapp:+1555...", `to=` our number (optional).
        Cloud: `from_` is a phone or email, `kind=` "SMS", "WhatsApp" or "Email", `subject=`.
        """
        if self.inbound is None:
            raise ValueError(f"the {self.server} sandbox takes no inbound messages")
        return self.inbound(from_, body, **fields)

    # Faults -------------------------------------------------------------------------------
    def fail_next(
        self,
        kind: FaultKind | str,
        count: int = 1,
        *,
        retry_after: str = "1",
        hold_seconds: float = 5.0,
        methods: frozenset[str] | set[str] = frozenset(),
    ) -> None:
        fault = Fault(
            FaultKind(kind), retry_after, hold_seconds, frozenset(m.upper() for m in methods)
        )
        with self._lock:
            self._faults.extend([fault] * count)

    def take_fault(self, method: str) -> Fault | None:
        """The next queued fault meant for this kind of request (it is used up)."""
        with self._lock:
            for fault in self._faults:
                if fault.applies_to(method):
                    self._faults.remove(fault)
                    return fault
        return None

    def pending_faults(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def configure(
        self,
        *,
        latency_seconds: float | None = None,
        max_concurrency: int | None = None,
        rate_per_second: float | None = None,
    ) -> None:
        """Added latency, at most N requests at once, at most R per second (0 lifts a limit)."""
        with self._lock:
            if latency_seconds is not None:
                self.latency_seconds = max(0.0, latency_seconds)
            if max_concurrency is not None:
                self.max_concurrency = max_concurrency or None
            if rate_per_second is not None:
                self.rate_per_second = rate_per_second or None

    def reset(self) -> None:
        with self._lock:
            self._received.clear()
            self._faults.clear()
            self._handling.clear()
            self._window.clear()
            self.latency_seconds = 0.0
            self.max_concurrency = None
            self.rate_per_second = None

    # Limits -------------------------------------------------------------------------------
    def admit(self) -> int | None:
        """Count a request in; None when admitted, else the seconds to tell it to wait."""
        now = time.monotonic()
        with self._lock:
            if self.max_concurrency is not None and self._in_flight >= self.max_concurrency:
                return 1
            if self.rate_per_second is not None:
                while self._window and now - self._window[0] >= 1.0:
                    self._window.popleft()
                if len(self._window) >= self.rate_per_second:
                    return max(1, math.ceil(1.0 - (now - self._window[0])))
                self._window.append(now)
            self._in_flight += 1
            return None

    def release(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def hold(self, seconds: float) -> None:
        """Wait (latency, or holding an answer) unless the server is stopping."""
        if seconds > 0:
            self.stopping.wait(seconds)

    # Server-side timing -------------------------------------------------------------------
    def add_handling_time(self, seconds: float) -> None:
        with self._lock:
            self._handling.append(seconds)
            self._lock.notify_all()

    def wait_for_handling_times(self, count: int, timeout: float = 5.0) -> bool:
        """True once `count` requests are timed (a client can have its answer a moment before)."""
        with self._lock:
            return self._lock.wait_for(lambda: len(self._handling) >= count, timeout)

    def handling_times(self) -> list[float]:
        """Seconds each request spent in the server, from its headers parsed to its answer sent."""
        with self._lock:
            return list(self._handling)

    def clear_handling_times(self) -> None:
        with self._lock:
            self._handling.clear()
