"""The filters the board, the list and the forecast share: status, close dates and search."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from leadcartel_desktop.domain.deals import DealStatus
from leadcartel_desktop.services.deal_views import DealFilter
from leadcartel_desktop.ui.forms import date_edit, to_date, to_qdate
from leadcartel_desktop.ui.widgets.search_box import SearchBox


class DealFilterBar(QWidget):
    """`changed` fires once per change (the search box waits for typing to pause)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, search_in_bar: bool = True) -> None:
        """`search_in_bar=False` leaves `search_box` for the caller to place (a wider row)."""
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Show:"))
        self.status_boxes: dict[DealStatus, QCheckBox] = {}
        for status in DealStatus:
            box = QCheckBox(status.label)
            box.setObjectName(f"show{status.label}")
            box.setChecked(status is DealStatus.OPEN)
            box.toggled.connect(lambda _on: self.changed.emit())
            self.status_boxes[status] = box
            layout.addWidget(box)
        layout.addSpacing(6)
        self.from_box, self.from_date = self._date_filter("Closes from", "closeFrom")
        self.to_box, self.to_date = self._date_filter("to", "closeTo")
        for widget in (self.from_box, self.from_date, self.to_box, self.to_date):
            layout.addWidget(widget)
        layout.addSpacing(6)
        # Short enough to show whole in the 140 px a 1024 px window leaves it.
        self.search_box = SearchBox("Search deals")
        self.search_box.setToolTip("Finds deals by their name or their contact's name")
        self.search_box.setObjectName("dealSearch")
        self.search_box.setMinimumWidth(140)
        self.search_box.search_changed.connect(lambda _text: self.changed.emit())
        if search_in_bar:
            layout.addWidget(self.search_box, 1)
        else:
            layout.addStretch(1)

    def _date_filter(self, text: str, name: str) -> tuple[QCheckBox, QDateEdit]:
        box = QCheckBox(text)
        box.setObjectName(f"{name}Enabled")
        edit = date_edit(name)
        edit.setDate(QDate.currentDate())
        edit.setEnabled(False)
        box.toggled.connect(edit.setEnabled)
        box.toggled.connect(lambda _on: self.changed.emit())
        edit.dateChanged.connect(lambda _d: box.isChecked() and self.changed.emit())
        return box, edit

    def filters(self) -> DealFilter:
        statuses = frozenset(s for s, box in self.status_boxes.items() if box.isChecked())
        return DealFilter(
            # None ticked reads as "every status" (the service's meaning of an empty set).
            statuses=statuses,
            close_from=to_date(self.from_date.date()) if self.from_box.isChecked() else None,
            close_to=to_date(self.to_date.date()) if self.to_box.isChecked() else None,
            search=self.search_box.text().strip(),
        )

    def set_statuses(self, statuses: frozenset[DealStatus]) -> None:
        for status, box in self.status_boxes.items():
            box.setChecked(status in statuses)

    def set_close_range(self, start: date | None, end: date | None) -> None:
        for box, edit, value in (
            (self.from_box, self.from_date, start),
            (self.to_box, self.to_date, end),
        ):
            if value is not None:
                edit.setDate(to_qdate(value))
            box.setChecked(value is not None)
