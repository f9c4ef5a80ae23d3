"""Email over SMTP: STARTTLS (587) or implicit TLS (465), certificates verified, AUTH, one attempt.

SMTP offers no way to ask a server whether it kept a message. A send is ambiguous only when
the connection drops (or the answer times out) after the whole message went out with DATA;
`reconcile` then answers AMBIGUOUS every time, so the row stays unknown until the operator
decides (look in the mailbox's Sent folder or ask the customer, then mark it sent or resend).
The Message-ID names the row (see email_message.message_id), so a copy is recognisable.
"""

from __future__ import annotations

import contextlib
import functools
import smtplib
import socket
import ssl
from collections.abc import Collection
from datetime import UTC, datetime

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.outbox import OutboxMessage, OutcomeKind, SendOutcome
from leadcartel_desktop.domain.providers import SmtpSecurity, SmtpSettings
from leadcartel_desktop.providers.email_message import SMTP_UTF8_POLICY, PayloadError, build_email
from leadcartel_desktop.providers.http import as_user_error
from leadcartel_desktop.providers.texts import (
    CREDENTIALS_HINT,
    TLS_HINT,
    WILL_RETRY,
    no_network,
    redact,
    tls_untrusted,
    wrong_credentials,
)
from leadcartel_desktop.services.ports import Clock

PROVIDER = "the SMTP server"
CREDENTIALS = "SMTP user name and password"
UNKNOWN_AFTER_DATA = (
    "The connection to the SMTP server ended after the email was sent but before the server "
    "confirmed it. SMTP cannot be asked whether it kept it: look in the mailbox's Sent folder "
    "or ask the customer, then mark it sent or send it again."
)


@functools.cache
def _local_name() -> str:
    return socket.getfqdn()  # asked once: it may go to DNS


class _FailureError(Exception):
    def __init__(self, outcome: SendOutcome) -> None:
        super().__init__(outcome.message)
        self.outcome = outcome


class SmtpProvider:
    def __init__(
        self,
        settings: SmtpSettings,
        password: str,
        *,
        ca_bundle: str = "",
        timeout: float = 30.0,
        clock: Clock | None = None,
    ) -> None:
        self.settings = settings
        self.ca_bundle = ca_bundle
        self.timeout = timeout
        self.clock = clock
        self._password = password
        self._where = f"{settings.host}:{settings.port}"

    def _context(self) -> ssl.SSLContext:
        """Certificates verified and the host name checked; the sandbox's CA when configured."""
        try:
            return ssl.create_default_context(cafile=self.ca_bundle or None)
        except (OSError, ssl.SSLError) as error:
            text = f"The certificate file {self.ca_bundle} could not be read ({error})."
            hint = "Correct the CA bundle path in Settings > Providers."
            raise _FailureError(SendOutcome.permanent("config", text, hint)) from None

    def _tls_failure(self, error: ssl.SSLError) -> _FailureError:
        if isinstance(error, ssl.SSLCertVerificationError):
            return _FailureError(
                SendOutcome.permanent("tls", tls_untrusted(PROVIDER, self._where), TLS_HINT)
            )
        text = (
            f"The secure connection to {self._where} failed; nothing was sent (tried again later)."
        )
        return _FailureError(SendOutcome.retry(text))

    def _no_starttls(self) -> SendOutcome:
        return SendOutcome.permanent(
            "starttls",
            f"The SMTP server {self._where} does not offer STARTTLS, so the password and the "
            "email would travel unencrypted; nothing was sent.",
            "Choose TLS (port 465) if the server offers it, or another SMTP server.",
        )

    def _open(self) -> smtplib.SMTP:
        """Connected, encrypted and signed in; raises _FailureError with the outcome otherwise."""
        host, port, context = self.settings.host, self.settings.port, self._context()
        implicit = self.settings.security is SmtpSecurity.TLS
        try:
            if implicit:
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    host, port, _local_name(), timeout=self.timeout, context=context
                )
            else:
                smtp = smtplib.SMTP(host, port, _local_name(), timeout=self.timeout)
        except ssl.SSLError as error:
            raise self._tls_failure(error) from None
        except smtplib.SMTPConnectError as error:
            raise _FailureError(
                SendOutcome.retry(no_network(PROVIDER, self._where, _said(error)))
            ) from None
        except smtplib.SMTPServerDisconnected:  # connected, but no greeting came
            text = (
                f"The server at {self._where} accepted the connection but did not answer within "
                f"{self.timeout:g} s: is it an SMTP server? Check the host, port and security in "
                "Settings > Providers." + WILL_RETRY
            )
            raise _FailureError(SendOutcome.retry(text)) from None
        except (OSError, smtplib.SMTPException) as error:
            outcome = SendOutcome.retry(no_network(PROVIDER, self._where, _why(error)))
            raise _FailureError(outcome) from None
        try:
            smtp.ehlo()
            if not implicit:
                if not smtp.has_extn("starttls"):
                    raise _FailureError(self._no_starttls())
                smtp.starttls(context=context)
                smtp.ehlo()
            if self.settings.username:
                smtp.login(self.settings.username, self._password)
        except _FailureError:
            smtp.close()
            raise
        except ssl.SSLError as error:
            smtp.close()
            raise self._tls_failure(error) from None
        except smtplib.SMTPAuthenticationError:
            smtp.close()
            text = wrong_credentials(PROVIDER, CREDENTIALS)
            raise _FailureError(
                SendOutcome.refused_credentials("535", text, CREDENTIALS_HINT)
            ) from None
        except smtplib.SMTPNotSupportedError:
            smtp.close()
            text = f"The SMTP server {self._where} does not offer signing in (AUTH)."
            raise _FailureError(
                SendOutcome.permanent("auth", text, "Check the host and port.")
            ) from None
        except smtplib.SMTPResponseException as error:
            smtp.close()
            raise _FailureError(
                self._reply(error.smtp_code, error.smtp_error, "connection")
            ) from None
        except (OSError, smtplib.SMTPException):
            smtp.close()
            raise _FailureError(
                SendOutcome.retry(no_network(PROVIDER, self._where, "connection dropped"))
            ) from None
        return smtp

    def _reply(self, code: int, reply: bytes | str, what: str) -> SendOutcome:
        said = redact(_text(reply), [self._password])
        if 400 <= code < 500:
            return SendOutcome.retry(
                f"The SMTP server put off the {what} ({code} {said}); nothing was kept. "
                "It will be tried again."
            )
        if code in (530, 535):  # the account, not this message: the channel waits for a fix
            asked = "requires signing in" if code == 530 else "refused the sign-in"
            text = f"The SMTP server {asked} ({code} {said})."
            return SendOutcome.refused_credentials(str(code), text, CREDENTIALS_HINT)
        hint = "Check the customer's email address." if what == "recipient" else ""
        return SendOutcome.permanent(
            str(code), f"The SMTP server refused the {what} ({code} {said}).", hint
        )

    # MessageProvider ----------------------------------------------------------------------
    def send(self, message: OutboxMessage) -> SendOutcome:
        now = self.clock.now() if self.clock is not None else datetime.now(UTC)
        try:
            email = build_email(message, self.settings, now)
        except PayloadError as error:
            return SendOutcome.permanent("payload", f"The email could not be built: {error}.")
        try:
            smtp = self._open()
        except _FailureError as failure:
            return failure.outcome
        utf8 = email.policy is SMTP_UTF8_POLICY
        outcome, answered = self._transfer(smtp, email.as_bytes(), message.recipient, utf8)
        if answered:  # the server's last reply was read: say goodbye properly
            with contextlib.suppress(OSError, smtplib.SMTPException):
                smtp.quit()
        smtp.close()
        if outcome.kind is OutcomeKind.ACCEPTED:
            return SendOutcome.accepted(str(email["Message-ID"]), outcome.provider_status)
        return outcome

    def _transfer(
        self, smtp: smtplib.SMTP, data: bytes, recipient: str, utf8: bool
    ) -> tuple[SendOutcome, bool]:
        """The outcome, and whether the connection is still in step for a QUIT."""
        options: list[str] = []
        if utf8:
            if not smtp.has_extn("smtputf8"):
                text = "The SMTP server cannot take email addresses with non-ASCII characters."
                return SendOutcome.permanent("smtputf8", text), True
            options = ["SMTPUTF8", "BODY=8BITMIME"]
        try:
            code, reply = smtp.mail(self.settings.from_address, options)
            if code != 250:
                return self._reply(code, reply, "sender"), True
            code, reply = smtp.rcpt(recipient)
            if code not in (250, 251):
                return self._reply(code, reply, "recipient"), True
        except (OSError, smtplib.SMTPException):  # before DATA: the server has nothing to keep
            detail = "the connection dropped before the email went out"
            return SendOutcome.retry(no_network(PROVIDER, self._where, detail)), False
        try:
            code, reply = smtp.data(data)
        except smtplib.SMTPDataError as error:  # DATA itself refused: nothing was sent
            return self._reply(error.smtp_code, error.smtp_error, "message"), True
        except (OSError, smtplib.SMTPException):
            return SendOutcome.ambiguous(UNKNOWN_AFTER_DATA), False
        if code == 250:
            return SendOutcome.accepted("", _text(reply)), True
        return self._reply(code, reply, "message"), True

    def reconcile(
        self, message: OutboxMessage, *, taken: Collection[str] = ()
    ) -> SendOutcome | None:
        """SMTP cannot be asked: the row stays unknown for the operator (see the module doc)."""
        return SendOutcome.ambiguous(UNKNOWN_AFTER_DATA)

    def check(self) -> str:
        if not self.settings.host:
            raise UserFacingError("Enter the SMTP server's host name in Settings > Providers.")
        try:
            smtp = self._open()
        except _FailureError as failure:
            raise as_user_error(failure.outcome) from None
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
        who = f" as {self.settings.username}" if self.settings.username else ""
        mode = "TLS" if self.settings.security is SmtpSecurity.TLS else "STARTTLS"
        return f"Signed in to {self.settings.host}{who} ({mode}, certificate verified)."


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _why(error: BaseException) -> str:
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, socket.gaierror):
        return "its name could not be looked up"
    if isinstance(error, TimeoutError):
        return "timed out connecting"
    return ""


def _said(error: smtplib.SMTPResponseException) -> str:
    return f"{error.smtp_code} {_text(error.smtp_error)}"
