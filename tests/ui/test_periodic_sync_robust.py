"""The periodic job: one job's failure, even a bug, is reported and the other jobs still run."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.providers import SecretName
from leadcartel_desktop.domain.reminders import ReminderSchedule, ReminderStep
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.sandbox import Sandbox
from leadcartel_desktop.services.registry import Services
from leadcartel_desktop.services.send_invoice import DEFAULT_TEMPLATES
from leadcartel_desktop.ui.periodic_sync import PeriodicRun, PeriodicSync, run_periodic
from leadcartel_desktop.ui.tasks import TaskRunner
from tests.conftest import FixedClock
from tests.integration.send_support import draft_for_ada, sandbox_app

ADA = "+6591234567"  # draft_for_ada's customer


@contextmanager
def cloud_app(home: Path, clock: FixedClock, folder: Path) -> Iterator[tuple[Services, Sandbox]]:
    with sandbox_app(home, clock, folder) as (context, sandbox, _keys):
        services = context.services
        services.providers.save_secret(SecretName.CLOUD_TOKEN, sandbox.credentials.cloud_token)
        yield services, sandbox


def synced_invoice(services: Services, sandbox: Sandbox) -> str:
    """A draft for Ada sent through the cloud; the cloud's id of it."""
    invoice_id = draft_for_ada(services)
    texts = {
        "subject": DEFAULT_TEMPLATES.subject,
        "message": DEFAULT_TEMPLATES.message,
        "sms_message": DEFAULT_TEMPLATES.sms_message,
    }
    services.send_invoice.send(invoice_id, [Channel.EMAIL], **texts, send_key="s1")
    (remote_id,) = list(sandbox.cloud.invoices.invoices)
    return remote_id


def overdue_for_ann(services: Services) -> int:
    """Issued, due 2026-03-02: the clock's 2026-03-10 makes the 3-day reminder due."""
    services.reminders.save_schedule(ReminderSchedule(steps=(ReminderStep(3),)))
    ann = services.contacts.create(Contact("Ann", "Lee", "ann@example.com"))
    content = InvoiceContent(
        contact_id=ann.id,
        currency="USD",
        issue_date=date(2026, 2, 20),
        due_date=date(2026, 3, 2),
        lines=(LineItem("Work", Decimal(1), 10_000),),
    )
    return int(services.invoices.issue(services.invoices.save_draft(content)).id)


def test_a_bug_in_the_cloud_pull_is_logged_and_reported_and_the_other_jobs_run(
    home: Path,
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with cloud_app(home, clock, tmp_path / "sb") as (services, sandbox):
        synced_invoice(services, sandbox)
        overdue_for_ann(services)
        sandbox.controls("twilio").receive(ADA, "STOP")  # a reply waiting to be pulled

        def broken(*_args: Any, **_kwargs: Any) -> None:
            raise RuntimeError("a bug in the invoice sync")

        monkeypatch.setattr(services.invoice_sync, "pull", broken)
        with caplog.at_level(logging.ERROR, logger="leadcartel_desktop.ui.periodic_sync"):
            run = run_periodic(services, clock.now() + timedelta(seconds=1))

        assert run.reminders == 1  # ran before
        assert services.threads.is_opted_out(Channel.SMS, ADA)  # the replies ran after
        assert run.problems == ("Syncing the cloud invoices failed unexpectedly (see the log)",)
        (record,) = [r for r in caplog.records if r.exc_info]
        assert record.exc_info is not None and isinstance(record.exc_info[1], RuntimeError)


def test_a_bug_in_the_replies_does_not_stop_the_receipts(
    home: Path,
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with cloud_app(home, clock, tmp_path / "sb") as (services, _sandbox):
        pulled: list[object] = []
        real = services.delivery_receipts.pull

        def receipts(now: Any) -> Any:
            pulled.append(now)
            return real(now)

        def broken(*_args: Any, **_kwargs: Any) -> None:
            raise KeyError("sid")

        monkeypatch.setattr(services.inbound, "pull", broken)
        monkeypatch.setattr(services.delivery_receipts, "pull", receipts)
        with caplog.at_level(logging.ERROR, logger="leadcartel_desktop.ui.periodic_sync"):
            run = run_periodic(services, clock.now())
        assert len(pulled) == 1
        assert run.problems == ("Syncing the replies failed unexpectedly (see the log)",)
        assert any(r.exc_info for r in caplog.records)


def test_the_timer_job_reports_a_garbage_cloud_answer_and_keeps_running(
    qtbot: QtBot, home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with cloud_app(home, clock, tmp_path / "sb") as (services, sandbox):
        remote_id = synced_invoice(services, sandbox)
        overdue_for_ann(services)
        sandbox.cloud.invoices.invoices[remote_id]["amountPaid"] = float("nan")
        errors: list[BaseException] = []
        job = PeriodicSync(services, TaskRunner(errors.append), now=clock.now)
        told: list[str] = []
        job.problems_changed.connect(told.append)
        with qtbot.waitSignal(job.ran, timeout=10_000) as signal:
            job.run_now()
        run: PeriodicRun = signal.args[0]
        assert errors == []
        assert run.reminders == 1 and run.synced == 1
        (problem,) = run.problems
        assert "amountPaid nan is not an amount" in problem
        assert told == [f"Sync: {problem}"]
