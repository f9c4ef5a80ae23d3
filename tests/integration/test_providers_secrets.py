"""A canary secret in the keychain: it opens the providers and shows up nowhere we write."""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.outbox import Channel, OutcomeKind, SendOutcome
from leadcartel_desktop.domain.providers import ProviderKind, SecretName
from leadcartel_desktop.providers.keychain import KeyringSecretStore
from leadcartel_desktop.sandbox import Credentials, FaultKind, Sandbox
from tests.integration.provider_support import (
    HOLD_SECONDS,
    factory,
    free_port,
    row,
    sandbox_settings,
)
from tests.integration.sandbox_support import memory_keyring

CANARY = "canary-7f3a9c2e51d04b8d"
SID = "AC" + "c0ffee00" * 4
CREDENTIALS = Credentials(
    twilio_account_sid=SID,
    twilio_auth_token=f"{CANARY}-twilio",
    cloud_token=f"{CANARY}-cloud",
    smtp_password=f"{CANARY}-smtp",
)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    with Sandbox(tmp_path_factory.mktemp("sandbox"), credentials=CREDENTIALS) as running:
        yield running


def forms(secret: str) -> list[str]:
    """The secret as it is, and as it travels (HTTP basic auth, SMTP AUTH PLAIN)."""
    basic = base64.b64encode(f"{SID}:{secret}".encode()).decode()
    plain = base64.b64encode(f"\0sandbox\0{secret}".encode()).decode()
    return [CANARY, secret, basic, plain, base64.b64encode(secret.encode()).decode()]


def test_the_canary_appears_in_no_log_outcome_or_error(
    sandbox: Sandbox, tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.DEBUG)  # every logger, urllib3's and the sandbox's included
    texts: list[str] = []
    kinds: set[OutcomeKind] = set()

    def keep(outcome: SendOutcome | None) -> None:
        if outcome is not None:
            kinds.add(outcome.kind)
            texts.extend([outcome.message, outcome.hint, outcome.code, outcome.provider_id])

    with memory_keyring() as keychain:
        secrets = KeyringSecretStore()
        secrets.set(SecretName.TWILIO_AUTH_TOKEN, CREDENTIALS.twilio_auth_token)
        secrets.set(SecretName.CLOUD_TOKEN, CREDENTIALS.cloud_token)
        secrets.set(SecretName.SMTP_PASSWORD, CREDENTIALS.smtp_password)
        providers = factory()
        settings = sandbox_settings(sandbox, whatsapp=ProviderKind.CLOUD)
        sms = providers.provider_for(Channel.SMS, settings, secrets)
        email = providers.provider_for(Channel.EMAIL, settings, secrets)
        cloud = providers.provider_for(Channel.WHATSAPP, settings, secrets)
        payload = {"body": "Hello", "subject": "Hi"}
        for provider, channel, to in ((sms, Channel.SMS, "+6591234567"),
                                      (email, Channel.EMAIL, "ann@example.com"),
                                      (cloud, Channel.WHATSAPP, "+6591234567")):  # fmt: skip
            message = row(channel, to, payload)
            texts.append(provider.check())
            keep(provider.send(message))
            for kind in (FaultKind.SERVER_ERROR, FaultKind.RATE_LIMIT, FaultKind.UNAUTHORIZED):
                for name in ("twilio", "cloud", "smtp"):
                    sandbox.controls(name).fail_next(kind)
                keep(provider.send(message))
                sandbox.reset()
            for name in ("twilio", "cloud", "smtp"):
                sandbox.controls(name).fail_next(
                    FaultKind.ACCEPT_THEN_TIMEOUT, hold_seconds=HOLD_SECONDS
                )
            keep(provider.send(message))
            keep(provider.reconcile(message))
            sandbox.reset()
        sandbox.controls("twilio").fail_next("21211")  # refused for good: a bad number
        keep(sms.send(row(Channel.SMS, "+6591234567", payload)))
        sandbox.reset()
        # Wrong host, refused connection and a failing Test button, with the canary loaded.
        away = replace(
            settings, twilio=replace(settings.twilio, base_url=f"https://127.0.0.1:{free_port()}")
        )
        gone = providers.provider_for(Channel.SMS, away, secrets)
        keep(gone.send(row(Channel.SMS, "+6591234567", payload)))
        with pytest.raises(UserFacingError) as failed:
            gone.check()
        texts.append(str(failed.value))
        providers.close()
        assert keychain.entries  # the secrets really were in the (test) keychain
    assert kinds == set(OutcomeKind)  # accepted, retried, refused and ambiguous all happened
    assert "refused the credentials" in " ".join(texts)
    assert "urllib3" in {record.name.split(".")[0] for record in caplog.records}
    logged = caplog.text + "\n".join(record.getMessage() for record in caplog.records)
    for secret in (
        CREDENTIALS.twilio_auth_token,
        CREDENTIALS.cloud_token,
        CREDENTIALS.smtp_password,
    ):
        for form in forms(secret):
            assert form not in logged
            assert all(form not in text for text in texts)
