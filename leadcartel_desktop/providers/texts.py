"""The plain-language texts for the three failures operators meet most, and secret redaction."""

from __future__ import annotations

from collections.abc import Iterable


def sentence(text: str) -> str:
    """`text` with its first letter capitalised ("the SMTP server refused" starts a sentence)."""
    return text[:1].upper() + text[1:]


# The parts of a send's outcome that speak of the message; a Test (a read) drops them.
WILL_RETRY = " Nothing was sent; it will be tried again."
MAYBE_KEPT = ": it may or may not have it. It is checked before any resend."


def no_network(provider: str, host: str, detail: str = "") -> str:
    why = f" ({detail})" if detail else ""
    return (
        f"Cannot reach {provider} at {host}{why}: there seems to be no network connection, "
        "or the server is not running." + WILL_RETRY
    )


def without_message(text: str) -> str:
    """A send's outcome told of a request that carried no message (Test, a status read)."""
    return text.replace(MAYBE_KEPT, ".").replace(WILL_RETRY, "")


def wrong_credentials(provider: str, what: str) -> str:
    return sentence(
        f"{provider} refused the credentials: check the {what} in Settings > Providers."
    )


def tls_untrusted(provider: str, host: str) -> str:
    return (
        f"The server's certificate is not trusted, so nothing was sent to {provider} at {host}. "
        "Someone may be intercepting the connection, or the server is misconfigured."
    )


TLS_HINT = (
    "If this is your own test server, add its certificate authority in Settings > Providers; "
    "never turn certificate checks off."
)
CREDENTIALS_HINT = (
    "Re-enter the secret in Settings > Providers (it is kept in the system keychain)."
)


def redact(text: str, secrets: Iterable[str]) -> str:
    """Replace every secret (4+ characters) in `text` with ***."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text
