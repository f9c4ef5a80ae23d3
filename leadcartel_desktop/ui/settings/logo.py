"""The logo field: choose a PNG (kept as bytes in the settings), preview it, or remove it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFileDialog, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.ui.forms import run_for
from leadcartel_desktop.ui.tasks import TaskRunner

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_LOGO_BYTES = 2 * 1024 * 1024
PREVIEW_WIDTH, PREVIEW_HEIGHT = 200, 80


def read_logo(path: Path) -> bytes:
    """The file's bytes if it is a PNG of reasonable size (runs in a worker)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ValidationError("Logo", f"cannot read {path.name}: {error.strerror}") from None
    if not data.startswith(PNG_SIGNATURE):
        raise ValidationError("Logo", f"{path.name} is not a PNG image")
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationError("Logo", f"{path.name} is larger than 2 MB")
    return data


class LogoField(QWidget):
    """Preview with Choose… and Remove; `failed` carries a refusal to show at the field."""

    changed = Signal()
    failed = Signal(object)  # ValidationError

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._logo: bytes | None = None
        self.preview = QLabel()
        self.preview.setObjectName("logoPreview")
        self.preview.setFrameShape(QFrame.Shape.StyledPanel)
        self.preview.setFixedSize(PREVIEW_WIDTH, PREVIEW_HEIGHT)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.choose_button = QPushButton("Choose PNG…")
        self.choose_button.setObjectName("chooseLogo")
        self.remove_button = QPushButton("Remove")
        self.remove_button.setObjectName("removeLogo")
        for button in (self.choose_button, self.remove_button):
            button.setAutoDefault(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.preview)
        layout.addWidget(self.choose_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addStretch(1)
        self.choose_button.clicked.connect(self.choose)
        self.remove_button.clicked.connect(lambda: self.set_logo(None, edited=True))
        self.set_logo(None)

    @property
    def logo(self) -> bytes | None:
        return self._logo

    def set_logo(self, data: bytes | None, *, edited: bool = False) -> None:
        self._logo = data
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data, "PNG"):
            self.preview.setPixmap(
                pixmap.scaled(
                    PREVIEW_WIDTH - 8,
                    PREVIEW_HEIGHT - 8,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.preview.clear()
            self.preview.setText("No logo" if not data else "Cannot show this PNG")
        self.remove_button.setEnabled(data is not None)
        if edited:
            self.changed.emit()

    def choose(self) -> None:
        dialog = QFileDialog(self, "Choose a logo")
        dialog.setObjectName("logoFileDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilter("PNG images (*.png)")
        dialog.fileSelected.connect(lambda path: self.load_file(Path(path)))
        dialog.open()

    def load_file(self, path: Path) -> None:
        run_for(
            self,
            self._tasks,
            lambda: read_logo(path),
            lambda data: self.set_logo(data, edited=True),
            self.failed.emit,
            database=False,
        )
