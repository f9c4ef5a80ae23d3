"""A book started empty asks for the business details; a nameless seller is never printed."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton

from leadcartel_desktop.__main__ import Startup
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.paths import resolve_paths
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.first_run import BUSINESS_NOTE, FirstRunDialog
from leadcartel_desktop.ui.gc_policy import MainThreadCollector
from leadcartel_desktop.ui.invoices.editor import InvoiceEditorDialog
from leadcartel_desktop.ui.invoices.seller_check import MISSING_SELLER
from leadcartel_desktop.ui.main_window import MainWindow
from leadcartel_desktop.ui.settings.dialog import SettingsDialog
from leadcartel_desktop.ui.tasks import TaskRunner
from tests.ui.invoice_support import find_dialog, make_ui


class _NoBookYet:
    """What EarlyBook is on a first start: nothing opened."""

    opens_book = False

    def wait(self) -> None:
        return None


def test_start_empty_opens_the_business_settings(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def choose_empty(dialog: FirstRunDialog) -> int:
        dialog.empty_button.click()
        return int(FirstRunDialog.DialogCode.Accepted)

    monkeypatch.setattr(FirstRunDialog, "exec", choose_empty)
    home = tmp_path / "fresh"
    errors: list[BaseException] = []
    tasks = TaskRunner(errors.append)
    window = MainWindow(resolve_paths(home).ensure(), tasks)
    qtbot.addWidget(window)
    window.show()
    args = argparse.Namespace(home=str(home), demo_if_empty=False, quit_when_ready=False)
    collector = MainThreadCollector()  # not started: the suite keeps its own collection
    startup = Startup(
        QApplication.instance(), window, tasks, args, _NoBookYet(), collector=collector
    )  # type: ignore[arg-type]
    try:
        startup.start()
        qtbot.waitUntil(lambda: find_dialog(window, SettingsDialog) is not None, timeout=20_000)
        settings: SettingsDialog = find_dialog(window, SettingsDialog)
        qtbot.waitUntil(settings.save_button.isEnabled, timeout=10_000)
        assert settings.note.isVisible()
        assert settings.note.text() == BUSINESS_NOTE
        assert settings.tabs.currentIndex() == 0  # Business
        assert settings.text["company_name"].text() == ""
        settings.reject()
    finally:
        startup.close()
    assert errors == []


@pytest.fixture
def blank_business(qtbot: Any, context: Any) -> Iterator[UiContext]:
    """A fresh book: no company name, as "Start empty" leaves it."""
    yield from make_ui(qtbot, context)


def draft_invoice(ui: UiContext) -> int:
    contact = ui.services.contacts.create(Contact("Ada", "Lovelace", "ada@example.com"))
    content = InvoiceContent(
        contact_id=contact.id,
        currency="USD",
        issue_date=date(2026, 3, 1),
        due_date=date(2026, 3, 31),
        lines=(LineItem("Audit", Decimal(1), 10_000),),
    )
    return ui.services.invoices.save_draft(content)


def open_editor(qtbot: Any, ui: UiContext, invoice_id: int) -> InvoiceEditorDialog:
    dialog = InvoiceEditorDialog(ui, invoice_id)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.show()
    return dialog


def _missing_seller_box(dialog: InvoiceEditorDialog) -> QMessageBox | None:
    box = find_dialog(dialog, QMessageBox, "confirmDialog")
    return box if box is not None and box.text() == MISSING_SELLER else None


@pytest.mark.parametrize("button", ["issue", "save_pdf"])
def test_no_company_name_points_to_settings(
    qtbot: Any, blank_business: UiContext, button: str
) -> None:
    ui = blank_business
    invoice_id = draft_invoice(ui)
    dialog = open_editor(qtbot, ui, invoice_id)
    qtbot.mouseClick(getattr(dialog.actions_bar, button), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _missing_seller_box(dialog) is not None, timeout=10_000)
    assert find_dialog(dialog, QFileDialog, "savePdfDialog") is None
    box = _missing_seller_box(dialog)
    assert box is not None
    box.findChild(QPushButton, "confirmYes").click()  # "Open Settings…"
    qtbot.waitUntil(lambda: find_dialog(dialog, SettingsDialog) is not None, timeout=10_000)
    settings: SettingsDialog = find_dialog(dialog, SettingsDialog)
    qtbot.waitUntil(settings.save_button.isEnabled, timeout=10_000)
    assert settings.note.isVisible() and "company name" in settings.note.text()
    assert settings.tabs.currentIndex() == 0
    settings.text["company_name"].setText("Cartel Consulting")
    with qtbot.waitSignal(settings.saved, timeout=10_000):
        qtbot.mouseClick(settings.save_button, Qt.MouseButton.LeftButton)
    # Once the business has a name, what the operator asked for goes on.
    if button == "issue":
        qtbot.waitUntil(
            lambda: (
                (box := find_dialog(dialog, QMessageBox, "confirmDialog")) is not None
                and box.windowTitle() == "Issue invoice"
            ),
            timeout=10_000,
        )
    else:
        qtbot.waitUntil(
            lambda: find_dialog(dialog, QFileDialog, "savePdfDialog") is not None, timeout=10_000
        )
    assert ui.services.invoices.get(invoice_id).is_draft


def test_a_named_business_goes_straight_on(qtbot: Any, blank_business: UiContext) -> None:
    ui = blank_business
    business = ui.services.settings.business()
    ui.services.settings.save_business(replace(business, company_name="Cartel Consulting"))
    dialog = open_editor(qtbot, ui, draft_invoice(ui))
    qtbot.mouseClick(dialog.actions_bar.save_pdf, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: find_dialog(dialog, QFileDialog, "savePdfDialog") is not None, timeout=10_000
    )
    assert _missing_seller_box(dialog) is None
