"""Consent keywords: a reply that is only STOP (or a synonym) opts out; START opts back in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class ConsentAction(StrEnum):
    OPT_OUT = "opt_out"
    OPT_IN = "opt_in"


@dataclass(frozen=True, slots=True)
class ConsentChange:
    """What a reply asks for, and the keyword it used (upper case, as matched)."""

    action: ConsentAction
    keyword: str

    @property
    def opted_out(self) -> bool:
        return self.action is ConsentAction.OPT_OUT


OPT_OUT_WORDS = frozenset(
    {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPT OUT", "OPTOUT"}
)
OPT_IN_WORDS = frozenset({"START", "UNSTOP"})

# Punctuation around the word is ignored ("STOP." and "Stop!" opt out): someone who writes it
# means it, and honouring an opt-out is the safe side. Inside, runs of spaces or a hyphen
# between OPT and OUT count as one space.
_EDGES = ".,!?;:'\"()[]*~-_ \t\r\n\u00a0"
_INNER = re.compile(r"[\s\-_]+")


def consent_change(body: str) -> ConsentChange | None:
    """The change `body` asks for when the whole message is a keyword; None otherwise.

    "please stop by tomorrow" is not an opt-out: the keyword must be the whole message.
    """
    word = _INNER.sub(" ", body.strip(_EDGES)).upper()
    if word in OPT_OUT_WORDS:
        return ConsentChange(ConsentAction.OPT_OUT, word)
    if word in OPT_IN_WORDS:
        return ConsentChange(ConsentAction.OPT_IN, word)
    return None
