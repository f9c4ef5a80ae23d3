"""Build FTS5 MATCH expressions from what the operator types, safe against query syntax."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

# Runs of letters and digits: the unicode61 tokenizer splits on everything else, so quotes,
# stars, parentheses, colons and carets never reach the MATCH expression.
_WORD = re.compile(r"[^\W_]+")
MAX_TERMS = 8


def query_words(text: str) -> list[str]:
    """The words of `text` as the index sees them; digit groups typed apart join up.

    '+65 9123-4567' is one phone number, so it becomes the single word '6591234567' (the
    index holds every digit suffix of a phone as a token).
    """
    words: list[str] = []
    for word in _WORD.findall(unicodedata.normalize("NFKC", text)):
        if word.isdigit() and words and words[-1].isdigit():
            words[-1] += word
        else:
            words.append(word)
    return words[:MAX_TERMS]


def prefix_query(text: str) -> str | None:
    """'jane do' -> '"jane"* "do"*' (every word a quoted prefix, all required); None if empty.

    Quoting makes AND, OR, NOT and NEAR plain words.
    """
    words = query_words(text)
    if not words:
        return None
    return " ".join(f'"{word}"*' for word in words)


def prefix_range(text: str) -> tuple[str, str] | None:
    """Bounds so that `low <= column < high` (NOCASE) is 'column starts with text'.

    Uses the index on the column, where LIKE 'text%' would not.
    """
    prefix = text.strip().lower()
    if not prefix:
        return None
    last = ord(prefix[-1])
    if last >= 0x10FFFF:
        return None
    return prefix, prefix[:-1] + chr(last + 1)


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Case- and accent-insensitive form, as the index's remove_diacritics tokenizer compares.

    Cached: the type-ahead folds every candidate's name on each keystroke, and names repeat.
    """
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=8192)
def _folded_words(field: str) -> tuple[str, ...]:
    return tuple(fold(word) for word in _WORD.findall(field))


def _starts_words(field: str, words: list[str]) -> bool:
    field_words = _folded_words(field)
    return all(any(have.startswith(word) for have in field_words) for word in words)


def suggestion_order(row: Any, words: list[str]) -> tuple[int, str, int]:
    """Sort key of a type-ahead hit: name matches, then company, then the rest; then by name.

    `row` is (id, display_name, email, phone, company, first_name, last_name).
    """
    row_id, display_name, _email, _phone, company, first_name, last_name = row
    if _starts_words(f"{first_name} {last_name}", words):
        tier = 0
    elif _starts_words(company, words):
        tier = 1
    else:
        tier = 2
    return tier, fold(display_name), row_id
