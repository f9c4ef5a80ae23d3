"""Provider settings are checked before saving: host, port, addresses, E.164 numbers, SIDs."""

from __future__ import annotations

import pytest

from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.providers import (
    ProviderKind,
    ProviderSettings,
    SmtpSettings,
    TwilioSettings,
)
from leadcartel_desktop.services.provider_settings import validated
from leadcartel_desktop.services.send_invoice import check_templates, delivery_of, render

SID = "AC" + "0123456789abcdef" * 2


def smtp(**changes: object) -> ProviderSettings:
    fields: dict[str, object] = {
        "host": "smtp.example.com",
        "from_address": "billing@example.com",
        **changes,
    }
    return ProviderSettings(email=ProviderKind.SMTP, smtp=SmtpSettings(**fields))  # type: ignore[arg-type]


def twilio(**changes: str) -> ProviderSettings:
    fields = {"account_sid": SID, "from_number": "+15005550006", **changes}
    return ProviderSettings(sms=ProviderKind.TWILIO, twilio=TwilioSettings(**fields))


def test_good_settings_are_tidied() -> None:
    tidy = validated(smtp(host=" smtp.example.com ", from_address="Billing@Example.com"))
    assert tidy.smtp.host == "smtp.example.com"
    assert validated(twilio(from_number="+1 500 555 0006")).twilio.from_number == "+15005550006"


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        (smtp(host=""), "SMTP host"),
        (smtp(host="smtp example.com"), "SMTP host"),
        (smtp(port=0), "SMTP port"),
        (smtp(port=70000), "SMTP port"),
        (smtp(from_address="not-an-address"), "From address"),
        (twilio(account_sid="AC123"), "Account SID"),
        (twilio(from_number="5550006"), "From number"),
        (twilio(messaging_service_sid="XX1"), "Messaging service SID"),
    ],
)
def test_bad_values_name_their_field(settings: ProviderSettings, field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        validated(settings)
    assert raised.value.field == field


def test_unknown_merge_field_is_named() -> None:
    with pytest.raises(ValidationError, match=r"\{amount\}"):
        check_templates("ok", "Pay {amount}", "")


def test_empty_payment_link_leaves_no_trailing_space() -> None:
    assert render("Due {due_date}. {payment_link}", {"due_date": "May 1"}) == "Due May 1."


def test_no_rows_no_delivery_text() -> None:
    assert delivery_of([]) == ""
