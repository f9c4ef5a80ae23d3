"""Show errors: the operator's own mistakes plainly, bugs with a pointer to the log."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from leadcartel_desktop.domain.errors import UserFacingError

log = logging.getLogger(__name__)


def error_text(error: BaseException) -> str:
    if isinstance(error, UserFacingError):
        return error.message
    where = log_file()
    details = f"The details are in the log file:\n{where}" if where else "The details are logged."
    return f"Something went wrong. {details}"


def log_file() -> str:
    """The log file the app writes (the Support pane that will show it is not there yet)."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.FileHandler):
            return handler.baseFilename
    return ""


def logged_error_text(error: BaseException) -> str:
    """error_text(), with a bug's traceback logged first (the text points at the log)."""
    if not isinstance(error, UserFacingError):
        log.error("Unexpected error", exc_info=(type(error), error, error.__traceback__))
    return error_text(error)


def show_error(parent: QWidget | None, error: BaseException, title: str = "Lead Cartel") -> None:
    """A warning for UserFacingError; anything else is a bug, logged with its traceback."""
    text = logged_error_text(error)
    box = QMessageBox(parent)
    box.setIcon(
        QMessageBox.Icon.Warning
        if isinstance(error, UserFacingError)
        else QMessageBox.Icon.Critical
    )
    box.setWindowTitle(title)
    box.setText(text)
    box.setObjectName("errorDialog")
    box.open()
