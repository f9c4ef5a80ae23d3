"""Customers in SQLite, with type-ahead over the FTS5 index the triggers keep in step."""

from __future__ import annotations

from typing import Any

from leadcartel_desktop.domain.contact import Address, Contact
from leadcartel_desktop.domain.errors import NotFoundError
from leadcartel_desktop.services.views import ContactSuggestion
from leadcartel_desktop.storage.fts import fold, prefix_query, query_words, suggestion_order
from leadcartel_desktop.storage.sql import Statements

CANDIDATE_FACTOR = 4
MIN_CANDIDATES = 50
_COLUMNS = (
    "id, first_name, last_name, email, phone, company, street, city, region, postal_code, country"
)


def _params(contact: Contact) -> dict[str, Any]:
    return {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "email": contact.email,
        "phone": contact.phone,
        "company": contact.company,
        "street": contact.address.street,
        "city": contact.address.city,
        "region": contact.address.region,
        "postal_code": contact.address.postal_code,
        "country": contact.address.country,
    }


def _contact(row: Any) -> Contact:
    return Contact(
        first_name=row.first_name,
        last_name=row.last_name,
        email=row.email,
        phone=row.phone,
        company=row.company,
        address=Address(row.street, row.city, row.region, row.postal_code, row.country),
        id=row.id,
    )


class SqlContactRepository:
    def __init__(self, sql: Statements) -> None:
        self._sql = sql

    def add(self, contact: Contact) -> int:
        params = _params(contact)
        columns = ", ".join(params)
        values = ", ".join(f":{name}" for name in params)
        return int(
            self._sql.scalar(
                f"INSERT INTO contacts ({columns}) VALUES ({values}) RETURNING id", params
            )
        )

    def update(self, contact: Contact) -> None:
        if contact.id is None:
            raise ValueError("update needs a stored contact")
        params = _params(contact)
        assignments = ", ".join(f"{name} = :{name}" for name in params)
        result = self._sql.run(
            f"UPDATE contacts SET {assignments} WHERE id = :id", {**params, "id": contact.id}
        )
        if result.rowcount == 0:
            raise NotFoundError(f"Contact {contact.id} was not found")

    def get(self, contact_id: int) -> Contact:
        row = self._sql.run(f"SELECT {_COLUMNS} FROM contacts WHERE id = ?", (contact_id,)).first()
        if row is None:
            raise NotFoundError(f"Contact {contact_id} was not found")
        return _contact(row)

    def find_by_email(self, email: str) -> Contact | None:
        if not email:
            return None
        row = self._sql.run(
            f"SELECT {_COLUMNS} FROM contacts WHERE email = ? ORDER BY id LIMIT 1", (email,)
        ).first()
        return None if row is None else _contact(row)

    def search(self, text: str, limit: int) -> list[ContactSuggestion]:
        """Every typed word as a prefix (name, email, phone digits, company).

        Name matches come first, then company, then email or phone; alphabetical within.
        The index is asked for a bounded set of candidates in its own order and they are
        ranked here: FTS5's bm25 `rank` scores every match before it can return the best,
        which on a broad prefix ('j', 'gmail') costs far more than a type-ahead may take.
        """
        match = prefix_query(text)
        if match is None or limit <= 0:
            return []
        rows = self._sql.tuples(
            "SELECT c.id, c.display_name, c.email, c.phone, c.company, c.first_name, "
            "c.last_name FROM contacts_fts JOIN contacts AS c ON c.id = contacts_fts.rowid "
            "WHERE contacts_fts MATCH ? LIMIT ?",
            (match, max(limit * CANDIDATE_FACTOR, MIN_CANDIDATES)),
        )
        words = [fold(word) for word in query_words(text)]
        ranked = sorted(rows, key=lambda row: suggestion_order(row, words))
        return [ContactSuggestion(*row[:5]) for row in ranked[:limit]]

    def count(self) -> int:
        return int(self._sql.scalar("SELECT count(*) FROM contacts"))
