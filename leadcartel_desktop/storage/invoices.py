"""Invoices in SQLite: drafts, issuing, status and payments; the database enforces the lock."""

from __future__ import annotations

import functools
from contextlib import AbstractContextManager
from datetime import datetime

from leadcartel_desktop.domain.business import Seller
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.errors import NotFoundError
from leadcartel_desktop.domain.invoice import Invoice, InvoiceContent, Payment
from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.domain.totals import InvoiceTotals
from leadcartel_desktop.storage.conflicts import database_refusals
from leadcartel_desktop.storage.convert import date_text, instant_text
from leadcartel_desktop.storage.invoice_mapping import (
    CONTENT_COLUMNS,
    INVOICE_COLUMNS,
    LINE_COLUMNS,
    PAYMENT_COLUMNS,
    content_params,
    invoice_from_rows,
    line_params,
)
from leadcartel_desktop.storage.snapshots import buyer_json, seller_json
from leadcartel_desktop.storage.sql import Statements

_INSERT_LINE = (
    "INSERT INTO invoice_lines (invoice_id, position, description, quantity, unit, "
    "unit_price, taxes) VALUES (:invoice_id, :position, :description, :quantity, :unit, "
    ":unit_price, :taxes)"
)
_UPDATE_CONTENT = "UPDATE invoices SET {}, balance = :total - paid WHERE id = :id".format(
    ", ".join(f"{column} = :{column}" for column in CONTENT_COLUMNS)
)


class SqlInvoiceRepository:
    def __init__(self, sql: Statements) -> None:
        self._sql = sql

    def _label(self, invoice_id: int) -> str:
        number = self._sql.scalar("SELECT number FROM invoices WHERE id = ?", (invoice_id,))
        return f"Invoice {number}" if number else f"Invoice #{invoice_id}"

    def _refusals(self, invoice_id: int, number: str | None = None) -> AbstractContextManager[None]:
        """Lock and duplicate-number refusals from the database, as ConflictError."""
        return database_refusals(functools.partial(self._label, invoice_id), number)

    def _must_exist(self, invoice_id: int, rowcount: int) -> None:
        if rowcount == 0:
            raise NotFoundError(f"Invoice {invoice_id} was not found")

    def add(self, content: InvoiceContent, totals: InvoiceTotals, now: datetime) -> int:
        params = {
            **content_params(content, totals),
            "balance": totals.total,
            "created_at": instant_text(now),
        }
        columns = ", ".join(params)
        values = ", ".join(f":{name}" for name in params)
        invoice_id = int(
            self._sql.scalar(
                f"INSERT INTO invoices ({columns}) VALUES ({values}) RETURNING id", params
            )
        )
        self._sql.many(_INSERT_LINE, line_params(invoice_id, content.lines))
        return invoice_id

    def replace_content(
        self, invoice_id: int, content: InvoiceContent, totals: InvoiceTotals
    ) -> None:
        with self._refusals(invoice_id):
            result = self._sql.run(
                _UPDATE_CONTENT, {**content_params(content, totals), "id": invoice_id}
            )
            self._must_exist(invoice_id, result.rowcount)
            self._sql.run("DELETE FROM invoice_lines WHERE invoice_id = ?", (invoice_id,))
            self._sql.many(_INSERT_LINE, line_params(invoice_id, content.lines))

    def get(self, invoice_id: int) -> Invoice:
        row = self._sql.run(
            f"SELECT {INVOICE_COLUMNS} FROM invoices WHERE id = ?", (invoice_id,)
        ).first()
        if row is None:
            raise NotFoundError(f"Invoice {invoice_id} was not found")
        lines = self._sql.run(
            f"SELECT {LINE_COLUMNS} FROM invoice_lines WHERE invoice_id = ? ORDER BY position",
            (invoice_id,),
        )
        payments = self._sql.run(
            f"SELECT {PAYMENT_COLUMNS} FROM payments WHERE invoice_id = ? ORDER BY paid_on, id",
            (invoice_id,),
        )
        return invoice_from_rows(row, lines, payments)

    def id_for_number(self, number: str) -> int | None:
        found = self._sql.scalar(
            "SELECT id FROM invoices WHERE number = :n UNION ALL "
            "SELECT id FROM invoices WHERE manual_number = :n LIMIT 1",
            {"n": number.strip()},
        )
        return None if found is None else int(found)

    def set_manual_number(self, invoice_id: int, number: str | None) -> None:
        with self._refusals(invoice_id, number):
            result = self._sql.run(
                "UPDATE invoices SET manual_number = ? WHERE id = ?", (number, invoice_id)
            )
        self._must_exist(invoice_id, result.rowcount)

    def delete(self, invoice_id: int) -> None:
        with self._refusals(invoice_id):
            result = self._sql.run("DELETE FROM invoices WHERE id = ?", (invoice_id,))
        self._must_exist(invoice_id, result.rowcount)

    def mark_issued(
        self,
        invoice_id: int,
        number: str,
        status: InvoiceStatus,
        now: datetime,
        *,
        seller: Seller | None = None,
        buyer: Contact | None = None,
    ) -> None:
        with self._refusals(invoice_id, number):
            result = self._sql.run(
                "UPDATE invoices SET number = ?, status = ?, issued_at = ?, seller_snapshot = ?, "
                "buyer_snapshot = ? WHERE id = ?",
                (
                    number,
                    status.value,
                    instant_text(now),
                    seller_json(seller),
                    buyer_json(buyer),
                    invoice_id,
                ),
            )
        self._must_exist(invoice_id, result.rowcount)

    def set_status(self, invoice_id: int, status: InvoiceStatus, cancel_reason: str = "") -> None:
        with self._refusals(invoice_id):
            result = self._sql.run(
                "UPDATE invoices SET status = :status, cancel_reason = :reason, "
                "viewed = max(viewed, :status = 'viewed') WHERE id = :id",
                {"status": status.value, "reason": cancel_reason, "id": invoice_id},
            )
        self._must_exist(invoice_id, result.rowcount)

    def add_payment(self, invoice_id: int, payment: Payment) -> int:
        with self._refusals(invoice_id):
            return int(
                self._sql.scalar(
                    "INSERT INTO payments (invoice_id, amount, paid_on, method, reference, "
                    "remote_id) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                    (
                        invoice_id,
                        payment.amount,
                        date_text(payment.paid_on),
                        payment.method.value,
                        payment.reference,
                        payment.remote_id,
                    ),
                )
            )

    def delete_payment(self, payment_id: int) -> int:
        invoice_id = self._sql.scalar(
            "DELETE FROM payments WHERE id = ? RETURNING invoice_id", (payment_id,)
        )
        if invoice_id is None:
            raise NotFoundError(f"Payment {payment_id} was not found")
        return int(invoice_id)

    def set_paid(self, invoice_id: int, paid: int, status: InvoiceStatus) -> None:
        with self._refusals(invoice_id):
            result = self._sql.run(
                "UPDATE invoices SET paid = ?, balance = total - ?, status = ? WHERE id = ?",
                (paid, paid, status.value, invoice_id),
            )
        self._must_exist(invoice_id, result.rowcount)
