"""TcpConnectivity: online when a configured provider host answers; asked at most so often."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from leadcartel_desktop.domain.providers import (
    CloudSettings,
    ProviderKind,
    ProviderSettings,
    SmtpSettings,
    TwilioSettings,
)
from leadcartel_desktop.providers.connectivity import TcpConnectivity, endpoints


@pytest.fixture
def listening() -> Iterator[int]:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_endpoints_are_the_hosts_the_channels_use():
    settings = ProviderSettings(
        email=ProviderKind.SMTP, sms=ProviderKind.TWILIO, whatsapp=ProviderKind.TWILIO,
        smtp=SmtpSettings(host="smtp.example.com", port=465),
        twilio=TwilioSettings(base_url="https://api.twilio.com"),
        cloud=CloudSettings(location_id=""),
    )  # fmt: skip
    assert endpoints(settings) == [("smtp.example.com", 465), ("api.twilio.com", 443)]
    assert endpoints(ProviderSettings()) == []
    cloud = ProviderSettings(
        sms=ProviderKind.CLOUD, cloud=CloudSettings(base_url="https://c.io:8443")
    )
    assert endpoints(cloud) == [("c.io", 8443)]


def test_online_when_a_host_accepts_and_offline_when_none_does(listening):
    up = ProviderSettings(
        email=ProviderKind.SMTP, smtp=SmtpSettings(host="127.0.0.1", port=listening)
    )
    nobody = SmtpSettings(host="127.0.0.1", port=closed_port())
    down = ProviderSettings(email=ProviderKind.SMTP, smtp=nobody)
    assert TcpConnectivity(lambda: up, cache_seconds=0).online() is True
    assert TcpConnectivity(lambda: down, cache_seconds=0).online() is False
    assert TcpConnectivity(ProviderSettings, cache_seconds=0).online() is False  # nothing set


def test_the_answer_is_kept_for_a_while(listening):
    now = [0.0]
    current = [ProviderSettings(email=ProviderKind.SMTP,
                                smtp=SmtpSettings(host="127.0.0.1", port=listening))]  # fmt: skip
    check = TcpConnectivity(lambda: current[0], cache_seconds=5, monotonic=lambda: now[0])
    assert check.online() is True
    current[0] = ProviderSettings()
    now[0] = 4.0
    assert check.online() is True  # still the kept answer
    now[0] = 6.0
    assert check.online() is False
    current[0] = ProviderSettings(email=ProviderKind.SMTP,
                                  smtp=SmtpSettings(host="127.0.0.1", port=listening))  # fmt: skip
    check.forget()
    assert check.online() is True
