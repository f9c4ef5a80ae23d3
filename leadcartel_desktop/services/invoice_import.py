"""Invoices from a JSON-shaped mapping (`invoice create --json`), checked field by field."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from leadcartel_desktop.domain.contact import Address, Contact
from leadcartel_desktop.domain.errors import ConflictError, FormError, ValidationError
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.money import check_currency, exponent, to_minor
from leadcartel_desktop.domain.numbering import normalize_manual_number
from leadcartel_desktop.domain.taxes import TaxRate
from leadcartel_desktop.domain.terms import due_date_for_net
from leadcartel_desktop.domain.totals import (
    NO_DISCOUNT,
    Discount,
    DiscountKind,
    DiscountTiming,
    LineItem,
)
from leadcartel_desktop.services.registry import Services

NO_TAX = "no tax"
_NUMBER = re.compile(r"-?(\d+)(?:\.(\d+))?")
MAX_WHOLE_DIGITS, MAX_DECIMALS = 15, 10
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TOP_KEYS = {
    "customer", "currency", "issue_date", "due_date", "net_days", "lines", "discount",
    "prices_include_tax", "terms", "notes", "number", "issue",
}  # fmt: skip
_CUSTOMER_KEYS = {"email", "first_name", "last_name", "phone", "company", "address"}
_ADDRESS_KEYS = {"street", "city", "region", "postal_code", "country"}
_LINE_KEYS = {"description", "quantity", "unit", "unit_price", "taxes"}
_DISCOUNT_KEYS = {"type", "value", "apply"}
# Form labels the services and domain use, and the JSON field each one stands for.
_FIELD_FOR_LABEL = {
    "Currency": "currency", "Due date": "due_date", "Payment terms": "net_days",
    "Items": "lines", "Customer": "customer", "Discount": "discount", "Invoice number": "number",
    "First name": "customer.first_name", "Last name": "customer.last_name",
    "Email": "customer.email", "Phone": "customer.phone", "Company": "customer.company",
    "Street": "customer.address.street", "City": "customer.address.city",
    "State/province": "customer.address.region", "Postal code": "customer.address.postal_code",
    "Country": "customer.address.country", "Terms": "terms", "Notes": "notes",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class CustomerRef:
    """Who the invoice is for: an existing contact's email, and details to create one."""

    email: str = ""
    details: Contact | None = None


@dataclass(frozen=True, slots=True)
class InvoiceRequest:
    """A parsed request; `content.contact_id` stays None until the customer is resolved."""

    customer: CustomerRef | None
    content: InvoiceContent
    number: str | None = None
    issue: bool = False


@dataclass(frozen=True, slots=True)
class ImportResult:
    invoice_id: int
    number: str | None
    contact_id: int | None
    new_customer: bool


def load_json(text: str, source: str = "JSON") -> Any:
    """Parse JSON text keeping decimals exact (Decimal), so floats can be refused by field."""

    def refuse_constant(name: str) -> None:
        raise ValidationError(source, f"{name} is not a number")

    try:
        return json.loads(text, parse_float=Decimal, parse_constant=refuse_constant)
    except json.JSONDecodeError as error:
        message = f"not valid JSON ({error.msg}) at line {error.lineno} column {error.colno}"
        raise ValidationError(source, message) from None


def json_field(error: ValidationError) -> ValidationError:
    """The same error, named by its JSON field ('Item 3' becomes 'lines[2]')."""
    item = re.fullmatch(r"Item (\d+)", error.field)
    if item:
        return ValidationError(f"lines[{int(item.group(1)) - 1}]", error.detail)
    return ValidationError(_FIELD_FOR_LABEL.get(error.field, error.field), error.detail)


@contextmanager
def json_fields() -> Iterator[None]:
    """Re-raise validation errors from services and domain under their JSON field names."""
    try:
        yield
    except FormError as error:
        raise FormError([json_field(each) for each in error.errors]) from None
    except ValidationError as error:
        raise json_field(error) from None


def _object(value: object, path: str, allowed: set[str]) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ValidationError(path, "must be an object {...}")
    unknown = sorted(set(value) - allowed)
    if unknown:
        expected = ", ".join(sorted(allowed))
        raise ValidationError(f"{path}.{unknown[0]}", f"unknown field (expected: {expected})")
    return value


def _text(value: object, path: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(path, "must be a string")
    return value


def _bool(value: object, path: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(path, "must be true or false")
    return value


def parse_decimal(value: object, path: str) -> Decimal:
    """An exact number from a JSON string ('12.50', '.' the decimal mark) or integer.

    JSON floats are refused, and so is '1,000': a comma is neither a decimal mark nor grouping.
    """
    if isinstance(value, Decimal):
        raise ValidationError(path, f'{value} is a JSON float: quote it ("{value}") so it is exact')
    if isinstance(value, int) and not isinstance(value, bool):
        if abs(value) >= 10**15:
            raise ValidationError(path, f"{value} is too large")
        return Decimal(value)
    if isinstance(value, str):
        number = _NUMBER.fullmatch(value.strip())
        if number is None:
            comma = "," in value
            hint = ": JSON amounts use '.' for decimals, no thousands separators" if comma else ""
            raise ValidationError(path, f"'{value}' is not a number{hint}")
        whole, decimals = number.group(1), number.group(2) or ""
        if len(whole.lstrip("0")) > MAX_WHOLE_DIGITS:
            raise ValidationError(path, f"'{value}' is too large")
        if len(decimals) > MAX_DECIMALS:
            raise ValidationError(path, f"'{value}' has more than {MAX_DECIMALS} decimals")
        return Decimal(value.strip())
    raise ValidationError(path, 'must be a number written as a string, e.g. "12.50"')


def parse_amount(value: object, currency: str, path: str) -> int:
    """Minor units of `currency`; more decimals than the currency has are refused."""
    amount = parse_decimal(value, path)
    places = exponent(currency)
    if amount != amount.quantize(Decimal(1).scaleb(-places)):
        raise ValidationError(path, f"{currency} amounts have at most {places} decimals")
    return to_minor(amount, currency)


def parse_date(value: object, path: str) -> date:
    if not isinstance(value, str) or not _DATE.fullmatch(value.strip()):
        raise ValidationError(path, f"{json.dumps(value, default=str)} is not a date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(path, f"'{value}' is not a valid date") from None


def _net_days(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("net_days", "must be a whole number of days")
    with json_fields():
        due_date_for_net(date(2000, 1, 1), value)
    return value


def _customer(value: object) -> CustomerRef | None:
    if value is None:
        return None
    if isinstance(value, str):
        return CustomerRef(email=value)
    data = _object(value, "customer", _CUSTOMER_KEYS)
    fields = {key: _text(data.get(key), f"customer.{key}") for key in _CUSTOMER_KEYS - {"address"}}
    address_data = _object(data.get("address") or {}, "customer.address", _ADDRESS_KEYS)
    parts = {key: _text(address_data.get(key), f"customer.address.{key}") for key in _ADDRESS_KEYS}
    address = Address(**{key: text.strip() for key, text in parts.items()})
    named = any(fields[key].strip() for key in ("first_name", "last_name", "company"))
    details = Contact(address=address, **fields) if named else None
    if details is None and not fields["email"].strip():
        raise ValidationError("customer", "give an email, or a name or company for a new customer")
    return CustomerRef(email=fields["email"].strip(), details=details)


def _taxes(value: object, path: str, rates: Mapping[str, TaxRate]) -> tuple[TaxRate, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ValidationError(path, 'must be a list of tax rate names, e.g. ["VAT"]')
    chosen: dict[str, TaxRate] = {}
    for index, name in enumerate(value):
        key = _text(name, f"{path}[{index}]").strip().casefold()
        if key == NO_TAX and key not in rates:
            continue
        if key not in rates:
            known = ", ".join(rate.name for rate in rates.values()) or "none configured"
            raise ValidationError(f"{path}[{index}]", f"no tax rate is named '{name}' ({known})")
        chosen[key] = rates[key]
    return tuple(chosen.values())


def _line(value: object, path: str, currency: str, rates: Mapping[str, TaxRate]) -> LineItem:
    data = _object(value, path, _LINE_KEYS)
    if "unit_price" not in data:
        raise ValidationError(f"{path}.unit_price", "is required")
    quantity = parse_decimal(data.get("quantity", 1), f"{path}.quantity")
    return LineItem(
        description=_text(data.get("description"), f"{path}.description").strip(),
        quantity=quantity,
        unit_price=parse_amount(data["unit_price"], currency, f"{path}.unit_price"),
        taxes=_taxes(data.get("taxes"), f"{path}.taxes", rates),
        unit=_text(data.get("unit"), f"{path}.unit").strip(),
    )


def _discount(value: object, currency: str) -> Discount:
    if value is None:
        return NO_DISCOUNT
    data = _object(value, "discount", _DISCOUNT_KEYS)
    kinds, timings = [kind.value for kind in DiscountKind], [t.value for t in DiscountTiming]
    kind = data.get("type")
    if kind not in kinds:
        raise ValidationError("discount.type", f"must be one of {', '.join(kinds)}")
    timing = data.get("apply", DiscountTiming.BEFORE_TAX.value)
    if timing not in timings:
        raise ValidationError("discount.apply", f"must be one of {', '.join(timings)}")
    if "value" not in data:
        raise ValidationError("discount.value", "is required")
    with json_fields():
        if kind == DiscountKind.PERCENT:
            percent = parse_decimal(data["value"], "discount.value")
            return Discount(DiscountKind.PERCENT, DiscountTiming(timing), percent=percent)
        amount = parse_amount(data["value"], currency, "discount.value")
        return Discount(DiscountKind.AMOUNT, DiscountTiming(timing), amount=amount)


def parse_invoice(
    data: object, tax_rates: Sequence[TaxRate], defaults: InvoiceContent
) -> InvoiceRequest:
    """Map the JSON shape onto an InvoiceRequest; errors name the JSON field at fault."""
    top = _object(data, "invoice", _TOP_KEYS)
    with json_fields():
        currency = check_currency(_text(top.get("currency"), "currency") or defaults.currency)
    issue_date = parse_date(top["issue_date"], "issue_date") if "issue_date" in top else None
    issue_date = issue_date or defaults.issue_date
    if top.get("due_date") is not None and top.get("net_days") is not None:
        raise ValidationError("due_date", "give due_date or net_days, not both")
    net_days: int | None = None
    if top.get("due_date") is not None:
        due_date = parse_date(top["due_date"], "due_date")
    else:
        default_days = defaults.net_days
        if default_days is None:
            default_days = (defaults.due_date - defaults.issue_date).days
        net_days = _net_days(top.get("net_days", default_days))
        due_date = due_date_for_net(issue_date, net_days)
    lines_data = top.get("lines", [])
    if not isinstance(lines_data, list):
        raise ValidationError("lines", "must be a list of line objects")
    rates = {rate.name.strip().casefold(): rate for rate in tax_rates}
    lines = tuple(
        _line(line, f"lines[{index}]", currency, rates) for index, line in enumerate(lines_data)
    )
    number = top.get("number")
    if number is not None:
        with json_fields():
            number = normalize_manual_number(_text(number, "number"))
    content = InvoiceContent(
        contact_id=None,
        currency=currency,
        issue_date=issue_date,
        due_date=due_date,
        lines=lines,
        discount=_discount(top.get("discount"), currency),
        prices_include_tax=_bool(top.get("prices_include_tax", False), "prices_include_tax"),
        terms=_text(top.get("terms", defaults.terms), "terms"),
        notes=_text(top.get("notes", defaults.notes), "notes"),
        net_days=net_days,
    )
    with json_fields():
        content.check()
    issue = _bool(top.get("issue", False), "issue")
    return InvoiceRequest(_customer(top.get("customer")), content, number, issue)


def import_invoice(services: Services, data: object) -> ImportResult:
    """Check everything first, then create the customer (if new), the draft, and issue it.

    Each save is its own transaction, so every refusal the saves could meet is met before the
    first one: the content's rules and caps, the number, the customer, the printed page.
    """
    request = parse_invoice(data, services.settings.tax_rates(), services.invoices.new_content())
    content = request.content
    if request.issue:
        placeholder = 0 if request.customer else None
        with json_fields():
            replace(content, contact_id=placeholder).check_issuable()
    if request.number and services.invoices.number_taken(request.number):
        raise ConflictError(f"number: {request.number} is already used by another invoice")
    existing = _existing_customer(services, request.customer)
    if request.issue and request.customer is not None:
        buyer = existing or request.customer.details
        assert buyer is not None  # _existing_customer refuses an unknown email without details
        services.invoices.check_printable(content, buyer, request.number)
    contact_id, created = _resolve_customer(services, request.customer, existing)
    with json_fields():
        invoice_id = services.invoices.save_draft(
            replace(content, contact_id=contact_id), manual_number=request.number
        )
        number = services.invoices.issue(invoice_id).number if request.issue else None
    return ImportResult(invoice_id, number, contact_id, created)


def _find_by_email(services: Services, customer: CustomerRef) -> Contact | None:
    """The contact with this email; a malformed one is left for `create` to report with the rest."""
    if not customer.email:
        return None
    try:
        return services.contacts.find_by_email(customer.email)
    except ValidationError:
        if customer.details is None:
            raise
        return None


def _existing_customer(services: Services, customer: CustomerRef | None) -> Contact | None:
    """The contact the email names; an unknown email needs the details to create one."""
    if customer is None:
        return None
    with json_fields():
        existing = _find_by_email(services, customer)
    if existing is None and customer.details is None:
        raise ValidationError(
            "customer.email",
            f"no customer has the email '{customer.email}' (add first_name, last_name or "
            "company to create one)",
        )
    return existing


def _resolve_customer(
    services: Services, customer: CustomerRef | None, existing: Contact | None
) -> tuple[int | None, bool]:
    """An existing contact by email (its details are left as they are), or a new one."""
    if customer is None:
        return None, False
    if existing is not None:
        return existing.id, False
    assert customer.details is not None  # _existing_customer refused it otherwise
    with json_fields():
        return services.contacts.create(customer.details).id, True
