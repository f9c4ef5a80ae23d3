"""Invoice number formats such as 'INV-{YYYY}-{SEQ:4}', and which counter series they use."""

from __future__ import annotations

import re
from datetime import date

from leadcartel_desktop.domain.errors import ValidationError

_TOKEN = re.compile(r"\{([^{}]*)\}")
_SEQ = re.compile(r"SEQ(?::(\d{1,2}))?")
_DATE_TOKENS = {"YYYY", "YY", "MM"}
DEFAULT_NUMBER_FORMAT = "INV-{YYYY}-{SEQ:4}"


def validate_number_format(number_format: str) -> str:
    """Return the format if it has exactly one {SEQ} and only known tokens."""
    tokens = _TOKEN.findall(number_format)
    sequences = [token for token in tokens if _SEQ.fullmatch(token)]
    unknown = [token for token in tokens if token not in _DATE_TOKENS and not _SEQ.fullmatch(token)]
    if unknown:
        raise ValidationError(
            "Invoice number format",
            f"unknown token {{{unknown[0]}}}; use {{YYYY}}, {{YY}}, {{MM}}, {{SEQ}} or {{SEQ:4}}",
        )
    if len(sequences) != 1:
        raise ValidationError("Invoice number format", "needs exactly one {SEQ} or {SEQ:n} token")
    return number_format


def series_key(number_format: str, issue_date: date) -> str:
    """Counter identity: a format that shows the year restarts its sequence every year."""
    tokens = set(_TOKEN.findall(number_format))
    if tokens & {"YYYY", "YY"}:
        return f"{number_format}@{issue_date.year}"
    return number_format


def render_number(number_format: str, issue_date: date, sequence: int) -> str:
    def replace(match: re.Match[str]) -> str:
        token = match.group(1)
        if token == "YYYY":
            return f"{issue_date.year:04d}"
        if token == "YY":
            return f"{issue_date.year % 100:02d}"
        if token == "MM":
            return f"{issue_date.month:02d}"
        seq = _SEQ.fullmatch(token)
        assert seq is not None
        width = int(seq.group(1) or 1)
        return f"{sequence:0{width}d}"

    return _TOKEN.sub(replace, validate_number_format(number_format))


def normalize_manual_number(text: str) -> str:
    number = text.strip()
    if not number:
        raise ValidationError("Invoice number", "is required")
    if len(number) > 40:
        raise ValidationError("Invoice number", "is longer than 40 characters")
    return number
