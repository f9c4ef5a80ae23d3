"""An HTTP adapter that verifies TLS with one certificate store built once per provider."""

from __future__ import annotations

import ssl
from typing import Any

from requests import certs
from requests.adapters import HTTPAdapter

from leadcartel_desktop.domain.errors import UserFacingError


def verified_context(ca_bundle: str = "") -> ssl.SSLContext:
    """Certificates checked against the given bundle (the sandbox's CA) or the usual roots."""
    try:
        return ssl.create_default_context(cafile=ca_bundle or certs.where())
    except (OSError, ssl.SSLError) as error:
        raise UserFacingError(
            f"The certificate file {ca_bundle or certs.where()} could not be read ({error})."
        ) from None


class VerifiedTlsAdapter(HTTPAdapter):
    """Every connection shares one `SSLContext` whose certificate store is already loaded.

    requests otherwise hands urllib3 a bundle path that is parsed again for each new
    connection: with several sends starting at once that parsing, done while holding the
    interpreter lock, froze the window for tens of milliseconds.
    """

    def __init__(self, context: ssl.SSLContext, **kwargs: Any) -> None:
        self._context = context
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = self._context
        super().init_poolmanager(*args, **kwargs)

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        if url.lower().startswith("https"):
            conn.cert_reqs = "CERT_REQUIRED"  # never switched off: verify is not consulted
            conn.ca_certs = None
            conn.ca_cert_dir = None
