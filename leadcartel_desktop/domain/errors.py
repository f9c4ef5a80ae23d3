"""Errors whose message is fit to show the operator."""

from __future__ import annotations


class UserFacingError(Exception):
    """An error the operator caused or can fix; its message is shown as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(UserFacingError):
    """Input that breaks a rule; `field` names the form field or input row at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.detail = message


class FormError(UserFacingError):
    """Several field errors found at once, so a form can mark every bad field together."""

    def __init__(self, errors: list[ValidationError]) -> None:
        super().__init__("; ".join(error.message for error in errors))
        self.errors = errors

    def for_field(self, field: str) -> str | None:
        for error in self.errors:
            if error.field == field:
                return error.detail
        return None


class NotFoundError(UserFacingError):
    """The thing asked for does not exist (or no longer does)."""


class ConflictError(UserFacingError):
    """The change clashes with what is stored (a duplicate number, a locked invoice)."""


class CloudCopyError(ConflictError):
    """The change would leave the cloud's copy different; the operator may still confirm it."""
