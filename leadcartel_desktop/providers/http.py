"""One HTTP session per provider: timeouts, verified TLS, and what each failure means."""

from __future__ import annotations

import logging
import ssl
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
from urllib3.exceptions import NameResolutionError, NewConnectionError

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.outbox import SendOutcome
from leadcartel_desktop.domain.retry import parse_retry_after
from leadcartel_desktop.providers import jsonbody
from leadcartel_desktop.providers.texts import (
    CREDENTIALS_HINT,
    MAYBE_KEPT,
    TLS_HINT,
    no_network,
    sentence,
    tls_untrusted,
    without_message,
    wrong_credentials,
)
from leadcartel_desktop.providers.tls_adapter import VerifiedTlsAdapter, verified_context
from leadcartel_desktop.services.ports import Clock

log = logging.getLogger(__name__)
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds to connect, and to wait for each read of the answer once the request is sent."""

    connect: float = 5.0
    read: float = 20.0


class TransportError(Exception):
    """No usable answer came back; `outcome` says what that means for a message being sent."""

    def __init__(self, outcome: SendOutcome) -> None:
        super().__init__(outcome.message)
        self.outcome = outcome


def as_user_error(outcome: SendOutcome) -> UserFacingError:
    """The Test button's error: the outcome's message and hint, both written for the operator."""
    return UserFacingError(f"{without_message(outcome.message)} {outcome.hint}".strip())


class ProviderHttp:
    """A provider's base URL and its one `requests.Session`, so connections are reused.

    Safe to use from several threads at once: the connection pool is, and nothing else in the
    session changes per request (credentials are passed with each call).
    """

    def __init__(
        self,
        provider: str,
        base_url: str,
        *,
        credentials: str,
        ca_bundle: str = "",
        timeouts: Timeouts | None = None,
        clock: Clock | None = None,
        pool_size: int = 16,
    ) -> None:
        parts = urlsplit(base_url.strip())
        host = parts.hostname or ""
        if parts.scheme != "https" and not (parts.scheme == "http" and host in LOOPBACK_HOSTS):
            raise UserFacingError(
                f"The address of {provider} must start with https:// ({base_url})."
            )
        if not host:
            raise UserFacingError(f"The address of {provider} has no host name ({base_url}).")
        self.provider = provider
        self.credentials = credentials
        self.base_url = base_url.strip().rstrip("/")
        self.host = parts.netloc
        self.timeouts = timeouts or Timeouts()
        self.clock = clock
        self.session = requests.Session()
        # The environment (proxies, REQUESTS_CA_BUNDLE, .netrc) is read once here rather than
        # on every request, where scanning it cost about as much as the request itself.
        self.session.trust_env = False
        self.session.proxies.update(requests.utils.get_environ_proxies(self.base_url))
        # The usual certificate authorities, or only the given bundle (the sandbox's CA).
        adapter = VerifiedTlsAdapter(
            verified_context(ca_bundle), pool_connections=1, pool_maxsize=pool_size, max_retries=0
        )
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)

    def now(self) -> datetime:
        return self.clock.now() if self.clock is not None else datetime.now(UTC)

    def close(self) -> None:
        self.session.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        form: Mapping[str, str] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
    ) -> requests.Response:
        """Send one request (no retries, no redirects); raises TransportError with no answer.

        With `files` ({part: (file name, bytes, content type)}) the body is multipart/form-data,
        `form` its text fields.
        """
        url = path if path.startswith(("https://", "http://")) else self.base_url + path
        sent_headers = dict(headers or {})
        data: Any = None
        if files is not None:
            data = dict(form or {})  # requests builds the multipart body and its boundary
        elif form is not None:
            # Encoded here: requests would check the mapping against its runtime protocols,
            # which cost a third of a millisecond per message on Python 3.11.
            data = urlencode(list(form.items())).encode("ascii")
            sent_headers["Content-Type"] = "application/x-www-form-urlencoded"
        if json is not None:
            data = jsonbody.dumps(json)
            sent_headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            response = self.session.request(
                method,
                url,
                params=params,
                data=data,
                files=files,
                headers=sent_headers,
                auth=auth,
                timeout=(self.timeouts.connect, self.timeouts.read),
                verify=True,
                allow_redirects=False,
            )
        except requests.RequestException as error:
            log.debug("%s %s %s failed: %r", self.provider, method, urlsplit(url).path, error)
            raise TransportError(self.classify(error)) from None
        log.debug(
            "%s %s %s -> %s in %.1f ms",
            self.provider,
            method,
            urlsplit(url).path,
            response.status_code,
            (time.perf_counter() - started) * 1000,
        )
        return response

    def json_of(self, response: requests.Response) -> dict[str, Any]:
        """A success answer's JSON object; TransportError when it is something else.

        A network login page (a hotel's, an airport's) answers 200 with HTML: whether the
        request reached the provider cannot be told, so a send is checked before any resend.
        """
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise TransportError(self.unreadable())
        return data

    def unreadable(self) -> SendOutcome:
        text = sentence(
            f"The answer from {self.provider} at {self.host} could not be read; a network "
            "login page may be in the way"
        )
        return SendOutcome.ambiguous(text + MAYBE_KEPT)

    def classify(self, error: requests.RequestException) -> SendOutcome:
        """What a request that got no answer means: sent or not, worth retrying or not."""
        causes = list(_causes(error))
        if any(isinstance(cause, ssl.SSLCertVerificationError) for cause in causes):
            return SendOutcome.permanent("tls", tls_untrusted(self.provider, self.host), TLS_HINT)
        if isinstance(error, requests.exceptions.SSLError):  # handshake failed: nothing sent
            return SendOutcome.retry(
                f"The secure connection to {self.provider} at {self.host} failed; nothing was "
                "sent. It will be tried again."
            )
        if isinstance(error, requests.ConnectTimeout):
            return SendOutcome.retry(no_network(self.provider, self.host, "timed out connecting"))
        if isinstance(error, requests.ReadTimeout):
            return SendOutcome.ambiguous(
                sentence(
                    f"{self.provider} did not answer within {self.timeouts.read:g} s after the "
                    "request was sent"
                )
                + MAYBE_KEPT
            )
        if isinstance(error, requests.ConnectionError):
            if any(isinstance(cause, NameResolutionError) for cause in causes):
                detail = "its name could not be looked up"
                return SendOutcome.retry(no_network(self.provider, self.host, detail))
            if any(
                isinstance(cause, NewConnectionError | ConnectionRefusedError) for cause in causes
            ):
                return SendOutcome.retry(no_network(self.provider, self.host, "connection refused"))
            if isinstance(error, requests.exceptions.ProxyError):
                return SendOutcome.retry(no_network(self.provider, self.host, "the proxy failed"))
            return SendOutcome.ambiguous(
                f"The connection to {self.provider} dropped after the request was sent" + MAYBE_KEPT
            )
        if isinstance(
            error,
            requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError,
        ):
            return SendOutcome.ambiguous(
                sentence(f"{self.provider}'s answer was cut off") + MAYBE_KEPT
            )
        return SendOutcome.permanent(
            "config", f"The address of {self.provider} is not usable ({type(error).__name__})."
        )

    def refusal(
        self, response: requests.Response, code: str = "", message: str = "", hint: str = ""
    ) -> SendOutcome:
        """What a non-success answer means; `code` and `message` are the provider's own."""
        status = response.status_code
        said = f"{status} {message}".strip()
        retry_after = parse_retry_after(response.headers.get("Retry-After"), self.now())
        if status == 429:
            return SendOutcome.retry(
                sentence(f"{self.provider} asked to slow down ({said})."), retry_after
            )
        if status in (408, 502, 503, 504):
            text = sentence(f"{self.provider} is unavailable for now ({said}); nothing was kept.")
            return SendOutcome.retry(text, retry_after)
        if status in (401, 403):
            # The account was refused, not the message: nothing was processed, and every other
            # message on the channel would be refused too (the outbox pauses the channel).
            text = wrong_credentials(self.provider, self.credentials)
            return SendOutcome.refused_credentials(code or str(status), text, CREDENTIALS_HINT)
        if status >= 500:
            return SendOutcome.ambiguous(
                sentence(f"{self.provider} failed while handling the request ({said})") + MAYBE_KEPT
            )
        return SendOutcome.permanent(
            code or str(status),
            sentence(f"{self.provider} refused it ({said})."),
            hint or "Check the message and the settings in Settings > Providers, then send again.",
        )


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error and everything it wraps (requests -> urllib3 -> socket/ssl)."""
    seen: set[int] = set()
    stack: list[BaseException] = [error]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        linked = [current.__cause__, current.__context__, getattr(current, "reason", None)]
        linked += [arg for arg in current.args if isinstance(arg, BaseException)]
        stack.extend(item for item in linked if isinstance(item, BaseException))
