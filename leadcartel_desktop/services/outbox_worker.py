"""The outbox worker: a thread that drains the outbox when online, several sends in flight."""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from leadcartel_desktop.domain.outbox import Channel, OutboxMessage
from leadcartel_desktop.services.messaging_ports import Connectivity
from leadcartel_desktop.services.outbox import OutboxService
from leadcartel_desktop.services.outbox_lease import STALE_AFTER
from leadcartel_desktop.services.ports import Clock

log = logging.getLogger(__name__)
RATE_WINDOW = timedelta(seconds=1)
GATHER_SECONDS = 0.01
# Sends in flight per channel at first; each answer allows one more, up to the channel's
# limit. Opening every connection at once (TLS handshakes on every core) starved the GUI
# thread of the CPU for tens of milliseconds; answered connections are then reused.
RAMP_START = 2


@dataclass(frozen=True, slots=True)
class ChannelLimit:
    """How hard one channel's provider may be pushed: sends in flight, and starts per second."""

    max_in_flight: int = 8
    per_second: int | None = None


DEFAULT_LIMITS: Mapping[Channel, ChannelLimit] = {
    Channel.EMAIL: ChannelLimit(max_in_flight=4),  # one SMTP connection each
    Channel.SMS: ChannelLimit(max_in_flight=8),
    Channel.WHATSAPP: ChannelLimit(max_in_flight=8),
    Channel.CLOUD: ChannelLimit(max_in_flight=8, per_second=10),  # 100 requests / 10 s
}


class OutboxWorker:
    """A thread that sends due rows, several at a time, within each channel's limits.

    It wakes on notify() (rows queued or changed), when the next row falls due, or every
    `poll_seconds`; it waits quietly while offline. stop() lets the sends in flight record
    their outcome; a row whose outcome never got recorded stays sending and is reconciled at
    the next start, never resent blindly.

    It holds a lease (services/outbox_lease.py): the rows it claims name it, and its loop
    beats at most every BEAT_EVERY. At start, and on each beat, rows left sending by a sender
    without a live lease (stopped, or silent for `stale_after`) become unknown and are
    reconciled; rows another live worker is sending are left alone.
    """

    def __init__(
        self,
        outbox: OutboxService,
        connectivity: Connectivity,
        clock: Clock,
        *,
        limits: Mapping[Channel, ChannelLimit] | None = None,
        threads: int = 8,
        poll_seconds: float = 30.0,
        offline_seconds: float = 10.0,
        stale_after: timedelta = STALE_AFTER,
    ) -> None:
        self._outbox = outbox
        self._connectivity = connectivity
        self._clock = clock
        self._limits = {**DEFAULT_LIMITS, **(limits or {})}
        self._threads = threads
        self._poll = poll_seconds
        self._offline_wait = offline_seconds
        self._stale_after = stale_after
        self._lease = outbox.lease()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._guard = threading.Lock()
        self._in_flight = dict.fromkeys(Channel, 0)  # provider calls under way
        self._ramp = dict.fromkeys(Channel, RAMP_START)  # sends allowed in flight so far
        self._busy = 0  # tasks in the pool: a call, or recording what it answered
        self._starts: dict[Channel, deque[datetime]] = {channel: deque() for channel in Channel}
        self._checking: set[int] = set()
        self._unrecorded: list[OutboxMessage] = []  # sent, but the outcome was not saved
        self._online: bool | None = None
        self._thread: threading.Thread | None = None
        self._steps = threading.Condition()
        self._began = 0  # steps begun
        self._quiet_after = 0  # the last step that found nothing to start, nothing in flight
        outbox.on_change(self.notify)

    # Control ------------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the outbox worker is already started")
        self._thread = threading.Thread(target=self._run, name="outbox-worker", daemon=True)
        self._thread.start()

    def notify(self) -> None:
        """Look at the outbox now (thread-safe, returns at once)."""
        self._wake.set()

    def stop(self, timeout: float | None = 60.0) -> bool:
        """Stop claiming, wait for the sends in flight; True when the thread has ended."""
        self._stopping.set()
        self._wake.set()
        thread = self._thread
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    @property
    def worker_id(self) -> str:
        """This worker's lease: the claimed_by of the rows it sends."""
        return self._lease.worker

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def online(self) -> bool | None:
        """What Connectivity last said (None before the first look)."""
        return self._online

    @property
    def in_flight(self) -> int:
        """Provider calls under way."""
        with self._guard:
            return sum(self._in_flight.values())

    @property
    def busy(self) -> int:
        """Messages being sent or having their outcome recorded."""
        with self._guard:
            return self._busy

    def wait_settled(self, timeout: float) -> bool:
        """Wait until all due work is done; False on timeout (for tests and benchmarks).

        Done means a look at the outbox begun after this call, with nothing in flight and no
        outcome waiting to be recorded when it began, found nothing to start.
        """
        with self._steps:
            target = self._began + 1
        self.notify()
        with self._steps:
            return self._steps.wait_for(lambda: self._quiet_after >= target, timeout)

    # The loop -----------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            now = self._clock.now()
            self._lease.take(now)
            self._outbox.mark_interrupted(now, self._stale_after)
        except Exception:
            log.exception("outbox: could not take the lease or mark interrupted messages")
        # Twice the threads: a send's outcome is written after its provider slot is free.
        with ThreadPoolExecutor(2 * self._threads, thread_name_prefix="outbox-send") as pool:
            while not self._stopping.is_set():
                self._wake.clear()
                with self._steps:
                    self._began += 1
                    step = self._began
                # Settled is judged from before the look: an outcome committed while the look
                # reads the outbox may make a row due that the look did not see.
                idle = self._idle()
                self._keep_lease()
                try:
                    wait = self._step(pool)
                except Exception:
                    log.exception("outbox worker step failed")
                    wait = self._poll
                self._stepped(step, wait, idle)
                if self._stopping.is_set():
                    break
                if self._wake.wait(wait) and wait > 0 and self.busy > 0:
                    # A send just finished and others are about to: gather them, so one
                    # write claims several freed slots instead of one look per answer (each
                    # look holds the interpreter lock the window needs to stay responsive).
                    self._stopping.wait(GATHER_SECONDS)
        # Leaving the with block waited for every send in flight to record its outcome.
        try:
            self._lease.end()
        except Exception:
            log.exception("outbox: could not give the lease up (it goes stale)")

    def _keep_lease(self) -> None:
        """Beat when due; then take rows from senders gone silent (a crash, a quick restart).

        Not when this worker was silent that long itself (the machine slept): the others
        were asleep too, and get a beat's time to speak up.
        """
        now = self._clock.now()
        previous = self._lease.beat_at
        try:
            if not self._lease.keep(now) or previous is None:
                return
            if now - previous < self._stale_after:
                self._outbox.mark_interrupted(now, self._stale_after)
        except Exception:
            log.exception("outbox: keeping the lease failed")

    def _idle(self) -> bool:
        """Nothing in the pool and no outcome waiting to be committed."""
        with self._guard:
            unsaved = len(self._unrecorded)
        return self.busy == 0 and unsaved == 0 and self._outbox.unrecorded == 0

    def _stepped(self, step: int, wait: float, idle: bool) -> None:
        if wait > 0 and idle and self._idle():
            with self._steps:
                self._quiet_after = step
                self._steps.notify_all()

    def _step(self, pool: ThreadPoolExecutor) -> float:
        """Start what is due and free to go; returns how long to wait (seconds)."""
        now = self._clock.now()
        self._retry_unrecorded(now)
        # A channel that cannot send now (no provider, credentials refused) keeps its rows
        # due: judged by them, the worker would find nothing to start and sleep a whole poll
        # while another channel's row falls due.
        waiting = [channel for channel in Channel if self._outbox.waits(channel) is not None]
        due = self._outbox.next_due_at(waiting)
        if due is None:
            return self._poll
        if due > now:
            return min(self._poll, (due - now).total_seconds())
        # Connectivity is asked only with work due and nothing under way (a send answering
        # says more than a probe would).
        if self.busy == 0 and not self._check_online():
            return self._offline_wait
        started = self._start_checks(pool, now) + self._start_sends(pool, now)
        if started:
            return 0.0  # there may be more: look again at once
        # Due rows wait on a free slot, the rate limit or an earlier message to the same
        # recipient: each of those ends with a notify, or when the rate window moves on.
        return min(self._poll, self._rate_wait(now))

    def _retry_unrecorded(self, now: datetime) -> None:
        with self._guard:
            waiting, self._unrecorded = self._unrecorded, []
        if not waiting:
            return
        try:
            self._outbox.mark_unrecorded(waiting, now)
        except Exception:
            log.exception("outbox: still cannot save %d outcome(s)", len(waiting))
            with self._guard:
                self._unrecorded = waiting + self._unrecorded

    def _check_online(self) -> bool:
        try:
            online = self._connectivity.online()
        except Exception:
            log.exception("outbox: the connectivity check failed")
            online = False
        if online != self._online:
            log.info("outbox: %s", "online, sending" if online else "offline, messages wait")
            self._online = online
        return online

    def _start_checks(self, pool: ThreadPoolExecutor, now: datetime) -> int:
        started = 0
        for message in self._outbox.due_for_check(now):
            if message.id in self._checking or self._free(message.channel, now) <= 0:
                continue
            if self._outbox.waits(message.channel) is not None:
                continue
            self._took(message.channel, now)
            self._checking.add(message.id)
            pool.submit(self._check, message)
            started += 1
        return started

    def _start_sends(self, pool: ThreadPoolExecutor, now: datetime) -> int:
        with self._guard:
            budget = min(
                self._threads - sum(self._in_flight.values()), 2 * self._threads - self._busy
            )
        slots: dict[Channel | None, int] = {}
        for channel in Channel:
            free = min(budget, self._free(channel, now))
            # A channel without a provider, or whose provider refused the credentials, is
            # left alone: its messages wait, untouched, and go once the provider is set up or
            # the credentials fixed (saving the settings wakes the worker).
            if free > 0 and self._outbox.waits(channel) is None:
                slots[channel] = free
        if not slots or not self._lease.held:
            return 0
        claimed = self._outbox.claim_slots(now, slots, budget, worker=self._lease.worker)
        for message in claimed:
            self._took(message.channel, now)
            pool.submit(self._send, message)
        return len(claimed)

    # Slots --------------------------------------------------------------------------------

    def _free(self, channel: Channel, now: datetime) -> int:
        limit = self._limits[channel]
        with self._guard:
            free = min(
                min(limit.max_in_flight, self._ramp[channel]) - self._in_flight[channel],
                self._threads - sum(self._in_flight.values()),
            )
            if limit.per_second is not None:
                starts = self._starts[channel]
                while starts and starts[0] <= now - RATE_WINDOW:
                    starts.popleft()
                free = min(free, limit.per_second - len(starts))
        return free

    def _took(self, channel: Channel, now: datetime) -> None:
        with self._guard:
            self._in_flight[channel] += 1
            self._busy += 1
            if self._limits[channel].per_second is not None:
                self._starts[channel].append(now)

    def _rate_wait(self, now: datetime) -> float:
        with self._guard:
            ends = [starts[0] + RATE_WINDOW for starts in self._starts.values() if starts]
        return max(0.0, (min(ends) - now).total_seconds()) if ends else self._poll

    def _widen(self, channel: Channel) -> None:
        """The provider answered: one more send may be in flight on this channel."""
        with self._guard:
            self._ramp[channel] = min(self._limits[channel].max_in_flight, self._ramp[channel] + 1)

    def _released(self, channel: Channel) -> None:
        with self._guard:
            self._in_flight[channel] -= 1
        self._wake.set()

    def _done(self) -> None:
        with self._guard:
            self._busy -= 1
        self._wake.set()

    # Tasks (on the pool's threads) --------------------------------------------------------

    def _send(self, message: OutboxMessage) -> None:
        answered = threading.Event()

        def sent() -> None:
            answered.set()
            self._widen(message.channel)
            self._released(message.channel)

        try:
            self._outbox.deliver(message, sent)
        except Exception:
            # The outcome could not be recorded: the row stays sending until a later step
            # marks it unknown (checked with the provider, never resent blindly).
            log.exception("outbox %d: recording the outcome failed", message.id)
            with self._guard:
                self._unrecorded.append(message)
        finally:
            if not answered.is_set():
                self._released(message.channel)
            self._done()

    def _check(self, message: OutboxMessage) -> None:
        try:
            self._outbox.check_unknown(message)
        except Exception:
            log.exception("outbox %d: reconciling failed", message.id)
        finally:
            self._checking.discard(message.id)
            self._released(message.channel)
            self._done()
