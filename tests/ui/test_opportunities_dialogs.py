"""The deal form, the pipeline editor and the card menu's actions, on a real book."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox, QPushButton

from leadcartel_desktop.domain.deals import DealStatus
from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.ui.invoices.editor import InvoiceEditorDialog
from leadcartel_desktop.ui.opportunities.deal_dialog import DealDialog
from leadcartel_desktop.ui.opportunities.pipeline_dialog import PipelineDialog
from tests.integration.deal_support import Book, sales_book
from tests.ui.opportunities_support import PaneHarness


@pytest.fixture
def book(services: Any) -> Book:
    return sales_book(services)


@pytest.fixture
def harness(qtbot: Any, context: Any, book: Book) -> Iterator[PaneHarness]:
    harness = PaneHarness(qtbot, context)
    yield harness
    harness.close()


def loaded_dialog(qtbot: Any, dialog: DealDialog) -> DealDialog:
    qtbot.waitUntil(dialog.save_button.isEnabled)
    return dialog


def test_new_deal_marks_the_bad_field_and_keeps_what_was_typed(
    qtbot: Any, harness: PaneHarness, book: Book, services: Any
) -> None:
    harness.open_board()
    dialog = loaded_dialog(qtbot, harness.pane.actions.new_deal(book.pipeline_id))
    assert dialog.currency.currentText() == "USD"  # the business currency
    dialog.value.setText("12.345")
    dialog.source.setText("Trade fair")
    dialog.save()
    value_error = dialog.findChild(type(dialog.general_error), "dealValueError")
    assert value_error is not None and value_error.isVisible()
    assert "at most 2 decimals" in value_error.text()
    assert dialog.source.text() == "Trade fair" and dialog.value.text() == "12.345"

    dialog.value.setText("1,234.50")
    dialog.save()  # the name is still missing: the service says so, at the field
    name_error = dialog.findChild(type(dialog.general_error), "dealNameError")
    assert name_error is not None
    qtbot.waitUntil(name_error.isVisible)
    assert name_error.text() == "is required"
    assert not value_error.isVisible()


def test_new_deal_is_saved_in_the_chosen_stage_with_its_contact(
    qtbot: Any, harness: PaneHarness, book: Book, services: Any
) -> None:
    harness.open_board()
    dialog = loaded_dialog(qtbot, harness.pane.actions.new_deal(book.pipeline_id))
    dialog.name.setText("Website redesign")
    dialog.contact.choose(book.bob)
    qtbot.waitUntil(lambda: dialog.contact.contact is not None)
    dialog.value.setText("4,200.00")
    dialog.currency.setCurrentText("EUR")
    dialog.has_close.setChecked(True)
    dialog.close_date.setDate(QDate(2026, 6, 30))
    dialog.stage.setCurrentIndex(2)
    dialog.source.setText("Referral")
    dialog.notes.setPlainText("Call back in May")
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        dialog.save()
    detail = services.deals.get(saved.args[0])
    assert (detail.name, detail.contact_id, detail.value_minor, detail.currency) == (
        "Website redesign",
        book.bob,
        420_000,
        "EUR",
    )
    assert (detail.expected_close, detail.stage_id, detail.source, detail.notes) == (
        date(2026, 6, 30),
        book.stage_ids[2],
        "Referral",
        "Call back in May",
    )
    qtbot.waitUntil(lambda: harness.names(2) == ["Website redesign"])
    assert "€4,200.00" in harness.column(2).header.text()


def test_edit_shows_history_and_saves_status_with_reason(
    qtbot: Any, harness: PaneHarness, book: Book, services: Any
) -> None:
    deal = book.deal("A", contact=book.ann)
    services.deals.move(deal, book.stage_ids[1], 0)
    harness.open_board()
    dialog = loaded_dialog(qtbot, harness.pane.actions.open_deal(deal))
    assert dialog.contact.contact is not None and dialog.contact.contact.id == book.ann
    lines = [dialog.history.item(row).text() for row in range(dialog.history.count())]
    assert lines == [
        "Mar 10, 2026 12:00 · Lead → Qualified",
        "Mar 10, 2026 12:00 · Created in Lead",
    ]
    assert not dialog.lost_reason.isEnabled()
    dialog.status.setCurrentIndex(dialog.status.findData(DealStatus.LOST.value))
    assert dialog.lost_reason.isEnabled()
    dialog.lost_reason.setText("Went with a competitor")
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save()
    detail = services.deals.get(deal)
    assert (detail.status, detail.lost_reason) == (DealStatus.LOST, "Went with a competitor")
    qtbot.waitUntil(lambda: harness.names(1) == [])  # the board shows open deals


def test_mark_lost_asks_the_reason(
    qtbot: Any, harness: PaneHarness, book: Book, services: Any
) -> None:
    deal = book.deal("A")
    book.deal("B")
    harness.open_board()
    actions = harness.pane.actions
    menu = actions.menu(deal, "A", DealStatus.OPEN)
    texts = [a.text() for a in menu.actions() if a.isVisible() and not a.isSeparator()]
    assert texts == ["&Open", "Mark &Won", "Mark &Lost…", "Mark &Abandoned", "Create &invoice",
                     "&Delete…"]  # fmt: skip
    lost = next(a for a in menu.actions() if a.objectName() == "mark lost")
    lost.trigger()
    box = actions.last_dialog
    assert isinstance(box, QInputDialog)
    box.setTextValue("Budget cut")
    with qtbot.waitSignal(actions.status_changed, timeout=10_000):
        box.accept()
    detail = services.deals.get(deal)
    assert (detail.status, detail.lost_reason) == (DealStatus.LOST, "Budget cut")
    assert harness.names(0) == ["B"]
    assert harness.column(0).header.text() == "Lead · 10% · 1 deal · $10.00"
    assert harness.resets == 0


def test_won_deal_makes_one_draft_invoice_linked_to_it(
    qtbot: Any, harness: PaneHarness, book: Book, services: Any
) -> None:
    deal = book.deal("Logo design", value=45_000, contact=book.ann)
    harness.open_board()
    actions = harness.pane.actions
    open_menu = actions.menu(deal, "Logo design", DealStatus.OPEN)
    invoice_action = next(a for a in open_menu.actions() if a.objectName() == "create invoice")
    assert not invoice_action.isEnabled()  # only won deals

    harness.pane.filter_bar.status_boxes[DealStatus.WON].setChecked(True)
    qtbot.waitUntil(lambda: harness.tasks.is_idle() and harness.names(0) == ["Logo design"])
    with qtbot.waitSignal(actions.status_changed, timeout=10_000):
        actions.mark(deal, DealStatus.WON)
    assert harness.column(0).model.cards[0].status is DealStatus.WON  # still shown: Won ticked
    won_menu = actions.menu(deal, "Logo design", DealStatus.WON)
    invoice_action = next(a for a in won_menu.actions() if a.objectName() == "create invoice")
    assert invoice_action.isEnabled()
    with qtbot.waitSignal(actions.invoice_created, timeout=10_000) as created:
        invoice_action.trigger()
    invoice_id = created.args[1]
    assert services.deals.get(deal).invoice_id == invoice_id
    invoice = services.invoices.get(invoice_id)
    assert invoice.status is InvoiceStatus.DRAFT
    assert invoice.content.contact_id == book.ann
    assert [(line.description, line.unit_price) for line in invoice.content.lines] == [
        ("Logo design", 45_000)
    ]
    offer = actions.last_dialog
    assert isinstance(offer, QMessageBox)
    assert str(invoice_id) in offer.text()
    open_button = offer.findChild(QPushButton, "openInvoice")
    assert open_button is not None
    open_button.click()  # the invoice editor, on the new draft
    editor = actions.last_dialog
    assert isinstance(editor, InvoiceEditorDialog) and editor.invoice_id == invoice_id
    qtbot.waitUntil(lambda: editor.state is not None and harness.tasks.is_idle())
    editor.reject()

    with qtbot.waitSignal(actions.invoice_created, timeout=10_000) as again:
        actions.create_invoice(deal)  # a second press: the same invoice, no new draft
    assert again.args[1] == invoice_id
    actions.last_dialog.close()  # type: ignore[union-attr]


def test_delete_asks_first(qtbot: Any, harness: PaneHarness, book: Book, services: Any) -> None:
    deal = book.deal("A")
    harness.open_board()
    actions = harness.pane.actions
    box = actions.ask_delete(deal, "A")
    assert "'A'" in box.text()
    yes = box.findChild(QPushButton, "confirmYes")
    assert yes is not None
    with qtbot.waitSignal(actions.deleted, timeout=10_000):
        yes.click()
    assert harness.names(0) == []
    assert book.column(0) == []


def pipeline_dialog(qtbot: Any, harness: PaneHarness) -> PipelineDialog:
    harness.open_board()
    dialog = harness.pane.edit_pipelines()
    qtbot.waitUntil(lambda: dialog.pipeline_list.count() > 0)
    return dialog


def test_a_pipeline_with_deals_cannot_be_deleted(
    qtbot: Any, harness: PaneHarness, book: Book, services: Any
) -> None:
    book.deal("A")
    dialog = pipeline_dialog(qtbot, harness)
    dialog.delete_pipeline(book.pipeline_id)
    qtbot.waitUntil(dialog.error.isVisible)
    assert dialog.error.text() == ("Pipeline 'Sales' still has 1 deal; move or delete them first")
    assert [p.id for p in services.pipelines.list()] == [book.pipeline_id]
    dialog.close()


def test_pipeline_editor_creates_renames_and_edits_stages(
    qtbot: Any, harness: PaneHarness, book: Book, services: Any
) -> None:
    dialog = pipeline_dialog(qtbot, harness)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.create_pipeline("Renewals", (("Due", 50), ("Signed", 100)))
    new = dialog.current_pipeline()
    assert new is not None and new.name == "Renewals"
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.rename_pipeline(new.id, "Renewals 2026")

    dialog.stage_name.setText("Reminded")
    dialog.probability.setValue(70)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.add_stage()
    assert dialog.current_stage() is not None
    assert dialog.current_stage().name == "Reminded"  # type: ignore[union-attr]
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.move_stage(-1)  # before Signed
    dialog.stage_name.setText("Reminder sent")
    dialog.probability.setValue(80)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.save_stage()
    stored = services.pipelines.get(new.id)
    assert stored.name == "Renewals 2026"
    assert [(s.name, s.probability) for s in stored.stages] == [
        ("Due", 50),
        ("Reminder sent", 80),
        ("Signed", 100),
    ]
    dialog.stage_list.setCurrentRow(0)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.remove_stage(stored.stages[0].id)
    assert [s.name for s in services.pipelines.get(new.id).stages] == ["Reminder sent", "Signed"]
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.delete_pipeline(new.id)  # no deals: it goes
    assert [p.name for p in services.pipelines.list()] == ["Sales"]
    harness.idle()
    assert harness.pane.pipeline_combo.count() == 1
    dialog.close()


def test_ctrl_n_opens_new_deal_when_the_pane_is_shown(
    qtbot: Any, harness: PaneHarness, book: Book
) -> None:
    harness.open_board()
    pane = harness.pane
    harness.outer.activateWindow()
    qtbot.waitUntil(harness.outer.isActiveWindow)
    pane.board.setFocus()
    qtbot.keyClick(pane.board, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = pane.actions.last_dialog
    assert isinstance(dialog, DealDialog) and dialog.deal_id is None
    loaded_dialog(qtbot, dialog)
    assert dialog.pipeline.currentData() == book.pipeline_id
    dialog.reject()


def test_add_new_customer_fills_the_contact(
    qtbot: Any, harness: PaneHarness, book: Book, services: Any
) -> None:
    from leadcartel_desktop.ui.contacts.dialog import ContactDialog

    harness.open_board()
    dialog = loaded_dialog(qtbot, harness.pane.actions.new_deal(book.pipeline_id))
    qtbot.mouseClick(dialog.contact.add_button, Qt.MouseButton.LeftButton)
    contact_dialog = dialog.findChild(ContactDialog)
    assert contact_dialog is not None and contact_dialog.isVisible()
    contact_dialog.inputs["company"].setText("Zephyr Studio")
    contact_dialog.save()
    qtbot.waitUntil(lambda: dialog.contact.contact is not None)
    assert dialog.contact.search.text() == "Zephyr Studio"
    dialog.name.setText("Brand book")
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        dialog.save()
    contact_id = services.deals.get(saved.args[0]).contact_id
    assert services.contacts.get(contact_id).company == "Zephyr Studio"
