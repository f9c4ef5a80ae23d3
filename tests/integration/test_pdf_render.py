"""Real invoice PDFs, read back with poppler (pdftotext, pdffonts, pdftohtml, pdftoppm)."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.contact import Address, Contact
from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.domain.taxes import TaxRate
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.pdf.glyphs import MissingGlyphsError
from leadcartel_desktop.pdf.renderer import FpdfInvoiceRenderer
from leadcartel_desktop.pdf.samples import (
    SAMPLE_BUSINESS,
    VAT_20,
    sample_document,
    sample_lines,
    sample_payment,
)
from leadcartel_desktop.services.views import InvoiceDocument

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils is not installed"
)

FRENCH = replace(SAMPLE_BUSINESS, locale="fr_FR", default_currency="EUR")
TURKISH_CUSTOMER = Contact(
    first_name="Mehmet",
    last_name="Öztürk",
    company="Ağaç İşleri Ltd. Şti.",
    email="mehmet@agac.example",
    phone="+905321234567",
    address=Address("Cumhuriyet Cd. No:5", "Iğdır", "", "76000", "Türkiye"),
    id=3,
)


@pytest.fixture(scope="module")
def renderer() -> FpdfInvoiceRenderer:
    return FpdfInvoiceRenderer()


def write(tmp_path: Path, data: bytes, name: str = "invoice.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def run(*command: str | Path) -> str:
    result = subprocess.run(
        [str(part) for part in command], capture_output=True, check=True, timeout=60
    )
    return result.stdout.decode("utf-8")


def text_of(path: Path, layout: bool = False) -> str:
    return run("pdftotext", *(["-layout"] if layout else []), "-enc", "UTF-8", path, "-")


def render_text(renderer: FpdfInvoiceRenderer, document: InvoiceDocument, tmp_path: Path) -> str:
    return text_of(write(tmp_path, renderer.render(document)))


def total_of_4399_99(business: BusinessSettings, **kwargs: object) -> InvoiceDocument:
    """One line of 3,666.66 + 20% VAT = 4,399.99."""
    line = LineItem("Consulting — March", Decimal(1), 366_666, (VAT_20,), "day")
    document = sample_document((line,), business=business, **kwargs)  # type: ignore[arg-type]
    assert document.totals.total == 439_999
    return document


def test_french_grand_total_is_one_run_with_narrow_and_no_break_spaces(renderer, tmp_path):
    path = write(tmp_path, renderer.render(total_of_4399_99(FRENCH)))
    expected = "Total TTC : 4\u202f399,99\u00a0€"
    assert expected in text_of(path)
    assert expected in text_of(path, layout=True)


def test_english_grand_total(renderer, tmp_path):
    text = render_text(renderer, total_of_4399_99(SAMPLE_BUSINESS), tmp_path)
    assert "Total: €4,399.99" in text
    assert "Balance due" in text


def test_em_dash_and_turkish_text_survive(renderer, tmp_path):
    document = total_of_4399_99(FRENCH, customer=TURKISH_CUSTOMER)
    text = render_text(renderer, document, tmp_path)
    assert "Consulting — March" in text
    assert "Ağaç İşleri Ltd. Şti." in text
    assert "76000 Iğdır" in text
    assert "Mehmet Öztürk" in text


def fonts_by_text(path: Path) -> dict[str, str]:
    """Each text run of page 1 -> the font family poppler saw it drawn with."""
    root = ET.fromstring(run("pdftohtml", "-xml", "-i", "-stdout", "-f", "1", "-l", "1", path))
    families = {spec.get("id"): spec.get("family", "") for spec in root.iter("fontspec")}
    return {
        "".join(element.itertext()).strip(): families[element.get("font")]
        for element in root.iter("text")
    }


def test_document_title_replaces_the_title_and_is_drawn_bold(renderer, tmp_path):
    business = replace(FRENCH, document_title="FATURA / İade")
    document = total_of_4399_99(business, customer=TURKISH_CUSTOMER)
    path = write(tmp_path, renderer.render(document))
    fonts = fonts_by_text(path)
    assert "FATURA / İade" in fonts
    assert "Bold" in fonts["FATURA / İade"]
    assert "Bold" not in fonts["Ağaç İşleri Ltd. Şti."]  # the check can tell the two apart
    assert "Facture" not in text_of(path)


def test_sixty_long_lines_flow_over_pages_with_repeated_headers(renderer, tmp_path):
    lines = sample_lines(60, long_descriptions=True)
    path = write(tmp_path, renderer.render(sample_document(lines)))
    text = text_of(path)
    pages = text.split("\f")[:-1]
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
    assert sum("Description" in page for page in pages) >= 3  # header repeated
    words = set(re.findall(r"[\w,:]+", text))
    for line in lines:
        assert set(re.findall(r"[\w,:]+", line.description)) <= words, line.description
    layout = text_of(path, layout=True)
    assert "Total: €" in layout


def test_a_description_longer_than_a_page_is_split_not_truncated(renderer, tmp_path):
    words = [f"word{index:04d}" for index in range(700)]
    lines = (
        LineItem("Short first line", Decimal(1), 1000),
        LineItem(" ".join(words), Decimal(2), 2500, unit="set"),
        LineItem("Short last line", Decimal(1), 1000),
    )
    text = render_text(renderer, sample_document(lines), tmp_path)
    found = re.findall(r"word\d{4}", text)
    assert found == words
    assert text.count("\f") >= 2
    assert "Short last line" in text


def test_an_emoji_is_refused_and_named(renderer):
    lines = (
        LineItem("Consulting", Decimal(1), 1000),
        LineItem("Party 😀 supplies", Decimal(1), 1000),
    )
    with pytest.raises(MissingGlyphsError) as caught:
        renderer.render(sample_document(lines))
    assert isinstance(caught.value, UserFacingError)
    assert "'😀' (U+1F600) in item 2 description" in caught.value.message
    assert caught.value.characters == ["😀"]


def test_every_font_is_embedded(renderer, tmp_path):
    document = sample_document(status=InvoiceStatus.DRAFT)
    report = run("pdffonts", write(tmp_path, renderer.render(document)))
    rows = report.splitlines()[2:]
    assert len(rows) == 2
    for row in rows:
        emb, sub, uni = row.split()[4:7]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row
    assert any("Bold" in row.split()[0] for row in rows)


def test_yen_amounts_have_no_decimals(renderer, tmp_path):
    lines = (LineItem("Tea ceremony", Decimal(3), 12_345), LineItem("Kimono", Decimal(1), 99_000))
    document = sample_document(lines, currency="JPY", business=SAMPLE_BUSINESS)
    text = render_text(renderer, document, tmp_path)
    amounts = re.findall(r"¥[\d,.]+", text)
    assert "¥12,345" in amounts
    assert "Total: ¥136,035" in text
    assert not [amount for amount in amounts if "." in amount]


def test_a_draft_is_marked_and_prints_no_number_from_the_series(renderer, tmp_path):
    document = sample_document(status=InvoiceStatus.DRAFT, number="INV-2026-0107")
    assert document.invoice.number is None
    text = render_text(renderer, document, tmp_path)
    assert "DRAFT" in text
    assert "INV-2026-0107" not in text  # that number may go to another invoice first
    assert text.count("Draft") == 2  # in place of the number, and as the status
    assert re.search(r"Total: €[\d,.]+\n", text)  # the drawn mark does not break lines up


def test_a_cancelled_invoice_shows_the_mark_and_the_reason(renderer, tmp_path):
    document = sample_document(
        status=InvoiceStatus.CANCELLED, cancel_reason="Wrong VAT rate on line 3"
    )
    text = render_text(renderer, document, tmp_path)
    assert "CANCELLED" in text
    assert "Reason: Wrong VAT rate on line 3" in text


def test_payments_and_balance(renderer, tmp_path):
    document = total_of_4399_99(
        SAMPLE_BUSINESS, payments=(sample_payment(100_000),), status=InvoiceStatus.PARTIALLY_PAID
    )
    text = render_text(renderer, document, tmp_path)
    assert "€1,000.00" in text
    assert "€3,399.99" in text
    assert "Partially paid" in text


def test_rendering_is_a_pure_function_of_the_document(renderer):
    document = total_of_4399_99(FRENCH, customer=TURKISH_CUSTOMER)
    assert renderer.render(document) == renderer.render(document)
    assert FpdfInvoiceRenderer().render(document) == renderer.render(document)


def logo_png() -> bytes:
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (240, 80), (31, 78, 121)).save(buffer, "PNG")
    return buffer.getvalue()


def test_logo_is_drawn_and_a_bad_logo_is_a_user_facing_error(renderer, tmp_path):
    business = replace(SAMPLE_BUSINESS, logo_png=logo_png())
    path = write(tmp_path, renderer.render(sample_document(business=business)))
    images = run("pdfimages", "-list", path).splitlines()[2:]
    assert len(images) == 1
    with pytest.raises(UserFacingError, match="logo"):
        renderer.render(sample_document(business=replace(SAMPLE_BUSINESS, logo_png=b"GIF89a")))


def test_pages_render_cleanly(renderer, tmp_path):
    """pdftoppm reports broken font programs or content streams on stderr."""
    tax = TaxRate("KDV", Decimal(18))
    lines = (
        *sample_lines(30, long_descriptions=True),
        LineItem("Ürün ₺ ₹ £ ¥", Decimal(1), 5, (tax,)),
    )
    document = sample_document(lines, status=InvoiceStatus.CANCELLED, customer=TURKISH_CUSTOMER)
    path = write(tmp_path, renderer.render(document))
    result = subprocess.run(
        ["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "page")],
        capture_output=True,
        check=True,
        timeout=120,
    )
    assert result.stderr == b""
    assert len(list(tmp_path.glob("page-*.png"))) >= 2


def test_builtin_font_mode_is_for_benchmarks_and_refuses_what_it_cannot_draw(tmp_path):
    core = FpdfInvoiceRenderer(embedded_font=False)
    path = write(tmp_path, core.render(sample_document()))
    assert "Helvetica" in run("pdffonts", path)
    assert "Total: €" in text_of(path)
    with pytest.raises(MissingGlyphsError, match="U\\+011F"):
        core.render(sample_document(customer=TURKISH_CUSTOMER))


def test_without_the_subsetting_shortcut_the_output_reads_the_same(renderer, tmp_path, monkeypatch):
    """If fpdf2's insides change, fonts go through fontTools as usual: slower, same text."""
    import leadcartel_desktop.pdf.page as page

    document = total_of_4399_99(FRENCH, customer=TURKISH_CUSTOMER)
    fast = text_of(write(tmp_path, renderer.render(document), "fast.pdf"), layout=True)
    monkeypatch.setattr(page, "_PASSTHROUGH", False)
    path = write(tmp_path, renderer.render(document), "slow.pdf")
    assert text_of(path, layout=True) == fast
    result = subprocess.run(
        ["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "slow")],
        capture_output=True,
        check=True,
        timeout=60,
    )
    assert result.stderr == b""
