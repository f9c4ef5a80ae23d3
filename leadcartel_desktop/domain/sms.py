"""SMS length: GSM-7 septets or UCS-2 code units, and how many parts a message takes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# GSM 03.38 basic character set, and the extension table whose characters take two septets.
_GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENSION = frozenset("^{}\\[~]|€\f")


class SmsEncoding(StrEnum):
    GSM7 = "GSM-7"
    UCS2 = "UCS-2"


@dataclass(frozen=True, slots=True)
class SmsLength:
    """`units` are septets for GSM-7 and UTF-16 code units for UCS-2."""

    encoding: SmsEncoding
    characters: int
    units: int
    parts: int
    per_part: int
    in_last_part: int  # units the last part holds (a part may end one unit short of full)

    @property
    def remaining_in_part(self) -> int:
        """How many units fit before the message needs another part."""
        return self.per_part - self.in_last_part

    def describe(self) -> str:
        part_word = "part" if self.parts == 1 else "parts"
        return f"{self.characters} characters, {self.encoding.value}, {self.parts} {part_word}"


def is_gsm7(text: str) -> bool:
    return all(char in _GSM_BASIC or char in _GSM_EXTENSION for char in text)


def sms_length(text: str) -> SmsLength:
    """GSM-7: 160 septets in one part, 153 per part when split (extension chars count two).

    Anything outside GSM-7 switches the whole message to UCS-2: 70 code units in one part,
    67 per part; characters beyond the BMP (emoji) take two code units.

    A split message is filled character by character: a two-unit character (an extension
    character's escape and itself, an emoji's surrogate pair) is never cut between two parts;
    when only one unit is left in a part, the character starts the next one.
    """
    if is_gsm7(text):
        units = sum(2 if char in _GSM_EXTENSION else 1 for char in text)
        single, multi, encoding = 160, 153, SmsEncoding.GSM7
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, multi, encoding = 70, 67, SmsEncoding.UCS2
    if units <= single:
        return SmsLength(encoding, len(text), units, 1 if units else 0, single, units)
    if units == len(text):  # every character is one unit: the parts fill exactly
        parts = -(-units // multi)
        return SmsLength(encoding, len(text), units, parts, multi, units - (parts - 1) * multi)
    if encoding is SmsEncoding.GSM7:
        widths = [2 if char in _GSM_EXTENSION else 1 for char in text]
    else:
        widths = [2 if char > "\uffff" else 1 for char in text]
    parts, used = 1, 0
    for width in widths:
        if used + width > multi:
            parts, used = parts + 1, 0
        used += width
    return SmsLength(encoding, len(text), units, parts, multi, used)
