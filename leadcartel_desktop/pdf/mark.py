"""The faint diagonal DRAFT / CANCELLED mark, drawn as glyph outlines rather than as text."""

# As text, a diagonal word is read by text extractors and screen readers in the middle of the
# lines it crosses ('Total TTC' would come out with an 'A' inside); as shapes it is only seen.
# The word itself is also printed, as text, under the title.

from __future__ import annotations

import io
import math
from functools import cache

from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.drawing import DeviceRGB
from fpdf.enums import PathPaintRule

from leadcartel_desktop.pdf.fonts import font_bytes

Point = tuple[float, float]
Segment = tuple[str, tuple[Point, ...]]
ANGLE_DEGREES = 35.0
MAX_LENGTH_MM = 200.0
MAX_SIZE_MM = 34.0


class _Recorder(BasePen):
    """Collects a glyph's outline as move / line / cubic segments (quadratics converted)."""

    def __init__(self, glyph_set: object, dx: float) -> None:
        super().__init__(glyph_set)
        self.dx = dx
        self.segments: list[Segment] = []

    def _shift(self, *points: Point) -> tuple[Point, ...]:
        return tuple((x + self.dx, y) for x, y in points)

    def _moveTo(self, pt: Point) -> None:  # noqa: N802 - fontTools pen protocol
        self.segments.append(("M", self._shift(pt)))

    def _lineTo(self, pt: Point) -> None:  # noqa: N802
        self.segments.append(("L", self._shift(pt)))

    def _curveToOne(self, pt1: Point, pt2: Point, pt3: Point) -> None:  # noqa: N802
        self.segments.append(("C", self._shift(pt1, pt2, pt3)))

    def _closePath(self) -> None:  # noqa: N802
        self.segments.append(("Z", ()))


@cache
def _bold_font() -> TTFont:
    return TTFont(io.BytesIO(font_bytes("B")), lazy=True)


@cache
def mark_outline(text: str, center: Point) -> tuple[Segment, ...]:
    """`text` in bold, centred on `center` (mm, y down) and turned 35° anticlockwise."""
    font = _bold_font()
    cmap = font.getBestCmap()
    glyph_set = font.getGlyphSet()
    segments: list[Segment] = []
    advance = 0.0
    for char in text:
        name = cmap.get(ord(char))
        if name is None:
            continue
        recorder = _Recorder(glyph_set, advance)
        glyph_set[name].draw(recorder)
        segments += recorder.segments
        advance += glyph_set[name].width
    units = font["head"].unitsPerEm
    cap_height = getattr(font["OS/2"], "sCapHeight", 0) or units * 0.73
    scale = min(MAX_SIZE_MM / units, MAX_LENGTH_MM / max(advance, 1.0))
    angle = math.radians(ANGLE_DEGREES)
    cos, sin = math.cos(angle), math.sin(angle)
    cx, cy = center

    def place(point: Point) -> Point:
        x = (point[0] - advance / 2) * scale
        y = (cap_height / 2 - point[1]) * scale  # font y points up, page y points down
        return cx + x * cos + y * sin, cy - x * sin + y * cos

    return tuple((op, tuple(place(point) for point in points)) for op, points in segments)


def draw_mark(pdf: FPDF, text: str, rgb: tuple[int, int, int], center: Point) -> None:
    segments = mark_outline(text, center)
    if not segments:
        return
    with pdf.new_path(paint_rule=PathPaintRule.FILL_NONZERO) as path:
        path.style.fill_color = DeviceRGB(*(value / 255 for value in rgb))
        path.style.stroke_color = None
        for op, points in segments:
            if op == "M":
                path.move_to(*points[0])
            elif op == "L":
                path.line_to(*points[0])
            elif op == "C":
                path.curve_to(*points[0], *points[1], *points[2])
            else:
                path.close()
