"""Campaigns: draft, preview, audience, launch on the outbox, pause, resume, cancel, progress."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from leadcartel_desktop.domain.campaigns import (
    AudienceSpec,
    Campaign,
    CampaignDraft,
    CampaignStatus,
    shown_status,
)
from leadcartel_desktop.domain.contact_groups import clean_tags
from leadcartel_desktop.domain.errors import ConflictError, ValidationError
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.send_windows import ScheduledTime, pace, to_utc
from leadcartel_desktop.domain.whatsapp import needs_template
from leadcartel_desktop.services.campaign_build import (
    outbox_items,
    recipient_rows,
    render,
    sender_of,
    split,
    thread_rows,
)
from leadcartel_desktop.services.campaign_gate import PAUSED_HINT, due_times, resumed_dues
from leadcartel_desktop.services.campaign_ports import AudienceRow
from leadcartel_desktop.services.campaign_views import (
    Audience,
    CampaignProgress,
    CampaignSummary,
    LaunchResult,
    RecipientStatus,
    RenderedMessage,
)
from leadcartel_desktop.services.outbox import OutboxService
from leadcartel_desktop.services.outbox_view import BusinessTime
from leadcartel_desktop.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from leadcartel_desktop.services.threads import record_outbound_many_in
from leadcartel_desktop.services.whatsapp_sending import WhatsAppWindow

RECIPIENT_LIMIT = 100_000
_LAUNCHED = (CampaignStatus.SCHEDULED, CampaignStatus.RUNNING)
# A start this much before now is taken as "now": the editor picks whole minutes, so a time in
# the current minute (12:00 chosen at 12:00:40) starts at once; an earlier one is refused.
START_GRACE = timedelta(minutes=1)
SEND_AT_FIELD = "Send at"


def past_start(send_at: datetime, now: datetime, shown: BusinessTime) -> ValidationError | None:
    """The error for a scheduled start already past (beyond START_GRACE), or None.

    `shown` is the business's zone and locale: the time is written as campaigns write every
    time ('10 Mar 2026 09:00 (Europe/Paris)'), in the zone the operator chose it in.
    """
    if send_at > now - START_GRACE:
        return None
    return ValidationError(
        SEND_AT_FIELD,
        f"{shown.named(send_at)} has already passed: choose a later time, or send it now",
    )


class CampaignService:
    """Every campaign message is an outbox row keyed campaign:{id}:contact:{contact id}."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        clock: Clock,
        outbox: OutboxService,
        whatsapp_window: WhatsAppWindow | None = None,
    ) -> None:
        self._uow = unit_of_work
        self._clock = clock
        self._outbox = outbox
        self._window = whatsapp_window or WhatsAppWindow()

    # Drafts -------------------------------------------------------------------------------

    def save_draft(self, draft: CampaignDraft, campaign_id: int | None = None) -> int:
        """Check and store the draft (new, or replacing draft `campaign_id`); returns its id."""
        draft.check()
        cleaned = _cleaned(draft)
        with self._uow() as uow:
            now = self._clock.now()
            if campaign_id is None:
                campaign_id = uow.campaigns.add(cleaned, now)
            else:
                self._require_draft(uow.campaigns.get(campaign_id))
                uow.campaigns.update_draft(campaign_id, cleaned, now)
            uow.commit()
        return campaign_id

    def get(self, campaign_id: int) -> Campaign:
        with self._uow(read_only=True) as uow:
            return uow.campaigns.get(campaign_id)

    def delete_draft(self, campaign_id: int) -> None:
        with self._uow() as uow:
            self._require_draft(uow.campaigns.get(campaign_id))
            uow.campaigns.delete(campaign_id)
            uow.commit()

    def schedule_time(self, local_date: date, local_time: time) -> ScheduledTime:
        """A date and time in the business's zone as UTC (what launch's send_at takes).

        A time that happens twice is the second one when the first has passed (to_utc).
        """
        after = self._clock.now() - START_GRACE
        with self._uow(read_only=True) as uow:
            zone_name = uow.settings.business().time_zone
            return to_utc(local_date, local_time, zone_name, after=after)

    # Before launching ---------------------------------------------------------------------

    def preview(self, draft: CampaignDraft, contact_id: int) -> RenderedMessage:
        """The message as this contact would get it; unknown merge fields refused by name."""
        draft.check_message()
        with self._uow(read_only=True) as uow:
            business = uow.settings.business()
            rows = uow.campaigns.audience(draft.channel, (), (), (contact_id,))
        if not rows:
            raise ValidationError("Preview", f"contact {contact_id} was not found")
        sender = sender_of(business) if draft.channel is Channel.EMAIL else None
        return render(draft, rows[0], business, sender)

    def audience(
        self,
        channel: Channel,
        group_ids: Sequence[int] = (),
        tags: Sequence[str] = (),
        contact_ids: Sequence[int] = (),
        *,
        whatsapp_template_id: str = "",
        whatsapp_variables: Mapping[str, str] | None = None,
        body: str = "",
    ) -> Audience:
        """Who would be sent to now and who is left out, with the reason.

        For WhatsApp, without a template only contacts inside the 24-hour window are in; with
        one, only contacts for whom every variable has a value. With the SMS or WhatsApp
        `body`, a contact whose text (merge fields filled) would be too long is left out.
        """
        spec = AudienceSpec(tuple(group_ids), tuple(clean_tags(tags)), tuple(contact_ids))
        draft = CampaignDraft(
            "",
            channel,
            body,
            whatsapp_template_id=whatsapp_template_id,
            whatsapp_variables=dict(whatsapp_variables or {}),
        )
        with self._uow(read_only=True) as uow:
            business = uow.settings.business()
            rows = self._rows(uow, channel, spec)
        return split(draft, rows, self._needs, business).audience()

    def audience_for(self, draft: CampaignDraft) -> Audience:
        """audience() for the editor's draft (its channel, recipients and WhatsApp template)."""
        spec = draft.audience
        return self.audience(
            draft.channel,
            spec.group_ids,
            spec.tags,
            spec.contact_ids,
            whatsapp_template_id=draft.whatsapp_template_id,
            whatsapp_variables=draft.whatsapp_variables,
            body=draft.body,
        )

    # Launching ----------------------------------------------------------------------------

    def launch(self, campaign_id: int, send_at: datetime | None = None) -> LaunchResult:
        """Build the campaign: every recipient's outbox row, paced, in one transaction.

        `send_at` (UTC; None: now) is when the first message may go. A time already past is
        refused (ValidationError on "Send at"), not sent at once: only one within START_GRACE
        (the current minute, as the editor picks whole minutes) starts now. Contacts opted
        out, marked do not contact, or without a usable address are recorded as left out.
        """
        now = self._clock.now()
        start = max(send_at or now, now)
        with self._uow() as uow:
            campaign = uow.campaigns.get(campaign_id)
            self._require_draft(campaign)
            draft = campaign.draft
            draft.check()
            business = uow.settings.business()
            shown = BusinessTime.of(business)
            problem = None if send_at is None else past_start(send_at, now, shown)
            if problem is not None:
                raise problem
            sender = sender_of(business) if draft.channel is Channel.EMAIL else None
            rows = self._rows(uow, draft.channel, draft.audience)
            chosen = split(draft, rows, self._needs_at(uow, start, now), business)
            if not chosen.included:
                raise ValidationError(
                    "Recipients",
                    f"no contact can be sent this campaign ({len(chosen.left_out)} left out)",
                )
            zones = [row.time_zone or business.time_zone for row in chosen.included]
            dues = pace(start, zones, draft.per_minute, draft.window)
            items = outbox_items(
                campaign_id,
                draft,
                chosen.included,
                dues=dues,
                zones=zones,
                business=business,
                sender=sender,
                texts=chosen.texts,
            )
            self._outbox.queue_many_in(uow, items)
            uow.campaigns.add_recipients(campaign_id, recipient_rows(draft.channel, chosen))
            record_outbound_many_in(uow, thread_rows(items, uow.campaigns.outbox_ids(campaign_id)))
            status = CampaignStatus.SCHEDULED if start > now else CampaignStatus.RUNNING
            uow.campaigns.set_status(campaign_id, status, now, scheduled_for=start, launched=True)
            uow.commit()
        self._outbox.changed()
        return LaunchResult(campaign_id, len(items), len(chosen.left_out), min(dues), max(dues))

    def pause(self, campaign_id: int) -> None:
        """Hold every message not yet sent; ones being sent finish.

        The rows keep their due times (a provider's Retry-After among them): the claim-time
        gate holds any that falls due while the campaign is paused, and resume starts from them.
        """
        with self._uow() as uow:
            campaign = uow.campaigns.get(campaign_id)
            if campaign.status not in _LAUNCHED:
                raise ConflictError(f"Only a launched campaign can be paused: {_is(campaign)}")
            self._require_open(uow, campaign)
            now = self._clock.now()
            kept = due_times(uow, campaign_id)
            uow.campaigns.reschedule(list(kept.items()), now, PAUSED_HINT)
            uow.campaigns.set_status(campaign_id, CampaignStatus.PAUSED, now)
            uow.commit()
        self._outbox.changed()

    def resume(self, campaign_id: int) -> None:
        """Pace the messages still waiting again from now (or the scheduled time).

        None goes sooner than it was due before the pause: a provider's Retry-After or a
        retry's backoff still counts, and a campaign resumed at once keeps its schedule.
        """
        with self._uow() as uow:
            campaign = uow.campaigns.get(campaign_id)
            if campaign.status is not CampaignStatus.PAUSED:
                raise ConflictError(f"Only a paused campaign can be resumed: {_is(campaign)}")
            now = self._clock.now()
            start = max(now, campaign.scheduled_for or now)
            business_zone = uow.settings.business().time_zone
            pending = uow.campaigns.pending(campaign_id)
            before = due_times(uow, campaign_id)
            dues = resumed_dues(pending, before, start, business_zone, campaign.draft)
            uow.campaigns.reschedule(dues, now)
            status = CampaignStatus.SCHEDULED if start > now else CampaignStatus.RUNNING
            uow.campaigns.set_status(campaign_id, status, now)
            uow.commit()
        self._outbox.changed()

    def cancel(self, campaign_id: int) -> int:
        """Cancel the messages not yet sent (sent ones stay sent); returns how many."""
        with self._uow() as uow:
            campaign = uow.campaigns.get(campaign_id)
            if campaign.status not in (*_LAUNCHED, CampaignStatus.PAUSED):
                raise ConflictError(f"Only a launched campaign can be cancelled: {_is(campaign)}")
            self._require_open(uow, campaign)
            now = self._clock.now()
            cancelled = uow.campaigns.cancel_pending(campaign_id, now)
            uow.campaigns.set_status(campaign_id, CampaignStatus.CANCELLED, now)
            uow.commit()
        self._outbox.changed()
        return cancelled

    # Watching -----------------------------------------------------------------------------

    def progress(self, campaign_id: int) -> CampaignProgress:
        with self._uow(read_only=True) as uow:
            uow.campaigns.get(campaign_id)
            return uow.campaigns.progress([campaign_id])[campaign_id]

    def status(self, campaign_id: int) -> CampaignStatus:
        """The status to show (scheduled, running and done follow the messages)."""
        with self._uow(read_only=True) as uow:
            campaign = uow.campaigns.get(campaign_id)
            open_rows = uow.campaigns.open_rows([campaign_id])[campaign_id]
        return shown_status(campaign.status, campaign.scheduled_for, self._clock.now(), open_rows)

    def recipients(self, campaign_id: int, limit: int = RECIPIENT_LIMIT) -> list[RecipientStatus]:
        """Each recipient's state (from its outbox row) or why it was left out, in order."""
        with self._uow(read_only=True) as uow:
            return uow.campaigns.recipients(campaign_id, limit)

    def list(self) -> list[CampaignSummary]:
        """Every campaign, newest first, with its progress (three queries in all)."""
        with self._uow(read_only=True) as uow:
            campaigns = uow.campaigns.all()
            ids = [campaign.id for campaign in campaigns]
            progress = uow.campaigns.progress(ids)
            open_rows = uow.campaigns.open_rows(ids)
        now = self._clock.now()
        return [
            CampaignSummary(
                id=campaign.id,
                name=campaign.draft.name,
                channel=campaign.draft.channel,
                status=shown_status(
                    campaign.status, campaign.scheduled_for, now, open_rows[campaign.id]
                ),
                scheduled_for=campaign.scheduled_for,
                created_at=campaign.created_at,
                progress=progress[campaign.id],
            )
            for campaign in campaigns
        ]

    # Helpers ------------------------------------------------------------------------------

    def _needs(self, address: str) -> bool:
        return self._window.needs_template(address)

    def _needs_at(self, uow: UnitOfWork, start: datetime, now: datetime) -> Callable[[str], bool]:
        """needs_template judged when a scheduled campaign starts (its window may close first)."""
        if start <= now:
            return self._needs

        def needs(address: str) -> bool:
            last = uow.messages.last_inbound_at(Channel.WHATSAPP, address=address)
            return needs_template(last, start)

        return needs

    @staticmethod
    def _rows(uow: UnitOfWork, channel: Channel, spec: AudienceSpec) -> list[AudienceRow]:
        definitions = [uow.groups.get(group_id).definition.cleaned() for group_id in spec.group_ids]
        return uow.campaigns.audience(channel, definitions, spec.tags, spec.contact_ids)

    @staticmethod
    def _require_open(uow: UnitOfWork, campaign: Campaign) -> None:
        """A running campaign whose every message has ended is done: nothing to hold or stop."""
        if campaign.status in _LAUNCHED and not uow.campaigns.open_rows([campaign.id])[campaign.id]:
            raise ConflictError(f"'{campaign.draft.name}' is done: every message has ended")

    @staticmethod
    def _require_draft(campaign: Campaign) -> None:
        if campaign.status is not CampaignStatus.DRAFT:
            raise ConflictError(f"Campaign '{campaign.draft.name}' was already launched")


def _is(campaign: Campaign) -> str:
    return f"'{campaign.draft.name}' is {campaign.status.value}"


def _cleaned(draft: CampaignDraft) -> CampaignDraft:
    spec = draft.audience
    audience = AudienceSpec(
        tuple(dict.fromkeys(spec.group_ids)),
        tuple(sorted(clean_tags(spec.tags), key=str.casefold)),
        tuple(dict.fromkeys(spec.contact_ids)),
    )
    return replace(draft, name=draft.name.strip(), audience=audience)
