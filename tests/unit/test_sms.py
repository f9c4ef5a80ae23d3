"""SMS length: GSM-7 septets (extension characters count two) or UCS-2 units, and parts."""

from __future__ import annotations

import random
from collections.abc import Callable

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
        # A two-unit character is never cut between parts: it moves whole to the next one.
        ("a" * 152 + "€" + "a" * 152, GSM7, 306, 3),  # 152 | € + 151 | 1
        ("a" * 151 + "€" + "a" * 153, GSM7, 306, 2),  # 151 + € = 153 | 153
        ("a" * 152 + "€" + "a" * 7, GSM7, 161, 2),  # past 160: the euro starts part 2
        ("]" * 153, GSM7, 306, 3),  # 76 pairs fill 152 septets, never 153
        ("ł" * 66 + "😀" + "ł" * 66, UCS2, 134, 3),  # 66 | emoji + 65 | 1
        ("ł" * 65 + "😀" + "ł" * 67, UCS2, 134, 2),  # 65 + emoji = 67 | 67
        ("😀" * 67, UCS2, 134, 3),  # 33 emoji take 66 units, never 67
        ("😀" * 36 + "a", UCS2, 73, 2),
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
    assert sms_length("").remaining_in_part == 160


def test_units_left_in_the_last_part_count_the_unit_lost_at_a_boundary() -> None:
    # 152 | € + 151 | 'a': one septet of part 1 stays empty, so 152 are left in part 3, not 153.
    assert sms_length("a" * 152 + "€" + "a" * 152).remaining_in_part == 152
    assert sms_length("ł" * 66 + "😀" + "ł" * 66).remaining_in_part == 66


def _split(text: str, per_part: int, width: Callable[[str], int]) -> list[int]:
    """The units in each part, filled one whole character at a time (as carriers split)."""
    parts = [0]
    for char in text:
        if parts[-1] + width(char) > per_part:
            parts.append(0)
        parts[-1] += width(char)
    return parts


@pytest.mark.parametrize("seed", range(20))
def test_parts_match_a_character_by_character_split(seed: int) -> None:
    chooser = random.Random(seed)
    gsm = "".join(chooser.choice("abc€[]") for _ in range(chooser.randrange(161, 700)))
    ucs = "".join(chooser.choice("łżé😀🎉") for _ in range(chooser.randrange(71, 400)))
    for text, per_part, width in (
        (gsm, 153, lambda char: 2 if char in "€[]" else 1),
        (ucs, 67, lambda char: 2 if ord(char) > 0xFFFF else 1),
    ):
        expected = _split(text, per_part, width)
        length = sms_length(text)
        assert (length.units, length.parts) == (sum(expected), len(expected))
        assert length.remaining_in_part == per_part - expected[-1]
