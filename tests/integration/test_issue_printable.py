"""An invoice the PDF cannot draw is refused before it is issued: no number, no lock."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.errors import FormError, ValidationError
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.pdf.glyphs import MissingGlyphsError

Services = Any  # leadcartel_desktop.services.registry.Services
ISSUED = date(2026, 3, 2)


def _content(contact_id: int, description: str = "Design work") -> InvoiceContent:
    return InvoiceContent(
        contact_id=contact_id,
        currency="EUR",
        issue_date=ISSUED,
        due_date=date(2026, 4, 1),
        lines=(LineItem(description, Decimal(1), 10000),),
    )


def _customer(services: Services, first_name: str = "Ann") -> int:
    return int(services.contacts.create(Contact(first_name=first_name, last_name="Lee")).id)


@pytest.mark.parametrize(
    ("description", "character"),
    [("Party 🎉 supplies", "U+1F389"), ("ترجمة", "U+062A"), ("翻訳サービス", "U+7FFB")],
)
def test_an_undrawable_description_is_refused_at_issue(
    services: Services, description: str, character: str
) -> None:
    invoices = services.invoices
    draft = invoices.save_draft(_content(_customer(services), description))
    expected_number = invoices.next_number(ISSUED)

    named = rf"{re.escape(character)}\) in item 1 description"
    with pytest.raises(MissingGlyphsError, match=named):
        invoices.issue(draft)

    stored = invoices.get(draft)
    assert stored.status is InvoiceStatus.DRAFT and stored.number is None
    assert invoices.next_number(ISSUED) == expected_number  # no number was taken
    fixed = invoices.save_draft(_content(stored.content.contact_id), draft)  # still editable
    assert invoices.issue(fixed).number == expected_number


def test_an_undrawable_customer_name_is_refused_at_issue(services: Services) -> None:
    invoices = services.invoices
    draft = invoices.save_draft(_content(_customer(services, "李")))
    expected_number = invoices.next_number(ISSUED)

    with pytest.raises(MissingGlyphsError, match="customer name"):
        invoices.issue(draft)

    assert invoices.get(draft).status is InvoiceStatus.DRAFT
    assert invoices.next_number(ISSUED) == expected_number


@pytest.mark.parametrize(
    ("content_change", "field"),
    [
        ({"terms": "Pay\x00 now"}, "Terms"),
        ({"notes": "Thanks\x07"}, "Notes"),
        ({"lines": (LineItem("Work\x00", Decimal(1), 100),)}, "Item 1"),
        ({"lines": (LineItem("Work", Decimal(1), 100, unit="h\tr"),)}, "Item 1"),
    ],
)
def test_control_characters_are_refused_naming_the_field(
    services: Services, content_change: dict[str, Any], field: str
) -> None:
    content = replace(_content(_customer(services)), **content_change)
    with pytest.raises(ValidationError, match="control character") as refused:
        services.invoices.save_draft(content)
    assert refused.value.field == field


def test_line_breaks_and_tabs_stay_allowed_where_text_has_lines(services: Services) -> None:
    content = replace(
        _content(_customer(services), "Design\n\tphase 1"), terms="Net 30\r\nThanks", notes="a\tb"
    )
    invoice = services.invoices.issue(services.invoices.save_draft(content))
    assert invoice.status is InvoiceStatus.SENT


@pytest.mark.parametrize("field", ["first_name", "last_name", "company", "email"])
def test_a_contact_with_a_control_character_is_refused(services: Services, field: str) -> None:
    contact = replace(Contact(first_name="Ann", company="Lee Ltd"), **{field: "Ann\x00Lee"})
    with pytest.raises(FormError) as refused:
        services.contacts.create(contact)
    label = field.replace("_", " ").capitalize()
    assert refused.value.for_field(label) is not None
    assert services.contacts.count() == 0
