"""The shipped invoice fonts, parsed once per process and handed to each new FPDF document."""

from __future__ import annotations

import copy
import io
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from leadcartel_desktop.pdf.embed import FontProgram

if TYPE_CHECKING:
    from fpdf import FPDF
    from fpdf.fonts import TTFFont

FONT_DIR = Path(__file__).resolve().parent.parent / "resources" / "fonts"
FAMILY = "invoicesans"
FONT_FILES: dict[str, str] = {"": "DejaVuSans-Subset.ttf", "B": "DejaVuSans-Bold-Subset.ttf"}
CORE_FAMILY = "helvetica"
CORE_ENCODING = "windows-1252"


@dataclass(frozen=True, slots=True)
class _Parsed:
    """One style: the font file's bytes and fpdf's parsed metrics (cmap, widths, descriptor)."""

    data: bytes
    template: TTFFont
    program: FontProgram


_lock = threading.Lock()
_parsed: dict[str, _Parsed] = {}
_drawable: frozenset[int] | None = None


def _parse_all() -> dict[str, _Parsed]:
    from fpdf import FPDF
    from fpdf.fonts import TTFFont

    with _lock:
        if not _parsed:
            scratch = FPDF()
            for style, name in FONT_FILES.items():
                path = FONT_DIR / name
                template = TTFFont(scratch, path, f"{FAMILY}{style}", style)
                data = path.read_bytes()
                program = FontProgram.parse(data, template.ttfont.getGlyphOrder(), template.cmap)
                template.ttfont.close()  # each document gets its own copy: fpdf subsets it in place
                _parsed[style] = _Parsed(data, template, program)
    return _parsed


def font_bytes(style: str) -> bytes:
    """The shipped font file of a style ('' or 'B'), read once."""
    return _parse_all()[style].data


def drawable_codepoints() -> frozenset[int]:
    """Code points every shipped style has a glyph for."""
    global _drawable  # noqa: PLW0603 - a process-wide cache, filled once
    if _drawable is None:
        cmaps = [set(parsed.template.cmap) for parsed in _parse_all().values()]
        _drawable = frozenset(set.intersection(*cmaps))
    return _drawable


def can_draw_embedded(char: str) -> bool:
    return ord(char) in drawable_codepoints()


def can_draw_core(char: str) -> bool:
    """The built-in Helvetica only covers Windows-1252 (used by the benchmark's baseline)."""
    try:
        char.encode(CORE_ENCODING)
    except UnicodeEncodeError:
        return False
    return char.isprintable()


def cut_fonts(pdf: FPDF, passthrough: bool) -> None:
    """Swap each shipped font for one holding only the glyphs `pdf` used (see embed.py).

    Called once layout is finished, just before fpdf2 writes the fonts. With `passthrough`
    fpdf2's fontTools pass skips the cut fonts (page.py); without it the cut font is handed to
    fontTools like any other font, which is slower but gives the same glyphs.
    """
    from fontTools.ttLib import TTFont

    for parsed in _parse_all().values():
        font = pdf.fonts.get(parsed.template.fontkey)
        if font is None or font.type != "TTF":
            continue
        cut = parsed.program.cut(font.subset.get_all_glyph_names())
        font.ttfont.close()
        if passthrough:
            font.ttfont = cut  # type: ignore[assignment]  # quacks as fpdf2's writer needs
        else:
            font.ttfont = TTFont(
                io.BytesIO(cut.data), recalcTimestamp=False, recalcBBoxes=False, lazy=True
            )


def install_fonts(pdf: FPDF) -> None:
    """Register the regular and bold styles on `pdf` without re-reading the font files."""
    from fontTools.ttLib import TTFont
    from fpdf.fonts import SubsetMap

    for parsed in _parse_all().values():
        font = copy.copy(parsed.template)  # shares the read-only cmap, widths and glyph ids
        font.i = len(pdf.fonts) + 1
        font.desc = copy.copy(parsed.template.desc)  # fpdf2 writes object ids into it
        font.ttfont = TTFont(io.BytesIO(parsed.data), recalcTimestamp=False, lazy=True)
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font.subset = SubsetMap(font)
        pdf.fonts[font.fontkey] = font
