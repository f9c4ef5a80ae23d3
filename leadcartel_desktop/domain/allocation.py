"""Split an integer amount over weights so the parts add up exactly (largest remainders)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal


def allocate(total: int, weights: Sequence[int], tie_keys: Sequence[str]) -> list[int]:
    """Parts of `total` proportional to `weights`, summing to `total` exactly.

    Each part is first truncated toward zero; the units still missing go, one each, to the
    parts with the largest remainders (ties broken by `tie_keys`, never by position), so the
    result does not depend on the order of the inputs and negating the inputs negates it.
    """
    weight_sum = sum(weights)
    if weight_sum == 0:
        if total != 0:
            raise ValueError("cannot allocate a non-zero total over zero weights")
        return [0] * len(weights)
    exact = [Decimal(total) * weight / weight_sum for weight in weights]
    parts = [int(share) for share in exact]  # int() truncates toward zero
    missing = total - sum(parts)
    step = 1 if missing > 0 else -1
    order = sorted(
        range(len(weights)),
        key=lambda index: (-abs(exact[index] - parts[index]), tie_keys[index]),
    )
    for index in order[: abs(missing)]:
        parts[index] += step
    return parts
