"""Characters the font cannot draw are refused by name and place."""

from __future__ import annotations

import pytest

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.pdf.glyphs import MissingGlyphsError, check_glyphs, describe


def latin_only(char: str) -> bool:
    return ord(char) < 0x250


def test_nothing_missing_passes() -> None:
    check_glyphs([("notes", "Merci — ça va\nbien")], lambda char: char != "x")


def test_each_character_is_named_once_per_place() -> None:
    places = [("item 1 description", "ok 😀 😀"), ("notes", "☃ and 😀")]
    with pytest.raises(MissingGlyphsError) as caught:
        check_glyphs(places, latin_only)
    error = caught.value
    assert isinstance(error, UserFacingError)
    assert error.message == (
        "The invoice font cannot draw: '😀' (U+1F600) in item 1 description; "
        "'☃' (U+2603) in notes; '😀' (U+1F600) in notes"
    )
    assert error.characters == ["😀", "☃"]


def test_long_lists_are_cut_short() -> None:
    places = [(f"item {n} description", chr(0x4E00 + n)) for n in range(1, 13)]
    with pytest.raises(MissingGlyphsError, match=r"; and 4 more$"):
        check_glyphs(places, latin_only)


def test_control_characters_are_shown_by_code_point() -> None:
    assert describe("\x07") == "U+0007"
    assert describe("€") == "'€' (U+20AC)"
