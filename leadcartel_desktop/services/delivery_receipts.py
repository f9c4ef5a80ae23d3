"""Delivery receipts: sent texts become delivered, or failed with the carrier's code and a hint.

The providers answer "accepted" when they take a text; whether the phone got it is known only
later. Each pull asks the providers about the texts sent in the last few days that are still
"sent" (nothing is asked when there are none, so the keychain is not opened for nothing), with
no transaction open, then settles what came back in one transaction. A receipt only moves a row
that is still "sent", so pulling twice changes nothing the second time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.services.ports import Clock, UnitOfWorkFactory
from leadcartel_desktop.services.receipt_ports import (
    AwaitingReceipt,
    ReceiptSource,
    no_receipt_sources,
)

log = logging.getLogger(__name__)
WINDOW = timedelta(days=3)  # carriers answer within minutes; one silent for days never will
BATCH = 10_000  # texts asked about per pull, oldest first (a large campaign: the rest next time)


@dataclass(frozen=True, slots=True)
class ReceiptPull:
    delivered: int = 0
    failed: int = 0
    problems: tuple[str, ...] = ()


class DeliveryReceiptService:
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        clock: Clock,
        sources: Callable[[], Sequence[ReceiptSource]] = no_receipt_sources,
        online: Callable[[], bool] = lambda: True,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self._uow = unit_of_work
        self._clock = clock
        self._sources = sources
        self._online = online
        self._on_change = on_change

    def pull(self, now: datetime | None = None) -> ReceiptPull:
        """Ask each provider about its recent sent texts; problems are reported, never raised."""
        when = now or self._clock.now()
        with self._uow(read_only=True) as uow:
            awaiting = uow.receipts.awaiting(when - WINDOW, BATCH)
        if not awaiting or not self._online():
            return ReceiptPull()
        try:
            sources = list(self._sources())
        except UserFacingError as error:
            return ReceiptPull(problems=(error.message,))
        total = ReceiptPull()
        for source in sources:
            mine = [item for item in awaiting if item.channel in source.channels]
            if mine:
                done = self._pull_one(source, mine, when)
                total = ReceiptPull(
                    total.delivered + done.delivered,
                    total.failed + done.failed,
                    total.problems + done.problems,
                )
        if (total.delivered or total.failed) and self._on_change is not None:
            self._on_change()
        return total

    def _pull_one(
        self, source: ReceiptSource, awaiting: list[AwaitingReceipt], now: datetime
    ) -> ReceiptPull:
        rows = {item.provider_id: item.outbox_id for item in awaiting}
        try:
            receipts = source.receipts(min(item.sent_at for item in awaiting), rows.keys())
        except UserFacingError as error:
            log.warning("delivery receipts from %s: %s", source.name, error.message)
            return ReceiptPull(problems=(f"Delivery receipts from {source.name}: {error.message}",))
        delivered = failed = 0
        with self._uow() as uow:
            for receipt in receipts:
                outbox_id = rows.get(receipt.provider_id)
                if outbox_id is None or not uow.receipts.settle(outbox_id, receipt, now):
                    continue
                if receipt.delivered:
                    delivered += 1
                else:
                    failed += 1
            uow.commit()
        return ReceiptPull(delivered, failed)
