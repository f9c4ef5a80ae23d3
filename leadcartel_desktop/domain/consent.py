"""Consent keywords: a reply that is only STOP (or a synonym) opts out; START opts back in."""

from __future__ import annotations

import re
import unicodedata
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


# Twilio's default opt-out keywords (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, plus REVOKE
# and OPTOUT); "STOP ALL" and "OPT OUT" are the same words typed with a space.
OPT_OUT_WORDS = frozenset(
    {
        "STOP",
        "STOPALL",
        "STOP ALL",
        "UNSUBSCRIBE",
        "CANCEL",
        "END",
        "QUIT",
        "REVOKE",
        "OPT OUT",
        "OPTOUT",
    }
)
OPT_IN_WORDS = frozenset({"START", "UNSTOP"})

# Punctuation around the word is ignored ("STOP." and "Stop!" opt out): someone who writes it
# means it, and honouring an opt-out is the safe side. Inside, runs of spaces or a hyphen
# (or any dash, _DASHES) between OPT and OUT count as one space. Phones' smart punctuation
# sends typographic quotes (“STOP”, ‘stop’), other languages their own («STOP», „STOP“,
# 「STOP」, ¡STOP!): all read as the straight quotes do.
_QUOTES = (
    "\u2018\u2019\u201a\u201b"  # single quotes: ‘ ’ ‚ ‛
    "\u201c\u201d\u201e\u201f"  # double quotes: “ ” „ ‟
    "\u00ab\u00bb\u2039\u203a"  # guillemets: « » ‹ ›
    "\u300c\u300d\u300e\u300f\u301d\u301e\u301f"  # CJK corner brackets and quotes
    "\u2032\u2033\u275b\u275c\u275d\u275e"  # primes and ornament quotes
)
# Smart punctuation and other keyboards send a hyphen as one of these ("OPT" U+2011 "OUT",
# "opt" en dash "out"): all read as '-'. NFKC alone would fold only a few of them.
_DASHES = (
    "\u2010\u2011\u2012\u2013\u2014\u2015"  # hyphen, non-breaking hyphen, figure, en, em, bar
    "\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"  # minus sign, two- and three-em, small em, full-width
)
_EDGES = ".,!?;:'\"`()[]{}*~-_ \t\r\n\u00a0\u3002\u3001\u00a1\u00bf" + _DASHES + _QUOTES
_INNER = re.compile(rf"[\s\-_{_DASHES}]+")


def consent_change(body: str) -> ConsentChange | None:
    """The change `body` asks for when the whole message is a keyword; None otherwise.

    "please stop by tomorrow" is not an opt-out: the keyword must be the whole message. The
    text is read as it looks: NFKC folds full-width letters (ＳＴＯＰ, typed on CJK keyboards) to
    ASCII, and invisible format characters (a zero-width space some phones append, a
    byte-order mark, direction marks) are dropped.
    """
    word = _INNER.sub(" ", _visible(body)).strip(_EDGES).upper()
    if word in OPT_OUT_WORDS:
        return ConsentChange(ConsentAction.OPT_OUT, word)
    if word in OPT_IN_WORDS:
        return ConsentChange(ConsentAction.OPT_IN, word)
    return None


def reply_consent(body: str, subject: str = "", *, email: bool = False) -> ConsentChange | None:
    """The change a reply asks for: its whole body, or for an email its subject or first line.

    An email may say it in its subject (the List-Unsubscribe mailto link sends "unsubscribe"
    with an empty body) or alone on its first line, above the quoted campaign.
    """
    change = consent_change(body)
    if change is None and email:
        first = body.replace("\r\n", "\n").strip().split("\n\n", 1)[0]
        change = consent_change(subject) or consent_change(first)
    return change


def _visible(body: str) -> str:
    """`body` without format characters (category Cf: U+200B-U+200F, U+2060, U+FEFF...), NFKC."""
    if body.isascii():
        return body
    shown = "".join(char for char in body if unicodedata.category(char) != "Cf")
    return unicodedata.normalize("NFKC", shown)
