"""The periodic job: due reminders queued and the cloud status pulled, off the GUI thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.providers import ProviderKind

if TYPE_CHECKING:
    from leadcartel_desktop.services.registry import Services
    from leadcartel_desktop.ui.tasks import TaskRunner

log = logging.getLogger(__name__)
INTERVAL_MS = 5 * 60 * 1000
FIRST_RUN_MS = 15 * 1000  # once soon after the book opens
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PeriodicRun:
    """What one run did: reminders queued, invoices read from the cloud, what went wrong."""

    reminders: int = 0
    synced: int = 0
    problems: tuple[str, ...] = ()


def run_periodic(services: Services, now: datetime) -> PeriodicRun:
    """Queue due reminders; pull the cloud (invoices, pipelines), the replies and receipts.

    Each job runs on its own: one that fails, even with a bug, is reported (a bug is logged
    with its traceback) and the others still run.
    """
    settings = services.providers.settings()
    problems: list[str] = []
    reminders = synced = 0
    if any(
        kind is not ProviderKind.NONE for kind in (settings.email, settings.sms, settings.whatsapp)
    ):
        reminders = _job("reminders", problems, lambda: services.reminders.run_due(now), 0)
    if settings.uses_cloud:

        def pull_invoices() -> int:
            run = services.invoice_sync.pull(now)
            problems.extend(message for _invoice, message in run.problems)
            return run.checked

        synced = _job("the cloud invoices", problems, pull_invoices, 0)
        if services.outbox.unavailable(Channel.CLOUD) is None:  # set up, token saved
            # The cloud's pipelines and their stages; a stage removed there while deals sit in
            # it is a problem the pull that finds it reports.
            def pipelines() -> None:
                problems.extend(services.deal_sync.pull_pipelines().problems)

            _job("the pipelines", problems, pipelines, None)

    def replies() -> None:  # STOP and START applied
        problems.extend(services.inbound.pull(now).problems)

    def receipts() -> None:  # delivered, or failed
        problems.extend(services.delivery_receipts.pull(now).problems)

    _job("the replies", problems, replies, None)
    _job("the delivery receipts", problems, receipts, None)
    services.outbox.changed()  # the worker looks at once
    return PeriodicRun(reminders, synced, tuple(problems))


def _job(name: str, problems: list[str], work: Callable[[], T], otherwise: T) -> T:
    """`work()`, or `otherwise` with what went wrong added to `problems`."""
    try:
        return work()
    except UserFacingError as error:
        problems.append(error.message)
    except Exception:  # a bug in one job: logged with its traceback, the next job runs
        log.exception("periodic sync: %s failed", name)
        problems.append(f"Syncing {name} failed unexpectedly (see the log)")
    return otherwise


class PeriodicSync(QObject):
    """A QTimer that runs run_periodic in the TaskRunner; one run at a time."""

    ran = Signal(object)  # PeriodicRun
    # What went wrong, in one line, when it differs from the last run ("" once all is well);
    # the same problem every five minutes is shown once, not every time.
    problems_changed = Signal(str)

    def __init__(
        self,
        services: Services,
        tasks: TaskRunner,
        now: Callable[[], datetime] | None = None,
        parent: QObject | None = None,
        *,
        interval_ms: int = INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._tasks = tasks
        self._now = now or services.clock.now
        self._running = False
        self._last_problems: tuple[str, ...] = ()
        self._has_run = False
        self.timer = QTimer(self, interval=interval_ms)
        self.timer.timeout.connect(self.run_now)

    @property
    def latest_problems(self) -> tuple[str, ...] | None:
        """What the last finished run could not do; None before a run has finished."""
        return self._last_problems if self._has_run else None

    def start(self, first_ms: int | None = FIRST_RUN_MS) -> None:
        self.timer.start()
        if first_ms is not None:
            QTimer.singleShot(first_ms, self, self.run_now)

    def run_now(self) -> None:
        """The slot: start a run in the background unless one is under way."""
        if self._running:
            return
        self._running = True
        now = self._now()
        services = self._services
        self._tasks.run(
            lambda: run_periodic(services, now), self._finished, self._failed, database=False
        )

    def _finished(self, run: PeriodicRun) -> None:
        self._running = False
        self._has_run = True
        for problem in run.problems:
            log.warning("periodic sync: %s", problem)
        if run.problems != self._last_problems:
            self._last_problems = run.problems
            self.problems_changed.emit(problems_text(run.problems))
        self.ran.emit(run)

    def _failed(self, error: BaseException) -> None:
        self._running = False
        log.error("periodic sync failed", exc_info=(type(error), error, error.__traceback__))


def problems_text(problems: tuple[str, ...]) -> str:
    """'Sync: <the first problem> (and 2 more: View > Sync problems)', or '' when none."""
    if not problems:
        return ""
    more = f" (and {len(problems) - 1} more: View > Sync problems)" if len(problems) > 1 else ""
    return f"Sync: {problems[0]}{more}"
