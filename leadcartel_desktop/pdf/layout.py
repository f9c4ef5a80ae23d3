"""Where each part of the invoice goes on the page: header, parties, items, totals, notes."""

from __future__ import annotations

import io
import struct

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.pdf.content import InvoiceText, TotalLine
from leadcartel_desktop.pdf.items import draw_items
from leadcartel_desktop.pdf.page import (
    ACCENT,
    CANCEL_INK,
    CANCEL_SHADE,
    CONTENT_WIDTH,
    DRAFT_INK,
    INK,
    MARGIN,
    MUTED,
    RULE,
    SHADE,
    TOP,
    InvoicePdf,
    Mark,
    Rgb,
)

LEFT_WIDTH = 100.0
RIGHT_X = MARGIN + LEFT_WIDTH
RIGHT_WIDTH = CONTENT_WIDTH - LEFT_WIDTH
TOTALS_WIDTH = 86.0
TOTALS_X = MARGIN + CONTENT_WIDTH - TOTALS_WIDTH
TOTALS_LABEL_WIDTH = 48.0
TOTALS_ROW = 5.6
PT = 25.4 / 72  # millimetres per point


def draw_invoice(pdf: InvoicePdf, text: InvoiceText) -> None:
    if text.mark:
        pdf.mark = Mark(text.mark, CANCEL_INK if text.cancelled else DRAFT_INK)
    pdf.footer_left = f"{text.title} {text.number}".strip()
    pdf.page_label = text.labels.page
    pdf.add_page()
    y = _header(pdf, text)
    y = _parties(pdf, text, y)
    if text.cancelled:
        y = _cancel_banner(pdf, text, y)
    y = draw_items(pdf, text, y + 4)
    y = _totals(pdf, text, y + 4)
    for heading, body in ((text.labels.terms, text.terms), (text.labels.notes, text.notes)):
        if body:
            y = _section(pdf, heading, body, y + 6)


def _stack(pdf: InvoicePdf, lines: list[str], y: float, width: float, height: float) -> float:
    """Draw `lines` one under the other from the left margin; returns the y below them."""
    for line in lines:
        pdf.set_xy(MARGIN, y)
        pdf.text_cell(width, height, line)
        y += height
    return y


def _logo_size(png: bytes, max_width: float, max_height: float) -> tuple[float, float]:
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise UserFacingError("The business logo is not a PNG image: choose another logo file")
    width_px, height_px = struct.unpack(">II", png[16:24])
    if not width_px or not height_px:
        raise UserFacingError("The business logo is empty: choose another logo file")
    scale = min(max_width / width_px, max_height / height_px)
    return width_px * scale, height_px * scale


def _header(pdf: InvoicePdf, text: InvoiceText) -> float:
    y = TOP
    if text.logo_png:
        width, height = _logo_size(text.logo_png, 55, 22)
        try:
            pdf.image(io.BytesIO(text.logo_png), x=MARGIN + pdf.c_margin, y=y, w=width, h=height)
        except Exception as error:  # fpdf/Pillow raise many kinds for a damaged file
            raise UserFacingError(f"The business logo cannot be read ({error})") from error
        y += height + 4
    if text.business_name:
        pdf.use(12.5, bold=True)
        y = _stack(pdf, pdf.wrap(text.business_name, LEFT_WIDTH), y, LEFT_WIDTH, 5.6)
        y += 0.8
    pdf.use(8.5, rgb=MUTED)
    for line in text.business_lines:
        y = _stack(pdf, pdf.wrap(line, LEFT_WIDTH), y, LEFT_WIDTH, 4.0)

    right = _right_aligned(pdf, text.title, TOP - 1, size=22, smallest=13, rgb=ACCENT) + 1.5
    if text.mark:
        ink = CANCEL_INK if text.cancelled else DRAFT_INK
        pdf.use(pdf.fit_size(text.mark, RIGHT_WIDTH, 12, bold=True), bold=True, rgb=ink)
        pdf.set_xy(RIGHT_X, right)
        pdf.text_cell(RIGHT_WIDTH, 5.5, text.mark, align="R")
        right += 6.5

    y = max(y, right) + 5
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.5)
    pdf.line(MARGIN, y, MARGIN + CONTENT_WIDTH, y)
    pdf.set_line_width(0.2)
    return y + 6


def _right_aligned(
    pdf: InvoicePdf, value: str, y: float, *, size: float, smallest: float, rgb: Rgb
) -> float:
    """Bold text flush right in the right column, shrunk to fit down to `smallest`, then wrapped."""
    fitted = pdf.fit_size(value, RIGHT_WIDTH, size, bold=True)
    fitted = max(fitted, smallest)
    pdf.use(fitted, bold=True, rgb=rgb)
    height = fitted * PT * 1.2
    for line in pdf.wrap(value, RIGHT_WIDTH):
        pdf.set_xy(RIGHT_X, y)
        pdf.text_cell(RIGHT_WIDTH, height, line, align="R")
        y += height
    return y


def _parties(pdf: InvoicePdf, text: InvoiceText, top: float) -> float:
    y = top
    if text.customer_name:
        pdf.use(8, bold=True, rgb=MUTED)
        y = _stack(pdf, [text.labels.bill_to], y, LEFT_WIDTH, 4.4) + 0.6
        pdf.use(10.5, bold=True)
        y = _stack(pdf, pdf.wrap(text.customer_name, LEFT_WIDTH - 8), y, LEFT_WIDTH - 8, 5.0)
        pdf.use(9)
        for line in text.customer_lines:
            y = _stack(pdf, pdf.wrap(line, LEFT_WIDTH - 8), y, LEFT_WIDTH - 8, 4.4)

    right = top
    label_width = 36.0
    value_width = RIGHT_WIDTH - label_width
    for label, value in text.meta:
        pdf.use(pdf.fit_size(label, label_width, 8.5), rgb=MUTED)
        pdf.set_xy(RIGHT_X, right)
        pdf.text_cell(label_width, 5.2, label)
        size = pdf.fit_size(value, value_width, 9, bold=True)
        lines = [value] if size >= 7.5 else pdf.wrap(value, value_width)  # wrap, don't shrink
        pdf.use(max(size, 7.5) if len(lines) == 1 else 9, bold=True)
        for index, line in enumerate(lines):
            pdf.set_xy(RIGHT_X + label_width, right + index * 4.4)
            pdf.text_cell(value_width, 5.2, line, align="R")
        right += 5.2 + 4.4 * (len(lines) - 1)
    return max(y, right) + 6


def _cancel_banner(pdf: InvoicePdf, text: InvoiceText, y: float) -> float:
    message = f"{text.labels.cancelled} — {text.cancel_note}" if text.cancel_note else text.mark
    pdf.use(9.5, bold=True, rgb=CANCEL_INK)
    lines = pdf.wrap(message, CONTENT_WIDTH)
    height = len(lines) * 4.8 + 4
    pdf.set_fill_color(*CANCEL_SHADE)
    pdf.rect(MARGIN, y, CONTENT_WIDTH, height, style="F")
    _stack(pdf, lines, y + 2, CONTENT_WIDTH, 4.8)
    return y + height + 4


def _totals(pdf: InvoicePdf, text: InvoiceText, y: float) -> float:
    needed = TOTALS_ROW * (len(text.totals_before) + len(text.totals_after)) + 12
    if y + needed > pdf.page_break_trigger:
        pdf.add_page()
        y = pdf.get_y()
    for line in text.totals_before:
        y = _total_row(pdf, line, y)
    y += 1.5
    size = pdf.fit_size(text.grand_total, TOTALS_WIDTH, 12, bold=True)
    pdf.set_fill_color(*SHADE)
    pdf.rect(TOTALS_X, y, TOTALS_WIDTH, 9, style="F")
    pdf.set_draw_color(*ACCENT)
    pdf.line(TOTALS_X, y, TOTALS_X + TOTALS_WIDTH, y)
    pdf.use(size, bold=True, rgb=ACCENT)
    pdf.set_xy(TOTALS_X, y)
    # Label and amount in one string, so text extraction keeps them together as one run.
    pdf.text_cell(TOTALS_WIDTH, 9, text.grand_total, align="R")
    y += 10.5
    for line in text.totals_after:
        y = _total_row(pdf, line, y)
    return y


def _total_row(pdf: InvoicePdf, line: TotalLine, y: float) -> float:
    label_width = TOTALS_LABEL_WIDTH
    amount_width = TOTALS_WIDTH - label_width
    strong = line.strong
    pdf.use(pdf.fit_size(line.label, label_width, 9, strong), strong, INK if strong else MUTED)
    pdf.set_xy(TOTALS_X, y)
    pdf.text_cell(label_width, TOTALS_ROW, line.label)
    pdf.use(pdf.fit_size(line.amount, amount_width, 9, strong), strong)
    pdf.text_cell(amount_width, TOTALS_ROW, line.amount, align="R")
    pdf.set_draw_color(*RULE)
    pdf.line(TOTALS_X, y + TOTALS_ROW, TOTALS_X + TOTALS_WIDTH, y + TOTALS_ROW)
    return y + TOTALS_ROW


def _section(pdf: InvoicePdf, heading: str, body: str, y: float) -> float:
    pdf.use(8.5)
    lines = pdf.wrap(body, CONTENT_WIDTH)
    line_height = 4.2
    if y + 5.5 + line_height * min(len(lines), 3) > pdf.page_break_trigger:
        pdf.add_page()
        y = pdf.get_y()
    pdf.use(9, bold=True)
    y = _stack(pdf, [heading], y, CONTENT_WIDTH, 5.5)
    pdf.use(8.5, rgb=MUTED)
    for line in lines:
        if y + line_height > pdf.page_break_trigger:
            pdf.add_page()
            y = pdf.get_y()
            pdf.use(8.5, rgb=MUTED)
        y = _stack(pdf, [line], y, CONTENT_WIDTH, line_height)
    return y
