"""Per-document fonts cut by byte copies keep every glyph they hold exactly as drawn."""

from __future__ import annotations

import io

import pytest
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont

from leadcartel_desktop.pdf.embed import FontProgram
from leadcartel_desktop.pdf.fonts import FONT_DIR, FONT_FILES


@pytest.fixture(scope="module", params=FONT_FILES.values())
def source(request: pytest.FixtureRequest) -> TTFont:
    return TTFont(io.BytesIO((FONT_DIR / request.param).read_bytes()))


def program_of(font: TTFont) -> FontProgram:
    buffer = io.BytesIO()
    font.save(buffer)
    return FontProgram.parse(buffer.getvalue(), font.getGlyphOrder(), font.getBestCmap())


def outline(font: TTFont, name: str) -> list[object]:
    glyph_set = font.getGlyphSet()
    pen = DecomposingRecordingPen(glyph_set)
    glyph_set[name].draw(pen)
    return pen.value


def test_cut_font_keeps_outlines_widths_and_characters(source: TTFont) -> None:
    cmap = source.getBestCmap()
    text = "Aé İğ €\u202f—ǅЁω"
    names = [cmap[ord(char)] for char in text]
    cut = program_of(source).cut(names)
    small = TTFont(io.BytesIO(cut.data))
    assert len(small.getGlyphOrder()) < 40
    small_cmap = small.getBestCmap()
    for char in text:
        name = cmap[ord(char)]
        assert small_cmap[ord(char)] == name
        assert small.getGlyphOrder()[cut.getGlyphID(name)] == name
        assert outline(small, name) == outline(source, name), char
        assert small["hmtx"][name] == source["hmtx"][name]
    small.save(io.BytesIO())  # fontTools can read and write every table back


def test_composite_parts_come_along(source: TTFont) -> None:
    cut = program_of(source).cut(["Idotaccent"])
    small = TTFont(io.BytesIO(cut.data))
    glyph = small["glyf"]["Idotaccent"]
    assert glyph.isComposite()
    assert {component.glyphName for component in glyph.components} <= set(small.getGlyphOrder())


def test_unknown_names_are_ignored(source: TTFont) -> None:
    cut = program_of(source).cut(["no-such-glyph"])
    assert TTFont(io.BytesIO(cut.data)).getGlyphOrder()[:1] == [".notdef"]
