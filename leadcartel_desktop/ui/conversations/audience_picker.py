"""Campaign recipients: groups, tags and single contacts; the live count and who is left out."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from leadcartel_desktop.domain.merge_fields import fields_in
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.services.campaign_views import Audience, Group, TagCount
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.conversations.contact_finder import ContactFinder
from leadcartel_desktop.ui.forms import run_for

COUNT_DEBOUNCE_MS = 200  # the count is one query; typing-speed changes share one
PREVIEW_CHOICES = 50  # recipients the preview offers by name
ID_ROLE = Qt.ItemDataRole.UserRole


def _checkable(text: str, data: object) -> QListWidgetItem:
    item = QListWidgetItem(text)
    item.setData(ID_ROLE, data)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Unchecked)
    return item


def _checked(widget: QListWidget) -> list[object]:
    return [
        widget.item(row).data(ID_ROLE)
        for row in range(widget.count())
        if widget.item(row).checkState() == Qt.CheckState.Checked
    ]


class AudiencePicker(QWidget):
    """`audience_changed(Audience)` after each recount (off the GUI thread, debounced)."""

    audience_changed = Signal(object)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("audiencePicker")
        self._context = context
        self._asked = 0
        self.channel = Channel.SMS
        self.template_id = ""
        self.variables: dict[str, str] = {}
        self.body = ""  # an SMS or WhatsApp text with merge fields (see set_body)
        self.audience = Audience()
        self.names: dict[int, str] = {}
        self._wanted_groups: tuple[int, ...] = ()  # a draft's choice, ticked once loaded
        self._wanted_tags: tuple[str, ...] = ()
        self.groups = QListWidget()
        self.groups.setObjectName("audienceGroups")
        self.groups.setAccessibleName("Groups")
        self.tags = QListWidget()
        self.tags.setObjectName("audienceTags")
        self.tags.setAccessibleName("Tags")
        self.search = ContactFinder(context, "Add a contact: type a name, email or phone…")
        self.search.setObjectName("audienceContactSearch")
        self.contacts = QListWidget()
        self.contacts.setObjectName("audienceContacts")
        self.contacts.setAccessibleName("Contacts")
        self.remove_button = QPushButton("Remove")
        self.remove_button.setObjectName("audienceRemoveContact")
        self.count_label = QLabel("Choose groups, tags or contacts.")
        self.count_label.setObjectName("audienceCount")
        font = self.count_label.font()
        font.setBold(True)
        self.count_label.setFont(font)
        self.left_out = QListWidget()
        self.left_out.setObjectName("audienceLeftOut")
        self.left_out.setAccessibleName("Left out")
        self._lay_out()
        self._recount = QTimer(self)
        self._recount.setSingleShot(True)
        self._recount.setInterval(COUNT_DEBOUNCE_MS)
        self._recount.timeout.connect(self.recount)
        self.groups.itemChanged.connect(lambda _item: self._recount.start())
        self.tags.itemChanged.connect(lambda _item: self._recount.start())
        self.search.chosen.connect(self.add_contact)
        self.remove_button.clicked.connect(self._remove_contact)

    def _lay_out(self) -> None:
        grid = QGridLayout(self)
        grid.addWidget(QLabel("<b>Groups</b>"), 0, 0)
        grid.addWidget(QLabel("<b>Tags</b>"), 0, 1)
        grid.addWidget(QLabel("<b>Contacts</b>"), 0, 2)
        grid.addWidget(self.groups, 1, 0, 2, 1)
        grid.addWidget(self.tags, 1, 1, 2, 1)
        grid.addWidget(self.search, 1, 2)
        grid.addWidget(self.contacts, 2, 2)
        grid.addWidget(self.remove_button, 3, 2, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.count_label, 4, 0, 1, 3)
        grid.addWidget(QLabel("Left out, and why:"), 5, 0, 1, 3)
        grid.addWidget(self.left_out, 6, 0, 1, 3)
        grid.setRowStretch(2, 3)
        grid.setRowStretch(6, 2)

    # Choices --------------------------------------------------------------------------------
    def load(self) -> None:
        """Read the saved groups and the tags in use (off the GUI thread)."""
        services = self._context.services

        def load() -> tuple[list[Group], list[TagCount]]:
            return services.groups.list(), services.contact_tags.tags()

        run_for(self, self._context.tasks, load, self._loaded)

    def _loaded(self, result: tuple[list[Group], list[TagCount]]) -> None:
        groups, tags = result
        checked_groups = set(self.group_ids()) | set(self._wanted_groups)
        checked_tags = set(self.chosen_tags()) | set(self._wanted_tags)
        self._wanted_groups, self._wanted_tags = (), ()
        for widget in (self.groups, self.tags):
            widget.blockSignals(True)
            widget.clear()
        for group in groups:
            item = _checkable(group.name, group.id)
            if group.id in checked_groups:
                item.setCheckState(Qt.CheckState.Checked)
            self.groups.addItem(item)
        for tag in tags:
            item = _checkable(f"{tag.tag} ({tag.contacts:,})", tag.tag)
            if tag.tag in checked_tags:
                item.setCheckState(Qt.CheckState.Checked)
            self.tags.addItem(item)
        for widget in (self.groups, self.tags):
            widget.blockSignals(False)
        if checked_groups or checked_tags:
            self._recount.start()
        if not groups:
            self.groups.addItem("No groups yet (Groups… to make one)")
            self.groups.item(0).setFlags(Qt.ItemFlag.NoItemFlags)
        if not tags:
            self.tags.addItem("No tags yet")
            self.tags.item(0).setFlags(Qt.ItemFlag.NoItemFlags)

    def group_ids(self) -> list[int]:
        return [int(value) for value in _checked(self.groups) if isinstance(value, int)]

    def chosen_tags(self) -> list[str]:
        return [str(value) for value in _checked(self.tags) if isinstance(value, str)]

    def contact_ids(self) -> list[int]:
        return [int(self.contacts.item(row).data(ID_ROLE)) for row in range(self.contacts.count())]

    def set_channel(
        self, channel: Channel, template_id: str = "", variables: dict[str, str] | None = None
    ) -> None:
        """Count for this channel (and WhatsApp template: who lacks a variable is left out)."""
        wanted = (channel, template_id, dict(variables or {}))
        if wanted != (self.channel, self.template_id, self.variables):
            self.channel, self.template_id, self.variables = wanted
            self._recount.start()

    def set_body(self, body: str) -> None:
        """Count with this SMS or WhatsApp text (an email's is given as '').

        A contact whose details, filled in, make it too long is left out. Only a text with
        merge fields differs between contacts, so one without any does not recount.
        """
        wanted = body if fields_in(body) else ""
        if wanted != self.body:
            self.body = wanted
            self._recount.start()

    def add_contact(self, contact_id: int, name: str) -> None:
        if contact_id in self.contact_ids():
            return
        item = QListWidgetItem(name)
        item.setData(ID_ROLE, contact_id)
        self.contacts.addItem(item)
        self.names[contact_id] = name
        self._recount.start()

    def set_choice(self, group_ids: Sequence[int], tags: Sequence[str]) -> None:
        """Tick groups and tags (as a saved draft had them), now or once they are loaded."""
        self._wanted_groups, self._wanted_tags = tuple(group_ids), tuple(tags)
        for widget, wanted in ((self.groups, set(group_ids)), (self.tags, set(tags))):
            for row in range(widget.count()):
                item = widget.item(row)
                if item.data(ID_ROLE) in wanted:
                    item.setCheckState(Qt.CheckState.Checked)

    def _remove_contact(self) -> None:
        for item in self.contacts.selectedItems():
            self.contacts.takeItem(self.contacts.row(item))
        self._recount.start()

    # The count ------------------------------------------------------------------------------
    @property
    def empty(self) -> bool:
        return not (self.group_ids() or self.chosen_tags() or self.contact_ids())

    def recount(self) -> None:
        """Who would receive it now, and who is left out and why (off the GUI thread)."""
        self._recount.stop()
        self._asked += 1
        asked = self._asked
        if self.empty:
            self._counted(asked, Audience())
            return
        services = self._context.services
        channel, template_id, variables = self.channel, self.template_id, dict(self.variables)
        body = self.body
        groups, tags, contacts = self.group_ids(), self.chosen_tags(), self.contact_ids()
        known = dict(self.names)
        self.count_label.setText("Counting…")

        def count() -> tuple[Audience, dict[int, str]]:
            audience = services.campaigns.audience(
                channel,
                groups,
                tags,
                contacts,
                whatsapp_template_id=template_id,
                whatsapp_variables=variables,
                body=body,
            )
            # The preview offers the first recipients by name; Audience holds only their ids.
            names = {
                contact_id: known.get(contact_id) or services.contacts.get(contact_id).display_name
                for contact_id in audience.included[:PREVIEW_CHOICES]
            }
            return audience, names

        run_for(self, self._context.tasks, count, lambda result: self._counted(asked, *result))

    def _counted(self, asked: int, audience: Audience, names: dict[int, str] | None = None) -> None:
        if asked != self._asked:
            return
        self.audience = audience
        self.names.update(names or {})
        for row in audience.left_out:
            self.names[row.contact_id] = row.name
        included, left = len(audience.included), len(audience.left_out)
        if self.empty:
            self.count_label.setText("Choose groups, tags or contacts.")
        else:
            reasons = ", ".join(
                f"{count:,} {reason.value}" for reason, count in audience.reasons().items()
            )
            who = "contact" if included == 1 else "contacts"
            self.count_label.setText(
                f"{included:,} {who} will receive it · {left:,} left out"
                + (f" ({reasons})" if reasons else "")
            )
        self.left_out.clear()
        for row in audience.left_out[:1000]:
            self.left_out.addItem(f"{row.name} — {row.reason.value}")
        if left > 1000:
            self.left_out.addItem(f"… and {left - 1000:,} more")
        self.audience_changed.emit(audience)
