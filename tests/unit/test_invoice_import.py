"""The JSON invoice shape mapped onto InvoiceContent, and its field-named errors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from leadcartel_desktop.domain.contact import Address
from leadcartel_desktop.domain.errors import FormError, ValidationError
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.taxes import TaxRate
from leadcartel_desktop.domain.totals import DiscountKind, DiscountTiming
from leadcartel_desktop.services.invoice_import import (
    json_field,
    json_fields,
    load_json,
    parse_amount,
    parse_invoice,
)

VAT = TaxRate("VAT", Decimal(20))
REDUCED = TaxRate("Reduced", Decimal(10))
LEVY = TaxRate("Levy", Decimal(2), compound=True)
RATES = (VAT, REDUCED, LEVY)
DEFAULTS = InvoiceContent(
    contact_id=None,
    currency="EUR",
    issue_date=date(2026, 3, 10),
    due_date=date(2026, 4, 9),
    terms="Default terms",
    notes="Default notes",
    net_days=30,
)


def parse(text: str) -> Any:
    return parse_invoice(load_json(text), RATES, DEFAULTS)


def error_of(text: str) -> str:
    with pytest.raises((ValidationError, FormError)) as caught:
        parse(text)
    return caught.value.message


def test_empty_object_takes_the_business_defaults() -> None:
    request = parse("{}")
    assert request.customer is None
    assert request.issue is False
    assert request.number is None
    assert request.content == DEFAULTS


def test_every_field_maps_onto_the_content() -> None:
    request = parse("""{
        "customer": "Ada@Example.com",
        "currency": "usd",
        "issue_date": "2024-01-31",
        "net_days": 30,
        "lines": [
            {"description": " Design ", "quantity": "7.5", "unit": "hour", "unit_price": "85",
             "taxes": ["vat", "Levy"]},
            {"description": "Books", "quantity": 2, "unit_price": 12, "taxes": ["Reduced"]},
            {"description": "At cost", "unit_price": "-3.10", "taxes": ["No Tax"]}
        ],
        "discount": {"type": "percent", "value": "12.5", "apply": "after_tax"},
        "prices_include_tax": true,
        "terms": "Net 30",
        "notes": "",
        "number": " A-1 ",
        "issue": true
    }""")
    content = request.content
    assert request.customer is not None
    assert request.customer.email == "Ada@Example.com"
    assert request.customer.details is None
    assert (request.number, request.issue) == ("A-1", True)
    assert content.currency == "USD"
    assert (content.issue_date, content.due_date, content.net_days) == (
        date(2024, 1, 31),
        date(2024, 3, 1),
        30,
    )
    first, second, third = content.lines
    assert (first.description, first.quantity, first.unit, first.unit_price) == (
        "Design",
        Decimal("7.5"),
        "hour",
        8500,
    )
    assert set(first.taxes) == {VAT, LEVY}
    assert (second.quantity, second.unit_price, second.taxes) == (Decimal(2), 1200, (REDUCED,))
    assert (third.quantity, third.unit_price, third.taxes) == (Decimal(1), -310, ())
    assert content.discount.kind is DiscountKind.PERCENT
    assert content.discount.timing is DiscountTiming.AFTER_TAX
    assert content.discount.percent == Decimal("12.5")
    assert content.prices_include_tax is True
    assert (content.terms, content.notes) == ("Net 30", "")


def test_due_date_given_by_date_has_no_net_days() -> None:
    content = parse('{"issue_date": "2026-01-01", "due_date": "2026-01-15"}').content
    assert (content.due_date, content.net_days) == (date(2026, 1, 15), None)


def test_issue_date_alone_uses_the_default_terms() -> None:
    content = parse('{"issue_date": "2026-01-01"}').content
    assert (content.due_date, content.net_days) == (date(2026, 1, 31), 30)


def test_amount_discount_in_minor_units() -> None:
    content = parse(
        '{"lines": [{"description": "x", "unit_price": "100"}],'
        ' "discount": {"type": "amount", "value": "20.50"}}'
    ).content
    assert content.discount.kind is DiscountKind.AMOUNT
    assert content.discount.timing is DiscountTiming.BEFORE_TAX
    assert content.discount.amount == 2050


def test_new_customer_details() -> None:
    request = parse("""{"customer": {"first_name": "Ayşe", "last_name": "Yılmaz",
        "email": "ayse@example.com", "phone": "+90 532 123 45 67", "company": "Ağaç İşleri",
        "address": {"street": "Atatürk Cad. 17", "city": "Iğdır", "postal_code": "76000",
                    "country": "Türkiye"}}}""")
    assert request.customer is not None
    details = request.customer.details
    assert details is not None
    assert (details.first_name, details.company, details.email) == (
        "Ayşe",
        "Ağaç İşleri",
        "ayse@example.com",
    )
    assert details.address == Address("Atatürk Cad. 17", "Iğdır", "", "76000", "Türkiye")


@pytest.mark.parametrize(
    ("currency", "text", "minor"),
    [("JPY", "100", 100), ("USD", "100.00", 10000), ("KWD", "12.345", 12345), ("EUR", 7, 700)],
)
def test_amounts_use_the_currency_exponent(currency: str, text: object, minor: int) -> None:
    assert parse_amount(text, currency, "x") == minor


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"lines": [{"description": "x", "unit_price": 12.5}]}',
            'lines[0].unit_price: 12.5 is a JSON float: quote it ("12.5") so it is exact',
        ),
        (
            '{"lines": [{"unit_price": "1"}, {"quantity": "abc", "unit_price": "1"}]}',
            "lines[1].quantity: 'abc' is not a number",
        ),
        (
            '{"lines": [{"unit_price": "1", "taxes": ["VAT", "GST"]}]}',
            "lines[0].taxes[1]: no tax rate is named 'GST' (VAT, Reduced, Levy)",
        ),
        ('{"lines": [{"description": "x"}]}', "lines[0].unit_price: is required"),
        (
            '{"lines": [{"unit_price": "1.005"}]}',
            "lines[0].unit_price: EUR amounts have at most 2 decimals",
        ),
        ('{"currency": "JPY", "lines": [{"unit_price": "1.5"}]}', "at most 0 decimals"),
        ('{"lines": [{"unit_price": "1e3"}]}', "lines[0].unit_price: '1e3' is not a number"),
        ('{"lines": [{"unit_price": "1,50"}]}', "lines[0].unit_price: '1,50' is not a number"),
        ('{"issue_date": "2026-02-30"}', "issue_date: '2026-02-30' is not a valid date"),
        ('{"due_date": "03/01/2026"}', 'due_date: "03/01/2026" is not a date (YYYY-MM-DD)'),
        (
            '{"issue_date": "2026-03-10", "due_date": "2026-03-01"}',
            "due_date: cannot be before the issue date",
        ),
        ('{"net_days": -1}', "net_days: Net days must be between 0 and 3650"),
        ('{"net_days": "30"}', "net_days: must be a whole number of days"),
        ('{"net_days": 30, "due_date": "2026-05-01"}', "due_date: give due_date or net_days"),
        ('{"currency": "EURO"}', "currency: 'EURO' is not a three-letter ISO 4217 code"),
        ('{"issue": "yes"}', "issue: must be true or false"),
        ('{"lines": {}}', "lines: must be a list"),
        ('{"lines": ["x"]}', "lines[0]: must be an object"),
        ('{"lines": [{"unit_price": "1", "price": "2"}]}', "lines[0].price: unknown field"),
        ('{"discout": {}}', "invoice.discout: unknown field"),
        ('{"discount": {"type": "fixed", "value": "1"}}', "discount.type: must be one of"),
        ('{"discount": {"type": "amount", "value": "1", "apply": "later"}}', "discount.apply"),
        ('{"discount": {"type": "percent", "value": "120"}}', "discount: percent must be"),
        (
            '{"lines": [{"unit_price": "10"}], "discount": {"type": "amount", "value": "11"}}',
            "discount: is larger than the amount it applies to",
        ),
        ('{"number": "  "}', "number: is required"),
        ('{"customer": {"phone": "+33612345678"}}', "customer: give an email, or a name"),
        ('{"customer": {"first_name": 3}}', "customer.first_name: must be a string"),
        ('{"customer": {"email": "a@example.com", "address": {"zip": "1"}}}', "address.zip"),
        ("[]", "invoice: must be an object"),
        ('{"lines": [{"unit_price": 10000000000000000}]}', "is too large"),
    ],
)
def test_errors_name_the_json_field(text: str, message: str) -> None:
    assert message in error_of(text)


def test_error_message_is_one_line_starting_with_the_field() -> None:
    message = error_of('{"lines": [{}, {}, {"quantity": "abc", "unit_price": "1"}]}')
    assert message.startswith("lines[0].unit_price:")  # the first bad row is reported


def test_load_json_keeps_decimals_exact_and_refuses_constants() -> None:
    assert load_json('{"a": 0.1}') == {"a": Decimal("0.1")}
    with pytest.raises(ValidationError, match=r"NaN is not a number"):
        load_json('{"a": NaN}')
    with pytest.raises(ValidationError) as caught:
        load_json('{\n  "a": 1,\n}', "invoice.json")
    assert caught.value.message.startswith("invoice.json: not valid JSON")
    assert "line 3 column 1" in caught.value.message


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Item 3", "lines[2]"),
        ("Customer", "customer"),
        ("Phone", "customer.phone"),
        ("Invoice number", "number"),
        ("lines[0].quantity", "lines[0].quantity"),
    ],
)
def test_form_labels_become_json_fields(label: str, field: str) -> None:
    assert json_field(ValidationError(label, "bad")).message == f"{field}: bad"


def test_form_errors_keep_every_field() -> None:
    errors = [ValidationError("Email", "bad email"), ValidationError("Phone", "bad phone")]
    with pytest.raises(FormError) as caught, json_fields():
        raise FormError(errors)
    assert caught.value.message == "customer.email: bad email; customer.phone: bad phone"


def test_a_huge_or_over_precise_number_says_so_rather_than_not_a_number() -> None:
    from leadcartel_desktop.services.invoice_import import parse_decimal

    with pytest.raises(ValidationError, match="'99999999999999999999999999' is too large"):
        parse_decimal("99999999999999999999999999", "lines[0].unit_price")
    with pytest.raises(ValidationError, match="has more than 10 decimals"):
        parse_decimal("1.00000000001", "lines[0].quantity")
    assert parse_decimal("000000000000000012.5", "lines[0].quantity") == Decimal("12.5")
    with pytest.raises(ValidationError, match="'12a' is not a number"):
        parse_decimal("12a", "lines[0].quantity")
