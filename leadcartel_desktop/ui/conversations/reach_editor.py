"""A contact's campaign settings in the contact dialog: tags, time zone, do-not-contact switches."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QHBoxLayout, QLineEdit, QWidget

from leadcartel_desktop.domain.campaigns import CAMPAIGN_CHANNELS
from leadcartel_desktop.domain.contact_groups import clean_tags
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.services.campaign_views import ContactReach
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.conversations.texts import channel_name
from leadcartel_desktop.ui.forms import FieldErrors, error_label, run_for, with_error


def _tags(text: str) -> set[str]:
    return {part.strip() for part in text.split(",") if part.strip()}


class ReachEditor(QGroupBox):
    """Loads with `load(contact_id)`; `save_work(contact_id)` is the work that stores changes."""

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__("Campaigns and conversations", parent)
        self.setObjectName("reachEditor")
        self._context = context
        self.loaded = ContactReach(0)
        self.tags = QLineEdit()
        self.tags.setObjectName("contactTags")
        self.tags.setAccessibleName("Tags")
        self.tags.setPlaceholderText("vip, newsletter (comma separated)")
        self.time_zone = QLineEdit()
        self.time_zone.setObjectName("contactTimeZone")
        self.time_zone.setAccessibleName("Time zone")
        self.time_zone.setPlaceholderText("The business's, or e.g. America/New_York")
        self.blocked: dict[Channel, QCheckBox] = {}
        row = QHBoxLayout()
        for channel in CAMPAIGN_CHANNELS:
            box = QCheckBox(channel_name(channel))
            box.setObjectName(f"doNotContact{channel.value.title()}")
            self.blocked[channel] = box
            row.addWidget(box)
        row.addStretch(1)
        self.tags_error = error_label("contactTagsError")
        self.zone_error = error_label("contactTimeZoneError")
        form = QFormLayout(self)
        form.addRow("Ta&gs", with_error(self.tags, self.tags_error))
        form.addRow("Time &zone", with_error(self.time_zone, self.zone_error))
        form.addRow("Do not contact by", row)

    def add_errors(self, errors: FieldErrors) -> None:
        errors.add("Tag", self.tags, self.tags_error)
        errors.add("Tags", self.tags, self.tags_error)
        errors.add("Time zone", self.time_zone, self.zone_error)

    def load(self, contact_id: int) -> None:
        tags = self._context.services.contact_tags
        run_for(self, self._context.tasks, lambda: tags.reach(contact_id), self._loaded)

    def _loaded(self, reach: ContactReach) -> None:
        self.loaded = reach
        self.tags.setText(", ".join(reach.tags))
        self.time_zone.setText(reach.time_zone)
        for channel, box in self.blocked.items():
            box.setChecked(channel in reach.do_not_contact)

    def save_work(self, contact_id: int) -> Callable[[], None]:
        """What to store (run off the GUI thread): only what changed since it was loaded."""
        service = self._context.services.contact_tags
        wanted = clean_tags(_tags(self.tags.text()))
        had = {tag.casefold(): tag for tag in self.loaded.tags}
        added = [tag for tag in wanted if tag.casefold() not in had]
        kept = {tag.casefold() for tag in wanted}
        removed = [tag for key, tag in had.items() if key not in kept]
        zone = self.time_zone.text().strip()
        zone_changed = zone != self.loaded.time_zone
        switches = [
            (channel, box.isChecked())
            for channel, box in self.blocked.items()
            if box.isChecked() != (channel in self.loaded.do_not_contact)
        ]

        def work() -> None:
            if zone_changed:
                service.set_time_zone(contact_id, zone)
            for tag in added:
                service.tag([contact_id], tag)
            for tag in removed:
                service.untag([contact_id], tag)
            for channel, on in switches:
                service.set_do_not_contact(contact_id, channel, on)

        return work
