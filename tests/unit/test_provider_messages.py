"""What leaves the adapters: JSON with exact decimals, the email, the cloud invoice body."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime
from decimal import Decimal
from email import policy
from email.parser import BytesParser

import pytest

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.contact import Address, Contact
from leadcartel_desktop.domain.invoice import Invoice, InvoiceContent
from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.domain.outbox import Channel, OutboxMessage, OutboxState
from leadcartel_desktop.domain.providers import SmtpSettings
from leadcartel_desktop.domain.taxes import TaxRate
from leadcartel_desktop.domain.totals import Discount, DiscountKind, LineItem
from leadcartel_desktop.providers import jsonbody
from leadcartel_desktop.providers.cloud_invoices import invoice_body
from leadcartel_desktop.providers.email_message import PayloadError, build_email, message_id

SMTP = SmtpSettings(
    host="smtp.example.com", from_name="Jürgen Müller", from_address="billing@example.com"
)
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def test_decimals_go_out_as_exact_json_numbers_and_come_back_as_decimals():
    data = {
        "amount": Decimal("0.10"),
        "qty": Decimal("3"),
        "neg": Decimal("-12.345"),
        "text": "1.5",
    }
    encoded = jsonbody.dumps(data)
    assert encoded == b'{"amount":0.10,"qty":3,"neg":-12.345,"text":"1.5"}'
    assert jsonbody.loads(encoded) == {**data, "qty": 3}
    assert isinstance(jsonbody.loads(b'{"a": 0.1}')["a"], Decimal)
    with pytest.raises(ValueError, match="not a JSON number"):
        jsonbody.dumps({"a": Decimal("NaN")})
    with pytest.raises(TypeError):
        jsonbody.dumps({"a": 0.1j})


def email_row(
    payload: dict[str, object], recipient: str = "kunde@example.de", key: str = "abc-123"
):
    return OutboxMessage(1, Channel.EMAIL, recipient, payload, key, OutboxState.SENDING)


def test_the_email_encodes_names_and_file_names_itself():
    pdf = base64.b64encode(b"%PDF-1.7").decode()
    message = build_email(email_row({
        "subject": "Ihre Rechnung – März", "body": "Grüße", "to_name": "Zoë",
        "attachments": [{"filename": "Überweisung Q1.pdf", "content_type": "application/pdf",
                         "data_base64": pdf}],
    }), SMTP, NOW)  # fmt: skip
    raw = message.as_bytes()
    assert raw.isascii() and b"\r\n" in raw
    back = BytesParser(policy=policy.default).parsebytes(raw)
    assert str(back["From"]) == "Jürgen Müller <billing@example.com>"
    assert back["Subject"] == "Ihre Rechnung – März"
    assert back["Message-ID"] == "<outbox.abc-123@example.com>"
    assert back["Date"] == "Tue, 10 Mar 2026 12:00:00 +0000"
    (attachment,) = back.iter_attachments()
    assert attachment.get_filename() == "Überweisung Q1.pdf"


def test_an_odd_key_still_makes_a_valid_message_id():
    assert message_id("a key with spaces/and <brackets>", "x@example.com").startswith("<outbox.")
    assert " " not in message_id("a key with spaces", "x@example.com")


@pytest.mark.parametrize(
    ("payload", "recipient", "error"),
    [
        (
            {"body": "x", "attachments": [{"filename": "a.pdf", "data_base64": "%%%"}]},
            "a@b.c",
            "base64",
        ),
        ({"body": "x", "attachments": [{"data_base64": ""}]}, "a@b.c", "no file name"),
        ({"body": "x", "attachments": "a.pdf"}, "a@b.c", "must be a list"),
        ({"body": "x"}, "not an address", "not valid"),
    ],
)
def test_a_payload_that_cannot_become_an_email_says_why(payload, recipient, error):
    with pytest.raises(PayloadError, match=error):
        build_email(email_row(payload, recipient), SMTP, NOW)


def test_the_cloud_invoice_body_carries_exact_amounts_in_major_units():
    vat = TaxRate("GST", Decimal("9"))
    content = InvoiceContent(
        contact_id=1, currency="JPY", issue_date=date(2026, 3, 1), due_date=date(2026, 3, 31),
        lines=(LineItem("Consulting " + "x" * 200, Decimal("1.5"), 12000, (vat,)),),
        discount=Discount(DiscountKind.AMOUNT, amount=500), terms="Net 30", notes="Thanks",
    )  # fmt: skip
    invoice = Invoice(id=3, content=content, status=InvoiceStatus.SENT, number="INV-3")
    customer = Contact("Ann", "Lee", "ann@example.com", "+6591234567", address=Address(city="SG"))
    body = invoice_body(
        invoice, customer, "c-1", BusinessSettings(company_name="Biz"), live_mode=True
    )
    (item,) = body["items"]
    assert item["amount"] == Decimal("12000") and item["qty"] == Decimal("1.5")
    assert len(item["name"]) == 100 and item["name"].endswith("…")
    assert item["taxes"] == [{"_id": vat.key, "name": "GST", "rate": Decimal("9"),
                              "calculation": "exclusive", "description": "GST 9%"}]  # fmt: skip
    assert body["discount"] == {"type": "fixed", "value": Decimal("500")}
    assert body["contactDetails"] == {
        "id": "c-1", "name": "Ann Lee", "email": "ann@example.com", "phoneNo": "+6591234567",
        "address": {"city": "SG"},
    }  # fmt: skip
    assert (body["invoiceNumber"], body["issueDate"], body["termsNotes"], body["liveMode"]) == (
        "INV-3", "2026-03-01", "Net 30\n\nThanks", True,
    )  # fmt: skip
    assert b"1.5" in jsonbody.dumps(body) and b"12000" in jsonbody.dumps(body)
