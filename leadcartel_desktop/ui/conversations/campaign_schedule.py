"""When a campaign sends: pacing, allowed days and hours, now or at a time in the business zone."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from leadcartel_desktop.domain.campaigns import DEFAULT_PER_MINUTE, MAX_PER_MINUTE
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.send_windows import DAY_NAMES, QUIET_END, QUIET_START
from leadcartel_desktop.services.clock import shown_zone
from leadcartel_desktop.services.outbox_view import BusinessTime
from leadcartel_desktop.ui.forms import date_edit, error_label, to_date, to_qdate

QUIET_NOTE = (
    f"SMS and WhatsApp messages never go between {QUIET_START:%H:%M} and {QUIET_END:%H:%M} in "
    "the recipient's time zone (the business's when theirs is not known); they wait."
)


def _time(value: QTime) -> time:
    return time(value.hour(), value.minute())


class CampaignSchedule(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("campaignSchedule")
        self.time_zone = "UTC"
        self.shown = BusinessTime()  # how a time reads (the business's zone and locale)
        self.per_minute = QSpinBox()
        self.per_minute.setObjectName("campaignPerMinute")
        self.per_minute.setAccessibleName("Messages per minute")
        self.per_minute.setRange(1, MAX_PER_MINUTE)
        self.per_minute.setValue(DEFAULT_PER_MINUTE)
        self.per_minute.setSuffix(" per minute")
        self.per_minute.setMaximumWidth(180)
        self.days: list[QCheckBox] = []
        days_row = QHBoxLayout()
        self.days_box = QWidget()
        self.days_box.setObjectName("campaignDays")
        self.days_box.setAccessibleName("Days")
        self.days_box.setLayout(days_row)
        days_row.setContentsMargins(0, 0, 0, 0)
        for position, name in enumerate(DAY_NAMES):
            box = QCheckBox(name[:3])
            box.setObjectName(f"campaignDay{position}")
            box.setToolTip(name)
            box.setChecked(True)
            self.days.append(box)
            days_row.addWidget(box)
        days_row.addStretch(1)
        self.start = QTimeEdit(QTime(0, 0))
        self.start.setObjectName("campaignHoursFrom")
        self.start.setDisplayFormat("HH:mm")
        self.end = QTimeEdit(QTime(0, 0))
        self.end.setObjectName("campaignHoursTo")
        self.end.setDisplayFormat("HH:mm")
        self.hours_box = QWidget()
        self.hours_box.setAccessibleName("Hours")
        hours = QHBoxLayout(self.hours_box)
        hours.setContentsMargins(0, 0, 0, 0)
        hours.addWidget(QLabel("from"))
        hours.addWidget(self.start)
        hours.addWidget(QLabel("to"))
        hours.addWidget(self.end)
        self.span_note = QLabel(objectName="campaignHoursSpan")
        hours.addWidget(self.span_note)
        hours.addStretch(1)
        self.start.timeChanged.connect(self._show_span)
        self.end.timeChanged.connect(self._show_span)
        self._show_span()
        self.quiet_note = QLabel(QUIET_NOTE)
        self.quiet_note.setObjectName("campaignQuietNote")
        self.quiet_note.setWordWrap(True)
        self.now_button = QRadioButton("Send &now")
        self.now_button.setObjectName("campaignSendNow")
        self.now_button.setChecked(True)
        self.later_button = QRadioButton("Schedule &at")
        self.later_button.setObjectName("campaignSchedule")
        group = QButtonGroup(self)
        group.addButton(self.now_button)
        group.addButton(self.later_button)
        self.send_date = date_edit("campaignSendDate")
        self.send_date.setAccessibleName("Send date")
        self.send_time = QTimeEdit(QTime(9, 0))
        self.send_time.setObjectName("campaignSendTime")
        self.send_time.setDisplayFormat("HH:mm")
        self.zone_label = QLabel()
        self.zone_label.setObjectName("campaignZone")
        self.when_box = QWidget()
        self.when_box.setAccessibleName("Send at")
        when = QHBoxLayout(self.when_box)
        when.setContentsMargins(0, 0, 0, 0)
        when.addWidget(self.later_button)
        when.addWidget(self.send_date)
        when.addWidget(self.send_time)
        when.addWidget(self.zone_label)
        when.addStretch(1)
        self.per_minute_error = error_label("campaignPerMinuteError")
        self.days_error = error_label("campaignDaysError")
        self.hours_error = error_label("campaignHoursError")
        self.when_error = error_label("campaignWhenError")
        form = QFormLayout(self)
        form.addRow("&Pace", self.per_minute)
        form.addRow("", self.per_minute_error)
        form.addRow("Days", self.days_box)
        form.addRow("", self.days_error)
        form.addRow("Hours", self.hours_box)
        form.addRow("", self.hours_error)
        form.addRow("", self.quiet_note)
        form.addRow("Start", self.now_button)
        form.addRow("", self.when_box)
        form.addRow("", self.when_error)
        self.later_button.toggled.connect(self._later_toggled)
        self._later_toggled(False)

    def _show_span(self) -> None:
        """Say what the two times mean: equal times are the whole day, not no time at all."""
        start, end = self.start.time(), self.end.time()
        minutes = (start.secsTo(end) // 60) % (24 * 60)
        if minutes == 0:
            self.span_note.setText("(all day)")
        else:
            hours, rest = divmod(minutes, 60)
            length = f"{hours} h {rest:02d} min" if rest else f"{hours} h"
            self.span_note.setText(f"({length} a day)")

    def set_business_zone(self, shown: BusinessTime, today: date) -> None:
        self.shown = shown
        self.time_zone = shown.time_zone
        self.zone_label.setText(f"in {shown.time_zone} (the business's time zone)")
        self.send_date.setDate(to_qdate(today + timedelta(days=1)))

    def set_channel(self, channel: Channel) -> None:
        self.quiet_note.setVisible(channel in (Channel.SMS, Channel.WHATSAPP))

    def _later_toggled(self, later: bool) -> None:
        for widget in (self.send_date, self.send_time, self.zone_label):
            widget.setEnabled(later)

    def weekdays(self) -> frozenset[int]:
        return frozenset(position for position, box in enumerate(self.days) if box.isChecked())

    def hours(self) -> tuple[time, time]:
        return _time(self.start.time()), _time(self.end.time())

    def send_at_local(self) -> tuple[date, time] | None:
        """The local date and time chosen (in the business zone), None for now."""
        if not self.later_button.isChecked():
            return None
        return to_date(self.send_date.date()), _time(self.send_time.time())

    def describe_start(self) -> str:
        """'now', or the start as campaigns write times: '11 Mar 2026 09:00 (Europe/Paris)'."""
        chosen = self.send_at_local()
        if chosen is None:
            return "now"
        day, at = chosen
        # A name the zone list refuses is refused with the field named before this is asked.
        return self.shown.named(datetime.combine(day, at, tzinfo=shown_zone(self.time_zone)))
