"""Campaign rules: drafts refused by field, who is left out and why, the email's parts."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.campaign_email import Sender, campaign_email, unsubscribe_headers
from leadcartel_desktop.domain.campaigns import (
    CampaignDraft,
    CampaignStatus,
    LeftOutReason,
    left_out_reason,
    outbox_key,
    shown_status,
    text_too_long,
)
from leadcartel_desktop.domain.contact import Address
from leadcartel_desktop.domain.contact_groups import GroupDefinition, clean_tags
from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.outbox import Channel, OutboxMessage, OutboxState
from leadcartel_desktop.domain.providers import SmtpSettings
from leadcartel_desktop.providers.email_message import PayloadError, build_email
from leadcartel_desktop.services.campaign_build import split
from leadcartel_desktop.services.campaign_ports import AudienceRow

SENDER = Sender(
    "Zoë's <Shop>", Address("1 Main St", "Springfield", "", "12345", "US"), "hi@shop.example"
)
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def refused_field(draft: CampaignDraft) -> str:
    with pytest.raises(ValidationError) as refused:
        draft.check()
    return refused.value.field


def test_an_unknown_merge_field_is_refused_naming_the_field_and_the_field_name() -> None:
    with pytest.raises(ValidationError) as refused:
        CampaignDraft("Spring", Channel.SMS, "Hi {first_nme}").check()
    assert refused.value.field == "Message"
    assert "{first_nme}" in refused.value.detail and "{first_name}" in refused.value.detail
    email = CampaignDraft("Spring", Channel.EMAIL, "Hi", subject="For {nickname}")
    assert refused_field(email) == "Subject"


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (CampaignDraft(" ", Channel.SMS, "Hi"), "Name"),
        (CampaignDraft("Spring", Channel.SMS, " "), "Message"),
        (CampaignDraft("Spring", Channel.CLOUD, "Hi"), "Channel"),
        (CampaignDraft("Spring", Channel.EMAIL, "Hi"), "Subject"),
        (CampaignDraft("Spring", Channel.SMS, "Hi", per_minute=0), "Messages per minute"),
        (CampaignDraft("Spring", Channel.SMS, "Hi", weekdays=frozenset()), "Days"),
        (CampaignDraft("Spring", Channel.SMS, "Hi", hours=(time(22), time(23))), "Hours"),
        (
            CampaignDraft("Spring", Channel.WHATSAPP, "", "", "HX1", {"1": "{nick}"}),
            "WhatsApp variables",
        ),
    ],
)
def test_drafts_that_cannot_be_sent_are_refused_by_field(draft: CampaignDraft, field: str) -> None:
    assert refused_field(draft) == field


def test_email_campaigns_may_send_at_night_texts_may_not() -> None:
    CampaignDraft("Night", Channel.EMAIL, "Hi", "Hello", hours=(time(22), time(23))).check()
    assert CampaignDraft("x", Channel.WHATSAPP).quiet
    assert not CampaignDraft("x", Channel.EMAIL).quiet


@pytest.mark.parametrize(
    ("channel", "phone", "email", "opted_out", "dnc", "reason"),
    [
        (Channel.SMS, "+6591234567", "", False, False, None),
        (Channel.SMS, "", "a@b.example", False, False, LeftOutReason.NO_PHONE),
        (Channel.SMS, "91234567", "", False, False, LeftOutReason.INVALID_NUMBER),
        (Channel.WHATSAPP, "+0123456789", "", False, False, LeftOutReason.INVALID_NUMBER),
        (Channel.SMS, "+6591234567", "", True, True, LeftOutReason.OPTED_OUT),
        (Channel.SMS, "+6591234567", "", False, True, LeftOutReason.DO_NOT_CONTACT),
        (Channel.EMAIL, "+6591234567", "", False, False, LeftOutReason.NO_EMAIL),
        (Channel.EMAIL, "", "a@b.example", False, False, None),
    ],
)
def test_left_out_reasons(
    channel: Channel,
    phone: str,
    email: str,
    opted_out: bool,
    dnc: bool,
    reason: LeftOutReason | None,
) -> None:
    found = left_out_reason(channel, phone, email, opted_out=opted_out, do_not_contact=dnc)
    assert found is reason


@pytest.mark.parametrize(
    ("channel", "length", "too_long"),
    [
        (Channel.SMS, 1600, False),
        (Channel.SMS, 1601, True),
        (Channel.WHATSAPP, 1600, False),
        (Channel.WHATSAPP, 1601, True),
        (Channel.EMAIL, 9000, False),  # an email has no text limit
    ],
)
def test_a_rendered_text_over_twilios_limit_is_too_long(
    channel: Channel, length: int, too_long: bool
) -> None:
    assert text_too_long(channel, "a" * length) is too_long


def test_the_too_long_reason_is_measured_after_merge_fields_are_filled() -> None:
    """1,580 characters plus {first_name} passes as a draft; a 100-character name does not."""
    rows = [
        AudienceRow(n, name, name, "", "", "", phone, "", False, False)
        for n, name, phone in (
            (1, "Ann", "+6591234561"),
            (2, "M" * 100, "+6591234562"),
            (3, "N" * 100, "+6591234561"),  # shares Ann's number and is too long
        )
    ]
    draft = CampaignDraft("Long", Channel.SMS, "x" * 1580 + "{first_name}")
    draft.check()
    chosen = split(draft, rows, lambda _phone: False, BusinessSettings())
    assert [row.contact_id for row in chosen.included] == [1]
    assert [(row.contact_id, reason) for row, reason in chosen.left_out] == [
        (2, LeftOutReason.TOO_LONG),
        (3, LeftOutReason.TOO_LONG),
    ]
    assert chosen.texts == {1: "x" * 1580 + "Ann"}  # rendered once, reused for the outbox row
    assert "1,600 characters" in LeftOutReason.TOO_LONG.value


def test_the_key_makes_each_contact_receive_each_campaign_once() -> None:
    assert outbox_key(7, 42) == "campaign:7:contact:42"


def test_the_shown_status_follows_the_messages() -> None:
    later = NOW + timedelta(hours=1)
    assert shown_status(CampaignStatus.SCHEDULED, later, NOW, 3) is CampaignStatus.SCHEDULED
    assert shown_status(CampaignStatus.SCHEDULED, NOW, NOW, 3) is CampaignStatus.RUNNING
    assert shown_status(CampaignStatus.RUNNING, NOW, NOW, 0) is CampaignStatus.DONE
    assert shown_status(CampaignStatus.PAUSED, NOW, NOW, 0) is CampaignStatus.PAUSED


def test_the_email_escapes_merge_values_in_html_and_carries_the_footer() -> None:
    values = {"first_name": "<script>Ann</script>", "business_name": SENDER.name}
    email = campaign_email("Hi {first_name}", "Dear {first_name},\n\nNews.", values, SENDER, "a@x")
    assert "<script>" not in email.html and "&lt;script&gt;Ann&lt;/script&gt;" in email.html
    assert "Dear <script>Ann</script>," in email.text  # the plain text is plain
    assert email.subject == "Hi <script>Ann</script>"
    for line in ("Zoë's <Shop>", "1 Main St", "12345 Springfield", "unsubscribe"):
        assert line in email.text
    assert "Zoë&#x27;s &lt;Shop&gt;" in email.html


def test_unsubscribe_headers_mailto_and_one_click_only_with_https() -> None:
    plain = unsubscribe_headers(SENDER, "a+b@x.example")
    assert plain == {"List-Unsubscribe": "<mailto:hi@shop.example?subject=unsubscribe>"}
    linked = Sender(SENDER.name, SENDER.address, SENDER.email, "https://shop.example/u?e={email}")
    headers = unsubscribe_headers(linked, "a+b@x.example")
    assert headers["List-Unsubscribe"] == (
        "<mailto:hi@shop.example?subject=unsubscribe>, <https://shop.example/u?e=a%2Bb%40x.example>"
    )
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_group_definitions_are_cleaned_and_round_trip_as_json() -> None:
    definition = GroupDefinition(
        any_tags=frozenset({" VIP ", "vip"}), email_domain="@Example.com", has_phone=True
    ).cleaned()
    assert len(definition.any_tags) == 1
    assert definition.email_domain == "Example.com"
    assert GroupDefinition.from_json(definition.as_json()) == definition
    assert clean_tags(["a", "A", "b"]) in ({"a", "b"}, {"A", "b"})
    with pytest.raises(ValidationError) as refused:
        GroupDefinition(email_domain="a b").cleaned()
    assert refused.value.field == "Email domain"


def _email_row(payload: dict[str, object]) -> OutboxMessage:
    return OutboxMessage(
        1, Channel.EMAIL, "ann@example.com", payload, "campaign:1:contact:1", OutboxState.SENDING
    )


def test_the_email_carries_the_unsubscribe_headers_and_no_other_header_from_a_row() -> None:
    smtp = SmtpSettings(host="smtp.example.com", from_address="hello@shop.example")
    headers = unsubscribe_headers(SENDER, "ann@example.com")
    email = build_email(_email_row({"subject": "Hi", "body": "x", "headers": headers}), smtp, NOW)
    assert email["List-Unsubscribe"] == "<mailto:hi@shop.example?subject=unsubscribe>"
    with pytest.raises(PayloadError, match="Bcc"):
        build_email(_email_row({"body": "x", "headers": {"Bcc": "spy@x.example"}}), smtp, NOW)
    with pytest.raises(PayloadError, match="line break"):
        bad = {"List-Unsubscribe": "<mailto:a@b>\r\nBcc: spy@x.example"}
        build_email(_email_row({"body": "x", "headers": bad}), smtp, NOW)
