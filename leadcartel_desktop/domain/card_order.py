"""Where a card goes in its column: integer positions with gaps, renumbered when one runs out."""

from __future__ import annotations

from collections.abc import Sequence

GAP = 1024


def position_after(last: int | None) -> int:
    """The position of a card added at the end of a column whose last card is at `last`."""
    return GAP if last is None else last + GAP


def position_between(before: int | None, after: int | None) -> int | None:
    """A position strictly between two neighbours (None = column edge); None if no gap is left."""
    if before is None and after is None:
        return GAP
    if after is None:
        assert before is not None
        return before + GAP
    low = 0 if before is None else before
    if after - low < 2:
        return None
    return low + (after - low) // 2


def renumbered(ids: Sequence[int]) -> list[tuple[int, int]]:
    """(id, position) for a column laid out again, GAP apart, in the order given."""
    return [(card_id, GAP * (index + 1)) for index, card_id in enumerate(ids)]
