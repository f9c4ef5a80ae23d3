"""SMS length: GSM-7 septets (extension characters count two) or UCS-2 units, and parts."""

from __future__ import annotations

import pytest

from leadcartel_desktop.domain.sms import SmsEncoding, is_gsm7, sms_length

GSM7, UCS2 = SmsEncoding.GSM7, SmsEncoding.UCS2


@pytest.mark.parametrize(
    ("text", "encoding", "units", "parts"),
    [
        ("a" * 160, GSM7, 160, 1),
        ("a" * 161, GSM7, 161, 2),
        ("]" * 80, GSM7, 160, 1),  # extension characters take two septets
        ("]" * 81, GSM7, 162, 2),
        ("Price 10€", GSM7, 10, 1),
        ("ł" * 70, UCS2, 70, 1),
        ("ł" * 71, UCS2, 71, 2),
        ("😀" * 35, UCS2, 70, 1),  # beyond the BMP: two UTF-16 units each
        ("😀" * 36, UCS2, 72, 2),
        ("a" * 306, GSM7, 306, 2),  # 153 per part once split
        ("a" * 307, GSM7, 307, 3),
        ("ł" * 134, UCS2, 134, 2),  # 67 per part once split
        ("ł" * 135, UCS2, 135, 3),
        ("", GSM7, 0, 0),
    ],
)
def test_length_and_parts(text: str, encoding: SmsEncoding, units: int, parts: int) -> None:
    length = sms_length(text)
    assert (length.encoding, length.units, length.parts) == (encoding, units, parts)
    assert length.characters == len(text)


def test_one_character_outside_gsm7_switches_the_whole_message() -> None:
    assert is_gsm7("Hello @ £5 {ok}")
    assert not is_gsm7("Hello ł")
    length = sms_length("a" * 100 + "ł")
    assert (length.encoding, length.parts) == (UCS2, 2)


def test_the_editor_shows_characters_and_parts() -> None:
    assert sms_length("a" * 161).describe() == "161 characters, GSM-7, 2 parts"
    assert sms_length("Hi").describe() == "2 characters, GSM-7, 1 part"
    assert sms_length("a" * 150).remaining_in_part == 10
    assert sms_length("a" * 161).remaining_in_part == 145
