"""A sender's lease: the rows it claims name it, and its heartbeat says it is still alive.

A row left `sending` is only taken as interrupted (unknown, reconciled before any resend) when
no live sender holds it: claimed outside any lease, by a sender that stopped cleanly, or by one
whose heartbeat is older than STALE_AFTER. A sender in another thread or process that is
sending it right now keeps its row, so it is never sent twice.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from leadcartel_desktop.services.ports import UnitOfWorkFactory

log = logging.getLogger(__name__)
# A live sender beats at most this often (one short UPDATE) ...
BEAT_EVERY = timedelta(seconds=10)
# ... and one silent this long is taken as gone (killed, hung). It must stay well above
# BEAT_EVERY and the worker's longest wait between looks (its poll, 30 s).
STALE_AFTER = timedelta(minutes=2)


class OutboxLease:
    """One sender's row in outbox_workers: taken at start, kept by beats, ended at a clean stop.

    Not thread-safe: one thread (the worker's loop, or process_due's caller) uses it.
    """

    def __init__(
        self, unit_of_work: UnitOfWorkFactory, *, beat_every: timedelta = BEAT_EVERY
    ) -> None:
        self.worker = uuid.uuid4().hex
        self._uow = unit_of_work
        self._beat_every = beat_every
        self._beat_at: datetime | None = None  # the last heartbeat written (None: not held)

    @property
    def held(self) -> bool:
        return self._beat_at is not None

    @property
    def beat_at(self) -> datetime | None:
        return self._beat_at

    def take(self, now: datetime) -> None:
        with self._uow() as uow:
            uow.outbox_workers.register(self.worker, now)
            uow.commit()
        self._beat_at = now

    def keep(self, now: datetime) -> bool:
        """Beat when one is due (a clock set back counts as due); True when one was written.

        A lease another sender removed as stale (this process was suspended, say) is taken
        again: rows it held meanwhile were marked interrupted, and their outcomes are kept
        off them (see OutboxRecorder).
        """
        if self._beat_at is not None and timedelta(0) <= now - self._beat_at < self._beat_every:
            return False
        with self._uow() as uow:
            if not uow.outbox_workers.beat(self.worker, now):
                if self._beat_at is not None:
                    log.warning("outbox: this sender's lease was taken as stale; taking it again")
                uow.outbox_workers.register(self.worker, now)
            uow.commit()
        self._beat_at = now
        return True

    def end(self) -> None:
        """Give the lease up (a clean stop): nothing it claimed is still being sent."""
        with self._uow() as uow:
            uow.outbox_workers.release(self.worker)
            uow.commit()
        self._beat_at = None
