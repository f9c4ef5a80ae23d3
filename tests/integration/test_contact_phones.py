"""Phone numbers are stored in E.164 from the business's default country, or refused.

A number that cannot be placed in a country never reaches a provider, which would guess one.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.errors import FormError, ValidationError
from leadcartel_desktop.domain.outbox import Channel
from tests.conftest import FixedClock
from tests.integration.send_support import draft_for_ada, sandbox_app


def set_default_country(services: Any, country: str) -> None:
    business: BusinessSettings = services.settings.business()
    services.settings.save_business(
        replace(business, company_name="Tan Trading", default_country=country)
    )


def saved_phone(services: Any, typed: str, name: str) -> str:
    contact = services.contacts.create(Contact(name, "Tan", phone=typed))
    return str(services.contacts.get(contact.id).phone)


@pytest.mark.parametrize("typed", ["9123 4567", "91234567", "+65 9123 4567"])
def test_singapore_numbers_as_typed_are_stored_in_e164(services: Any, typed: str) -> None:
    set_default_country(services, "SG")
    assert saved_phone(services, typed, "Mei") == "+6591234567"


def test_a_london_number_is_stored_in_e164(services: Any) -> None:
    set_default_country(services, "GB")
    assert saved_phone(services, "020 7946 0958", "Olivia") == "+442079460958"


def test_without_a_default_country_a_number_without_its_code_is_refused(services: Any) -> None:
    set_default_country(services, "")
    before = services.contacts.count()
    with pytest.raises(FormError) as refused:
        services.contacts.create(Contact("Sam", "Reed", phone="4155550143"))
    assert "country code" in (refused.value.for_field("Phone") or "")
    assert services.contacts.count() == before  # nothing half-saved
    assert saved_phone(services, "+1 415 555 0143", "Sam") == "+14155550143"


def test_a_stored_number_without_its_country_code_is_never_sent(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    """A number kept from before numbers were checked on save is refused at Send."""
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        invoice_id = draft_for_ada(context.services)
        contact_id = context.services.invoices.get(invoice_id).content.contact_id
        with sqlite3.connect(context.paths.database) as raw:
            raw.execute("UPDATE contacts SET phone = '4155550143' WHERE id = ?", (contact_id,))
        review = context.services.send_invoice.review(invoice_id)
        sms = review.choice(Channel.SMS)
        assert sms is not None and not sms.possible
        assert "'4155550143' has no country code" in sms.reason
        with pytest.raises(ValidationError, match="no country code"):
            context.services.send_invoice.send(
                invoice_id,
                [Channel.SMS],
                subject="",
                message="",
                sms_message="Hi",
                send_key="press-1",
            )
        assert context.services.outbox.for_invoice(invoice_id) == []
        assert sandbox.received("twilio") == []
