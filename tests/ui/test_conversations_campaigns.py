"""Conversations > Campaigns: New Campaign (who is left out and why), launch, the detail's
Pause, Resume and Cancel, and the groups editor's live count."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication

from leadcartel_desktop.domain.campaigns import AudienceSpec, CampaignStatus
from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.ui.conversations.campaign_dialog import NewCampaignDialog
from leadcartel_desktop.ui.conversations.group_dialog import GroupsDialog
from tests.integration.campaign_support import text_draft
from tests.ui.conversations_support import ConversationsHarness, answer_confirm


def _open_dialog(qtbot: Any, harness: ConversationsHarness) -> NewCampaignDialog:
    harness.show()
    harness.pane.tabs.setCurrentWidget(harness.pane.campaigns)
    harness.idle()
    harness.pane.campaigns.new_campaign()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, NewCampaignDialog))
    harness.idle()
    return dialog


def test_no_campaigns_yet_offers_new_campaign(qtbot: Any, context: Any) -> None:
    harness = ConversationsHarness(qtbot, context)
    harness.show()
    harness.pane.tabs.setCurrentWidget(harness.pane.campaigns)
    harness.idle()
    campaigns = harness.pane.campaigns
    assert campaigns.stack.currentWidget() is campaigns.empty
    assert campaigns.empty.button is not None and campaigns.empty.button.isVisible()


def test_new_campaign_shows_who_is_left_out_and_launching_queues_one_row_each(
    qtbot: Any, qtmodeltester: Any, context: Any
) -> None:
    harness = ConversationsHarness(qtbot, context)
    ada = harness.contact("Ada", "+6591234567", last="Lovelace")
    bob = harness.contact("Bob", "+6598765432", last="Marley")
    cy = harness.contact("Cy", "", "cy@example.com", last="Young")
    harness.services.threads.unsubscribe(Channel.SMS, "+6598765432", "replied STOP")
    dialog = _open_dialog(qtbot, harness)
    picker = dialog.audience
    for contact_id, name in ((ada, "Ada Lovelace"), (bob, "Bob Marley"), (cy, "Cy Young")):
        picker.add_contact(contact_id, name)
    picker.recount()
    harness.idle()

    assert picker.count_label.text().startswith("1 contact will receive it · 2 left out")
    left = [picker.left_out.item(row).text() for row in range(picker.left_out.count())]
    assert sorted(left) == ["Bob Marley — opted out", "Cy Young — no phone"]
    dialog.name.setText("Spring sale")
    dialog.message.body.setPlainText("Hi {first_name}, spring sale!")
    dialog.message.update_preview()
    harness.idle()
    assert "Hi Ada, spring sale!" in dialog.message.preview.toPlainText()
    assert dialog.message.counter.text() == "29 characters · GSM-7 · 1 part"

    dialog.ask_launch()
    answer_confirm(qtbot)
    harness.idle()

    queued = harness.services.outbox.in_state(OutboxState.PENDING)
    assert [m.recipient for m in queued] == ["+6591234567"]
    campaigns = harness.pane.campaigns
    qtbot.waitUntil(lambda: campaigns.model.rowCount() == 1)
    qtmodeltester.check(campaigns.model)
    assert campaigns.model.index(0, 0).data() == "Spring sale"
    assert campaigns.model.index(0, 8).data() == "2"  # left out
    harness.idle()
    qtmodeltester.check(campaigns.detail.recipients)
    assert campaigns.detail.recipients.rowCount() == 3


def test_an_unknown_merge_field_is_refused_on_the_message_tab(qtbot: Any, context: Any) -> None:
    harness = ConversationsHarness(qtbot, context)
    ada = harness.contact("Ada", "+6591234567", last="Lovelace")
    dialog = _open_dialog(qtbot, harness)
    dialog.audience.add_contact(ada, "Ada Lovelace")
    dialog.name.setText("Oops")
    dialog.message.body.setPlainText("Hi {nickname}")
    dialog.tabs.setCurrentIndex(2)
    dialog.launch()
    harness.idle()
    assert dialog.tabs.currentWidget() is dialog.message
    assert "nickname" in dialog.message.body_error.text()
    assert harness.services.outbox.counts().get(OutboxState.PENDING, 0) == 0


def test_pause_resume_and_cancel_change_the_status(qtbot: Any, context: Any) -> None:
    harness = ConversationsHarness(qtbot, context)
    ada = harness.contact("Ada", "+6591234567")
    bob = harness.contact("Bob", "+6598765432")
    campaigns = harness.services.campaigns
    draft = text_draft(audience=AudienceSpec(contact_ids=(ada, bob)), per_minute=1)
    campaign_id = campaigns.save_draft(draft)
    campaigns.launch(campaign_id)
    harness.show()
    tab = harness.pane.campaigns
    harness.pane.tabs.setCurrentWidget(tab)
    harness.idle()
    tab.table.selectRow(0)
    harness.idle()
    detail = tab.detail
    assert detail.state is not None and detail.state.status is CampaignStatus.RUNNING
    assert detail.pause_button.isEnabled() and not detail.resume_button.isEnabled()

    detail.pause_button.click()
    harness.idle()
    assert campaigns.status(campaign_id) is CampaignStatus.PAUSED
    assert detail.resume_button.isEnabled() and not detail.pause_button.isEnabled()
    assert tab.model.index(0, 2).data() == "Paused"

    detail.resume_button.click()
    harness.idle()
    assert campaigns.status(campaign_id) is CampaignStatus.RUNNING

    detail.cancel_button.click()
    answer_confirm(qtbot)
    harness.idle()
    assert campaigns.status(campaign_id) is CampaignStatus.CANCELLED
    assert not any(
        b.isEnabled() for b in (detail.pause_button, detail.resume_button, detail.cancel_button)
    )
    assert tab.model.index(0, 2).data() == "Cancelled"


def test_the_groups_editor_counts_members_as_the_definition_changes(
    qtbot: Any, context: Any
) -> None:
    harness = ConversationsHarness(qtbot, context)
    ada = harness.contact("Ada", "+6591234567")
    harness.contact("Bob", "+6598765432")
    harness.services.contact_tags.tag([ada], "VIP")
    dialog = GroupsDialog(harness.context)
    qtbot.addWidget(dialog)
    dialog.show()
    harness.idle()
    assert dialog.count.text() == "2 contacts in this group now"
    dialog.any_tags.setText("vip")
    dialog.recount()
    harness.idle()
    assert dialog.count.text() == "1 contact in this group now"
    dialog.name.setText("VIPs")
    dialog.save_button.click()
    harness.idle()
    assert [group.name for group in harness.services.groups.list()] == ["VIPs"]
    assert dialog.list.count() == 1


def test_the_contact_dialog_keeps_tags_and_do_not_contact_which_campaigns_honour(
    qtbot: Any, context: Any
) -> None:
    from leadcartel_desktop.ui.contacts.dialog import ContactDialog

    harness = ConversationsHarness(qtbot, context)
    ada = harness.contact("Ada", "+6591234567", last="Lovelace")
    dialog = ContactDialog(harness.context, ada)
    qtbot.addWidget(dialog)
    dialog.show()
    harness.idle()
    dialog.reach.tags.setText("VIP, newsletter")
    dialog.reach.blocked[Channel.SMS].setChecked(True)
    with qtbot.waitSignal(dialog.saved):
        dialog.save()
    harness.idle()

    reach = harness.services.contact_tags.reach(ada)
    assert sorted(reach.tags) == ["VIP", "newsletter"]
    assert reach.do_not_contact == frozenset({Channel.SMS})
    audience = harness.services.campaigns.audience(Channel.SMS, tags=["vip"])
    assert [(row.name, row.reason.value) for row in audience.left_out] == [
        ("Ada Lovelace", "do not contact")
    ]


def test_a_saved_draft_opens_again_in_the_editor_and_launches(qtbot: Any, context: Any) -> None:
    harness = ConversationsHarness(qtbot, context)
    ada = harness.contact("Ada", "+6591234567", last="Lovelace")
    harness.services.contact_tags.tag([ada], "VIP")
    dialog = _open_dialog(qtbot, harness)
    dialog.audience.add_contact(ada, "Ada Lovelace")
    dialog.name.setText("Later")
    dialog.message.body.setPlainText("Hello {first_name}")
    dialog.schedule.per_minute.setValue(12)
    dialog.save_draft()
    harness.idle()
    tab = harness.pane.campaigns
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    assert tab.model.index(0, 2).data() == "Draft"
    tab.table.selectRow(0)
    harness.idle()
    assert tab.detail.edit_button.isEnabled() and not tab.detail.pause_button.isVisible()

    tab.detail.edit_button.click()
    harness.idle()
    editor = next(
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, NewCampaignDialog) and w.isVisible() and w is not dialog
    )
    assert editor.name.text() == "Later"
    assert editor.message.body.toPlainText() == "Hello {first_name}"
    assert editor.schedule.per_minute.value() == 12
    assert editor.audience.contact_ids() == [ada]
    editor.launch()
    harness.idle()
    assert len(harness.services.outbox.in_state(OutboxState.PENDING)) == 1
    assert [c.name for c in harness.services.campaigns.list()] == ["Later"]


def test_whatsapp_outside_the_window_leaves_contacts_out_until_a_template_is_given(
    qtbot: Any, context: Any
) -> None:
    harness = ConversationsHarness(qtbot, context)
    ada = harness.contact("Ada", "+6591234567", last="Lovelace")
    dialog = _open_dialog(qtbot, harness)
    dialog.channel.setCurrentIndex(dialog.channel.findData(Channel.WHATSAPP))
    assert dialog.message.whatsapp_box.isVisibleTo(dialog.message)
    picker = dialog.audience
    picker.add_contact(ada, "Ada Lovelace")
    picker.recount()
    harness.idle()
    assert picker.count_label.text().startswith("0 contacts will receive it · 1 left out")
    assert "24-hour window" in picker.left_out.item(0).text()

    dialog.message.whatsapp.template_id.setText("spring_sale")
    dialog.message.whatsapp.variables_edit.setText("1={first_name}")
    picker.recount()
    harness.idle()
    assert picker.count_label.text().startswith("1 contact will receive it · 0 left out")


def test_an_empty_campaign_is_refused_at_every_field_before_any_question(
    qtbot: Any, context: Any
) -> None:
    harness = ConversationsHarness(qtbot, context)
    dialog = _open_dialog(qtbot, harness)

    dialog.ask_launch()
    harness.idle()

    asked = [w for w in QApplication.topLevelWidgets() if w.objectName() == "confirmDialog"]
    assert not [w for w in asked if w.isVisible()]  # nothing to confirm yet
    assert dialog.errors.message_for("Name") == "is required"
    assert dialog.errors.message_for("Message") == "is empty"
    assert "Choose a group" in dialog.errors.message_for("Recipients")
    # The tabs out of sight say they hold a field to fix: Recipients and Message, not Schedule.
    marked = [not dialog.tabs.tabIcon(n).isNull() for n in range(dialog.tabs.count())]
    assert marked == [True, True, False]

    dialog.message.body.setPlainText("Hello")  # an edit takes its field's mark away
    assert dialog.errors.message_for("Message") == ""
    assert dialog.errors.message_for("Name") == "is required"
    assert dialog.tabs.tabIcon(1).isNull()
    ada = harness.contact("Ada", "+6591234567", last="Lovelace")
    dialog.audience.add_contact(ada, "Ada Lovelace")  # choosing recipients clears theirs
    dialog.audience.recount()
    harness.idle()
    assert dialog.errors.message_for("Recipients") == ""
    assert dialog.tabs.tabIcon(0).isNull()
    dialog.reject()
    harness.idle()
