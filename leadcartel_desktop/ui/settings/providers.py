"""Settings > Providers: who carries email, SMS and WhatsApp, their fields, secrets and Test."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.providers import (
    CloudSettings,
    ProviderKind,
    ProviderSettings,
    SecretName,
    SmtpSecurity,
    SmtpSettings,
    TwilioSettings,
)
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.errors import logged_error_text
from leadcartel_desktop.ui.forms import FieldErrors, error_label, run_for, with_error

SAVED = "saved in the keychain"
NO_KEYCHAIN = (
    "No system keychain is available on this computer, so passwords and tokens cannot be "
    "saved: Lead Cartel Desktop never keeps secrets in plain text. On Linux, install and unlock "
    "a Secret Service keychain (GNOME Keyring or KWallet), then open Settings again."
)
_KIND_LABELS = {
    ProviderKind.NONE: "None",
    ProviderKind.SMTP: "SMTP",
    ProviderKind.TWILIO: "Twilio",
    ProviderKind.CLOUD: "Lead Cartel account",
}
_CHOICES = {
    Channel.EMAIL: (ProviderKind.NONE, ProviderKind.SMTP, ProviderKind.CLOUD),
    Channel.SMS: (ProviderKind.NONE, ProviderKind.TWILIO, ProviderKind.CLOUD),
    Channel.WHATSAPP: (ProviderKind.NONE, ProviderKind.TWILIO, ProviderKind.CLOUD),
}
_TITLES = {Channel.EMAIL: "Email", Channel.SMS: "SMS", Channel.WHATSAPP: "WhatsApp"}


@dataclass(frozen=True, slots=True)
class _Loaded:
    settings: ProviderSettings
    saved: dict[SecretName, bool]
    keychain: bool


class SecretField(QWidget):
    """A masked field never filled from the keychain; 'Forget' clears the saved value."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.edit = QLineEdit()
        self.edit.setObjectName(name)
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.status = QLabel()
        self.status.setObjectName(f"{name}Status")
        self.forget = QPushButton("Forget")
        self.forget.setObjectName(f"{name}Forget")
        self.forget.setAutoDefault(False)
        self.forget.clicked.connect(self._forget)
        self.saved = False
        self.cleared = False
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.status)
        row.addWidget(self.forget)

    def show_saved(self, saved: bool) -> None:
        self.saved, self.cleared = saved, False
        self.edit.clear()
        self.status.setText(SAVED if saved else "not set")
        self.edit.setPlaceholderText(f"({SAVED}; type to replace)" if saved else "")
        self.forget.setEnabled(saved)

    def _forget(self) -> None:
        self.cleared = True
        self.edit.clear()
        self.status.setText("will be forgotten on Save")
        self.forget.setEnabled(False)

    def value(self) -> str | None:
        """Typed text to save, '' to clear, None to leave the keychain as it is."""
        if self.edit.text():
            return self.edit.text()
        return "" if self.cleared else None


class ProvidersPanel(QWidget):
    """The Providers tab; SettingsDialog saves it with the rest (secrets to the keychain only)."""

    loaded = Signal()
    tested = Signal(str, str)  # channel, the text shown

    def __init__(self, context: UiContext, errors: FieldErrors) -> None:
        super().__init__()
        self.setObjectName("providersPanel")
        self._context = context
        self.ready = False
        self.banner = QLabel(NO_KEYCHAIN)
        self.banner.setObjectName("noKeychainBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fdecea; padding: 6px; color: #b3261e;")
        self.banner.hide()
        self.kinds: dict[Channel, QComboBox] = {}
        self.test_buttons: dict[Channel, QPushButton] = {}
        self.results: dict[Channel, QLabel] = {}
        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self.banner)
        column.addWidget(self._channels_box())
        column.addWidget(self._smtp_box(errors))
        column.addWidget(self._twilio_box(errors))
        column.addWidget(self._cloud_box(errors))
        column.addWidget(self._advanced_box(errors))
        column.addStretch(1)
        _align_labels(body)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.secrets = {
            SecretName.SMTP_PASSWORD: self.smtp_password,
            SecretName.TWILIO_AUTH_TOKEN: self.twilio_token,
            SecretName.CLOUD_TOKEN: self.cloud_token,
        }
        service = context.services.provider_settings
        run_for(
            self,
            context.tasks,
            lambda: _Loaded(
                service.settings(), service.saved_secrets(), service.keychain_available()
            ),
            self._loaded,
        )

    # --- pages -----------------------------------------------------------------------------
    def _channels_box(self) -> QGroupBox:
        box = QGroupBox("Channels")
        form = QFormLayout(box)
        for channel, kinds in _CHOICES.items():
            combo = QComboBox()
            combo.setObjectName(f"{channel.value}Provider")
            for kind in kinds:
                combo.addItem(_KIND_LABELS[kind], kind)
            button = QPushButton("Test")
            button.setObjectName(f"{channel.value}Test")
            button.setAutoDefault(False)
            button.setProperty("channel", channel.value)
            button.clicked.connect(self._test_clicked)
            result = QLabel()
            result.setObjectName(f"{channel.value}TestResult")
            result.setWordWrap(True)
            result.hide()  # shown with a test's outcome: no empty line under each channel
            row = QHBoxLayout()
            row.addWidget(combo, 1)
            row.addWidget(button)
            cell = QVBoxLayout()
            cell.setSpacing(2)
            cell.addLayout(row)
            cell.addWidget(result)
            form.addRow(_TITLES[channel], cell)
            self.kinds[channel], self.test_buttons[channel] = combo, button
            self.results[channel] = result
        return box

    def _line(self, form: QFormLayout, errors: FieldErrors, caption: str, name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        label = error_label(f"{name}Error")
        errors.add(caption, edit, label)
        form.addRow(caption, with_error(edit, label))
        return edit

    def _smtp_box(self, errors: FieldErrors) -> QGroupBox:
        box = QGroupBox("Email over SMTP")
        form = QFormLayout(box)
        self.smtp_host = self._line(form, errors, "SMTP host", "smtpHost")
        self.smtp_port = QSpinBox()
        self.smtp_port.setObjectName("smtpPort")
        self.smtp_port.setRange(1, 65535)
        self.smtp_port.setValue(587)
        port_error = error_label("smtpPortError")
        errors.add("SMTP port", self.smtp_port, port_error)
        form.addRow("SMTP port", with_error(self.smtp_port, port_error))
        self.smtp_security = QComboBox()
        self.smtp_security.setObjectName("smtpSecurity")
        self.smtp_security.addItem("STARTTLS (port 587)", SmtpSecurity.STARTTLS)
        self.smtp_security.addItem("TLS (port 465)", SmtpSecurity.TLS)
        form.addRow("Security", self.smtp_security)
        self.smtp_user = self._line(form, errors, "User", "smtpUser")
        self.smtp_password = SecretField("smtpPassword")
        form.addRow("Password", self.smtp_password)
        self.from_name = self._line(form, errors, "From name", "smtpFromName")
        self.from_address = self._line(form, errors, "From address", "smtpFromAddress")
        return box

    def _twilio_box(self, errors: FieldErrors) -> QGroupBox:
        box = QGroupBox("SMS and WhatsApp over Twilio")
        form = QFormLayout(box)
        self.account_sid = self._line(form, errors, "Account SID", "twilioAccountSid")
        self.twilio_token = SecretField("twilioAuthToken")
        form.addRow("Auth token", self.twilio_token)
        self.from_number = self._line(form, errors, "From number", "twilioFromNumber")
        self.service_sid = self._line(
            form, errors, "Messaging service SID", "twilioMessagingServiceSid"
        )
        self.whatsapp_from = self._line(form, errors, "WhatsApp from", "twilioWhatsappFrom")
        return box

    def _cloud_box(self, errors: FieldErrors) -> QGroupBox:
        box = QGroupBox("Lead Cartel account")
        form = QFormLayout(box)
        self.location_id = self._line(form, errors, "Location id", "cloudLocationId")
        self.cloud_token = SecretField("cloudToken")
        form.addRow("Private integration token", self.cloud_token)
        return box

    def _advanced_box(self, errors: FieldErrors) -> QGroupBox:
        box = QGroupBox("Advanced")
        form = QFormLayout(box)
        self.ca_bundle = self._line(form, errors, "CA bundle path", "caBundle")
        self.ca_bundle.setPlaceholderText("Extra CA bundle (.pem); empty = the system's")
        # The account's API version only changes when HighLevel's does: not a first-run field.
        self.api_version = self._line(form, errors, "API version", "cloudApiVersion")
        self.api_version.setToolTip("The Lead Cartel (HighLevel) API version the app asks for")
        return box

    # --- load and read back ----------------------------------------------------------------
    def _loaded(self, loaded: _Loaded) -> None:
        self._settings = loaded.settings
        settings = loaded.settings
        for channel, kind in (
            (Channel.EMAIL, settings.email),
            (Channel.SMS, settings.sms),
            (Channel.WHATSAPP, settings.whatsapp),
        ):
            combo = self.kinds[channel]
            combo.setCurrentIndex(max(combo.findData(kind), 0))
        smtp, twilio, cloud = settings.smtp, settings.twilio, settings.cloud
        self.smtp_host.setText(smtp.host)
        self.smtp_port.setValue(smtp.port)
        self.smtp_security.setCurrentIndex(max(self.smtp_security.findData(smtp.security), 0))
        self.smtp_user.setText(smtp.username)
        self.from_name.setText(smtp.from_name)
        self.from_address.setText(smtp.from_address)
        self.account_sid.setText(twilio.account_sid)
        self.from_number.setText(twilio.from_number)
        self.service_sid.setText(twilio.messaging_service_sid)
        self.whatsapp_from.setText(twilio.whatsapp_from)
        self.location_id.setText(cloud.location_id)
        self.api_version.setText(cloud.api_version)
        self.ca_bundle.setText(settings.ca_bundle)
        for name, field in self.secrets.items():
            field.show_saved(loaded.saved.get(name, False))
            field.setEnabled(loaded.keychain)
        self.banner.setVisible(not loaded.keychain)
        self.ready = True
        self.loaded.emit()

    def settings(self) -> ProviderSettings:
        base = getattr(self, "_settings", ProviderSettings())
        return ProviderSettings(
            email=ProviderKind(self.kinds[Channel.EMAIL].currentData()),
            sms=ProviderKind(self.kinds[Channel.SMS].currentData()),
            whatsapp=ProviderKind(self.kinds[Channel.WHATSAPP].currentData()),
            smtp=SmtpSettings(
                host=self.smtp_host.text(),
                port=self.smtp_port.value(),
                security=SmtpSecurity(self.smtp_security.currentData()),
                username=self.smtp_user.text(),
                from_name=self.from_name.text(),
                from_address=self.from_address.text(),
            ),
            twilio=TwilioSettings(
                account_sid=self.account_sid.text(),
                from_number=self.from_number.text(),
                messaging_service_sid=self.service_sid.text(),
                whatsapp_from=self.whatsapp_from.text(),
                base_url=base.twilio.base_url,
            ),
            cloud=CloudSettings(
                location_id=self.location_id.text(),
                api_version=self.api_version.text(),
                base_url=base.cloud.base_url,
            ),
            ca_bundle=self.ca_bundle.text(),
        )

    def secret_values(self) -> dict[SecretName, str | None]:
        return {name: field.value() for name, field in self.secrets.items()}

    def saved(self) -> None:
        """After Save: typed secrets are in the keychain now; the fields are emptied again."""
        for field in self.secrets.values():
            value = field.value()
            field.show_saved(bool(value) or (field.saved and value is None))

    # --- Test ------------------------------------------------------------------------------
    def _test_clicked(self) -> None:
        sender = self.sender()
        if sender is not None:
            self.test(Channel(str(sender.property("channel"))))

    def test(self, channel: Channel) -> None:
        """Check the channel with the values on screen; a typed secret is kept only on Save."""
        service = self._context.services.provider_settings
        settings = self.settings()
        # Typed, or '' when Forget was pressed: tried as such, kept only on Save.
        typed = {name: value for name, value in self.secret_values().items() if value is not None}
        button, result = self.test_buttons[channel], self.results[channel]
        button.setEnabled(False)
        result.setStyleSheet("")
        result.setText("Testing…")
        result.show()

        def work() -> str:
            return service.test(channel, settings, typed)

        def done(text: str) -> None:
            button.setEnabled(True)
            result.setStyleSheet("color: #1b5e20;")
            result.setText(text)
            self.tested.emit(channel.value, text)

        def failed(error: BaseException) -> None:
            button.setEnabled(True)
            result.setStyleSheet("color: #b3261e;")
            text = logged_error_text(error)
            result.setText(text)
            self.tested.emit(channel.value, text)

        run_for(self, self._context.tasks, work, done, failed, database=False)


def _align_labels(page: QWidget) -> None:
    """One label column down the page: each group's form would size its own."""
    labels = [
        item.widget()
        for form in page.findChildren(QFormLayout)
        for row in range(form.rowCount())
        if (item := form.itemAt(row, QFormLayout.ItemRole.LabelRole)) is not None
        and item.widget() is not None
    ]
    width = max((label.sizeHint().width() for label in labels), default=0)
    for label in labels:
        label.setMinimumWidth(width)
