"""Deleting a payment, from the Transactions tab or an invoice: one flow for both."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from leadcartel_desktop.domain.errors import CloudCopyError
from leadcartel_desktop.ui.forms import confirm, run_for

if TYPE_CHECKING:
    from leadcartel_desktop.domain.invoice import Invoice
    from leadcartel_desktop.ui.context import UiContext


def delete_payment(
    owner: QWidget,
    context: UiContext,
    payment_id: int,
    done: Callable[[Invoice], object],
    failed: Callable[[BaseException], object],
) -> None:
    """Delete off the GUI thread; a payment the cloud already holds is asked about once more.

    The operator has confirmed the deletion already; the second question only comes when the
    Lead Cartel account would keep the money (it has no call to take a payment out).
    """
    payments = context.services.payments

    def here_only() -> None:
        run_for(
            owner,
            context.tasks,
            lambda: payments.delete(payment_id, cloud_keeps_it=True),
            done,
            failed,
        )

    def refused(error: BaseException) -> None:
        if isinstance(error, CloudCopyError):
            confirm(
                owner, "Payment kept in Lead Cartel", error.message, here_only, "Delete here only"
            )
        else:
            failed(error)

    run_for(owner, context.tasks, lambda: payments.delete(payment_id), done, refused)
