"""The FPDF document the invoice is drawn on: A4 geometry, colours, fonts and the page mark."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import fpdf.output as fpdf_output
from fontTools import subset as _fonttools_subset
from fpdf import FPDF
from fpdf.enums import MethodReturnValue
from fpdf.output import OutputProducer

from leadcartel_desktop.pdf.embed import CutFont
from leadcartel_desktop.pdf.fonts import (
    CORE_ENCODING,
    CORE_FAMILY,
    FAMILY,
    cut_fonts,
    install_fonts,
)

PAGE_WIDTH = 210.0
PAGE_HEIGHT = 297.0
MARGIN = 18.0
TOP = 16.0
BOTTOM = 22.0  # room for the footer
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
CELL_PAD = 1.6

_SPECIAL_SPACES = frozenset("\u00a0\u2007\u2009\u200a\u202f\u205f\u3000")

Rgb = tuple[int, int, int]
INK: Rgb = (33, 37, 41)
MUTED: Rgb = (108, 117, 125)
RULE: Rgb = (206, 212, 218)
SHADE: Rgb = (241, 243, 245)
ACCENT: Rgb = (31, 78, 121)
DRAFT_INK: Rgb = (201, 110, 20)
CANCEL_INK: Rgb = (176, 42, 55)
CANCEL_SHADE: Rgb = (248, 215, 218)


@dataclass(frozen=True, slots=True)
class Mark:
    """A word printed faintly across every page (DRAFT, CANCELLED)."""

    text: str
    rgb: Rgb


class _SmallFontsOutput(OutputProducer):
    """fpdf2's writer, handed fonts cut to the used glyphs (after page numbers are filled in)."""

    def bufferize(self) -> bytearray:
        cut_fonts(self.fpdf, passthrough=_PASSTHROUGH)
        return super().bufferize()


def _subsetter(options: Any = None) -> Any:
    return _PassthroughSubsetter(_fonttools_subset.Subsetter(options=options))


class _PassthroughSubsetter:
    """fontTools' Subsetter, except that a font embed.py already cut is left as it is."""

    def __init__(self, real: Any) -> None:
        self._real = real

    def populate(self, **kwargs: Any) -> None:
        self._real.populate(**kwargs)

    def subset(self, font: Any) -> None:
        if not isinstance(font, CutFont):
            self._real.subset(font)


def _install_passthrough() -> bool:
    """Point fpdf2's writer at the pass-through subsetter; False if fpdf2 changed its insides.

    fpdf2 runs fontTools over every embedded font however small; the cut fonts need no second
    pass and that pass would double the render time of a one-page invoice. Other fonts are
    subset by fontTools exactly as before, so other users of fpdf2 in the process see no change.
    """
    current = getattr(fpdf_output, "ftsubset", None)
    if current is None or not hasattr(current, "Subsetter"):
        return False
    if getattr(current, "passthrough", False):
        return True
    fpdf_output.ftsubset = SimpleNamespace(  # type: ignore[assignment]
        Options=_fonttools_subset.Options, Subsetter=_subsetter, passthrough=True
    )
    return True


_PASSTHROUGH = _install_passthrough()


class InvoicePdf(FPDF):
    """A4 portrait in millimetres; draws the page mark first so content sits on top of it."""

    def __init__(self, embedded_font: bool) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.typeface = FAMILY if embedded_font else CORE_FAMILY
        if embedded_font:
            install_fonts(self)
        else:
            self.core_fonts_encoding = CORE_ENCODING
        self.set_margins(MARGIN, TOP, MARGIN)
        self.set_auto_page_break(True, margin=BOTTOM)
        self.c_margin = CELL_PAD
        self.mark: Mark | None = None
        self.repeat_header: Callable[[], None] | None = None
        self.footer_left = ""
        self.page_label = ""  # with {page} and {pages}

    def to_bytes(self) -> bytes:
        return bytes(self.output(output_producer_class=_SmallFontsOutput))

    def text_cell(
        self, width: float, height: float, value: str, align: str = "L", fill: bool = False
    ) -> None:
        """A one-line cell; text with special spaces is tagged with its exact characters.

        Text extractors (poppler's pdftotext, for one) treat every space-like glyph as a word
        break and print it as an ASCII space, so '4\u202f399,99\u00a0€' would copy out as
        '4 399,99 €'. An /ActualText span gives them the characters as written.
        """
        special = any(char in _SPECIAL_SPACES for char in value)
        if not special or self.will_page_break(height):
            self.cell(width, height, value, align=align, fill=fill)
            return
        marked = ("\ufeff" + value).encode("utf-16-be").hex().upper()
        self._out(f"/Span <</ActualText <{marked}>>> BDC")
        self.cell(width, height, value, align=align, fill=fill)
        self._out("EMC")

    def wrap(self, value: str, width: float) -> list[str]:
        """Lines of `value` as the current font wraps them in a cell of `width`."""
        if not value:
            return []
        if "\n" not in value and self.get_string_width(value) <= width - 2 * self.c_margin:
            return [value]  # the common case, without fpdf2's slower line breaker
        lines = self.multi_cell(
            width, 4, value, dry_run=True, output=MethodReturnValue.LINES, align="L"
        )
        return list(lines)

    def fit_size(self, value: str, width: float, size: float, bold: bool = False) -> float:
        """The largest size up to `size` at which `value` fits on one line of `width` (min 6)."""
        self.use(size, bold)
        room = width - 2 * self.c_margin
        measured = self.get_string_width(value)
        return size if measured <= room else max(6.0, size * room / measured)

    def use(self, size: float, bold: bool = False, rgb: Rgb = INK) -> None:
        self.set_font(self.typeface, "B" if bold else "", size)
        self.set_text_color(*rgb)

    def header(self) -> None:
        if self.mark is not None:
            self._draw_mark(self.mark)
        if self.repeat_header is not None:
            self.repeat_header()

    def footer(self) -> None:
        if not self.page_label:
            return
        y = PAGE_HEIGHT - 14
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(MARGIN, y - 1, MARGIN + CONTENT_WIDTH, y - 1)
        self.use(7.5, rgb=MUTED)
        self.set_xy(MARGIN, y)
        self.text_cell(CONTENT_WIDTH * 0.6, 5, self.footer_left)
        label = self.page_label.format(page=self.page_no(), pages=self.str_alias_nb_pages)
        self.text_cell(CONTENT_WIDTH * 0.4, 5, label, align="R")

    def _draw_mark(self, mark: Mark) -> None:
        from leadcartel_desktop.pdf.mark import draw_mark

        faint = (
            255 - (255 - mark.rgb[0]) * 16 // 100,
            255 - (255 - mark.rgb[1]) * 16 // 100,
            255 - (255 - mark.rgb[2]) * 16 // 100,
        )
        draw_mark(self, mark.text, faint, (PAGE_WIDTH / 2, PAGE_HEIGHT / 2))
