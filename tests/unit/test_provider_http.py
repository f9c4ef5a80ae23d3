"""How ProviderHttp reads an answer that is not a success: retry, refuse, or not sure."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import requests

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.outbox import OutcomeKind
from leadcartel_desktop.providers.http import ProviderHttp
from leadcartel_desktop.providers.texts import redact


class Clock:
    def now(self) -> datetime:
        return datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def http():
    client = ProviderHttp(
        "Twilio", "https://api.twilio.com", credentials="SID and token", clock=Clock()
    )
    yield client
    client.close()


def answer(status: int, **headers: str) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response.headers.update(headers)
    return response


@pytest.mark.parametrize(
    ("status", "kind"),
    [(429, OutcomeKind.RETRY), (502, OutcomeKind.RETRY), (503, OutcomeKind.RETRY),
     (504, OutcomeKind.RETRY), (408, OutcomeKind.RETRY), (500, OutcomeKind.AMBIGUOUS),
     (501, OutcomeKind.AMBIGUOUS), (400, OutcomeKind.PERMANENT), (404, OutcomeKind.PERMANENT),
     (422, OutcomeKind.PERMANENT), (401, OutcomeKind.CREDENTIALS), (403, OutcomeKind.CREDENTIALS)],
)  # fmt: skip
def test_each_status_is_classified(http, status, kind):
    assert http.refusal(answer(status)).kind is kind


def test_retry_after_in_both_forms(http):
    assert http.refusal(answer(429, **{"Retry-After": "2"})).retry_after_seconds == 2
    date = "Tue, 10 Mar 2026 12:01:30 GMT"
    assert http.refusal(answer(503, **{"Retry-After": date})).retry_after_seconds == 90


def test_credentials_and_other_refusals_read_differently(http):
    denied = http.refusal(answer(401), "20003", "Authenticate")
    assert denied.message == (
        "Twilio refused the credentials: check the SID and token in Settings > Providers."
    )
    assert denied.code == "20003"
    other = http.refusal(answer(400), "21602", "Message body is required")
    assert other.message == "Twilio refused it (400 Message body is required)."
    assert other.code == "21602" and "Settings > Providers" in other.hint


@pytest.mark.parametrize("url", ["http://api.twilio.com", "ftp://x", "https://"])
def test_only_https_or_loopback_http_is_accepted(url):
    with pytest.raises(UserFacingError, match="address of Twilio"):
        ProviderHttp("Twilio", url, credentials="x")


def test_loopback_http_is_allowed_for_local_servers():
    ProviderHttp("Twilio", "http://127.0.0.1:8041", credentials="x").close()


def test_redact_hides_every_secret():
    assert redact("token abcd1234 and abcd1234", ["abcd1234", "", "ab"]) == "token *** and ***"
