"""Before an invoice is issued, printed or saved as PDF: a nameless business goes to Settings."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.errors import show_error
from leadcartel_desktop.ui.forms import confirm, run_for

MISSING_SELLER = (
    "Your company name is not set yet, so this invoice would show no seller. "
    "Add your business details in Settings (Business tab) first."
)
SETTINGS_NOTE = "Add your company name and address: they appear on every invoice."


def with_seller(owner: QWidget, context: UiContext, then: Callable[[], object]) -> None:
    """`then()` once the business has a name; without one, offer Settings and go on once saved."""
    settings = context.services.settings

    def checked(company_name: str) -> None:
        if company_name.strip():
            then()
            return
        confirm(
            owner,
            "Business details missing",
            MISSING_SELLER,
            lambda: open_business_settings(owner, context, then),
            "Open Settings…",
        )

    run_for(
        owner,
        context.tasks,
        lambda: settings.business().company_name,
        checked,
        lambda error: show_error(owner, error),
    )


def open_business_settings(owner: QWidget, context: UiContext, then: Callable[[], object]) -> None:
    from leadcartel_desktop.ui.settings.dialog import SettingsDialog

    dialog = SettingsDialog(context, owner, SETTINGS_NOTE)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.saved.connect(then)
    dialog.open()
