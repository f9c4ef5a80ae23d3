"""Settings > Reminders: the steps after the due date and a message template per channel."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.reminders import (
    MAX_DAYS,
    MAX_STEPS,
    MERGE_FIELDS,
    REMINDER_CHANNELS,
    ReminderSchedule,
    ReminderStep,
    ReminderTemplate,
)
from leadcartel_desktop.domain.whatsapp import TEMPLATE_FIELD, VARIABLES_FIELD
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.forms import FieldErrors, error_label, run_for, with_error
from leadcartel_desktop.ui.widgets.whatsapp_template import WhatsAppTemplateFields

log = logging.getLogger(__name__)
CHANNEL_NAMES = {Channel.EMAIL: "Email", Channel.SMS: "SMS", Channel.WHATSAPP: "WhatsApp"}
WHATSAPP_NOTE = (
    "WhatsApp refuses free text more than 24 hours after the customer's last WhatsApp "
    "message, which is when most reminders go. Give an approved template for those: without "
    "one such a reminder waits (it is reported as skipped) until a template is set here."
)


def _label(channel: Channel) -> str:
    """The field name the schedule's errors use ("Sms message")."""
    return channel.value.capitalize()


class StepRow(QWidget):
    """One step: N days after the due date, on a channel, with a Remove button."""

    def __init__(self, step: ReminderStep, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.days = QSpinBox(objectName="reminderDays", minimum=1, maximum=MAX_DAYS)
        self.days.setValue(step.days)
        self.days.setSuffix(" days after the due date")
        self.channel = QComboBox(objectName="reminderChannel")
        for channel in REMINDER_CHANNELS:
            self.channel.addItem(CHANNEL_NAMES[channel], channel)
        self.channel.setCurrentIndex(REMINDER_CHANNELS.index(step.channel))
        self.remove = QPushButton("Remove", objectName="removeReminderStep")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.days, 1)
        row.addWidget(QLabel("by"))
        row.addWidget(self.channel)
        row.addWidget(self.remove)

    def step(self) -> ReminderStep:
        return ReminderStep(self.days.value(), Channel(self.channel.currentData()))


class RemindersPanel(QWidget):
    """Loads the schedule and edits it; the Settings dialog's Save keeps it."""

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("remindersPanel")
        self._context = context
        self.message = error_label("remindersError")
        self.errors = FieldErrors(self.message)
        self.enabled = QCheckBox("Send payment reminders", objectName="remindersEnabled")
        self.rows: list[StepRow] = []
        self._steps_box = QVBoxLayout()
        self.add_step = QPushButton("Add step", objectName="addReminderStep")
        self.add_step.clicked.connect(lambda: self._add_row(self._next_step()))
        self.bodies: dict[Channel, QPlainTextEdit] = {}
        self.subject = QLineEdit(objectName="reminderEmailSubject")
        self.whatsapp = WhatsAppTemplateFields("1={customer_first_name}; 2={invoice_number}")
        self.whatsapp.set_note(WHATSAPP_NOTE)
        self.loaded = False  # the stored schedule is shown (until then there is nothing to save)
        self._build()
        run_for(
            self,
            context.tasks,
            context.services.reminders.schedule,
            self.show_schedule,
            self._not_loaded,
        )

    def _build(self) -> None:
        steps = QGroupBox("Steps", objectName="reminderSteps")
        # The steps say when the schedule sends; with reminders off they do nothing. The
        # messages stay editable: "Send reminder now" uses them either way.
        steps.setEnabled(self.enabled.isChecked())
        self.enabled.toggled.connect(steps.setEnabled)
        column = QVBoxLayout(steps)
        column.addLayout(self._steps_box)
        column.addWidget(self.add_step)
        templates = QGroupBox("Messages")
        form = QFormLayout(templates)
        fields = ", ".join("{" + name + "}" for name in MERGE_FIELDS)
        merge = QLabel(f"Merge fields: {fields}", objectName="reminderMergeFields")
        merge.setWordWrap(True)
        form.addRow(merge)
        self._field(form, "Email subject", "Email subject", self.subject)
        for channel in REMINDER_CHANNELS:
            body = QPlainTextEdit(objectName=f"reminder{_label(channel)}Body")
            body.setFixedHeight(90)
            self.bodies[channel] = body
            self._field(
                form, f"{CHANNEL_NAMES[channel]} message", f"{_label(channel)} message", body
            )
        whatsapp = QGroupBox("WhatsApp approved template")
        column = QVBoxLayout(whatsapp)
        column.addWidget(self.whatsapp)
        for field, widget in (
            (TEMPLATE_FIELD, self.whatsapp.template_id),
            (VARIABLES_FIELD, self.whatsapp.variables_edit),
        ):
            label = error_label(f"error{field.replace(' ', '')}")
            self.errors.add(field, widget, label)
            column.addWidget(label)
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.addWidget(self.enabled)
        layout.addWidget(steps)
        layout.addWidget(templates)
        layout.addWidget(whatsapp)
        layout.addStretch(1)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addWidget(self.message)
        self.errors.add("Schedule", self.add_step, self.message)
        self.errors.add("Days", self.add_step, self.message)

    def _field(self, form: QFormLayout, caption: str, field: str, widget: QWidget) -> None:
        label = error_label(f"error{field.replace(' ', '')}")
        self.errors.add(field, widget, label)
        form.addRow(caption, with_error(widget, label))

    # Steps --------------------------------------------------------------------------------

    def _next_step(self) -> ReminderStep:
        last = max((row.days.value() for row in self.rows), default=0)
        return ReminderStep(min(MAX_DAYS, last + 7 if last else 3))

    def _add_row(self, step: ReminderStep) -> None:
        row = StepRow(step)
        row.remove.clicked.connect(lambda: self._remove_row(row))
        self.rows.append(row)
        self._steps_box.addWidget(row)
        self.add_step.setEnabled(len(self.rows) < MAX_STEPS)

    def _remove_row(self, row: StepRow) -> None:
        self.rows.remove(row)
        row.deleteLater()
        self.add_step.setEnabled(True)

    # Load and save ------------------------------------------------------------------------

    def show_schedule(self, schedule: ReminderSchedule) -> None:
        for row in list(self.rows):
            self._remove_row(row)
        for step in schedule.steps:
            self._add_row(step)
        self.enabled.setChecked(schedule.enabled)
        self.subject.setText(schedule.template(Channel.EMAIL).subject)
        self.subject.setCursorPosition(0)  # the subject's start, not its end, in a narrow box
        for channel, body in self.bodies.items():
            body.setPlainText(schedule.template(channel).body)
        whatsapp = schedule.template(Channel.WHATSAPP)
        self.whatsapp.template_id.setText(whatsapp.template_id)
        self.whatsapp.variables_edit.setText(whatsapp.variables)
        self.loaded = True

    def schedule(self) -> ReminderSchedule:
        templates = {
            channel: self._template(channel, body.toPlainText())
            for channel, body in self.bodies.items()
        }
        steps = tuple(row.step() for row in self.rows)
        return ReminderSchedule(steps, templates, self.enabled.isChecked())

    def _template(self, channel: Channel, body: str) -> ReminderTemplate:
        if channel is Channel.EMAIL:
            return ReminderTemplate(body, self.subject.text())
        if channel is Channel.WHATSAPP:
            return ReminderTemplate(
                body,
                template_id=self.whatsapp.template,
                variables=self.whatsapp.variables_edit.text(),
            )
        return ReminderTemplate(body)

    def _not_loaded(self, error: BaseException) -> None:
        """Nothing to edit: the tab says why, and the dialog's Save leaves reminders as stored."""
        log.error("reading the reminder settings failed", exc_info=error)
        reason = error.message if isinstance(error, UserFacingError) else type(error).__name__
        self.message.setText(
            f"The reminder settings could not be read ({reason}); they are left as they are."
        )
        self.message.show()
        for child in self.findChildren(QWidget):
            if child is not self.message:
                child.setEnabled(False)

    def checked_schedule(self) -> ReminderSchedule | None:
        """What to save, checked (None before the stored one is shown).

        A refusal is shown at its field, then raised.
        """
        self.errors.clear()
        if not self.loaded:
            return None
        try:
            return self.schedule().check()
        except UserFacingError as error:
            self.errors.show(error)
            raise
