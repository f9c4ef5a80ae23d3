"""A realistic demo book (settings, customers, invoices in every status) built via the services."""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from importlib import resources
from typing import Any

from leadcartel_desktop.domain.contact import Address, Contact
from leadcartel_desktop.domain.errors import ConflictError
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.invoice_status import StatusFilter
from leadcartel_desktop.domain.money import exponent, round_half_up, to_minor
from leadcartel_desktop.domain.payments import PaymentMethod
from leadcartel_desktop.domain.taxes import TaxRate
from leadcartel_desktop.domain.totals import (
    NO_DISCOUNT,
    Discount,
    DiscountKind,
    DiscountTiming,
    LineItem,
)
from leadcartel_desktop.services.registry import Services
from leadcartel_desktop.services.views import InvoiceQuery

SEED = 20260310
TAX_RATES = (
    TaxRate("VAT", Decimal(20)),
    TaxRate("Reduced", Decimal(10)),
    TaxRate("Super-reduced", Decimal("5.5")),
    TaxRate("Eco levy", Decimal(2), compound=True),
)
# How many invoices end in each state; the overdue ones are open and past their due date.
MIX: Mapping[str, int] = {
    "draft": 14, "sent": 16, "viewed": 12, "partial": 16, "paid": 50, "cancelled": 10,
    "overdue_sent": 12, "overdue_viewed": 8, "overdue_partial": 12,
}  # fmt: skip
# How long ago invoices of each kind were issued; open ones stay within the shortest terms.
_DAYS_BACK = {
    "draft": (0, 6), "sent": (0, 13), "viewed": (0, 13), "partial": (0, 13),
    "paid": (3, 365), "cancelled": (3, 330),
}  # fmt: skip
_FROM_EUR = {"EUR": Decimal(1), "GBP": Decimal("0.86"), "USD": Decimal("1.08")}
_QUANTITY = {
    "hour": (2, 40), "word": (800, 6000), "photo": (10, 120), "copy": (100, 1500),
    "guest": (8, 60), "page": (2, 20), "month": (1, 6), "night": (1, 4), "licence": (1, 12),
}  # fmt: skip
_METHODS = (
    [PaymentMethod.BANK_TRANSFER] * 5
    + [PaymentMethod.CARD] * 3
    + [PaymentMethod.CHECK, PaymentMethod.CASH, PaymentMethod.ONLINE, PaymentMethod.OTHER]
)
_CANCEL_REASONS = (
    "Duplicate of another invoice",
    "Customer cancelled the order",
    "Wrong billing address: reissued",
    "Price agreed was different: corrected invoice issued",
)

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What was loaded; `statuses` counts invoices per list filter (Overdue included)."""

    contacts: int = 0
    invoices: int = 0
    payments: int = 0
    deals: int = 0
    statuses: Mapping[str, int] = field(default_factory=dict)
    currencies: tuple[str, ...] = ()
    cancelled: bool = False


class _CancelledError(Exception):
    """Raised between steps when should_cancel() turns true."""


def _resource(name: str) -> Any:
    path = resources.files("leadcartel_desktop").joinpath("resources", "demo", name)
    return json.loads(path.read_text(encoding="utf-8"))


def load_demo(
    services: Services,
    progress: Progress | None = None,
    should_cancel: Callable[[], bool] | None = None,
    *,
    seed: int = SEED,
) -> DemoSummary:
    """Fill an empty book with demo data; a cancel keeps what was made so far."""
    if services.contacts.count() or services.invoice_list.invoice_count():
        raise ConflictError("Demo data goes into an empty book: this one has customers or invoices")
    builder = _DemoBuilder(services, random.Random(seed), progress, should_cancel)
    return builder.run(_resource("customers.json"), _resource("catalog.json"))


class _DemoBuilder:
    def __init__(
        self,
        services: Services,
        rng: random.Random,
        progress: Progress | None,
        should_cancel: Callable[[], bool] | None,
    ) -> None:
        self._services = services
        self._rng = rng
        self._progress = progress
        self._should_cancel = should_cancel or (lambda: False)
        self._done = 0
        self._total = 0
        self._customers: list[tuple[int, str]] = []
        self._invoices = 0
        self._payments = 0
        self._currencies: Counter[str] = Counter()
        self._terms = ""
        self._deals_made = 0

    def run(self, customers: list[dict[str, Any]], catalog: list[dict[str, Any]]) -> DemoSummary:
        # The last two steps: the deals, then the conversations.
        self._total = 1 + len(customers) + sum(MIX.values()) + 2
        try:
            self._step(self._settings)
            for customer in customers:
                self._step(lambda customer=customer: self._customer(customer))
            today = self._services.invoices.today()
            plans = [kind for kind, count in MIX.items() for _ in range(count)]
            dated = sorted(
                ((self._issue_date(kind, today), index, kind) for index, kind in enumerate(plans)),
            )
            for issue_date, _, kind in dated:
                self._step(lambda i=issue_date, k=kind: self._invoice(k, i, today, catalog))
            self._step(lambda: self._deals(today))
            self._step(self._conversations)
        except _CancelledError:
            return self._summary(cancelled=True)
        return self._summary(cancelled=False)

    def _step(self, action: Callable[[], None]) -> None:
        if self._should_cancel():
            raise _CancelledError
        action()
        self._done += 1
        if self._progress is not None:
            self._progress(self._done, self._total)

    def _summary(self, cancelled: bool) -> DemoSummary:
        today = self._services.invoice_list.today()
        statuses = {
            status.value: len(self._services.invoice_list.invoice_ids(InvoiceQuery(status), today))
            for status in StatusFilter
            if status is not StatusFilter.ALL
        }
        return DemoSummary(
            contacts=len(self._customers),
            invoices=self._invoices,
            payments=self._payments,
            deals=self._deals_made,
            statuses=statuses,
            currencies=tuple(sorted(self._currencies)),
            cancelled=cancelled,
        )

    def _settings(self) -> None:
        business = replace(
            self._services.settings.business(),
            company_name="Atelier Lumen SAS",
            address=Address("8 rue Paul Bert", "Lyon", "Auvergne-Rhône-Alpes", "69003", "France"),
            email="bonjour@atelier-lumen.example",
            phone="+33 4 78 62 15 90",
            tax_id="FR 40 123 456 789",
            default_currency="EUR",
            time_zone="Europe/Paris",
            default_country="FR",
            number_format="INV-{YYYY}-{SEQ:4}",
            payment_terms_days=30,
            default_terms=(
                "Payment within 30 days by bank transfer (IBAN FR76 3000 6000 0112 3456 7890 189)."
                " Late payments bear interest at three times the legal rate and a fixed recovery"
                " fee of 40 EUR."
            ),
            default_notes="Thank you for your business!",
            locale="en_GB",
        )
        self._terms = self._services.settings.save_business(business).default_terms
        self._services.settings.save_tax_rates(TAX_RATES)

    def _deals(self, today: date) -> None:
        from leadcartel_desktop.services.demo_deals import load_demo_deals

        self._deals_made = load_demo_deals(self._services, self._customers, self._rng, today)

    def _conversations(self) -> None:
        from leadcartel_desktop.services.demo_conversations import load_demo_conversations

        ids = [contact_id for contact_id, _currency in self._customers]
        load_demo_conversations(self._services, ids, self._rng)

    def _customer(self, data: dict[str, Any]) -> None:
        contact = Contact(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            phone=data["phone"],
            company=data["company"],
            address=Address(**data["address"]),
        )
        created = self._services.contacts.create(contact)
        assert created.id is not None
        self._customers.append((created.id, data["currency"]))

    def _issue_date(self, kind: str, today: date) -> date:
        low, high = _DAYS_BACK.get(kind, (61, 200))  # overdue: past even Net 60
        return today - timedelta(days=self._rng.randint(low, high))

    def _invoice(self, kind: str, issue_date: date, today: date, catalog: list[Any]) -> None:
        rng, invoices = self._rng, self._services.invoices
        contact_id, preferred = rng.choice(self._customers)
        currency = preferred if rng.random() < 0.85 else rng.choice(sorted(_FROM_EUR))
        net = rng.choice((14, 30, 30, 30, 45, 60))
        content = self._content(contact_id, currency, issue_date, net, catalog)
        invoice_id = invoices.save_draft(content)
        self._invoices += 1
        self._currencies[currency] += 1
        if kind == "draft":
            return
        total = invoices.issue(invoice_id).totals().total
        if kind.endswith("viewed") or (kind.endswith(("partial", "paid")) and rng.random() < 0.5):
            invoices.mark_viewed(invoice_id)
        if kind == "cancelled":
            invoices.cancel(invoice_id, rng.choice(_CANCEL_REASONS))
        elif kind.endswith("partial"):
            share = total * rng.randint(20, 70) // 100
            self._pay(invoice_id, share or total // 2, currency, issue_date, today)
        elif kind == "paid":
            last_day = min(today, content.due_date + timedelta(days=20))
            self._pay(invoice_id, total, currency, issue_date, last_day)

    def _content(
        self, contact_id: int, currency: str, issue_date: date, net: int, catalog: list[Any]
    ) -> InvoiceContent:
        rng = self._rng
        rates = {rate.name: rate for rate in TAX_RATES}
        items = rng.sample(catalog, rng.choice((1, 1, 2, 2, 3, 3, 4, 5, 6)))
        lines = tuple(
            LineItem(
                description=item["description"],
                quantity=self._quantity(item["unit"]),
                unit_price=self._price(item["price"], currency),
                taxes=tuple(rates[name] for name in item["taxes"]),
                unit=item["unit"],
            )
            for item in items
        )
        notes = "Thank you for your business!"
        if rng.random() < 0.3:
            notes = f"Purchase order PO-{rng.randint(1000, 9999)}. {notes}"
        return InvoiceContent(
            contact_id=contact_id,
            currency=currency,
            issue_date=issue_date,
            due_date=issue_date + timedelta(days=net),
            lines=lines,
            discount=self._discount(lines, currency),
            prices_include_tax=rng.random() < 0.12,
            terms=self._terms if rng.random() < 0.8 else "",
            notes=notes,
            net_days=net,
        )

    def _quantity(self, unit: str) -> Decimal:
        low, high = _QUANTITY.get(unit, (1, 3))
        if unit == "hour":
            return Decimal(self._rng.randint(low * 2, high * 2)) / 2
        if unit == "word":
            return Decimal(self._rng.randrange(low, high, 50))
        return Decimal(self._rng.randint(low, high))

    @staticmethod
    def _price(eur: str, currency: str) -> int:
        minor = Decimal(to_minor(Decimal(eur), "EUR")) * _FROM_EUR[currency]
        if minor >= 2000:  # round larger prices to half units, as price lists do
            return round_half_up(minor / 50) * 50
        return round_half_up(minor)

    def _discount(self, lines: tuple[LineItem, ...], currency: str) -> Discount:
        rng = self._rng
        roll = rng.random()
        if roll > 0.25:
            return NO_DISCOUNT
        timing = DiscountTiming.AFTER_TAX if rng.random() < 0.35 else DiscountTiming.BEFORE_TAX
        if roll < 0.15:
            return Discount(DiscountKind.PERCENT, timing, percent=Decimal(rng.choice((5, 10, 15))))
        unit = 5 * 10 ** exponent(currency)
        amount = sum(line.amount for line in lines) // 20 // unit * unit
        return Discount(DiscountKind.AMOUNT, timing, amount=amount) if amount else NO_DISCOUNT

    def _pay(self, invoice_id: int, amount: int, currency: str, first: date, last: date) -> None:
        rng = self._rng
        unit = 10 ** exponent(currency)
        parts: list[int] = []
        remaining = amount
        for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):
            share = remaining * rng.randint(25, 60) // 100 // unit * unit
            if share <= 0:
                break
            parts.append(share)
            remaining -= share
        parts.append(remaining)
        span = max((last - first).days, 0)
        days = sorted(rng.randint(0, span) for _ in parts)
        for part, day in zip(parts, days, strict=True):
            method = rng.choice(_METHODS)
            self._services.payments.record(
                invoice_id, part, first + timedelta(days=day), method, self._reference(method)
            )
            self._payments += 1

    def _reference(self, method: PaymentMethod) -> str:
        rng = self._rng
        if method is PaymentMethod.BANK_TRANSFER:
            return f"SEPA-{rng.randint(100000, 999999)}"
        if method is PaymentMethod.CHECK:
            return f"Cheque {rng.randint(1000000, 9999999)}"
        if method is PaymentMethod.CARD:
            return f"Card ending {rng.randint(1000, 9999)}"
        if method is PaymentMethod.ONLINE:
            return f"pay_{rng.getrandbits(48):012x}"
        return ""
