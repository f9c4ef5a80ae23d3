"""Show errors: the operator's own mistakes plainly, bugs with a pointer to the log."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from leadcartel_desktop.domain.errors import UserFacingError

log = logging.getLogger(__name__)


def error_text(error: BaseException) -> str:
    if isinstance(error, UserFacingError):
        return error.message
    return "Something went wrong. The details are in the log (Support > Logs)."


def show_error(parent: QWidget | None, error: BaseException, title: str = "Lead Cartel") -> None:
    """A warning for UserFacingError; anything else is a bug, logged with its traceback."""
    if not isinstance(error, UserFacingError):
        log.error("Unexpected error", exc_info=(type(error), error, error.__traceback__))
    box = QMessageBox(parent)
    box.setIcon(
        QMessageBox.Icon.Warning
        if isinstance(error, UserFacingError)
        else QMessageBox.Icon.Critical
    )
    box.setWindowTitle(title)
    box.setText(error_text(error))
    box.setObjectName("errorDialog")
    box.open()
