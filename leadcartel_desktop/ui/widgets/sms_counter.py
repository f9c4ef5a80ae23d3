"""A live SMS counter: characters, encoding and parts of the text being typed."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from leadcartel_desktop.domain.sms import SmsLength, sms_length


def describe(length: SmsLength) -> str:
    """'123 characters · GSM-7 · 1 part'."""
    parts = "part" if length.parts == 1 else "parts"
    characters = "character" if length.characters == 1 else "characters"
    return f"{length.characters} {characters} · {length.encoding.value} · {length.parts} {parts}"


class SmsCounter(QLabel):
    """Shows how an SMS (or WhatsApp free text) will be counted and split.

    `count(text)` runs on every keystroke: one pass of sms_length over the text (well under a
    millisecond for 1,000 characters) and a label update.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("smsCounter")
        self.length: SmsLength = sms_length("")
        self.setText(describe(self.length))
        self.setToolTip(
            "GSM-7: 160 characters in one part, 153 per part when split (^{}\\[~]|€ count two).\n"
            "Any other character switches to UCS-2: 70 in one part, 67 per part; emoji count two."
        )

    def count(self, text: str) -> SmsLength:
        self.length = sms_length(text)
        self.setText(describe(self.length))
        return self.length
