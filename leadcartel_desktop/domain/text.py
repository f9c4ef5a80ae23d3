"""Text rules shared by the forms: no control characters where nothing can print them."""

from __future__ import annotations

import unicodedata

from leadcartel_desktop.domain.errors import ValidationError

# Line breaks and tabs are how multi-line fields (descriptions, terms, notes) are written.
_LAYOUT = frozenset("\n\r\t")


def check_no_control(label: str, value: str, *, multiline: bool = False, what: str = "") -> None:
    """Refuse NUL and other control characters (newline and tab too unless `multiline`)."""
    for char in value:
        if unicodedata.category(char) == "Cc" and not (multiline and char in _LAYOUT):
            subject = f"{what} contains" if what else "contains"
            raise ValidationError(
                label, f"{subject} a control character (U+{ord(char):04X}); remove it"
            )
