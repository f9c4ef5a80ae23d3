"""Printed-invoice wording per language, chosen from the business locale ('fr_FR' -> French)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True, slots=True)
class InvoiceLabels:
    """The fixed words of an invoice document in one language."""

    language: str
    title: str
    bill_to: str
    invoice_number: str
    issue_date: str
    due_date: str
    status: str
    description: str
    qty: str
    unit: str
    unit_price: str
    tax: str
    amount: str
    subtotal: str
    discount: str
    total: str
    paid: str
    balance_due: str
    terms: str
    notes: str
    page: str  # with {page} and {pages}
    draft: str
    cancelled: str
    reason: str
    tax_id: str
    statuses: dict[str, str] = field(default_factory=dict)  # InvoiceStatus value / 'overdue'
    space_before_colon: bool = False

    def colon(self, label: str) -> str:
        """'Total:' or, in French typography, 'Total TTC :'."""
        return f"{label} :" if self.space_before_colon else f"{label}:"

    def page_of(self, page: int, pages: int) -> str:
        return self.page.format(page=page, pages=pages)

    def status_label(self, key: str, fallback: str) -> str:
        return self.statuses.get(key, fallback)


_LABELS: dict[str, InvoiceLabels] = {
    "en": InvoiceLabels(
        language="en", title="Invoice", bill_to="Bill to", invoice_number="Invoice number",
        issue_date="Issue date", due_date="Due date", status="Status",
        description="Description", qty="Qty", unit="Unit", unit_price="Unit price", tax="Tax",
        amount="Amount", subtotal="Subtotal", discount="Discount", total="Total", paid="Paid",
        balance_due="Balance due", terms="Terms & conditions", notes="Notes",
        page="Page {page} of {pages}", draft="DRAFT", cancelled="CANCELLED", reason="Reason",
        tax_id="Tax ID",
        statuses={
            "draft": "Draft", "sent": "Sent", "viewed": "Viewed",
            "partially_paid": "Partially paid", "paid": "Paid", "cancelled": "Cancelled",
            "overdue": "Overdue",
        },
    ),
    "fr": InvoiceLabels(
        language="fr", title="Facture", bill_to="Facturé à", invoice_number="Numéro de facture",
        issue_date="Date d'émission", due_date="Date d'échéance", status="Statut",
        description="Description", qty="Qté", unit="Unité", unit_price="Prix unitaire",
        tax="TVA", amount="Montant", subtotal="Sous-total", discount="Remise",
        total="Total TTC", paid="Payé", balance_due="Reste à payer",
        terms="Conditions générales", notes="Notes", page="Page {page} sur {pages}",
        draft="BROUILLON", cancelled="ANNULÉE", reason="Motif", tax_id="N° TVA",
        statuses={
            "draft": "Brouillon", "sent": "Envoyée", "viewed": "Consultée",
            "partially_paid": "Partiellement payée", "paid": "Payée", "cancelled": "Annulée",
            "overdue": "En retard",
        },
        space_before_colon=True,
    ),
    "de": InvoiceLabels(
        language="de", title="Rechnung", bill_to="Rechnungsempfänger",
        invoice_number="Rechnungsnummer", issue_date="Rechnungsdatum",
        due_date="Fälligkeitsdatum", status="Status", description="Beschreibung",
        qty="Menge", unit="Einheit", unit_price="Einzelpreis", tax="MwSt.", amount="Betrag",
        subtotal="Zwischensumme", discount="Rabatt", total="Gesamtbetrag", paid="Bezahlt",
        balance_due="Offener Betrag", terms="Geschäftsbedingungen", notes="Anmerkungen",
        page="Seite {page} von {pages}", draft="ENTWURF", cancelled="STORNIERT",
        reason="Grund", tax_id="USt-IdNr.",
        statuses={
            "draft": "Entwurf", "sent": "Versendet", "viewed": "Angesehen",
            "partially_paid": "Teilweise bezahlt", "paid": "Bezahlt", "cancelled": "Storniert",
            "overdue": "Überfällig",
        },
    ),
    "es": InvoiceLabels(
        language="es", title="Factura", bill_to="Facturar a", invoice_number="Número de factura",
        issue_date="Fecha de emisión", due_date="Fecha de vencimiento", status="Estado",
        description="Descripción", qty="Cant.", unit="Unidad", unit_price="Precio unitario",
        tax="Impuesto", amount="Importe", subtotal="Subtotal", discount="Descuento",
        total="Total", paid="Pagado", balance_due="Saldo pendiente",
        terms="Términos y condiciones", notes="Notas", page="Página {page} de {pages}",
        draft="BORRADOR", cancelled="ANULADA", reason="Motivo", tax_id="NIF",
        statuses={
            "draft": "Borrador", "sent": "Enviada", "viewed": "Vista",
            "partially_paid": "Pagada parcialmente", "paid": "Pagada", "cancelled": "Anulada",
            "overdue": "Vencida",
        },
    ),
    "tr": InvoiceLabels(
        language="tr", title="Fatura", bill_to="Alıcı", invoice_number="Fatura numarası",
        issue_date="Düzenleme tarihi", due_date="Son ödeme tarihi", status="Durum",
        description="Açıklama", qty="Miktar", unit="Birim", unit_price="Birim fiyat",
        tax="Vergi", amount="Tutar", subtotal="Ara toplam", discount="İndirim",
        total="Genel toplam", paid="Ödenen", balance_due="Kalan tutar",
        terms="Şartlar ve koşullar", notes="Notlar", page="Sayfa {page} / {pages}",
        draft="TASLAK", cancelled="İPTAL EDİLDİ", reason="Neden", tax_id="Vergi No",
        statuses={
            "draft": "Taslak", "sent": "Gönderildi", "viewed": "Görüntülendi",
            "partially_paid": "Kısmen ödendi", "paid": "Ödendi", "cancelled": "İptal edildi",
            "overdue": "Vadesi geçti",
        },
    ),
    "it": InvoiceLabels(
        language="it", title="Fattura", bill_to="Intestata a", invoice_number="Numero fattura",
        issue_date="Data di emissione", due_date="Data di scadenza", status="Stato",
        description="Descrizione", qty="Q.tà", unit="Unità", unit_price="Prezzo unitario",
        tax="IVA", amount="Importo", subtotal="Subtotale", discount="Sconto", total="Totale",
        paid="Pagato", balance_due="Saldo dovuto", terms="Termini e condizioni", notes="Note",
        page="Pagina {page} di {pages}", draft="BOZZA", cancelled="ANNULLATA",
        reason="Motivo", tax_id="P. IVA",
        statuses={
            "draft": "Bozza", "sent": "Inviata", "viewed": "Visualizzata",
            "partially_paid": "Pagata in parte", "paid": "Pagata", "cancelled": "Annullata",
            "overdue": "Scaduta",
        },
    ),
    "pt": InvoiceLabels(
        language="pt", title="Fatura", bill_to="Faturar a", invoice_number="Número da fatura",
        issue_date="Data de emissão", due_date="Data de vencimento", status="Estado",
        description="Descrição", qty="Qtd.", unit="Unidade", unit_price="Preço unitário",
        tax="Imposto", amount="Valor", subtotal="Subtotal", discount="Desconto",
        total="Total", paid="Pago", balance_due="Valor em dívida",
        terms="Termos e condições", notes="Notas", page="Página {page} de {pages}",
        draft="RASCUNHO", cancelled="CANCELADA", reason="Motivo", tax_id="NIF",
        statuses={
            "draft": "Rascunho", "sent": "Enviada", "viewed": "Visualizada",
            "partially_paid": "Paga parcialmente", "paid": "Paga", "cancelled": "Cancelada",
            "overdue": "Vencida",
        },
    ),
    "nl": InvoiceLabels(
        language="nl", title="Factuur", bill_to="Factuur aan", invoice_number="Factuurnummer",
        issue_date="Factuurdatum", due_date="Vervaldatum", status="Status",
        description="Omschrijving", qty="Aantal", unit="Eenheid", unit_price="Stukprijs",
        tax="Btw", amount="Bedrag", subtotal="Subtotaal", discount="Korting", total="Totaal",
        paid="Betaald", balance_due="Openstaand bedrag", terms="Voorwaarden",
        notes="Opmerkingen", page="Pagina {page} van {pages}", draft="CONCEPT",
        cancelled="GEANNULEERD", reason="Reden", tax_id="Btw-nummer",
        statuses={
            "draft": "Concept", "sent": "Verzonden", "viewed": "Bekeken",
            "partially_paid": "Deels betaald", "paid": "Betaald", "cancelled": "Geannuleerd",
            "overdue": "Achterstallig",
        },
    ),
}  # fmt: skip

SUPPORTED_LANGUAGES: tuple[str, ...] = tuple(_LABELS)


def language_of(locale: str) -> str:
    """'fr_FR', 'fr-CA' or 'FR' -> 'fr'; a language without labels falls back to English."""
    language = locale.replace("-", "_").split("_", 1)[0].strip().lower()
    return language if language in _LABELS else DEFAULT_LANGUAGE


def invoice_labels(locale: str, document_title: str = "") -> InvoiceLabels:
    """The label set for a business locale; a non-empty `document_title` replaces the title."""
    labels = _LABELS[language_of(locale)]
    title = document_title.strip()
    if not title:
        return labels
    return replace(labels, title=title)
