"""A group definition as one SQL condition on `contacts AS c` (counts, members, audiences)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from leadcartel_desktop.domain.contact_groups import GroupDefinition, tag_key

_LIKE_ESCAPE = "\\"


def _like_text(value: str) -> str:
    """`value` matched literally inside a LIKE pattern (its % and _ escaped)."""
    return value.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2).replace("%", "\\%").replace("_", "\\_")


def tag_keys(tags: Iterable[str]) -> list[str]:
    """The distinct keys of `tags`, sorted, as contact_tags.tag_key holds them."""
    return sorted({tag_key(tag) for tag in tags})


def tags_condition(param: str) -> str:
    """SQL true for the contacts `c` with any tag whose key is in the JSON list `:param`.

    The (contact_id, tag_key) primary key answers it with one probe per key.
    """
    return (
        "EXISTS (SELECT 1 FROM contact_tags AS t WHERE t.contact_id = c.id "
        f"AND t.tag_key IN (SELECT value FROM json_each(:{param})))"
    )


def group_condition(definition: GroupDefinition, prefix: str = "g") -> tuple[str, dict[str, Any]]:
    """(SQL, named parameters) true for the contacts `c` the definition holds.

    Parameter names start with `prefix`, so several groups can share one statement. Tags
    compare by their stored key (Unicode case folding, see tag_key), so 'ÉLITE' finds 'élite';
    LIKE is case-blind for ASCII, and the exact filters use NOCASE.
    """
    terms: list[str] = []
    params: dict[str, Any] = {}
    if definition.any_tags:
        params[f"{prefix}_any"] = json.dumps(tag_keys(definition.any_tags), ensure_ascii=False)
        terms.append(tags_condition(f"{prefix}_any"))
    if definition.all_tags:
        keys = tag_keys(definition.all_tags)
        params[f"{prefix}_all"] = json.dumps(keys, ensure_ascii=False)
        params[f"{prefix}_all_n"] = len(keys)
        terms.append(
            "(SELECT count(*) FROM contact_tags AS t WHERE t.contact_id = c.id "
            f"AND t.tag_key IN (SELECT value FROM json_each(:{prefix}_all))) = :{prefix}_all_n"
        )
    if definition.company_contains:
        params[f"{prefix}_company"] = f"%{_like_text(definition.company_contains)}%"
        terms.append(f"c.company LIKE :{prefix}_company ESCAPE '\\'")
    if definition.email_domain:
        params[f"{prefix}_domain"] = f"%@{_like_text(definition.email_domain)}"
        terms.append(f"c.email LIKE :{prefix}_domain ESCAPE '\\'")
    if definition.city:
        params[f"{prefix}_city"] = definition.city
        terms.append(f"c.city = :{prefix}_city COLLATE NOCASE")
    if definition.country:
        params[f"{prefix}_country"] = definition.country
        terms.append(f"c.country = :{prefix}_country COLLATE NOCASE")
    if definition.has_phone is not None:
        terms.append("c.phone != ''" if definition.has_phone else "c.phone = ''")
    if definition.has_email is not None:
        terms.append("c.email != ''" if definition.has_email else "c.email = ''")
    return (" AND ".join(terms) or "1"), params
