"""New Campaign: channel, recipients (who is left out and why), message and preview, schedule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QTime, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from leadcartel_desktop.domain.campaigns import (
    CAMPAIGN_CHANNELS,
    AudienceSpec,
    Campaign,
    CampaignDraft,
)
from leadcartel_desktop.domain.errors import FormError, UserFacingError, ValidationError
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.send_windows import to_utc
from leadcartel_desktop.domain.whatsapp import TEMPLATE_FIELD, VARIABLES_FIELD, format_variables
from leadcartel_desktop.services.campaign_views import Audience, LaunchResult
from leadcartel_desktop.services.campaigns import SEND_AT_FIELD, START_GRACE, past_start
from leadcartel_desktop.services.outbox_view import BusinessTime
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.conversations.audience_picker import AudiencePicker
from leadcartel_desktop.ui.conversations.campaign_message import CampaignMessage, waits_sentence
from leadcartel_desktop.ui.conversations.campaign_schedule import CampaignSchedule
from leadcartel_desktop.ui.conversations.texts import channel_name
from leadcartel_desktop.ui.errors import show_error
from leadcartel_desktop.ui.forms import FieldErrors, confirm, error_label, run_for, with_error


@dataclass(frozen=True, slots=True)
class BusinessStart:
    """What the dialog reads when it opens (off the GUI thread)."""

    shown: BusinessTime  # the business's zone and locale
    today: date  # in that zone
    # Why each campaign channel cannot send now (no provider, no secret); absent when it can.
    unavailable: dict[Channel, str]


class NewCampaignDialog(QDialog):
    """`launched(campaign_id, summary)` once its messages are queued; `saved(id)` for a draft."""

    launched = Signal(int, str)
    saved = Signal(int)
    ready = Signal()  # the business zone, groups and tags are loaded

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newCampaignDialog")
        self.setWindowTitle("New Campaign")
        self._context = context
        self.campaign_id: int | None = None  # set once saved: later saves replace that draft
        self.busy = False
        self.shown = BusinessTime()
        self.unavailable: dict[Channel, str] = {}  # read with the business zone (keychain)
        self.name = QLineEdit()
        self.name.setObjectName("campaignName")
        self.name.setAccessibleName("Name")
        self.name.setPlaceholderText("e.g. Spring sale")
        self.channel = QComboBox()
        self.channel.setObjectName("campaignChannel")
        self.channel.setAccessibleName("Channel")
        for channel in CAMPAIGN_CHANNELS:
            self.channel.addItem(channel_name(channel), channel)
        self.audience = AudiencePicker(context)
        self.message = CampaignMessage(context)
        self.message.make_draft = self.draft
        self.schedule = CampaignSchedule()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("campaignTabs")
        self.tabs.addTab(self.audience, "1 · &Recipients")
        self.tabs.addTab(self.message, "2 · M&essage")
        self.tabs.addTab(self.schedule, "3 · S&chedule")
        self.general_error = error_label("campaignError")
        self.errors = FieldErrors(self.general_error)
        self.errors.on_change = self._mark_tabs
        name_error, channel_error = error_label("campaignNameError"), error_label("x")
        recipients_error = error_label("campaignRecipientsError")
        self.errors.add("Name", self.name, name_error)
        self.errors.add("Channel", self.channel, channel_error)
        self.errors.add("Recipients", self.audience.search, recipients_error)
        self.errors.add("Subject", self.message.subject, self.message.subject_error)
        self.errors.add("Message", self.message.body, self.message.body_error)
        self.errors.add(
            TEMPLATE_FIELD, self.message.whatsapp.template_id, self.message.template_error
        )
        self.errors.add(
            VARIABLES_FIELD, self.message.whatsapp.variables_edit, self.message.variables_error
        )
        schedule = self.schedule
        self.errors.add("Messages per minute", schedule.per_minute, schedule.per_minute_error)
        self.errors.add("Days", schedule.days_box, schedule.days_error)
        self.errors.add("Hours", schedule.hours_box, schedule.hours_error)
        self.errors.add("Time zone", schedule.when_box, schedule.when_error)
        self.errors.add(SEND_AT_FIELD, schedule.when_box, schedule.when_error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = QPushButton("Save &draft")
        self.save_button.setObjectName("campaignSaveDraft")
        self.launch_button = QPushButton("&Send now…")
        self.launch_button.setObjectName("campaignLaunch")
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.launch_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self.save_draft)
        self.launch_button.clicked.connect(self.ask_launch)
        top = QFormLayout()
        top.addRow("&Name", with_error(self.name, name_error))
        top.addRow("C&hannel", with_error(self.channel, channel_error))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(recipients_error)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.resize(980, 680)
        self.channel.currentIndexChanged.connect(lambda _index: self._channel_changed())
        for field, edited in (
            ("Name", self.name.textChanged),
            ("Subject", self.message.subject.textChanged),
            ("Message", self.message.body.textChanged),
        ):
            edited.connect(lambda *_args, field=field: self.errors.forget(field))
        self.message.whatsapp.changed.connect(self._template_changed)
        self.message.body.textChanged.connect(self._body_changed)
        self.audience.audience_changed.connect(self._audience_changed)
        self.schedule.later_button.toggled.connect(self._start_changed)
        for start_edited in (
            schedule.later_button.toggled,
            schedule.send_date.dateChanged,
            schedule.send_time.timeChanged,
        ):
            start_edited.connect(lambda *_args: self.errors.forget(SEND_AT_FIELD))
        self._channel_changed()
        self.audience.load()
        services = context.services

        def business() -> BusinessStart:
            shown = BusinessTime.of(services.settings.business())
            today = services.clock.now().astimezone(shown.zone()).date()
            outbox = services.outbox  # as compose asks: the provider setup and the keychain
            missing = {channel: outbox.unavailable(channel) for channel in CAMPAIGN_CHANNELS}
            return BusinessStart(shown, today, {c: why for c, why in missing.items() if why})

        run_for(self, context.tasks, business, self._business_loaded)

    def edit(self, campaign: Campaign, names: dict[int, str]) -> None:
        """Fill the editor from a saved draft; Save and Send then replace that draft."""
        draft = campaign.draft
        self.campaign_id = campaign.id
        self.setWindowTitle(f"Campaign draft: {draft.name}")
        self.name.setText(draft.name)
        self.channel.setCurrentIndex(max(self.channel.findData(draft.channel), 0))
        message = self.message
        message.body.setPlainText(draft.body)
        message.subject.setText(draft.subject)
        message.whatsapp.template_id.setText(draft.whatsapp_template_id)
        message.whatsapp.variables_edit.setText(format_variables(draft.whatsapp_variables))
        schedule = self.schedule
        schedule.per_minute.setValue(draft.per_minute)
        for position, box in enumerate(schedule.days):
            box.setChecked(position in draft.weekdays)
        schedule.start.setTime(QTime(draft.hours[0].hour, draft.hours[0].minute))
        schedule.end.setTime(QTime(draft.hours[1].hour, draft.hours[1].minute))
        spec = draft.audience
        self.audience.set_choice(spec.group_ids, spec.tags)
        for contact_id in spec.contact_ids:
            self.audience.add_contact(contact_id, names.get(contact_id, f"Contact {contact_id}"))

    def _business_loaded(self, result: BusinessStart) -> None:
        self.shown = result.shown
        self.unavailable = result.unavailable
        self.schedule.set_business_zone(result.shown, result.today)
        self.message.set_provider_problem(self.provider_problem)
        self.ready.emit()

    @property
    def provider_problem(self) -> str:
        """Why the chosen channel cannot send now ('' when it can, or before it is known)."""
        return self.unavailable.get(self.current_channel, "")

    @property
    def current_channel(self) -> Channel:
        data = self.channel.currentData()  # a StrEnum comes back from Qt as a plain str
        return Channel(data) if isinstance(data, str) and data else Channel.SMS

    def _channel_changed(self) -> None:
        channel = self.current_channel
        self.message.set_channel(channel)
        self.message.set_provider_problem(self.provider_problem)
        self.schedule.set_channel(channel)
        self._template_changed()
        self._body_changed()

    def _template_changed(self) -> None:
        fields = self.message.whatsapp
        if self.current_channel is not Channel.WHATSAPP or not fields.template:
            self.audience.set_channel(self.current_channel)
            return
        try:
            variables = fields.variables()
        except UserFacingError:
            variables = {}  # the field's error shows when the draft is checked
        self.audience.set_channel(self.current_channel, fields.template, variables)

    def _body_changed(self) -> None:
        """An SMS or WhatsApp text can be too long for some contacts once their details are in."""
        text = self.message.body.toPlainText()
        self.audience.set_body("" if self.current_channel is Channel.EMAIL else text)

    def _audience_changed(self, audience: Audience) -> None:
        self.errors.forget("Recipients")  # an edited field loses its old error
        self.message.set_recipients(audience.included[:50], self.audience.names)

    def _start_changed(self, later: bool) -> None:
        self.launch_button.setText("&Schedule…" if later else "&Send now…")

    # The draft ------------------------------------------------------------------------------
    def draft(self) -> CampaignDraft:
        """What the editor holds; a malformed variables list is refused, the field named."""
        channel = self.current_channel
        whatsapp = channel is Channel.WHATSAPP
        message = self.message
        return CampaignDraft(
            name=self.name.text(),
            channel=channel,
            body=message.body.toPlainText(),
            subject=message.subject.text() if channel is Channel.EMAIL else "",
            whatsapp_template_id=message.whatsapp.template if whatsapp else "",
            whatsapp_variables=message.whatsapp.variables() if whatsapp else {},
            audience=AudienceSpec(
                tuple(self.audience.group_ids()),
                tuple(self.audience.chosen_tags()),
                tuple(self.audience.contact_ids()),
            ),
            per_minute=self.schedule.per_minute.value(),
            weekdays=self.schedule.weekdays(),
            hours=self.schedule.hours(),
        )

    def _show(self, error: BaseException) -> None:
        self.busy = False
        self._enable(True)
        if not isinstance(error, UserFacingError):
            show_error(self, error)
            return
        widget = self.errors.show(error)
        for position in range(self.tabs.count()):
            page = self.tabs.widget(position)
            if widget is not None and page.isAncestorOf(widget):
                self.tabs.setCurrentIndex(position)
                widget.setFocus()
                break

    def _mark_tabs(self) -> None:
        """A warning icon on each tab holding a field to fix: the others are out of sight."""
        marked = self.errors.marked()
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for position in range(self.tabs.count()):
            page = self.tabs.widget(position)
            wrong = any(page.isAncestorOf(widget) for widget in marked)
            self.tabs.setTabIcon(position, warning if wrong else QIcon())
            self.tabs.setTabToolTip(position, "A field on this page needs fixing" if wrong else "")

    def _enable(self, enabled: bool) -> None:
        self.save_button.setEnabled(enabled)
        self.launch_button.setEnabled(enabled)

    def _save_then(self, then: object) -> None:
        """Save the draft (new, or replacing the one saved before), then call `then(id)`."""
        try:
            draft = self.draft()
        except UserFacingError as error:
            self._show(error)
            return
        self.busy = True
        self._enable(False)
        self.errors.clear()
        campaigns = self._context.services.campaigns
        saved_id = self.campaign_id

        def saved(campaign_id: int) -> None:
            self.campaign_id = campaign_id
            assert callable(then)
            then(campaign_id)

        run_for(
            self,
            self._context.tasks,
            lambda: campaigns.save_draft(draft, saved_id),
            saved,
            self._show,
        )

    def save_draft(self) -> None:
        def done(campaign_id: int) -> None:
            self.busy = False
            self.saved.emit(campaign_id)
            self.accept()

        self._save_then(done)

    # Launching ------------------------------------------------------------------------------
    def ask_launch(self) -> None:
        """Check everything first, then ask: nobody confirms a send that would be refused."""
        included = len(self.audience.audience.included)
        try:
            problems = self.draft().problems()
        except UserFacingError as error:  # a malformed WhatsApp variables list
            self._show(error)
            return
        if not included:
            problems.append(
                ValidationError("Recipients", "Choose a group, a tag or contacts to send to.")
            )
        late = self._start_problem()
        if late is not None:
            problems.append(late)
        if problems:
            self._show(problems[0] if len(problems) == 1 else FormError(problems))
            return
        when = self.schedule.describe_start()
        start = "now" if when == "now" else f"from {when}"
        name = self.name.text().strip()
        waits = waits_sentence(self.provider_problem)
        box = confirm(
            self,
            "Send campaign" if when == "now" else "Schedule campaign",
            f"Send '{name}' by {channel_name(self.current_channel)} to {included:,} "
            f"contact{'s' if included != 1 else ''} {start}? Each contact receives it once; "
            "you can pause or cancel it from the campaign list."
            + (f"\n\n{waits}" if waits else ""),
            self.launch,
            "Send" if when == "now" else "Schedule",
        )
        if waits:
            box.setIcon(QMessageBox.Icon.Warning)

    def _start_problem(self) -> ValidationError | None:
        """A scheduled start already past (the service refuses it too), or its zone unknown."""
        local = self.schedule.send_at_local()
        if local is None:
            return None
        now = self._context.services.clock.now()
        try:  # as the service's schedule_time reads it (a repeated hour's second time included)
            send_at = to_utc(*local, self.schedule.time_zone, after=now - START_GRACE).utc
        except ValidationError as error:
            return error
        return past_start(send_at, now, self.shown)

    def launch(self) -> None:
        """Save, then queue every recipient's message (the outbox sends them, paced)."""
        if self.busy:
            return
        self._save_then(self._launch_saved)

    def _launch_saved(self, campaign_id: int) -> None:
        campaigns = self._context.services.campaigns
        local = self.schedule.send_at_local()

        def work() -> tuple[LaunchResult, str]:
            send_at, note = None, ""
            if local is not None:
                scheduled = campaigns.schedule_time(*local)
                send_at, note = scheduled.utc, scheduled.note
            return campaigns.launch(campaign_id, send_at), note

        run_for(self, self._context.tasks, work, self._launched, self._show)

    def _launched(self, result: tuple[LaunchResult, str]) -> None:
        launch, note = result
        self.busy = False
        first, channel = launch.first_due, channel_name(self.current_channel)
        when = f"; the first goes {self.shown.named(first)}" if first is not None else ""
        if self.provider_problem and launch.queued:  # nothing goes before a provider is set
            when = f"; they wait until {channel} is set up in Settings > Providers"
        text = (
            f"Campaign '{self.name.text().strip()}': {launch.queued:,} "
            f"message{'s' if launch.queued != 1 else ''} queued, "
            f"{launch.left_out:,} left out{when}." + (f" {note}." if note else "")
        )
        self.launched.emit(launch.campaign_id, text)
        self.accept()
