"""Contact tags and groups (smart lists): a saved definition by tags and field filters."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.text import check_no_control

TAG_LIMIT = 50
NAME_LIMIT = 100
FILTER_LIMIT = 200


def clean_tag(tag: str, field: str = "Tag") -> str:
    """A tag trimmed, inner spaces collapsed; refused when empty, too long or with control chars."""
    cleaned = " ".join(tag.split())
    if not cleaned:
        raise ValidationError(field, "is empty")
    if len(cleaned) > TAG_LIMIT:
        raise ValidationError(field, f"is longer than {TAG_LIMIT} characters")
    check_no_control(field, cleaned)
    return cleaned


def tag_key(tag: str) -> str:
    """What the spellings of one tag share: 'Élite', 'ÉLITE', a decomposed 'élite' are 'élite'.

    Unicode case folding between two NFKC passes (full-width letters, ligatures and decomposed
    accents count as their plain forms), spaces collapsed. Accents stay: 'año' is not 'ano'.
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", tag).casefold())
    return " ".join(folded.split())


def clean_tags(tags: Iterable[str], field: str = "Tags") -> frozenset[str]:
    """Tags cleaned, one spelling per tag whatever its case (the first one given)."""
    seen: dict[str, str] = {}
    for tag in tags:
        cleaned = clean_tag(tag, field)
        seen.setdefault(tag_key(cleaned), cleaned)
    return frozenset(seen.values())


@dataclass(frozen=True, slots=True)
class GroupDefinition:
    """Contacts with any of `any_tags` (when given), all of `all_tags`, and every filter set.

    Empty filters do not filter: an empty definition is every contact. Text filters compare
    without case; `email_domain` matches the part after the @ exactly.
    """

    any_tags: frozenset[str] = frozenset()
    all_tags: frozenset[str] = frozenset()
    company_contains: str = ""
    email_domain: str = ""
    city: str = ""
    country: str = ""
    has_phone: bool | None = None  # None: either
    has_email: bool | None = None

    def cleaned(self) -> GroupDefinition:
        texts = {}
        for label, name in (
            ("Company contains", "company_contains"),
            ("Email domain", "email_domain"),
            ("City", "city"),
            ("Country", "country"),
        ):
            value = " ".join(str(getattr(self, name)).split())
            if len(value) > FILTER_LIMIT:
                raise ValidationError(label, f"is longer than {FILTER_LIMIT} characters")
            check_no_control(label, value)
            texts[name] = value
        domain = texts["email_domain"].removeprefix("@")
        if " " in domain or "@" in domain:
            raise ValidationError("Email domain", f"'{domain}' is not a domain such as example.com")
        return GroupDefinition(
            any_tags=clean_tags(self.any_tags, "Any of the tags"),
            all_tags=clean_tags(self.all_tags, "All of the tags"),
            company_contains=texts["company_contains"],
            email_domain=domain,
            city=texts["city"],
            country=texts["country"],
            has_phone=self.has_phone,
            has_email=self.has_email,
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "any_tags": sorted(self.any_tags),
            "all_tags": sorted(self.all_tags),
            "company_contains": self.company_contains,
            "email_domain": self.email_domain,
            "city": self.city,
            "country": self.country,
            "has_phone": self.has_phone,
            "has_email": self.has_email,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> GroupDefinition:
        def flag(name: str) -> bool | None:
            value = data.get(name)
            return None if value is None else bool(value)

        return cls(
            any_tags=frozenset(str(tag) for tag in data.get("any_tags", ())),
            all_tags=frozenset(str(tag) for tag in data.get("all_tags", ())),
            company_contains=str(data.get("company_contains", "")),
            email_domain=str(data.get("email_domain", "")),
            city=str(data.get("city", "")),
            country=str(data.get("country", "")),
            has_phone=flag("has_phone"),
            has_email=flag("has_email"),
        )


def clean_group_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationError("Group name", "is required")
    if len(cleaned) > NAME_LIMIT:
        raise ValidationError("Group name", f"is longer than {NAME_LIMIT} characters")
    check_no_control("Group name", cleaned)
    return cleaned
