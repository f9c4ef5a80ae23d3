"""The Lead Cartel cloud adapter against the sandbox's cloud: messages, contacts, invoices."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.invoice import Invoice, InvoiceContent
from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.domain.outbox import Channel, OutcomeKind
from leadcartel_desktop.domain.payments import PaymentMethod
from leadcartel_desktop.domain.providers import ProviderKind
from leadcartel_desktop.domain.taxes import TaxRate
from leadcartel_desktop.domain.totals import Discount, DiscountKind, LineItem
from leadcartel_desktop.providers.cloud import CloudClient, CloudError
from leadcartel_desktop.providers.cloud_invoices import invoice_body
from leadcartel_desktop.providers.cloud_messages import CloudMessageProvider
from leadcartel_desktop.providers.factory import DefaultProviderFactory
from leadcartel_desktop.sandbox import FaultKind, Sandbox
from tests.integration.provider_support import (
    HOLD_SECONDS,
    factory,
    login_page_server,
    row,
    sandbox_secrets,
    sandbox_settings,
)

NUMBER = "+6591234567"
CUSTOMER = Contact(first_name="Ann", last_name="Lee", email="ann@example.com", phone=NUMBER)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    with Sandbox(tmp_path_factory.mktemp("sandbox")) as running:
        yield running


@pytest.fixture(autouse=True)
def clean(sandbox: Sandbox) -> None:
    sandbox.reset()


@pytest.fixture
def providers() -> Iterator[DefaultProviderFactory]:
    built = factory()
    yield built
    built.close()


@pytest.fixture
def client(sandbox: Sandbox, providers: DefaultProviderFactory) -> CloudClient:
    return providers.cloud_client(sandbox_settings(sandbox), sandbox_secrets(sandbox))


def messages(sandbox: Sandbox, providers: DefaultProviderFactory, channel: Channel = Channel.SMS):
    settings = sandbox_settings(sandbox, email=ProviderKind.CLOUD, sms=ProviderKind.CLOUD,
                                whatsapp=ProviderKind.CLOUD)  # fmt: skip
    provider = providers.provider_for(channel, settings, sandbox_secrets(sandbox))
    assert isinstance(provider, CloudMessageProvider)
    return provider


def sent(sandbox: Sandbox, kind: str = "sms") -> list[dict[str, object]]:
    return [item.data for item in sandbox.received("cloud", kind)]


def test_an_sms_through_the_cloud_upserts_the_contact_then_sends(
    sandbox: Sandbox, providers: DefaultProviderFactory
):
    message = row(Channel.SMS, NUMBER, {"body": "Invoice INV-1", "contact": {"first_name": "Ann"}})
    outcome = messages(sandbox, providers).send(message)
    assert outcome.kind is OutcomeKind.ACCEPTED
    (contact,) = sandbox.received("cloud", "contact.upsert")
    assert (contact.data["phone"], contact.data["firstName"]) == (NUMBER, "Ann")
    (kept,) = sent(sandbox)
    assert (kept["id"], kept["body"], kept["contactId"]) == (
        outcome.provider_id,
        "Invoice INV-1",
        contact.data["id"],
    )


def test_an_email_through_the_cloud_carries_subject_and_html(
    sandbox: Sandbox, providers: DefaultProviderFactory
):
    payload = {"body": "Your invoice", "subject": "Invoice INV-2", "html": "<p>Your invoice</p>"}
    outcome = messages(sandbox, providers, Channel.EMAIL).send(
        row(Channel.EMAIL, "ann@example.com", payload)
    )
    assert outcome.kind is OutcomeKind.ACCEPTED
    (kept,) = sent(sandbox, "email")
    assert (kept["subject"], kept["html"], kept["to"]) == (
        "Invoice INV-2",
        "<p>Your invoice</p>",
        "ann@example.com",
    )


def test_the_same_idempotency_key_is_one_message(
    sandbox: Sandbox, providers: DefaultProviderFactory, client: CloudClient
):
    contact_id = client.upsert_contact(CUSTOMER)
    message = row(Channel.SMS, NUMBER, {"body": "Once", "cloud_contact_id": contact_id}, key="k9")
    provider = messages(sandbox, providers)
    first, second = provider.send(message), provider.send(message)
    assert first == second
    assert len(sent(sandbox)) == 1


def test_a_500_is_ambiguous_and_the_cloud_kept_nothing(
    sandbox: Sandbox, providers: DefaultProviderFactory, client: CloudClient
):
    contact_id = client.upsert_contact(CUSTOMER)
    sandbox.controls("cloud").fail_next(FaultKind.SERVER_ERROR)
    message = row(Channel.SMS, NUMBER, {"body": "Hi", "cloud_contact_id": contact_id})
    assert messages(sandbox, providers).send(message).kind is OutcomeKind.AMBIGUOUS
    assert sent(sandbox) == []


@pytest.mark.parametrize("retry_after", ["7", "Wed, 01 Jan 2098 00:00:00 GMT"])
def test_429_is_retried_after_the_given_wait(
    sandbox: Sandbox, providers: DefaultProviderFactory, client: CloudClient, retry_after: str
):
    contact_id = client.upsert_contact(CUSTOMER)
    sandbox.controls("cloud").fail_next(FaultKind.RATE_LIMIT, retry_after=retry_after)
    message = row(Channel.SMS, NUMBER, {"body": "Hi", "cloud_contact_id": contact_id})
    outcome = messages(sandbox, providers).send(message)
    assert outcome.kind is OutcomeKind.RETRY
    assert outcome.retry_after_seconds is not None and outcome.retry_after_seconds >= 7


def test_accepted_then_timed_out_is_reconciled_by_listing_the_contacts_messages(
    sandbox: Sandbox, providers: DefaultProviderFactory, client: CloudClient
):
    contact_id = client.upsert_contact(CUSTOMER)
    sandbox.controls("cloud").fail_next(FaultKind.ACCEPT_THEN_TIMEOUT, hold_seconds=HOLD_SECONDS)
    message = row(Channel.SMS, NUMBER, {"body": "Invoice INV-3", "cloud_contact_id": contact_id})
    provider = messages(sandbox, providers)
    assert provider.send(message).kind is OutcomeKind.AMBIGUOUS
    found = provider.reconcile(message)
    (kept,) = sent(sandbox)
    assert found is not None and (found.kind, found.provider_id) == (
        OutcomeKind.ACCEPTED,
        kept["id"],
    )
    other = row(Channel.SMS, NUMBER, {"body": "Not sent", "cloud_contact_id": contact_id})
    assert provider.reconcile(other) is None


def test_wrong_token_gets_the_wrong_credentials_message(
    sandbox: Sandbox, providers: DefaultProviderFactory
):
    secrets = sandbox_secrets(sandbox)
    secrets.values["cloud_private_integration_token"] = "pit-wrong"
    settings = sandbox_settings(sandbox, sms=ProviderKind.CLOUD)
    provider = providers.provider_for(Channel.SMS, settings, secrets)
    outcome = provider.send(row(Channel.SMS, NUMBER, {"body": "Hi"}))
    assert outcome.kind is OutcomeKind.CREDENTIALS  # the account, not the message
    assert outcome.message.startswith("The Lead Cartel cloud refused the credentials")
    with pytest.raises(UserFacingError, match="refused the credentials"):
        provider.check()


def test_check_names_the_location(sandbox: Sandbox, providers: DefaultProviderFactory):
    assert messages(sandbox, providers).check() == (
        "Connected to the Lead Cartel cloud location 'Lead Cartel sandbox'."
    )


def test_a_self_signed_cloud_is_refused(tmp_path: Path, providers: DefaultProviderFactory):
    with Sandbox(tmp_path / "untrusted", untrusted=True) as untrusted:
        settings = sandbox_settings(untrusted, sms=ProviderKind.CLOUD)
        provider = providers.provider_for(Channel.SMS, settings, sandbox_secrets(untrusted))
        outcome = provider.send(row(Channel.SMS, NUMBER, {"body": "Hi"}))
        assert (outcome.kind, outcome.code) == (OutcomeKind.PERMANENT, "tls")
        assert untrusted.received() == []


def issued_invoice() -> Invoice:
    vat = TaxRate("VAT", Decimal("7.7"))
    content = InvoiceContent(
        contact_id=1,
        currency="CHF",
        issue_date=date(2026, 3, 1),
        due_date=date(2026, 3, 31),
        lines=(
            LineItem("Design work\nTwo rounds of changes", Decimal("3"), 1999, (vat,), "h"),
            LineItem("Hosting", Decimal("0.5"), 1000, (vat,)),
        ),
        discount=Discount(DiscountKind.PERCENT, percent=Decimal("10")),
        terms="Net 30",
    )
    return Invoice(id=7, content=content, status=InvoiceStatus.SENT, number="INV-0007")


def test_an_invoice_goes_up_with_exact_decimal_amounts(sandbox: Sandbox, client: CloudClient):
    contact_id = client.upsert_contact(CUSTOMER)
    business = BusinessSettings(company_name="Müller Design GmbH", phone="+41441234567")
    body = invoice_body(issued_invoice(), CUSTOMER, contact_id, business, live_mode=False)
    state = client.create_invoice(body, idempotency_key="inv-7-create")
    (created,) = sandbox.received("cloud", "invoice.create")
    items = created.data["invoiceItems"]
    assert [item["amount"] for item in items] == [Decimal("19.99"), Decimal("10.00")]
    assert [item["qty"] for item in items] == [Decimal("3"), Decimal("0.5")]
    assert items[0]["name"] == "Design work"
    assert created.data["discount"] == {"type": "percentage", "value": Decimal("10")}
    assert created.data["invoiceNumber"] == "INV-0007"
    assert (state.status, state.number, state.currency) == ("draft", "INV-0007", "CHF")
    # The sandbox's own arithmetic: (59.97 + 5.00) less 10%, plus 7.7% VAT = 62.9754 -> 62.98
    assert state.total == 6298 and state.amount_due == 6298
    again = client.create_invoice(body, idempotency_key="inv-7-create")
    assert again.id == state.id and len(sandbox.received("cloud", "invoice.create")) == 1


def test_an_invoice_is_sent_paid_in_part_and_read_back(sandbox: Sandbox, client: CloudClient):
    contact_id = client.upsert_contact(CUSTOMER)
    body = invoice_body(issued_invoice(), CUSTOMER, contact_id, BusinessSettings(company_name="X"),
                        live_mode=False)  # fmt: skip
    created = client.create_invoice(body, idempotency_key="c")
    client.send_invoice(created.id, live_mode=False, idempotency_key="s")
    paid = client.record_payment(created.id, 1000, "CHF", PaymentMethod.BANK_TRANSFER,
                                 notes="bank ref 42", idempotency_key="p")  # fmt: skip
    assert (paid.status, paid.amount_paid, paid.amount_due) == ("partially_paid", 1000, 5298)
    read = client.get_invoice(created.id)
    assert read == paid
    assert read.url.startswith(sandbox.cloud_url) and not read.viewed
    (payment,) = sandbox.received("cloud", "invoice.record_payment")
    assert payment.data["amountPaid"] == Decimal("10.00")
    with pytest.raises(CloudError, match="cannot be voided"):
        client.void_invoice(created.id, idempotency_key="v")
    assert [state.id for state in client.find_invoices("INV-0007")] == [created.id]


def test_a_draft_can_be_voided(sandbox: Sandbox, client: CloudClient):
    contact_id = client.upsert_contact(CUSTOMER)
    body = invoice_body(issued_invoice(), CUSTOMER, contact_id, BusinessSettings(company_name="X"),
                        live_mode=False)  # fmt: skip
    created = client.create_invoice(body, idempotency_key="c2")
    assert client.void_invoice(created.id, idempotency_key="v2").status == "void"


def test_a_call_refused_by_the_cloud_says_why(client: CloudClient):
    with pytest.raises(CloudError) as refused:
        client.get_invoice("does-not-exist")
    assert refused.value.outcome.kind is OutcomeKind.PERMANENT
    assert "Invoice not found" in refused.value.message


def test_an_answer_that_is_not_the_clouds_is_told_plainly(
    sandbox: Sandbox, providers: DefaultProviderFactory
):
    with login_page_server() as url:
        settings = sandbox_settings(sandbox)
        settings = replace(settings, cloud=replace(settings.cloud, base_url=url))
        client = providers.cloud_client(settings, sandbox_secrets(sandbox))
        with pytest.raises(CloudError, match="could not be read") as told:
            client.location_name()
    assert told.value.outcome.kind is OutcomeKind.AMBIGUOUS
