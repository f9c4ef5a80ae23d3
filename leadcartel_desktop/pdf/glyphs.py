"""Refuse to print text the invoice font cannot draw, naming each character and where it is."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from leadcartel_desktop.domain.errors import UserFacingError

_MAX_NAMED = 8


class MissingGlyphsError(UserFacingError):
    """Some characters have no glyph in the invoice font; `missing` lists (character, place)."""

    def __init__(self, missing: list[tuple[str, str]]) -> None:
        named = "; ".join(f"{describe(char)} in {place}" for char, place in missing[:_MAX_NAMED])
        more = len(missing) - _MAX_NAMED
        if more > 0:
            named += f"; and {more} more"
        super().__init__(f"The invoice font cannot draw: {named}")
        self.missing = missing

    @property
    def characters(self) -> list[str]:
        return list(dict.fromkeys(char for char, _ in self.missing))


def describe(char: str) -> str:
    """Name a character as '😀' (U+1F600); a control character by its code point only."""
    code = f"U+{ord(char):04X}"
    return code if not char.isprintable() else f"'{char}' ({code})"


def check_glyphs(places: Iterable[tuple[str, str]], can_draw: Callable[[str], bool]) -> None:
    """Raise MissingGlyphsError listing each undrawable character once per place."""
    missing: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for place, text in places:
        for char in text:
            if char == "\n" or (char, place) in seen or can_draw(char):
                continue
            seen.add((char, place))
            missing.append((char, place))
    if missing:
        raise MissingGlyphsError(missing)
