"""Turn the database's refusals (the issued-invoice lock, unique numbers) into ConflictError."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from leadcartel_desktop.domain.errors import ConflictError

# The text of RAISE(ABORT, ...) in the lock triggers of migration 0001.
LOCKED_MESSAGE = "invoice is issued and locked"


@contextmanager
def database_refusals(
    invoice_label: Callable[[], str], number: str | None = None
) -> Iterator[None]:
    """Inside, a trigger or constraint refusal becomes a ConflictError naming the invoice."""
    try:
        yield
    except Exception as error:
        # Imported here: writes run on SQLAlchemy connections, so it is loaded by now, and
        # the read side (and the start-up) never load it.
        from sqlalchemy.exc import IntegrityError, OperationalError

        if not isinstance(error, IntegrityError | OperationalError):
            raise
        text = str(error.orig)
        if LOCKED_MESSAGE in text:
            raise ConflictError(
                f"{invoice_label()} is issued and locked: cancel it and issue a corrected one"
            ) from None
        if "invoices.number" in text or "invoices.manual_number" in text:
            raise ConflictError(
                f"Invoice number: {number} is already used by another invoice"
            ) from None
        if "payments.remote_id" in text:
            raise ConflictError("This payment is already recorded") from None
        raise
