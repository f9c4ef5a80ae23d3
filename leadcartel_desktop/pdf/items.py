"""The items table: wrapped descriptions that flow across pages under a repeated header."""

from __future__ import annotations

from dataclasses import dataclass

from leadcartel_desktop.pdf.content import InvoiceText, ItemRow
from leadcartel_desktop.pdf.page import (
    CONTENT_WIDTH,
    INK,
    MARGIN,
    RULE,
    SHADE,
    TOP,
    InvoicePdf,
)

LINE = 4.3  # description line height
PAD = 1.5  # space above and below a row's text
HEADER_LINE = 3.8
BODY_SIZE = 9.0
HEADER_SIZE = 8.0


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title: str
    width: float
    align: str  # "L" or "R"
    wraps: bool = False


# Each figure column is as wide as its widest entry (and its header's longest word) needs, within
# these bounds in mm, so amounts never shrink on a usual invoice and a tax stays on one line; the
# description takes the rest: about half the width, where a fixed layout left it a third.
_BOUNDS: dict[str, tuple[float, float]] = {
    "quantity": (12.0, 22.0),
    "unit": (11.0, 18.0),
    "unit_price": (22.0, 32.0),
    "taxes": (20.0, 26.0),
    "amount": (24.0, 34.0),
}
GAP = 1.5  # mm between one figure column's text and the next one's


def columns(text: InvoiceText, pdf: InvoicePdf) -> list[Column]:
    labels = text.labels
    figures = [
        Column("quantity", labels.qty, 0, "R"),
        Column("unit", labels.unit, 0, "L", wraps=True),
        Column("unit_price", labels.unit_price, 0, "R"),
    ]
    if text.show_tax_column:
        figures.append(Column("taxes", labels.tax, 0, "L", wraps=True))
    figures.append(Column("amount", labels.amount, 0, "R"))
    sized = [
        Column(col.key, col.title, _width(pdf, text, col), col.align, col.wraps) for col in figures
    ]
    description = CONTENT_WIDTH - sum(col.width for col in sized)
    return [Column("description", labels.description, description, "L", wraps=True), *sized]


def _width(pdf: InvoicePdf, text: InvoiceText, col: Column) -> float:
    """Room for each entry on one line, within the column's bounds (past them: wrap or shrink)."""
    low, high = _BOUNDS[col.key]
    pdf.use(HEADER_SIZE, bold=True)
    widest = max((pdf.get_string_width(word) for word in col.title.split()), default=0.0)
    pdf.use(BODY_SIZE)
    for item in text.items:
        for line in str(getattr(item, col.key)).split("\n"):
            widest = max(widest, pdf.get_string_width(line))
    return min(high, max(low, widest + 2 * pdf.c_margin + GAP))


class _Table:
    """Draws rows top to bottom, breaking pages itself so a row never straddles the footer."""

    def __init__(self, pdf: InvoicePdf, cols: list[Column]) -> None:
        self.pdf = pdf
        self.cols = cols
        self.x = [MARGIN + sum(col.width for col in cols[:index]) for index in range(len(cols))]
        pdf.use(HEADER_SIZE, bold=True)
        self.titles = [pdf.wrap(col.title, col.width) for col in cols]
        self.header_height = max(len(lines) for lines in self.titles) * HEADER_LINE + 2 * PAD

    def header(self, y: float) -> float:
        pdf = self.pdf
        pdf.set_fill_color(*SHADE)
        pdf.rect(MARGIN, y, CONTENT_WIDTH, self.header_height, style="F")
        pdf.use(HEADER_SIZE, bold=True, rgb=INK)
        for col, x, lines in zip(self.cols, self.x, self.titles, strict=True):
            for index, line in enumerate(lines):
                pdf.set_xy(x, y + PAD + index * HEADER_LINE)
                pdf.text_cell(col.width, HEADER_LINE, line, align=col.align)
        pdf.set_xy(MARGIN, y + self.header_height)
        return y + self.header_height

    def on_new_page(self) -> None:
        self.header(TOP)

    def row(self, item: ItemRow, y: float) -> float:
        pdf = self.pdf
        pdf.use(BODY_SIZE)
        cells = {
            col.key: pdf.wrap(getattr(item, col.key), col.width) for col in self.cols if col.wraps
        }
        description = cells.pop("description") or [""]
        side = max((len(lines) for lines in cells.values()), default=1)
        capacity = int((pdf.page_break_trigger - TOP - self.header_height - 2 * PAD) / LINE)
        first = True
        while description:
            room = int((pdf.page_break_trigger - y - 2 * PAD + 1e-6) / LINE)
            need = max(len(description), side if first else 1)
            if need <= room:
                take = need
            elif need <= capacity or room < max(2, side if first else 1):
                pdf.add_page()  # the header hook repeats the table header
                y = pdf.get_y()
                continue
            else:  # longer than a whole page: fill this one and carry on overleaf
                take = room
            y = self._chunk(item, description[:take], cells if first else {}, first, y)
            description = description[take:]
            first = False
        return y

    def _chunk(
        self,
        item: ItemRow,
        description: list[str],
        cells: dict[str, list[str]],
        first: bool,
        y: float,
    ) -> float:
        pdf = self.pdf
        height = max(len(description), *(len(lines) for lines in cells.values()), 1) * LINE
        for col, x in zip(self.cols, self.x, strict=True):
            if col.key == "description":
                lines = description
            elif col.wraps:
                lines = cells.get(col.key, [])
            else:
                lines = [getattr(item, col.key)] if first else []
            if lines and not col.wraps:
                pdf.use(pdf.fit_size(lines[0], col.width, BODY_SIZE))
            else:
                pdf.use(BODY_SIZE)
            for index, line in enumerate(lines):
                pdf.set_xy(x, y + PAD + index * LINE)
                pdf.text_cell(col.width, LINE, line, align=col.align)
        bottom = y + height + 2 * PAD
        pdf.set_draw_color(*RULE)
        pdf.line(MARGIN, bottom, MARGIN + CONTENT_WIDTH, bottom)
        pdf.set_y(bottom)
        return bottom


def draw_items(pdf: InvoicePdf, text: InvoiceText, y: float) -> float:
    """Draw the table from `y`; returns where it ends."""
    table = _Table(pdf, columns(text, pdf))
    if y + table.header_height + LINE * 2 + 2 * PAD > pdf.page_break_trigger:
        pdf.add_page()
        y = pdf.get_y()
    y = table.header(y)
    pdf.repeat_header = table.on_new_page
    try:
        for item in text.items:
            y = table.row(item, y)
    finally:
        pdf.repeat_header = None
    return y
