"""The invoice editor: customer, items, options and totals; read-only once the invoice is issued."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from itertools import pairwise

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.errors import UserFacingError, ValidationError
from leadcartel_desktop.domain.invoice import Invoice, InvoiceContent
from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.domain.taxes import TaxRate
from leadcartel_desktop.domain.totals import compute_totals
from leadcartel_desktop.services.contact_fields import preload_phone_formatting
from leadcartel_desktop.services.registry import Services
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.errors import show_error
from leadcartel_desktop.ui.forms import (
    TITLE_BAR_ROOM,
    FieldErrors,
    confirm,
    error_label,
    resize_within_screen,
    run_for,
)
from leadcartel_desktop.ui.invoices.actions import ActionBar, EditorActions
from leadcartel_desktop.ui.invoices.customer import CustomerPicker
from leadcartel_desktop.ui.invoices.lines_panel import LinesPanel
from leadcartel_desktop.ui.invoices.options import OptionsPanel
from leadcartel_desktop.ui.invoices.payments_panel import PaymentsPanel
from leadcartel_desktop.ui.invoices.reminder_actions import attach_reminder_actions
from leadcartel_desktop.ui.invoices.totals_panel import TotalsPanel


@dataclass(frozen=True, slots=True)
class EditorState:
    """Everything the editor shows, loaded in one worker call."""

    invoice: Invoice | None
    content: InvoiceContent
    customer: Contact | None
    business: BusinessSettings
    rates: list[TaxRate]
    next_number: str
    status: str


def load_state(services: Services, invoice_id: int | None) -> EditorState:
    """Runs in the worker: the draft or invoice, its customer, and the business's defaults."""
    preload_phone_formatting()  # the bill-to block formats the customer's phone
    business = services.settings.business()
    rates = services.settings.tax_rates()
    if invoice_id is None:
        content = services.invoices.new_content()
        next_number = services.invoices.next_number(content.issue_date)
        return EditorState(None, content, None, business, rates, next_number, "Draft")
    document = services.invoices.document(invoice_id)
    invoice = document.invoice
    next_number = (
        services.invoices.next_number(invoice.content.issue_date)
        if invoice.is_draft
        else invoice.number or ""
    )
    status = document.display_status
    delivery = "" if invoice.is_draft else services.send_invoice.delivery(invoice.id)
    if delivery:
        status = f"{status} · {delivery}"  # "Waiting to send" until the provider accepts
    return EditorState(
        invoice, invoice.content, document.customer, business, rates, next_number, status
    )


TEXT_BOX_LINES = 4  # Terms and Notes: a few lines at first; the items table takes the rest


class CompactTextBox(QPlainTextEdit):
    """A text box that asks for a few lines, not the 192 px every QPlainTextEdit asks for."""

    def sizeHint(self) -> QSize:  # noqa: N802
        frame = 2 * self.frameWidth() + int(2 * self.document().documentMargin())
        height = TEXT_BOX_LINES * self.fontMetrics().lineSpacing() + frame
        return QSize(super().sizeHint().width(), height)


def _text_box(name: str, placeholder: str) -> QPlainTextEdit:
    box = CompactTextBox()
    box.setObjectName(name)
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    return box


class InvoiceEditorDialog(EditorActions, QDialog):
    """`invoice_id` None starts a new draft; `changed` carries the id of every saved change."""

    changed = Signal(int)
    pdf_saved = Signal(str)
    loaded = Signal()

    def __init__(
        self, context: UiContext, invoice_id: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.invoice_id = invoice_id
        self.state: EditorState | None = None
        self.dirty = False
        self._loading = False
        self._follows_screen = False
        self.setObjectName("invoiceEditor")
        self.setWindowTitle("New invoice" if invoice_id is None else "Invoice")
        self.setSizeGripEnabled(True)
        resize_within_screen(self, 1120, 860)
        self._keep_within_screen()

        self.header = QLabel("Loading…")
        self.header.setObjectName("editorHeader")
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.general_error = error_label("editorError")
        self.errors = FieldErrors(self.general_error)
        self.customer = CustomerPicker(context)
        customer_error = error_label("customerError")
        self.errors.add("Customer", self.customer.search, customer_error)
        self.options = OptionsPanel(self.errors)
        self.lines = LinesPanel()
        self.errors.add("Item", self.lines.view, self.lines.message, prefix=True)
        self.totals = TotalsPanel()
        self.terms = _text_box("terms", "Payment terms, late fees, warranty…")
        self.notes = _text_box("notes", "A thank-you, special instructions…")
        self.payments = PaymentsPanel()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("editorTabs")
        self.tabs.addTab(self.terms, "&Terms && conditions")
        self.tabs.addTab(self.notes, "N&otes")
        self.payments_tab = self.tabs.addTab(self.payments, "&Payments")
        self.tabs.setTabVisible(self.payments_tab, False)
        self.actions_bar = ActionBar()

        customer_box = QGroupBox("Customer")
        customer_layout = QVBoxLayout(customer_box)
        customer_layout.addWidget(self.customer)
        customer_layout.addWidget(customer_error)
        customer_layout.addStretch(1)
        options_box = QGroupBox("Invoice")
        QVBoxLayout(options_box).addWidget(self.options)
        top = QHBoxLayout()
        top.addWidget(customer_box, 5)
        top.addWidget(options_box, 4)
        items_box = QGroupBox("Items")
        QVBoxLayout(items_box).addWidget(self.lines)
        bottom = QHBoxLayout()
        bottom.addWidget(self.tabs, 5)
        bottom.addWidget(self.totals, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addLayout(top)
        layout.addWidget(items_box, 1)  # the room a taller window gives goes to the items
        layout.addLayout(bottom)
        layout.addWidget(self.general_error)
        layout.addWidget(self.actions_bar)
        self._set_tab_order()

        self.customer.add_requested.connect(self.add_customer)
        self.customer.edit_requested.connect(self.edit_customer)
        self.customer.contact_changed.connect(lambda _: self._edited())
        self.customer.search.textEdited.connect(lambda _: self._forget("Customer"))
        self.customer.contact_changed.connect(lambda _: self._forget("Customer"))
        self.options.changed.connect(self._edited)
        self.options.field_edited.connect(self._forget)
        self.lines.model.lines_changed.connect(lambda: self._forget("Item"))
        self.options.issue_date_changed.connect(self._issue_date_changed)
        self.options.set_currency_guard(self.lines.model.check_currency)
        self.options.currency_changed.connect(self.lines.model.set_currency)
        self.lines.model.lines_changed.connect(self._edited)
        self.terms.textChanged.connect(self._edited)
        self.notes.textChanged.connect(self._edited)
        self.connect_actions()
        self.reminder_actions = attach_reminder_actions(self)
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self._keep_within_screen()
        handle = self.windowHandle()
        if handle is not None and not self._follows_screen:
            self._follows_screen = True
            handle.screenChanged.connect(lambda _screen: self._keep_within_screen())

    def _keep_within_screen(self) -> None:
        """Never taller than the screen: Save, Issue and Close must stay within reach.

        A message shown at a field, or the customer type-ahead, may ask the layout for more
        height; the items table gives it up instead of the window growing past the screen.
        """
        screen = self.screen()
        if screen is None:
            return
        self.setMaximumHeight(max(screen.availableGeometry().height() - TITLE_BAR_ROOM, 0))

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [
            self.customer.search,
            self.customer.add_button,
            self.customer.edit_button,
            self.options.number,
            self.options.issue_date,
            self.options.net_days,
            self.options.due_date,
            self.options.currency,
            self.options.discount_value,
            self.options.discount_kind,
            self.options.discount_timing,
            self.options.prices_include_tax,
            self.lines.view,
            self.lines.add_button,
            self.lines.delete_button,
            self.lines.up_button,
            self.lines.down_button,
            self.tabs,
            self.terms,
            *self.actions_bar.buttons(),
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    # --- loading ---------------------------------------------------------------------------
    def reload(self) -> None:
        """(Re)load the invoice and the business defaults in the worker."""
        services, invoice_id = self.context.services, self.invoice_id
        self.actions_bar.setEnabled(False)
        run_for(
            self,
            self.context.tasks,
            lambda: load_state(services, invoice_id),
            self._loaded,
            self._failed,
        )

    def _failed(self, error: BaseException) -> None:
        self.actions_bar.setEnabled(True)
        self.header.setText("<b>The invoice could not be loaded.</b>")
        show_error(self, error)

    def _loaded(self, state: EditorState) -> None:
        self._loading = True
        try:
            self.state = state
            content, business = state.content, state.business
            self.lines.view.set_tax_rates(state.rates)
            self.lines.model.set_default_taxes(state.rates[:1])
            self.lines.model.set_locale(business.locale)
            self.lines.model.set_lines(content.lines, content.currency)
            self.options.set_locale(business.locale)
            self.options.set_content(content)
            manual = state.invoice.manual_number if state.invoice else None
            self.options.set_number(state.next_number, manual)
            self.customer.set_contact(state.customer)
            self.terms.setPlainText(content.terms)
            self.notes.setPlainText(content.notes)
            self._show_status(state)
            self._apply_lock(self.read_only)
        finally:
            self._loading = False
        self.dirty = False
        self.errors.clear()
        self.recompute()
        self.actions_bar.setEnabled(True)
        self.loaded.emit()

    @property
    def read_only(self) -> bool:
        return (
            self.state is not None
            and self.state.invoice is not None
            and (not self.state.invoice.is_draft)
        )

    def _show_status(self, state: EditorState) -> None:
        invoice = state.invoice
        if invoice is None:
            title, number = "New invoice", "draft"
        elif invoice.is_draft:
            title, number = f"Draft #{invoice.id}", "draft"
        else:
            title, number = f"Invoice {invoice.number}", invoice.number or ""
        self.setWindowTitle(title)
        # "Draft #149" says it is a draft already; an issued invoice's status is news.
        status = "" if invoice is not None and invoice.is_draft else state.status
        if invoice is not None and invoice.status is InvoiceStatus.CANCELLED:
            status += f" — {invoice.cancel_reason}"
        big = f"<b style='font-size:15pt'>{escape(title)}</b>"
        self.header.setText(f"{big} &nbsp; {escape(status)}" if status else big)
        self.header.setAccessibleName(f"{title}, {status}" if status else title)
        self.actions_bar.show_for(invoice, number)
        if invoice is not None and not invoice.is_draft:
            can_record = invoice.status in {
                InvoiceStatus.SENT,
                InvoiceStatus.VIEWED,
                InvoiceStatus.PARTIALLY_PAID,
            }
            self.payments.set_payments(
                invoice.payments, invoice.content.currency, state.business.locale, can_record
            )
            self.tabs.setTabVisible(self.payments_tab, True)
            self.tabs.setTabText(self.payments_tab, f"&Payments ({len(invoice.payments)})")
            self.tabs.setCurrentIndex(self.payments_tab)

    def _apply_lock(self, read_only: bool) -> None:
        """An issued invoice is shown, not edited (the database refuses changes too)."""
        self.customer.set_read_only(read_only)
        self.options.set_read_only(read_only)
        self.lines.set_read_only(read_only)
        self.terms.setReadOnly(read_only)
        self.notes.setReadOnly(read_only)

    # --- editing ---------------------------------------------------------------------------
    def _edited(self) -> None:
        if self._loading:
            return
        self.dirty = True
        self.recompute()

    def _forget(self, field: str) -> None:
        """The field was changed: its message goes (the next check says if it still holds)."""
        if not self._loading:
            self.errors.forget(field)

    def _issue_date_changed(self, issue_date: object) -> None:
        if self._loading or self.read_only:
            return
        invoices = self.context.services.invoices
        run_for(
            self,
            self.context.tasks,
            lambda: invoices.next_number(issue_date),  # type: ignore[arg-type]
            self.options.set_auto_number,
        )

    def paid(self) -> int:
        return self.state.invoice.paid if self.state and self.state.invoice else 0

    def recompute(self) -> None:
        """Totals as the domain computes them (pure arithmetic, fine on the GUI thread)."""
        currency = self.options.currency_code()
        locale = self.state.business.locale if self.state else "en_US"
        try:
            totals = compute_totals(
                self.lines.model.items(),
                self.options.discount(),
                self.options.prices_include_tax.isChecked(),
                self.paid(),
            )
        except ValidationError as error:
            self.totals.show_problem(error.message)
            return
        rates = self.state.rates if self.state else ()
        self.totals.show_totals(
            totals,
            currency,
            locale,
            rates,
            prices_include_tax=self.options.prices_include_tax.isChecked(),
        )

    def content(self) -> InvoiceContent:
        """The form as an InvoiceContent; ValidationError names the field at fault."""
        self.options.check_currency_text()
        issue_date, due_date, net_days = self.options.dates()
        contact = self.customer.contact
        content = InvoiceContent(
            contact_id=contact.id if contact else None,
            currency=self.options.currency_code(),
            issue_date=issue_date,
            due_date=due_date,
            lines=self.lines.model.items(),
            discount=self.options.discount(),
            prices_include_tax=self.options.prices_include_tax.isChecked(),
            terms=self.terms.toPlainText(),
            notes=self.notes.toPlainText(),
            net_days=net_days,
        )
        content.check()
        return content

    def save_draft(self, then: Callable[[int], object] | None = None) -> None:
        """Store the draft (new or existing), then `then(invoice_id)`."""
        if self.read_only:
            return
        try:
            content = self.content()
        except UserFacingError as error:
            self.errors.show(error)
            return
        manual = self.options.manual_number()
        invoices, invoice_id = self.context.services.invoices, self.invoice_id
        self.errors.clear()
        self.actions_bar.setEnabled(False)

        def saved(new_id: int) -> None:
            self.invoice_id = new_id
            self.dirty = False
            self.actions_bar.setEnabled(True)
            self.changed.emit(new_id)
            self.reload()
            if then is not None:
                then(new_id)

        run_for(
            self,
            self.context.tasks,
            lambda: invoices.save_draft(content, invoice_id, manual),
            saved,
            self.refused,
        )

    def refused(self, error: BaseException) -> None:
        """A service said no: show it at the field it names, or below the form."""
        self.actions_bar.setEnabled(True)
        if isinstance(error, UserFacingError):
            self.errors.show(error)
        else:
            show_error(self, error)

    # --- customers -------------------------------------------------------------------------
    def add_customer(self) -> None:
        from leadcartel_desktop.ui.contacts.dialog import ContactDialog

        dialog = ContactDialog(self.context, None, self)
        dialog.saved.connect(self.customer.set_contact)
        dialog.open()

    def edit_customer(self, contact_id: int) -> None:
        from leadcartel_desktop.ui.contacts.dialog import ContactDialog

        dialog = ContactDialog(self.context, contact_id, self)
        dialog.saved.connect(self.customer.set_contact)
        dialog.open()

    def reject(self) -> None:
        if self.dirty and not self.read_only:
            confirm(self, "Unsaved changes", "Close without saving?", super().reject, "Discard")
            return
        super().reject()
