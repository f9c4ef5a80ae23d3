"""One campaign: its progress counts, each recipient's status; Pause, Resume and Cancel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from leadcartel_desktop.domain.campaigns import Campaign, CampaignStatus
from leadcartel_desktop.domain.send_windows import describe_days
from leadcartel_desktop.services.campaign_views import CampaignProgress, RecipientStatus
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.conversations.campaign_models import RecipientModel
from leadcartel_desktop.ui.conversations.texts import (
    CAMPAIGN_STATUS_NAMES,
    campaign_time,
    channel_name,
)
from leadcartel_desktop.ui.errors import show_error
from leadcartel_desktop.ui.forms import confirm, run_for

PAUSABLE = frozenset({CampaignStatus.SCHEDULED, CampaignStatus.RUNNING})
CANCELLABLE = PAUSABLE | {CampaignStatus.PAUSED}


@dataclass(frozen=True, slots=True)
class CampaignState:
    campaign: Campaign
    status: CampaignStatus
    progress: CampaignProgress
    recipients: list[RecipientStatus]


def progress_text(progress: CampaignProgress) -> str:
    parts = [
        f"Queued {progress.queued:,}",
        f"Sent {progress.sent:,}",
        f"Delivered {progress.delivered:,}",
        f"Failed {progress.failed:,}",
        f"Left out {progress.left_out:,}",
    ]
    if progress.cancelled:
        parts.append(f"Cancelled {progress.cancelled:,}")
    return "  ·  ".join(parts)


def facts_text(state: CampaignState) -> str:
    """When it starts, its pace, days and hours, in one sentence."""
    draft, when = state.campaign.draft, state.campaign.scheduled_for
    start, end = draft.hours
    hours = "all day" if start == end else f"{start:%H:%M}-{end:%H:%M}"
    quiet = " (never 21:00-08:00 in the recipient's time zone)" if draft.quiet else ""
    text = f"{draft.per_minute:,} messages per minute, {describe_days(draft.weekdays)}, {hours}"
    if when is None:
        return f"{text}{quiet}."
    verb = "Starts" if state.status is CampaignStatus.SCHEDULED else "Started"
    return f"{verb} {campaign_time(when)}. {text}{quiet}."


class CampaignDetail(QWidget):
    """`changed` fires after Pause, Resume or Cancel (the list shows the new status)."""

    changed = Signal(int)
    edit_requested = Signal(int)
    loaded = Signal()

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("campaignDetail")
        self._context = context
        self.campaign_id: int | None = None
        self.state: CampaignState | None = None
        self._asked = 0
        self.loading = False
        self.title = QLabel()
        self.title.setObjectName("campaignTitle")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.facts = QLabel()
        self.facts.setObjectName("campaignFacts")
        self.facts.setWordWrap(True)
        self.counts = QLabel()
        self.counts.setObjectName("campaignCounts")
        self.pause_button = QPushButton("&Pause")
        self.pause_button.setObjectName("campaignPause")
        self.resume_button = QPushButton("&Resume")
        self.resume_button.setObjectName("campaignResume")
        self.cancel_button = QPushButton("Cancel campaign…")
        self.cancel_button.setObjectName("campaignCancel")
        self.edit_button = QPushButton("&Edit draft…")
        self.edit_button.setObjectName("campaignEditDraft")
        self.delete_button = QPushButton("&Delete draft…")
        self.delete_button.setObjectName("campaignDeleteDraft")
        self.recipients = RecipientModel(self)
        self.table = QTableView()
        self.table.setObjectName("campaignRecipients")
        self.table.setModel(self.recipients)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((180, 200, 170, 150)):
            self.table.setColumnWidth(column, width)
        buttons = QHBoxLayout()
        buttons.addWidget(self.counts, 1)
        for button in (
            self.edit_button,
            self.delete_button,
            self.pause_button,
            self.resume_button,
            self.cancel_button,
        ):
            button.setEnabled(False)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.facts)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.pause_button.clicked.connect(self.pause)
        self.resume_button.clicked.connect(self.resume)
        self.cancel_button.clicked.connect(self.ask_cancel)
        self.edit_button.clicked.connect(
            lambda: self.campaign_id is not None and self.edit_requested.emit(self.campaign_id)
        )
        self.delete_button.clicked.connect(self.ask_delete)
        self.show_campaign(None)  # says what this space is for until a campaign is chosen

    def show_campaign(self, campaign_id: int | None) -> None:
        self.campaign_id = campaign_id
        if campaign_id is None:
            self._asked += 1
            self.state = None
            self.title.setText("")
            self.facts.setText("Choose a campaign to see each recipient's status.")
            self.counts.setText("")
            self.recipients.set_rows([])
            self._enable(None)
            return
        self.reload()

    def reload(self) -> None:
        """Read the campaign again (off the GUI thread); also the periodic progress refresh."""
        campaign_id = self.campaign_id
        if campaign_id is None:
            return
        self._asked += 1
        asked = self._asked
        self.loading = True
        campaigns = self._context.services.campaigns

        def load() -> CampaignState:
            return CampaignState(
                campaigns.get(campaign_id),
                campaigns.status(campaign_id),
                campaigns.progress(campaign_id),
                campaigns.recipients(campaign_id),
            )

        run_for(
            self, self._context.tasks, load, lambda state: self._loaded(asked, state), self._failed
        )

    def _loaded(self, asked: int, state: CampaignState) -> None:
        if asked != self._asked:
            return
        self.loading = False
        self.state = state
        draft = state.campaign.draft
        status = CAMPAIGN_STATUS_NAMES.get(state.status, state.status.value)
        self.title.setText(f"{draft.name}  ·  {channel_name(draft.channel)}  ·  {status}")
        facts = facts_text(state)
        if state.status is CampaignStatus.DRAFT:
            facts += " Its recipients are listed here once the campaign is sent or scheduled."
        self.facts.setText(facts)
        self.counts.setText(progress_text(state.progress))
        self.recipients.set_rows(state.recipients)
        self._enable(state.status)
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self.loading = False
        show_error(self, error)

    def _enable(self, status: CampaignStatus | None) -> None:
        draft = status is CampaignStatus.DRAFT
        for button in (self.edit_button, self.delete_button):
            button.setVisible(draft)
            button.setEnabled(draft)
        for button in (self.pause_button, self.resume_button, self.cancel_button):
            button.setVisible(not draft)
        self.pause_button.setEnabled(status in PAUSABLE)
        self.resume_button.setEnabled(status is CampaignStatus.PAUSED)
        self.cancel_button.setEnabled(status in CANCELLABLE)

    # Actions --------------------------------------------------------------------------------
    def pause(self) -> None:
        self._act(self._context.services.campaigns.pause)

    def resume(self) -> None:
        self._act(self._context.services.campaigns.resume)

    def ask_cancel(self) -> None:
        state = self.state
        if state is None:
            return
        confirm(
            self,
            "Cancel campaign",
            f"Cancel '{state.campaign.draft.name}'? The {state.progress.queued:,} messages not "
            "sent yet will not be sent; messages already sent stay sent. This cannot be undone.",
            self.cancel,
            "Cancel campaign",
        )

    def ask_delete(self) -> None:
        state = self.state
        if state is None:
            return
        confirm(
            self,
            "Delete draft",
            f"Delete the draft '{state.campaign.draft.name}'? Nothing was sent from it.",
            self.delete_draft,
            "Delete",
        )

    def delete_draft(self) -> None:
        campaign_id = self.campaign_id
        if campaign_id is None:
            return
        campaigns = self._context.services.campaigns

        def done(_none: object) -> None:
            self.show_campaign(None)
            self.changed.emit(campaign_id)

        run_for(
            self,
            self._context.tasks,
            lambda: campaigns.delete_draft(campaign_id),
            done,
            lambda error: show_error(self, error),
        )

    def cancel(self) -> None:
        self._act(self._context.services.campaigns.cancel)

    def _act(self, action: Callable[[int], object]) -> None:
        campaign_id = self.campaign_id
        if campaign_id is None:
            return
        self._enable(None)  # one press: the buttons come back with the new status

        def done(_result: object) -> None:
            self.changed.emit(campaign_id)
            self.reload()

        def failed(error: BaseException) -> None:
            show_error(self, error)
            self.reload()

        run_for(self, self._context.tasks, lambda: action(campaign_id), done, failed)
