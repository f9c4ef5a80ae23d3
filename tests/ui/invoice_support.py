"""Helpers for the invoice editor tests: a UI context on the real temp database, a business."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QPushButton, QWidget

from leadcartel_desktop.domain.taxes import TaxRate
from leadcartel_desktop.services.registry import Services
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.tasks import TaskRunner

VAT = TaxRate("VAT", Decimal(20))
REDUCED = TaxRate("Reduced", Decimal(10))


def make_ui(qtbot: Any, context: Any) -> Iterator[UiContext]:
    """A UiContext whose unexpected task errors fail the test."""
    errors: list[BaseException] = []
    tasks = TaskRunner(errors.append)
    yield UiContext(context.services, tasks, context.paths)
    qtbot.waitUntil(tasks.is_idle, timeout=10_000)
    tasks.wait_for_done()
    QApplication.processEvents()
    assert errors == []


def set_up_business(services: Services, currency: str = "EUR", locale: str = "en_US") -> None:
    business = services.settings.business()
    services.settings.save_business(
        replace(
            business,
            company_name="Cartel Consulting",
            default_currency=currency,
            locale=locale,
            default_country="US",
            default_terms="Payment within 30 days.",
            default_notes="Thank you for your business!",
        )
    )
    services.settings.save_tax_rates([VAT, REDUCED])


def find_dialog(parent: QWidget, kind: type, name: str | None = None) -> Any:
    for child in parent.findChildren(kind):
        if (name is None or child.objectName() == name) and child.isVisible():
            return child
    return None


def click_confirm(qtbot: Any, parent: QWidget) -> None:
    """Press the affirmative button of the confirmation the parent opened."""
    qtbot.waitUntil(lambda: find_dialog(parent, QMessageBox, "confirmDialog") is not None)
    box = find_dialog(parent, QMessageBox, "confirmDialog")
    box.findChild(QPushButton, "confirmYes").click()


def type_text(qtbot: Any, edit: QLineEdit, text: str) -> None:
    """Type like the operator; QTest only knows ASCII keys, so other letters are inserted."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(edit, char)
        else:
            edit.insert(char)


def tab_chain(start: QWidget) -> list[QWidget]:
    """The widgets Tab visits from `start`, in order, once round."""
    chain = [start]
    widget = start.nextInFocusChain()
    while widget is not start and len(chain) < 200:
        if (
            widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and widget.isEnabled()
            and widget.isVisible()
        ):
            chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain
