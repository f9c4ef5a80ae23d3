"""Tax rates as attached to invoice lines."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from leadcartel_desktop.domain.errors import ValidationError


@dataclass(frozen=True, slots=True)
class TaxRate:
    """A named percentage; a compound rate is charged on the net plus the line's simple taxes."""

    name: str
    percent: Decimal
    compound: bool = False

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValidationError("Tax name", "is required")
        if self.percent < 0 or self.percent > 100:
            raise ValidationError("Tax rate", f"{self.name}: percent must be between 0 and 100")

    @property
    def fraction(self) -> Decimal:
        return self.percent / 100

    @property
    def key(self) -> str:
        """Identity used to group and order taxes, independent of line order."""
        return f"{int(self.compound)}|{self.name}|{self.percent.normalize()}"

    @property
    def label(self) -> str:
        return f"{self.name} {self.percent.normalize():f}%"
