"""Send dialog parts: the channels offered and why, WhatsApp's template; the no-link notice."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QMessageBox, QWidget

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.whatsapp import parse_variables
from leadcartel_desktop.services.send_invoice import (
    MERGE_FIELDS,
    SendReview,
    WhatsAppRequest,
    render,
)
from leadcartel_desktop.services.send_review import ChannelChoice
from leadcartel_desktop.services.whatsapp_sending import OUTSIDE_WINDOW, check_request

INSIDE_WINDOW = (
    "Within WhatsApp's 24-hour window: the SMS text goes as free text, or choose a template."
)
WAITS = "the message waits in the outbox until then"
WHATSAPP_NEEDS_PROVIDER = (
    "An invoice by WhatsApp needs the provider first: the approved template is checked against "
    "the provider's account when it is queued."
)


def waits_for_provider(choice: ChannelChoice) -> bool:
    """The customer can be reached on it, but the channel has no provider (or secret) yet.

    The review gives a recipient only when the address may be written to: its reason is
    then the provider's (services.send_invoice's _choice).
    """
    return bool(choice.recipient) and not choice.possible


def offerable(choice: ChannelChoice | None) -> bool:
    """Whether its box can be ticked (a paid invoice aside).

    Email and SMS are queued without a provider and wait in the outbox until one is set, as
    the compose box's messages do. WhatsApp is not (the service refuses it): a template is
    checked against the provider's rules when the message is queued.
    """
    if choice is None:
        return False
    if choice.channel is Channel.WHATSAPP:
        return choice.possible
    return choice.possible or waits_for_provider(choice)


def choice_note(choice: ChannelChoice) -> str:
    """Why a channel cannot send now, and what becomes of a message queued on it."""
    reason = choice.reason.rstrip(".")
    if not waits_for_provider(choice):
        return reason
    if choice.channel is Channel.WHATSAPP:
        return f"{reason}. {WHATSAPP_NEEDS_PROVIDER}"
    return f"{reason} ({WAITS})"


class WhatsAppPanel(QGroupBox):
    """Shown while "WhatsApp link" is ticked; `changed` fires on every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("WhatsApp", parent)
        self.setObjectName("whatsAppPanel")
        self.review: SendReview | None = None
        self.window_note = QLabel(OUTSIDE_WINDOW)
        self.window_note.setObjectName("whatsAppWindow")
        self.window_note.setWordWrap(True)
        self.template_id = QLineEdit()
        self.template_id.setObjectName("whatsAppTemplate")
        self.template_id.setAccessibleName("WhatsApp template")
        self.template_id.setPlaceholderText("Approved template id, e.g. HX and 32 hex digits")
        self.variables = QLineEdit()
        self.variables.setObjectName("whatsAppVariables")
        self.variables.setAccessibleName("WhatsApp variables")
        self.variables.setToolTip(
            "The template's numbered variables, filled from merge fields: "
            "1={customer_first_name}; 2={invoice_number}; ..."
        )
        self.filled = QLabel()
        self.filled.setObjectName("whatsAppFilled")
        self.filled.setWordWrap(True)
        form = QFormLayout(self)
        form.setHorizontalSpacing(12)
        form.addRow(self.window_note)
        form.addRow("Template &id", self.template_id)
        form.addRow("&Variables", self.variables)
        form.addRow("", self.filled)
        for edit in (self.template_id, self.variables):
            edit.textChanged.connect(self.changed)

    def load(self, review: SendReview) -> None:
        self.review = review
        self.window_note.setText(
            OUTSIDE_WINDOW if review.whatsapp_needs_template else INSIDE_WINDOW
        )
        self.variables.setText(review.whatsapp_variables)

    def request(self) -> WhatsAppRequest:
        return WhatsAppRequest(self.template_id.text().strip(), self.variables.text())

    def missing_template(self) -> bool:
        """A template is required (outside the window) and none is given yet: no Send."""
        review = self.review
        needs = review is None or review.whatsapp_needs_template
        return needs and not self.template_id.text().strip()

    def problem(self) -> str:
        """What is wrong with a template typed so far, the field named; '' when fine.

        An empty id is not reported here: the window note already says a template is needed.
        """
        review = self.review
        self.filled.clear()
        if review is None or not self.template_id.text().strip():
            return ""
        try:
            check_request(
                self.request(),
                MERGE_FIELDS,
                needs=review.whatsapp_needs_template,
                twilio=review.whatsapp_twilio,
            )
        except UserFacingError as error:
            return error.message
        values = parse_variables(self.variables.text())
        shown = "; ".join(f"{name}={render(t, review.values)}" for name, t in values.items())
        self.filled.setText(f"For this customer: {shown}" if shown else "No variables")
        return ""


def tell_without_link(parent: QWidget, number: str | int, note: str) -> QMessageBox:
    """A non-blocking notice: sent, but without the cloud's payment link, and why."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Sent without the online payment link",
        f"Invoice {number} was issued and its messages queued. {note}",
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setObjectName("sendNote")
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.show()
    return box
