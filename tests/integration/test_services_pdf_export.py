"""Exporting invoices as PDF files into a folder: names, failures, cancellation, processes."""

from __future__ import annotations

import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.pdf.renderer import FpdfInvoiceRenderer
from leadcartel_desktop.services.registry import Services
from leadcartel_desktop.services.views import InvoiceQuery


@pytest.fixture
def serial(context: Any, clock: Any) -> Services:
    """The services with the in-thread exporter (the app's own uses worker processes)."""
    return Services.build(context.database.unit_of_work, clock, FpdfInvoiceRenderer())


def _book(services: Any, descriptions: list[str]) -> list[int]:
    services.settings.save_business(BusinessSettings(company_name="Acme"))
    customer = services.contacts.create(Contact(first_name="Ann", last_name="Lee"))
    ids = []
    for description in descriptions:
        content = InvoiceContent(
            contact_id=customer.id,
            currency="USD",
            issue_date=date(2026, 3, 1),
            due_date=date(2026, 3, 31),
            lines=(LineItem(description, Decimal(1), 10000),),
        )
        ids.append(services.invoices.save_draft(content))
    return ids


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def _text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_each_invoice_becomes_a_file_named_by_its_number(serial: Services, out: Path) -> None:
    first, second, _draft = _book(serial, ["Design", "Hosting", "Support"])
    serial.invoices.issue(first)
    serial.invoices.issue(second)
    seen: list[tuple[int, int]] = []

    result = serial.pdf_export.export(
        serial.pdf_export.invoice_ids(InvoiceQuery()),
        out,
        lambda done, total: seen.append((done, total)),
    )

    assert (result.written, result.failed, result.cancelled) == (3, (), False)
    names = sorted(path.name for path in out.iterdir())
    assert names == ["Draft-3.pdf", "INV-2026-0001.pdf", "INV-2026-0002.pdf"]
    assert "Hosting" in _text(out / "INV-2026-0002.pdf")
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_a_failure_is_named_and_the_others_are_written(serial: Services, out: Path) -> None:
    ids = _book(serial, ["Cake 🎂", "Tea"])

    result = serial.pdf_export.export(ids, out)

    assert result.written == 1
    [failure] = result.failed
    assert failure.path.name == "Draft-1.pdf"
    assert "U+1F382" in failure.message
    assert [path.name for path in out.iterdir()] == ["Draft-2.pdf"]


def test_cancel_stops_between_files(serial: Services, out: Path) -> None:
    ids = _book(serial, ["One", "Two", "Three"])
    done: list[int] = []

    result = serial.pdf_export.export(
        ids, out, lambda step, _total: done.append(step), lambda: len(done) >= 1
    )

    assert result.cancelled and result.written == 1
    assert [path.name for path in out.iterdir()] == ["Draft-1.pdf"]


def test_a_missing_folder_is_refused(serial: Services, out: Path) -> None:
    ids = _book(serial, ["One"])

    with pytest.raises(ValidationError):
        serial.pdf_export.export(ids, out / "nowhere")


@pytest.mark.slow
def test_the_app_exports_in_worker_processes(services: Any, out: Path) -> None:
    ids = _book(services, ["Design", "Hosting"])
    seen: list[int] = []

    result = services.pdf_export.export(ids, out, lambda done, _total: seen.append(done))

    assert (result.written, result.failed, result.cancelled) == (2, (), False)
    assert sorted(path.name for path in out.iterdir()) == ["Draft-1.pdf", "Draft-2.pdf"]
    assert seen == [1, 2]
    assert "Hosting" in _text(out / "Draft-2.pdf")
