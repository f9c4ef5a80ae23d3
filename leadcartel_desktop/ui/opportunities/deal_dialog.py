"""New Deal / edit a deal: every bad field is marked with its message, nothing typed is lost."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.deals import DealDraft, DealStatus, check_lost_reason
from leadcartel_desktop.domain.errors import UserFacingError, ValidationError
from leadcartel_desktop.domain.money import COMMON_CURRENCIES, check_currency, parse_money
from leadcartel_desktop.domain.pipelines import Pipeline
from leadcartel_desktop.i18n.formatting import decimal_mark, editable_amount
from leadcartel_desktop.services.clock import today_in
from leadcartel_desktop.services.deal_views import DealDetail, StageChange
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.errors import show_error
from leadcartel_desktop.ui.forms import (
    FieldErrors,
    date_edit,
    error_label,
    run_for,
    to_date,
    to_qdate,
    with_error,
)
from leadcartel_desktop.ui.invoices.customer import CustomerPicker
from leadcartel_desktop.ui.opportunities.history import history_lines


@dataclass(frozen=True, slots=True)
class DealFormData:
    """What the form needs before it can be filled (loaded off the GUI thread)."""

    pipelines: list[Pipeline]
    currency: str  # the business's default, for a new deal
    locale: str
    zone: ZoneInfo
    today: date
    detail: DealDetail | None = None
    contact: Contact | None = None
    history: tuple[StageChange, ...] = ()


class DealDialog(QDialog):
    """`deal_id` None makes a new deal in `pipeline_id` (and `stage_id`, if given)."""

    saved = Signal(int)  # the deal's id

    def __init__(
        self,
        context: UiContext,
        deal_id: int | None = None,
        pipeline_id: int | None = None,
        stage_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self.deal_id = deal_id
        self._wanted = (pipeline_id, stage_id)
        self._pipelines: list[Pipeline] = []
        self._locale = "en_US"
        self._zone = ZoneInfo("UTC")
        self._stored_status = DealStatus.OPEN
        self._stored_reason = ""
        self.setObjectName("dealDialog")
        self.setWindowTitle("New Deal" if deal_id is None else "Deal")
        self.setSizeGripEnabled(True)
        self.resize(640, 660)
        self.general_error = error_label("dealError")
        self.errors = FieldErrors(self.general_error)
        self._build_fields()
        self._build_layout()
        self._set_busy(True)
        run_for(self, context.tasks, self._load_job(), self._loaded, self._failed_load)

    # Building ----------------------------------------------------------------------------------
    def _field(self, widget: QWidget, field: str, name: str) -> QWidget:
        label = error_label(f"{name}Error")
        self.errors.add(field, widget, label)
        return with_error(widget, label)

    def _build_fields(self) -> None:
        self.name = QLineEdit()
        self.name.setObjectName("dealName")
        self.name.setPlaceholderText("What is being sold, e.g. 'Website redesign'")
        self.contact = CustomerPicker(
            self._context, label="Con&tact", noun="contact", captions=False
        )
        self.contact.bill_to.setMinimumHeight(0)
        self.contact.add_requested.connect(self._add_contact)
        self.contact.edit_requested.connect(self._edit_contact)
        self.value = QLineEdit()
        self.value.setObjectName("dealValue")
        self.value.setPlaceholderText("0.00")
        self.currency = QComboBox()
        self.currency.setObjectName("dealCurrency")
        self.currency.setEditable(True)
        self.currency.addItems(COMMON_CURRENCIES)
        self.has_close = QCheckBox("Expected &close")
        self.has_close.setObjectName("hasCloseDate")
        self.close_date = date_edit("closeDate")
        self.close_date.setEnabled(False)
        self.has_close.toggled.connect(self.close_date.setEnabled)
        self.pipeline = QComboBox()
        self.pipeline.setObjectName("dealPipeline")
        self.pipeline.currentIndexChanged.connect(lambda _i: self._fill_stages(None))
        self.stage = QComboBox()
        self.stage.setObjectName("dealStage")
        self.status = QComboBox()
        self.status.setObjectName("dealStatus")
        for status in DealStatus:
            self.status.addItem(status.label, status.value)
        self.status.currentIndexChanged.connect(lambda _i: self._status_changed())
        self.lost_reason = QLineEdit()
        self.lost_reason.setObjectName("lostReason")
        self.lost_reason.setPlaceholderText("Why it was lost (optional)")
        self.lost_reason.setEnabled(False)
        self.source = QLineEdit()
        self.source.setObjectName("dealSource")
        self.source.setPlaceholderText("Referral, website, trade fair…")
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("dealNotes")
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(80)
        self.history = QListWidget()
        self.history.setObjectName("dealHistory")
        self.history.setMaximumHeight(120)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("saveDeal")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def _build_layout(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Name", self._field(self.name, "Name", "dealName"))
        contact_error = error_label("contactError")
        self.errors.add("Contact", self.contact.search, contact_error)
        contact_box = QWidget()
        contact_column = QVBoxLayout(contact_box)
        contact_column.setContentsMargins(0, 0, 0, 0)
        contact_column.addWidget(self.contact)
        contact_column.addWidget(contact_error)
        # Only the notes and the history take the height a taller window gives.
        contact_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        contact_label = QLabel("Con&tact")
        contact_label.setBuddy(self.contact.search)
        form.addRow(contact_label, contact_box)
        # Value and currency share a row; each keeps its own error line under the row.
        money = QWidget()
        money_column = QVBoxLayout(money)
        money_column.setContentsMargins(0, 0, 0, 0)
        money_column.setSpacing(2)
        money_row = QHBoxLayout()
        money_row.addWidget(self.value, 1)
        money_row.addWidget(self.currency)
        money_column.addLayout(money_row)
        for widget, field, name in (
            (self.value, "Value", "dealValue"),
            (self.currency, "Currency", "dealCurrency"),
        ):
            label = error_label(f"{name}Error")
            self.errors.add(field, widget, label)
            money_column.addWidget(label)
        money.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        value_label = QLabel("&Value")
        value_label.setBuddy(self.value)
        form.addRow(value_label, money)
        form.addRow(self.has_close, self.close_date)
        form.addRow("&Pipeline", self._field(self.pipeline, "Pipeline", "dealPipeline"))
        form.addRow("St&age", self._field(self.stage, "Stage", "dealStage"))
        form.addRow("&Status", self.status)
        form.addRow("&Lost reason", self._field(self.lost_reason, "Lost reason", "lostReason"))
        form.addRow("S&ource", self._field(self.source, "Source", "dealSource"))
        notes = self._field(self.notes, "Notes", "dealNotes")
        # The form gives a taller window's height only to rows that ask for it.
        notes.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        form.addRow("N&otes", notes)
        self.history_label = QLabel("Stage history")
        form.addRow(self.history_label, self.history)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

    # Loading -----------------------------------------------------------------------------------
    def _load_job(self) -> Callable[[], DealFormData]:
        services = self._context.services
        deal_id = self.deal_id

        def work() -> DealFormData:
            business = services.settings.business()
            pipelines = services.pipelines.list()
            zone = ZoneInfo(business.time_zone)
            today = today_in(services.clock, business.time_zone)
            if deal_id is None:
                return DealFormData(
                    pipelines, business.default_currency, business.locale, zone, today
                )
            detail = services.deals.get(deal_id)
            contact = (
                services.contacts.get(detail.contact_id) if detail.contact_id is not None else None
            )
            history = tuple(services.deals.history(deal_id))
            return DealFormData(
                pipelines, detail.currency, business.locale, zone, today, detail, contact, history
            )

        return work

    def _loaded(self, data: DealFormData) -> None:
        self._pipelines = data.pipelines
        self._locale = data.locale
        self._zone = data.zone
        detail = data.detail
        pipeline_id, stage_id = self._wanted
        if detail is not None:
            pipeline_id, stage_id = detail.pipeline_id, detail.stage_id
        self.pipeline.blockSignals(True)
        self.pipeline.clear()
        for pipeline in data.pipelines:
            self.pipeline.addItem(pipeline.name, pipeline.id)
        found = self.pipeline.findData(pipeline_id) if pipeline_id is not None else -1
        self.pipeline.setCurrentIndex(max(found, 0))
        self.pipeline.blockSignals(False)
        self._fill_stages(stage_id)
        self._set_currency(data.currency)
        self.close_date.setDate(to_qdate(data.today))
        if detail is not None:
            self._show_detail(detail, data.contact, data.history)
        else:
            self.history_label.hide()
            self.history.hide()
            self.resize(self.width(), self.sizeHint().height())  # no room kept for history
        self._set_busy(False)
        self.name.setFocus()

    def _show_detail(
        self, detail: DealDetail, contact: Contact | None, history: tuple[StageChange, ...]
    ) -> None:
        self.setWindowTitle(f"Deal: {detail.name}")
        self.name.setText(detail.name)
        self.contact.set_contact(contact)
        self.value.setText(editable_amount(detail.value_minor, detail.currency, self._locale))
        self.has_close.setChecked(detail.expected_close is not None)
        if detail.expected_close is not None:
            self.close_date.setDate(to_qdate(detail.expected_close))
        self._stored_status = detail.status
        self._stored_reason = detail.lost_reason
        self.status.setCurrentIndex(self.status.findData(detail.status.value))
        self.lost_reason.setText(detail.lost_reason)
        self.source.setText(detail.source)
        self.notes.setPlainText(detail.notes)
        self.history.clear()
        self.history.addItems(history_lines(history, self._locale, self._zone))

    def _failed_load(self, error: BaseException) -> None:
        self.general_error.setText("The deal could not be loaded.")
        self.general_error.show()
        show_error(self, error)

    def _set_currency(self, currency: str) -> None:
        found = self.currency.findText(currency)
        if found < 0:
            self.currency.addItem(currency)
            found = self.currency.count() - 1
        self.currency.setCurrentIndex(found)

    def _fill_stages(self, stage_id: int | None) -> None:
        pipeline = self.current_pipeline()
        keep = stage_id if stage_id is not None else None
        self.stage.clear()
        if pipeline is None:
            return
        for stage in pipeline.stages:
            self.stage.addItem(f"{stage.name} ({stage.probability}%)", stage.id)
        found = self.stage.findData(keep) if keep is not None else -1
        self.stage.setCurrentIndex(max(found, 0))

    def current_pipeline(self) -> Pipeline | None:
        pipeline_id = self.pipeline.currentData()
        return next((p for p in self._pipelines if p.id == pipeline_id), None)

    def _status_changed(self) -> None:
        status = self.current_status()
        self.lost_reason.setEnabled(status in (DealStatus.LOST, DealStatus.ABANDONED))

    def current_status(self) -> DealStatus:
        return DealStatus(self.status.currentData())

    def _set_busy(self, busy: bool) -> None:
        self.save_button.setEnabled(not busy)

    # Saving ------------------------------------------------------------------------------------
    def draft(self) -> DealDraft:
        """What the form holds now; ValidationError names the field that cannot be read."""
        currency = check_currency(self.currency.currentText())
        text = self.value.text().strip() or "0"
        value = parse_money(text, currency, "Value", decimal_mark(self._locale))
        pipeline_id = self.pipeline.currentData()
        stage_id = self.stage.currentData()
        if pipeline_id is None:
            raise ValidationError("Pipeline", "create a pipeline first (Pipelines…)")
        if stage_id is None:
            raise ValidationError("Stage", "is required")
        contact = self.contact.contact
        if contact is None and self.contact.search.text().strip():
            raise ValidationError("Contact", "choose one of the suggestions, or add a new contact")
        return DealDraft(
            name=self.name.text(),
            contact_id=contact.id if contact is not None else None,
            value_minor=value,
            currency=currency,
            expected_close=to_date(self.close_date.date()) if self.has_close.isChecked() else None,
            pipeline_id=int(pipeline_id),
            stage_id=int(stage_id),
            source=self.source.text(),
            notes=self.notes.toPlainText(),
        )

    def save(self) -> None:
        self.errors.clear()
        try:
            draft = self.draft().cleaned()
            status = self.current_status()
            reason = check_lost_reason(status, self.lost_reason.text())
        except UserFacingError as error:
            self.errors.show(error)
            return
        deals = self._context.services.deals
        deal_id = self.deal_id
        status_changed = status != self._stored_status or reason != self._stored_reason
        created: list[int] = []  # so a failed status change, saved again, updates the new deal

        def work() -> int:
            saved_id = deal_id
            if saved_id is None:
                saved_id = deals.create(draft)
                created.append(saved_id)
            else:
                deals.update(saved_id, draft)
            if status_changed:
                deals.set_status(saved_id, status, reason)
            return saved_id

        def refused(error: BaseException) -> None:
            if created:
                self.deal_id = created[0]
                self.saved.emit(created[0])
            self._refused(error)

        self._set_busy(True)
        run_for(self, self._context.tasks, work, self._saved, refused)

    def _saved(self, deal_id: int) -> None:
        self.deal_id = deal_id
        self.saved.emit(deal_id)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, UserFacingError):
            self.errors.show(error)
        else:
            show_error(self, error)

    # Contacts ----------------------------------------------------------------------------------
    def _add_contact(self) -> None:
        from leadcartel_desktop.ui.contacts.dialog import ContactDialog

        dialog = ContactDialog(self._context, None, self)
        dialog.saved.connect(self.contact.set_contact)
        dialog.open()

    def _edit_contact(self, contact_id: int) -> None:
        from leadcartel_desktop.ui.contacts.dialog import ContactDialog

        dialog = ContactDialog(self._context, contact_id, self)
        dialog.saved.connect(self.contact.set_contact)
        dialog.open()
