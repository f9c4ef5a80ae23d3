"""The Campaigns tab: the list with progress, the chosen campaign's detail, New Campaign, Groups."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from leadcartel_desktop.domain.campaigns import Campaign
from leadcartel_desktop.services.campaign_views import CampaignSummary
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.conversations.campaign_detail import CampaignDetail
from leadcartel_desktop.ui.conversations.campaign_models import CampaignListModel
from leadcartel_desktop.ui.conversations.texts import business_time
from leadcartel_desktop.ui.forms import run_for
from leadcartel_desktop.ui.widgets.empty_state import EmptyState
from leadcartel_desktop.ui.widgets.stretch_column import ReadableStretch

REFRESH_MS = 5_000  # progress is re-read this often while the tab is shown


class CampaignsTab(QWidget):
    message = Signal(str)
    loaded = Signal()

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("campaignsTab")
        self._context = context
        self._listing = False
        self.model = CampaignListModel(self)
        self.table = QTableView()
        self.table.setObjectName("campaignList")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(1, 80)
        self.table.setColumnWidth(2, 90)
        self.table.setColumnWidth(3, 150)
        self._fitted_zone = ""  # the Scheduled column fits its header, which names the zone
        for column in range(4, 9):
            self.table.setColumnWidth(column, 78)
        self.name_column = ReadableStretch(self.table, 0, 170)
        self.new_button = QPushButton("&New Campaign…")
        self.new_button.setObjectName("newCampaign")
        self.groups_button = QPushButton("&Groups…")
        self.groups_button.setObjectName("openGroups")
        self.empty = EmptyState(
            "No campaigns yet",
            "Send one SMS, WhatsApp or email message to a group of contacts, now or at a time "
            "you choose; replies come back to each contact's thread.",
            "New Campaign…",
        )
        self.detail = CampaignDetail(context)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setSizes([260, 420])
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.splitter)
        toolbar = QHBoxLayout()
        toolbar.addWidget(self.new_button)
        toolbar.addWidget(self.groups_button)
        toolbar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.addLayout(toolbar)
        layout.addWidget(self.stack, 1)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self._tick)
        self.new_button.clicked.connect(self.new_campaign)
        self.empty.action_clicked.connect(self.new_campaign)
        self.groups_button.clicked.connect(self.open_groups)
        self.table.selectionModel().selectionChanged.connect(self._chosen)
        self.detail.changed.connect(lambda _id: self.refresh())
        self.detail.edit_requested.connect(self.edit_draft)

    def refresh(self) -> None:
        campaigns = self._context.services.campaigns
        self._listing = True
        run_for(self, self._context.tasks, campaigns.list, self._listed)

    def _listed(self, rows: list[CampaignSummary]) -> None:
        self._listing = False
        chosen = self.detail.campaign_id
        self.model.set_rows(rows)
        zone = business_time().time_zone
        if zone != self._fitted_zone:
            self._fitted_zone = zone
            header = self.table.horizontalHeader()
            self.table.setColumnWidth(3, max(150, header.sectionSizeHint(3)))
        self.stack.setCurrentWidget(self.splitter if rows else self.empty)
        if chosen is not None:
            self.select(chosen)
        self.loaded.emit()

    def select(self, campaign_id: int) -> None:
        for row in range(self.model.rowCount()):
            summary = self.model.row_at(row)
            if summary is not None and summary.id == campaign_id:
                if self.table.currentIndex().row() != row:
                    self.table.selectRow(row)
                return

    def _chosen(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = {index.row() for index in selected.indexes()}
        summary = self.model.row_at(min(rows)) if rows else None
        if summary is not None and summary.id != self.detail.campaign_id:
            self.detail.show_campaign(summary.id)

    def _tick(self) -> None:
        """The periodic progress refresh; skipped while the last one is still running."""
        if self._listing or self.detail.loading:
            return
        self.refresh()
        self.detail.reload()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.timer.start()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        self.timer.stop()
        super().hideEvent(event)

    # Dialogs --------------------------------------------------------------------------------
    def new_campaign(self) -> None:
        from leadcartel_desktop.ui.conversations.campaign_dialog import NewCampaignDialog

        dialog = NewCampaignDialog(self._context, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.launched.connect(self._launched)
        dialog.saved.connect(lambda _id: self.refresh())
        dialog.open()

    def edit_draft(self, campaign_id: int) -> None:
        """Open the editor on a saved draft (its contacts' names read off the GUI thread)."""
        services = self._context.services

        def load() -> tuple[Campaign, dict[int, str]]:
            campaign = services.campaigns.get(campaign_id)
            ids = campaign.draft.audience.contact_ids
            return campaign, {i: services.contacts.get(i).display_name for i in ids}

        run_for(self, self._context.tasks, load, lambda result: self._open_editor(*result))

    def _open_editor(self, campaign: Campaign, names: dict[int, str]) -> None:
        from leadcartel_desktop.ui.conversations.campaign_dialog import NewCampaignDialog

        dialog = NewCampaignDialog(self._context, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.edit(campaign, names)
        dialog.launched.connect(self._launched)
        dialog.saved.connect(lambda _id: self.refresh())
        dialog.open()

    def _launched(self, campaign_id: int, text: str) -> None:
        self.message.emit(text)
        self.detail.show_campaign(campaign_id)
        self.refresh()

    def open_groups(self) -> None:
        from leadcartel_desktop.ui.conversations.group_dialog import GroupsDialog

        dialog = GroupsDialog(self._context, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
