"""Business settings: load, edit, logo, tax rates, live number example, errors at the field."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QImage

from leadcartel_desktop.domain.taxes import TaxRate
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.settings.dialog import SettingsDialog
from leadcartel_desktop.ui.settings.tax_rates import RateColumn, TaxRatesModel
from tests.ui.invoice_support import REDUCED, VAT, make_ui, set_up_business


@pytest.fixture
def ui(qtbot: Any, context: Any) -> Iterator[UiContext]:
    set_up_business(context.services)
    yield from make_ui(qtbot, context)


@pytest.fixture
def dialog(qtbot: Any, ui: UiContext) -> SettingsDialog:
    settings = SettingsDialog(ui)
    qtbot.addWidget(settings)
    settings.show()
    qtbot.waitUntil(settings.save_button.isEnabled, timeout=10_000)
    return settings


def save(qtbot: Any, dialog: SettingsDialog) -> None:
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def test_tax_rates_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = TaxRatesModel()
    model.set_rates([VAT, TaxRate("City", Decimal("1.5"), compound=True)])
    qtmodeltester.check(model, force_py=True)
    assert model.index(1, RateColumn.PERCENT).data() == "1.5"
    assert model.index(1, RateColumn.COMPOUND).data(Qt.ItemDataRole.CheckStateRole) == (
        Qt.CheckState.Checked
    )


def test_loads_edits_and_saves(qtbot: Any, dialog: SettingsDialog, ui: UiContext) -> None:
    assert dialog.text["company_name"].text() == "Cartel Consulting"
    assert dialog.currency.currentText() == "EUR"
    assert dialog.tax_rates.model.rates() == [VAT, REDUCED]
    dialog.text["company_name"].setText("Ağaç İşleri Ltd. Şti.")
    dialog.text["city"].setText("Iğdır")
    dialog.text["tax_id"].setText("TR1234567890")
    dialog.currency.setCurrentText("TRY")
    dialog.locale.setCurrentText("tr_TR")
    dialog.time_zone.setCurrentText("Europe/Istanbul")
    dialog.country.setText("TR")
    dialog.terms_days.setValue(14)
    dialog.document_title.setText("FATURA / İade")
    dialog.default_notes.setPlainText("Teşekkürler!")
    save(qtbot, dialog)
    business = ui.services.settings.business()
    assert business.company_name == "Ağaç İşleri Ltd. Şti."
    assert business.address.city == "Iğdır"
    assert business.default_currency == "TRY"
    assert business.locale == "tr_TR"
    assert business.time_zone == "Europe/Istanbul"
    assert business.default_country == "TR"
    assert business.payment_terms_days == 14
    assert business.document_title == "FATURA / İade"
    assert business.default_notes == "Teşekkürler!"
    assert ui.services.settings.tax_rates() == [VAT, REDUCED]


def test_tax_rates_add_edit_remove(qtbot: Any, dialog: SettingsDialog, ui: UiContext) -> None:
    panel = dialog.tax_rates
    model = panel.model
    dialog.tabs.setCurrentWidget(panel)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert model.rowCount() == 3
    assert model.setData(model.index(2, RateColumn.NAME), "City tax")
    assert not model.setData(model.index(2, RateColumn.PERCENT), "120")
    assert panel.message.text() == "Tax rate 3, Percent: must be between 0 and 100"
    assert not model.setData(model.index(2, RateColumn.PERCENT), "2,5")  # en_US: not 25
    assert panel.message.text() == (
        "Tax rate 3, Percent: '2,5' is not a number here: '.' marks decimals, ',' thousands"
    )
    assert model.setData(model.index(2, RateColumn.PERCENT), "2.5")
    compound = model.index(2, RateColumn.COMPOUND)
    assert model.setData(compound, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    panel.view.selectRow(1)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    save(qtbot, dialog)
    city = TaxRate("City tax", Decimal("2.5"), compound=True)
    assert ui.services.settings.tax_rates() == [VAT, city]


def test_duplicate_or_nameless_rates_are_refused(qtbot: Any, dialog: SettingsDialog) -> None:
    model = dialog.tax_rates.model
    model.add_rate()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.tax_rates.message.text() == "Tax rates: row 3: the name is required"
    assert dialog.tabs.currentWidget() is dialog.tax_rates
    model.setData(model.index(2, RateColumn.NAME), "vat")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "used twice" in dialog.tax_rates.message.text(), timeout=10_000)
    model.removeRows(2, 1, QModelIndex())


def test_refused_values_are_shown_at_their_field(qtbot: Any, dialog: SettingsDialog) -> None:
    dialog.time_zone.setCurrentText("Mars/Olympus")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.errors.message_for("Time zone") != "", timeout=10_000)
    assert dialog.errors.message_for("Time zone") == "'Mars/Olympus' is not a known time zone"
    assert dialog.tabs.currentIndex() == 1
    dialog.time_zone.setCurrentText("UTC")
    dialog.tabs.setCurrentIndex(0)
    dialog.text["company_name"].clear()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.errors.message_for("Company name") == "is required")
    assert dialog.errors.message_for("Time zone") == ""
    dialog.text["company_name"].setText("Cartel")
    dialog.text["email"].setText("not an email")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.errors.message_for("Email") != "", timeout=10_000)
    dialog.text["email"].clear()
    dialog.locale.setCurrentText("xx_YY")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: dialog.errors.message_for("Locale") == "'xx_YY' is not a known locale",
        timeout=10_000,
    )
    assert dialog.isVisible()


def test_number_format_shows_a_live_example(qtbot: Any, dialog: SettingsDialog) -> None:
    qtbot.waitUntil(lambda: dialog.number_example.text() == "Next number: INV-2026-0001")
    dialog.number_format.clear()
    qtbot.keyClicks(dialog.number_format, "R{YY}{MM}-{SEQ:3}")
    qtbot.waitUntil(lambda: dialog.number_example.text() == "Next number: R2603-001")
    dialog.number_format.clear()
    qtbot.keyClicks(dialog.number_format, "R-{DAY}")
    qtbot.waitUntil(
        lambda: "unknown token {DAY}" in dialog.errors.message_for("Invoice number format")
    )
    assert dialog.number_example.text() == ""


def test_logo_is_chosen_shown_and_removed(
    qtbot: Any, dialog: SettingsDialog, ui: UiContext, tmp_path: Path
) -> None:
    image = QImage(120, 40, QImage.Format.Format_ARGB32)
    image.fill(QColor("#1d4ed8"))
    logo_path = tmp_path / "logo.png"
    assert image.save(str(logo_path))
    dialog.logo.load_file(logo_path)
    qtbot.waitUntil(lambda: dialog.logo.logo is not None, timeout=10_000)
    assert not dialog.logo.preview.pixmap().isNull()
    assert dialog.logo.remove_button.isEnabled()
    save(qtbot, dialog)
    assert ui.services.settings.business().logo_png == logo_path.read_bytes()


def test_a_file_that_is_not_a_png_is_refused(
    qtbot: Any, dialog: SettingsDialog, tmp_path: Path
) -> None:
    fake = tmp_path / "logo.png"
    fake.write_bytes(b"GIF89a not really")
    dialog.logo.load_file(fake)
    qtbot.waitUntil(lambda: dialog.errors.message_for("Logo") != "", timeout=10_000)
    assert dialog.errors.message_for("Logo") == "logo.png is not a PNG image"
    assert dialog.logo.logo is None
