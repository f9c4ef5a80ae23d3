"""Secondary text (a footnote, a form's guidance): quieter than the rest, still readable."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel

# The share of the text colour kept; the rest is the background's. A disabled label (Qt's
# usual "grey") falls to about 2:1 contrast on Fusion, below what reads comfortably.
TEXT_SHARE = 0.72


def hint_label(text: str) -> QLabel:
    """A word-wrapped label in the hint colour (light and dark themes alike)."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setObjectName("hintText")
    as_hint(label)
    return label


def as_hint(label: QLabel) -> None:
    """Give an existing label the hint colour."""
    palette = label.palette()
    ink = palette.color(QPalette.ColorRole.WindowText)
    paper = palette.color(QPalette.ColorRole.Window)
    palette.setColor(QPalette.ColorRole.WindowText, _mix(ink, paper, TEXT_SHARE))
    label.setPalette(palette)


def _mix(ink: QColor, paper: QColor, share: float) -> QColor:
    return QColor.fromRgbF(
        ink.redF() * share + paper.redF() * (1 - share),
        ink.greenF() * share + paper.greenF() * (1 - share),
        ink.blueF() * share + paper.blueF() * (1 - share),
    )
