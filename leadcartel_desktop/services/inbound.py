"""Inbound pull: replies listed by the providers, stored once each, STOP and START applied."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from leadcartel_desktop.domain.consent import ConsentAction, reply_consent
from leadcartel_desktop.domain.errors import UserFacingError, ValidationError
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.services.contact_fields import normalize_email, normalize_phone
from leadcartel_desktop.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from leadcartel_desktop.services.thread_ports import InboundMessage, InboundSource
from leadcartel_desktop.services.thread_views import PullResult

log = logging.getLogger(__name__)
Sources = Callable[[], Sequence[InboundSource]]
# Batches fetched one after another in a pull when a source keeps saying `more` (Twilio's
# batch is 50 pages of 100: 100,000 replies); the rest comes with the next pull.
MAX_ROUNDS = 20


def no_sources() -> Sequence[InboundSource]:
    return ()


def always_online() -> bool:
    return True


class InboundService:
    """Pulls each source from its high-water mark; a reply pulled twice is stored once.

    A newly stored reply that is only STOP (or a synonym) puts its sender on the opt-out
    register for its channel; START takes them off. Replies are applied oldest first, so a
    STOP followed by a START leaves the number opted in; a reply listed late (pulls overlap
    by minutes) changes nothing when a later keyword from the same sender is already known.
    The provider is asked with no transaction open; each source's replies and its new mark
    are written in one transaction.
    """

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        clock: Clock,
        sources: Sources = no_sources,
        online: Callable[[], bool] = always_online,
        on_consent: Callable[[], None] | None = None,
    ) -> None:
        self._uow = unit_of_work
        self._clock = clock
        self._sources = sources
        self._online = online
        self._on_consent = on_consent

    def pull(self, now: datetime | None = None) -> PullResult:
        """Pull every configured source once; problems are reported, never raised."""
        when = now or self._clock.now()
        try:
            sources = list(self._sources())
        except UserFacingError as error:
            return PullResult(problems=(error.message,))
        if not sources or not self._online():
            return PullResult()
        total = PullResult()
        for source in sources:
            try:
                done = self._pull_one(source, when)
            except UserFacingError as error:
                log.warning("inbound pull from %s: %s", source.name, error.message)
                done = PullResult(problems=(f"Replies from {source.name}: {error.message}",))
            total = PullResult(
                total.new + done.new,
                total.opted_out + done.opted_out,
                total.opted_in + done.opted_in,
                total.problems + done.problems,
            )
        if (total.opted_out or total.opted_in) and self._on_consent is not None:
            self._on_consent()
        return total

    def _pull_one(self, source: InboundSource, now: datetime) -> PullResult:
        """Fetch until the source has listed everything (each batch and its mark committed).

        A source stops at its page limit with `more` set; the rest follows at once, from the
        mark just committed. Past MAX_ROUNDS batches the rest waits for the next pull (the
        mark keeps where to go on), and the result says so.
        """
        with self._uow(read_only=True) as uow:
            mark = uow.messages.mark(source.name)
            country = uow.settings.business().default_country
        done = PullResult()
        for _ in range(MAX_ROUNDS):
            batch = source.fetch(mark, now)
            with self._uow() as uow:
                stored = _store(uow, batch.messages, country)
                uow.messages.set_mark(source.name, batch.mark, now)
                uow.commit()
            done = PullResult(
                done.new + stored.new,
                done.opted_out + stored.opted_out,
                done.opted_in + stored.opted_in,
            )
            if not batch.more:
                return done
            mark = batch.mark
        log.warning(
            "inbound pull from %s: more replies wait after %d rounds", source.name, MAX_ROUNDS
        )
        waiting = f"Replies from {source.name}: more are waiting; they come with the next pull."
        return PullResult(done.new, done.opted_out, done.opted_in, (waiting,))

    def store(self, messages: Sequence[InboundMessage]) -> PullResult:
        """Messages received some other way (the demo book's replies), stored as a pull would.

        Matched to their contacts, stored once each, STOP and START applied.
        """
        with self._uow() as uow:
            done = _store(uow, messages, uow.settings.business().default_country)
            uow.commit()
        if (done.opted_out or done.opted_in) and self._on_consent is not None:
            self._on_consent()
        return done


def _store(uow: UnitOfWork, messages: Sequence[InboundMessage], country: str) -> PullResult:
    new = opted_out = opted_in = 0
    # Stable: messages with the same time keep the source's (oldest first) order.
    for message in sorted(messages, key=lambda item: item.at):
        cleaned = replace(message, address=_normalised(message, country))
        contact_id = uow.messages.contact_for(cleaned.channel, cleaned.address)
        if uow.messages.add_inbound(cleaned, contact_id) is None:
            continue  # pulled before
        new += 1
        change = _apply_consent(uow, cleaned)
        opted_out += change is ConsentAction.OPT_OUT
        opted_in += change is ConsentAction.OPT_IN
    uow.messages.adopt_unmatched()
    return PullResult(new, opted_out, opted_in)


def _apply_consent(uow: UnitOfWork, message: InboundMessage) -> ConsentAction | None:
    email = message.channel is Channel.EMAIL
    change = reply_consent(message.body, message.subject, email=email)
    if change is None or not message.address:
        return None
    if not uow.opt_outs.apply_reply(message.channel, message.address, change, message.at):
        log.info(
            "consent: %s %s on %s ignored, a later change is known",
            message.address,
            change.action.value,
            message.channel.value,
        )
        return None
    log.info("consent: %s %s on %s", message.address, change.action.value, message.channel.value)
    return change.action


def _normalised(message: InboundMessage, country: str) -> str:
    """E.164 for a phone, the canonical email; what cannot be read is kept as it came."""
    raw = message.address.strip().removeprefix("whatsapp:")
    try:
        if message.channel is Channel.EMAIL:
            return normalize_email(raw) or raw
        return normalize_phone(raw, country) or raw
    except ValidationError:
        return raw
