"""Message templates with merge fields such as {customer_first_name}."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from leadcartel_desktop.domain.errors import ValidationError

_FIELD = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def without_field(template: str, name: str) -> str:
    """The template with {name} left out, and the prompt leading to it ("Pay here: {name}").

    For a field with nothing to give (no payment link without a cloud account): filled with
    "", "You can pay it here: " would be left dangling. The prompt is the words just before
    the colon, back to the clause's start (a comma, a bracket, another field, the "=" of a
    WhatsApp variable): the rest of the sentence stays. Only the punctuation the removal
    leaves behind is tidied ("overdue, " at the end, "due.. Thanks"); the rest is as typed.
    """
    field = re.escape("{" + name + "}")
    text = re.sub(r"[^.!?\n:;,(){}=]*:[ \t]*" + field, _GAP, template)
    text = re.sub(r"[ \t]*" + field, _GAP, text)
    for pattern, replacement in _TIDY:
        text = pattern.sub(replacement, text)
    return text.replace(_GAP, "")


_GAP = "\x00"  # where the field was, until the punctuation around it is tidied
_TIDY = (
    # a line that held only the prompt and the field goes with them
    (re.compile(r"\n[ \t]*\x00+[ \t]*(?=\n)"), ""),
    # "is overdue, pay here: {f}" -> "is overdue"; "(x, pay: {f})" -> "(x)"
    (re.compile(r"[,;:]+[ \t]*(\x00+)(?=[ \t]*(?:$|[).!?]))", re.MULTILINE), r"\1"),
    # "is due. Pay online: {f}. Thanks" -> "is due. Thanks"
    (re.compile(r"([.!?])\x00+[ \t]*\."), r"\1"),
)


def fields_in(template: str) -> list[str]:
    return _FIELD.findall(template)


def check_template(template: str, known: Iterable[str], field: str = "Message") -> None:
    """Refuse a template naming a merge field we cannot fill."""
    allowed = set(known)
    unknown = [name for name in fields_in(template) if name not in allowed]
    if unknown:
        options = ", ".join("{" + name + "}" for name in sorted(allowed))
        raise ValidationError(field, f"unknown merge field {{{unknown[0]}}}; use {options}")


def render_template(template: str, values: Mapping[str, str]) -> str:
    """Fill every {field}; a field with no value becomes empty, other braces stay as typed."""
    return _FIELD.sub(lambda match: values.get(match.group(1), match.group(0)), template)
