"""JSON for provider APIs: Decimals go out as JSON numbers and come back as Decimals."""

from __future__ import annotations

import json
import re
import uuid
from decimal import Decimal
from typing import Any


def dumps(data: Any) -> bytes:
    """UTF-8 JSON; a Decimal is written with its exact digits ('12.50', '-3', '0.125')."""
    token = uuid.uuid4().hex  # a marker no real text contains

    def number(value: object) -> str:
        if isinstance(value, Decimal):
            if not value.is_finite():
                raise ValueError(f"{value} is not a JSON number")
            return f"{token}{value:f}{token}"
        raise TypeError(f"{type(value).__name__} is not JSON serialisable")

    text = json.dumps(data, default=number, ensure_ascii=False, separators=(",", ":"))
    return re.sub(f'"{token}(-?[0-9]+(?:\\.[0-9]+)?){token}"', r"\1", text).encode("utf-8")


def loads(body: bytes | str) -> Any:
    """Parse JSON with every fractional number as a Decimal."""
    return json.loads(body, parse_float=Decimal)
