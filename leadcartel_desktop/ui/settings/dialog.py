"""Business settings: company details, invoice defaults, tax rates and logo."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.contact import Address
from leadcartel_desktop.domain.errors import UserFacingError, ValidationError
from leadcartel_desktop.domain.money import COMMON_CURRENCIES
from leadcartel_desktop.domain.send_windows import known_zones
from leadcartel_desktop.domain.taxes import TaxRate
from leadcartel_desktop.services.provider_settings import validated
from leadcartel_desktop.services.registry import Services
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.errors import show_error
from leadcartel_desktop.ui.forms import FieldErrors, error_label, run_for, with_error
from leadcartel_desktop.ui.settings.logo import LogoField
from leadcartel_desktop.ui.settings.providers import ProvidersPanel
from leadcartel_desktop.ui.settings.reminders import RemindersPanel
from leadcartel_desktop.ui.settings.tax_rates import TaxRatesPanel

LOCALES = (
    "en_US", "en_GB", "en_CA", "en_AU", "en_IE", "en_IN", "fr_FR", "fr_CA", "fr_BE", "de_DE",
    "de_AT", "de_CH", "es_ES", "es_MX", "it_IT", "nl_NL", "pt_PT", "pt_BR", "sv_SE", "nb_NO",
    "da_DK", "fi_FI", "pl_PL", "cs_CZ", "tr_TR", "ja_JP",
)  # fmt: skip
PREVIEW_DEBOUNCE_MS = 200


@dataclass(frozen=True, slots=True)
class _Loaded:
    business: BusinessSettings
    rates: list[TaxRate]
    today: date


def _combo(name: str, items: list[str] | tuple[str, ...]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItems(list(items))
    completer = QCompleter(combo.model(), combo)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    combo.setCompleter(completer)
    return combo


class SettingsDialog(QDialog):
    """Saved through services.settings; a refused value is shown at its field."""

    saved = Signal()

    def __init__(self, context: UiContext, parent: QWidget | None = None, note: str = "") -> None:
        """`note`, when given, is shown above the tabs: why the dialog opened by itself."""
        super().__init__(parent)
        self._context = context
        self._today = date.today()
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Business settings")
        self.resize(640, 620)
        self.general_error = error_label("settingsError")
        self.errors = FieldErrors(self.general_error)
        self.text: dict[str, QLineEdit] = {}
        self.note = QLabel(note)
        self.note.setObjectName("settingsNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("font-weight: 600; padding: 4px 0 8px 0;")
        self.note.setVisible(bool(note))
        self.tabs = QTabWidget()
        self.tabs.addTab(self._business_page(), "&Business")
        self.tabs.addTab(self._invoices_page(), "&Invoices")
        self.tax_rates = TaxRatesPanel()
        self.errors.add("Tax rate", self.tax_rates.view, self.tax_rates.message, prefix=True)
        self.errors.add("Tax name", self.tax_rates.view, self.tax_rates.message)
        self.tabs.addTab(self.tax_rates, "&Tax rates")
        self.providers = ProvidersPanel(context, self.errors)
        self.tabs.addTab(self.providers, "Pro&viders")
        self.reminders = RemindersPanel(context)
        self.tabs.addTab(self.reminders, "&Reminders")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("saveSettings")
        self.save_button.setEnabled(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DEBOUNCE_MS)
        self._preview_timer.timeout.connect(self._preview_number)
        self.number_format.textEdited.connect(self._preview_timer.start)
        self.locale.currentTextChanged.connect(self.tax_rates.model.set_locale)
        services = context.services
        run_for(self, context.tasks, lambda: self._load(services), self._loaded, self._failed_load)

    # --- pages -----------------------------------------------------------------------------
    def _row(self, form: QFormLayout, caption: str, field: str, widget: QWidget) -> None:
        label = error_label(f"{widget.objectName()}Error")
        self.errors.add(field, widget, label)
        title = QLabel(caption)
        title.setBuddy(widget)
        form.addRow(title, with_error(widget, label))

    @staticmethod
    def _page() -> tuple[QWidget, QFormLayout]:
        """A tab page whose form keeps to the top (spare height goes below it)."""
        page = QWidget()
        outer = QVBoxLayout(page)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(form)
        outer.addStretch(1)
        return page, form

    def _line(self, name: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        self.text[name] = edit
        return edit

    def _business_page(self) -> QWidget:
        page, form = self._page()
        for caption, field, name, placeholder in (
            ("Company &name", "Company name", "company_name", "Required"),
            ("&Street", "Street", "street", ""),
            ("Cit&y", "City", "city", ""),
            ("State/p&rovince", "State/province", "region", ""),
            ("Postal co&de", "Postal code", "postal_code", ""),
            ("Countr&y", "Country", "country", ""),
            ("&Email", "Email", "email", "billing@example.com"),
            ("&Phone", "Phone", "phone", "+1 555 123 4567"),
            ("Ta&x ID", "Tax ID", "tax_id", "VAT or EIN number"),
        ):
            self._row(form, caption, field, self._line(name, placeholder))
        self.logo = LogoField(self._context.tasks)
        self.logo.failed.connect(self._refused)
        self._row(form, "&Logo", "Logo", self.logo)
        return page

    def _invoices_page(self) -> QWidget:
        page, form = self._page()
        self.document_title = self._line("document_title", "Invoice")
        self.currency = _combo("default_currency", COMMON_CURRENCIES)
        self.locale = _combo("locale", LOCALES)
        self.time_zone = _combo("time_zone", sorted(known_zones()))  # places' zones only
        self.country = self._line("default_country", "US")
        self.country.setMaxLength(2)
        self.country.setToolTip("Two-letter code used to read phone numbers typed without +")
        self.number_format = self._line("number_format", "INV-{YYYY}-{SEQ:4}")
        self.number_format.setToolTip("Tokens: {YYYY} {YY} {MM} {SEQ} {SEQ:4}; other text is kept")
        self.number_example = QLabel()
        self.number_example.setObjectName("numberExample")
        self.terms_days = QSpinBox()
        self.terms_days.setObjectName("payment_terms_days")
        self.terms_days.setRange(0, 3650)
        self.terms_days.setPrefix("Net ")
        self.terms_days.setSuffix(" days")
        self.default_terms = QPlainTextEdit()
        self.default_terms.setObjectName("default_terms")
        self.default_terms.setTabChangesFocus(True)
        self.default_notes = QPlainTextEdit()
        self.default_notes.setObjectName("default_notes")
        self.default_notes.setTabChangesFocus(True)
        for box in (self.default_terms, self.default_notes):
            box.setFixedHeight(80)
        for caption, field, widget in (
            ("Document &title", "Document title", self.document_title),
            ("Default &currency", "Currency", self.currency),
            ("L&ocale", "Locale", self.locale),
            ("Time &zone", "Time zone", self.time_zone),
            ("Phone c&ountry", "Default country", self.country),
            ("Invoice &number format", "Invoice number format", self.number_format),
        ):
            self._row(form, caption, field, widget)
        form.addRow("", self.number_example)
        self._row(form, "Payment ter&ms", "Payment terms", self.terms_days)
        for caption, box in (
            ("Default terms\n&& conditions", self.default_terms),
            ("Default notes", self.default_notes),
        ):
            title = QLabel(caption)
            title.setBuddy(box)
            form.addRow(title, box)
        return page

    # --- load ------------------------------------------------------------------------------
    @staticmethod
    def _load(services: Services) -> _Loaded:
        return _Loaded(
            services.settings.business(),
            services.settings.tax_rates(),
            services.invoices.today(),
        )

    def _loaded(self, loaded: _Loaded) -> None:
        business = loaded.business
        self._today = loaded.today
        values = {
            "company_name": business.company_name,
            "street": business.address.street,
            "city": business.address.city,
            "region": business.address.region,
            "postal_code": business.address.postal_code,
            "country": business.address.country,
            "email": business.email,
            "phone": business.phone,
            "tax_id": business.tax_id,
            "document_title": business.document_title,
            "default_country": business.default_country,
            "number_format": business.number_format,
        }
        for name, value in values.items():
            self.text[name].setText(value)
        self.logo.set_logo(business.logo_png)
        self.currency.setCurrentText(business.default_currency)
        self.locale.setCurrentText(business.locale)
        self.time_zone.setCurrentText(business.time_zone)
        self.terms_days.setValue(business.payment_terms_days)
        self.default_terms.setPlainText(business.default_terms)
        self.default_notes.setPlainText(business.default_notes)
        self.tax_rates.model.set_locale(business.locale)
        self.tax_rates.model.set_rates(loaded.rates)
        self.save_button.setEnabled(True)
        if not business.company_name.strip():
            self.tabs.setCurrentIndex(0)
            self.text["company_name"].setFocus()
        self._preview_number()

    def _failed_load(self, error: BaseException) -> None:
        self.general_error.setText("The settings could not be loaded.")
        self.general_error.show()
        show_error(self, error)

    def _preview_number(self) -> None:
        number_format, today = self.number_format.text(), self._today
        invoices = self._context.services.invoices

        def shown(number: str) -> None:
            if number_format == self.number_format.text():
                self.number_example.setText(f"Next number: {number}")

        def refused(error: BaseException) -> None:
            if number_format == self.number_format.text():
                self.number_example.setText("")
                self._refused(error)

        run_for(
            self,
            self._context.tasks,
            lambda: invoices.next_number(today, number_format),
            shown,
            refused,
        )

    # --- save ------------------------------------------------------------------------------
    def settings(self) -> BusinessSettings:
        text = {name: edit.text() for name, edit in self.text.items()}
        return BusinessSettings(
            company_name=text["company_name"],
            address=Address(
                street=text["street"].strip(),
                city=text["city"].strip(),
                region=text["region"].strip(),
                postal_code=text["postal_code"].strip(),
                country=text["country"].strip(),
            ),
            email=text["email"],
            phone=text["phone"],
            tax_id=text["tax_id"].strip(),
            logo_png=self.logo.logo,
            default_currency=self.currency.currentText(),
            time_zone=self.time_zone.currentText().strip(),
            default_country=text["default_country"],
            number_format=text["number_format"].strip(),
            payment_terms_days=self.terms_days.value(),
            default_terms=self.default_terms.toPlainText(),
            default_notes=self.default_notes.toPlainText(),
            locale=self.locale.currentText(),
            document_title=text["document_title"].strip(),
        )

    def save(self) -> None:
        self.errors.clear()
        try:
            rates = self.tax_rates.model.rates()
        except ValidationError as error:
            self._refused(error)
            return
        try:
            schedule = self.reminders.checked_schedule()
        except UserFacingError:
            self.tabs.setCurrentWidget(self.reminders)
            return
        settings = self.settings()
        services = self._context.services
        providers = self.providers.settings() if self.providers.ready else None
        secrets = self.providers.secret_values()

        def work() -> None:
            # Providers last, checked first: a refused field elsewhere keeps no secret.
            if providers is not None:
                validated(providers)
            services.settings.save_business_and_tax_rates(settings, rates)
            if schedule is not None:
                services.reminders.save_schedule(schedule)
            if providers is not None:
                services.provider_settings.save(providers, secrets)

        self.save_button.setEnabled(False)
        run_for(self, self._context.tasks, work, self._saved, self._refused)

    def _saved(self, _: object) -> None:
        self.providers.saved()
        self.saved.emit()
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if not isinstance(error, UserFacingError):
            show_error(self, error)
            return
        marked = self.errors.show(error)
        for page in range(self.tabs.count()):
            if marked is not None and self.tabs.widget(page).isAncestorOf(marked):
                self.tabs.setCurrentIndex(page)
                marked.setFocus()
                break
