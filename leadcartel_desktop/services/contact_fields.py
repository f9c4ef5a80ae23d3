"""Normalise a contact's email (email-validator) and phone (phonenumbers, E.164) for storage."""

from __future__ import annotations

from leadcartel_desktop.domain.errors import ValidationError

# phonenumbers and email-validator (~80 ms of imports) load with the first contact saved, not
# while the app starts.


def normalize_email(text: str) -> str:
    """The address in canonical form, or '' when blank; no DNS look-ups (works offline)."""
    address = text.strip()
    if not address:
        return ""
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise ValidationError("Email", str(error)) from None


def normalize_phone(text: str, default_country: str) -> str:
    """E.164 ('+6591234567'), or '' when blank; a number that cannot be placed is refused."""
    raw = text.strip()
    if not raw:
        return ""
    import phonenumbers

    region = default_country.strip().upper() or None
    if not raw.startswith("+") and region is None:
        raise ValidationError("Phone", "add the country code (+...) or set a default country")
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise ValidationError("Phone", f"'{raw}' is not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError("Phone", f"'{raw}' is not a valid number for its country")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def preload_phone_formatting() -> None:
    """Import phonenumbers now (from a worker), so format_phone is quick on the GUI thread."""
    import phonenumbers  # noqa: F401


def format_phone(e164: str) -> str:
    """'+48698765432' -> '+48 698 765 432' (international format); anything else as stored."""
    if not e164.startswith("+"):
        return e164
    import phonenumbers

    try:
        parsed = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return e164
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL))
