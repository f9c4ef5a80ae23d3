"""Invoice labels per language, picked from the business locale."""

from __future__ import annotations

import pytest

from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.i18n.labels import (
    SUPPORTED_LANGUAGES,
    InvoiceLabels,
    invoice_labels,
    language_of,
)


@pytest.mark.parametrize(
    ("locale", "language"),
    [("fr_FR", "fr"), ("fr-CA", "fr"), ("de_AT", "de"), ("tr_TR", "tr"), ("es", "es"),
     ("EN_gb", "en"), ("ja_JP", "en"), ("", "en")],
)  # fmt: skip
def test_language_comes_from_the_locale(locale: str, language: str) -> None:
    assert language_of(locale) == language


def test_required_languages_are_there() -> None:
    assert {"en", "fr", "de", "es", "tr"} <= set(SUPPORTED_LANGUAGES)


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_label_set_is_complete(language: str) -> None:
    labels = invoice_labels(language)
    for name in InvoiceLabels.__slots__:
        value = getattr(labels, name)
        if isinstance(value, str):
            assert value.strip(), name
    assert labels.page_of(2, 5).count("2") == 1 and "5" in labels.page_of(2, 5)
    expected = {status.value for status in InvoiceStatus} | {"overdue"}
    assert set(labels.statuses) == expected


def test_french_wording_and_colon() -> None:
    labels = invoice_labels("fr_FR")
    assert labels.title == "Facture"
    assert labels.total == "Total TTC"
    assert labels.colon(labels.total) == "Total TTC :"
    assert invoice_labels("en_US").colon("Total") == "Total:"
    assert labels.page_of(1, 3) == "Page 1 sur 3"


def test_document_title_replaces_the_title_only() -> None:
    labels = invoice_labels("tr_TR", "  FATURA / İade ")
    assert labels.title == "FATURA / İade"
    assert labels.total == invoice_labels("tr_TR").total
    assert invoice_labels("tr_TR", "   ").title == "Fatura"
