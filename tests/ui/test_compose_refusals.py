"""The compose box refuses what compose refuses: a stored number that is not E.164, named."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QStandardItemModel

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.outbox import Channel
from tests.ui.conversations_support import ConversationsHarness


def test_an_invalid_stored_number_greys_sms_and_whatsapp_naming_the_number(
    qtbot: Any, context: Any
) -> None:
    with context.database.unit_of_work() as uow:  # as an import before numbers were checked
        raw = uow.contacts.add(Contact("Imported", "Row", "imported@example.com", phone="12345"))
        uow.commit()
    harness = ConversationsHarness(qtbot, context)
    harness.show()
    harness.pane.threads.write_to_contact(raw, "Imported Row")
    harness.idle()

    compose = harness.pane.threads.thread.compose
    model = compose.channel.model()
    assert isinstance(model, QStandardItemModel)
    items = {compose.channel.itemData(row): model.item(row) for row in range(model.rowCount())}
    for channel, label in ((Channel.SMS, "SMS"), (Channel.WHATSAPP, "WhatsApp")):
        assert not items[channel].isEnabled()
        assert compose.channel.itemText(compose.channel.findData(channel)) == (
            f"{label} — invalid number"
        )
        assert "12345" in items[channel].toolTip()
    assert items[Channel.EMAIL].isEnabled()
    assert compose.current_channel is Channel.EMAIL
