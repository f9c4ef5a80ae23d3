"""`leadcartel sandbox`: every server started, settings printed, arrivals shown, Ctrl+C stops."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from leadcartel_desktop.app import build_context
from leadcartel_desktop.cli import main
from leadcartel_desktop.cli import sandbox as sandbox_command
from leadcartel_desktop.domain.outbox import Channel, OutcomeKind
from leadcartel_desktop.domain.providers import ProviderKind, SecretName
from leadcartel_desktop.providers.factory import DefaultProviderFactory
from leadcartel_desktop.providers.keychain import KeyringSecretStore
from leadcartel_desktop.providers.twilio import TwilioProvider
from tests.integration.provider_support import DictSecrets, row
from tests.integration.sandbox_support import memory_keyring

TOKEN = "sandbox-twilio-auth-token"


def _read_until(stream: object, marker: str, lines: list[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.append(line)
        if marker in line:
            return


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT")
def test_the_command_runs_until_ctrl_c_and_shows_what_arrives(tmp_path: Path):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "leadcartel_desktop.cli", "--home", str(tmp_path / "home"),
               "sandbox", "--port-base", "0"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               encoding="utf-8", env=env)  # fmt: skip
    lines: list[str] = []
    try:
        reader = threading.Thread(target=_read_until, args=(process.stdout, "Ctrl+C", lines))
        reader.start()
        reader.join(30)
        text = "".join(lines)
        assert "Received (Ctrl+C stops the sandbox)" in text, text + process.stderr.read()
        twilio = re.search(r"Twilio \(SMS, WhatsApp\)\s+(\S+)", text)
        ca_bundle = re.search(r"CA bundle\s+(\S+)", text)
        sid = re.search(r"Account SID (\S+)", text)
        assert twilio and ca_bundle and sid
        assert Path(ca_bundle[1]) == tmp_path / "home" / "data" / "sandbox" / "sandbox-ca.pem"
        settings = sandbox_command.ProviderSettings(
            sms=ProviderKind.TWILIO,
            twilio=sandbox_command.TwilioSettings(sid[1], "+15005550006", base_url=twilio[1]),
            ca_bundle=ca_bundle[1],
        )
        factory = DefaultProviderFactory()
        provider = factory.provider_for(
            Channel.SMS, settings, DictSecrets({SecretName.TWILIO_AUTH_TOKEN: TOKEN})
        )
        outcome = provider.send(row(Channel.SMS, "+6591234567", {"body": "Hello from a test"}))
        factory.close()
        assert outcome.kind is OutcomeKind.ACCEPTED
        arrived: list[str] = []
        reader = threading.Thread(target=_read_until, args=(process.stdout, "Hello from", arrived))
        reader.start()
        reader.join(10)
        assert "twilio  SMS to +6591234567: Hello from a test" in "".join(arrived)
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert out.endswith("Sandbox stopped.\n")


def test_write_settings_points_the_book_at_the_sandbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    home = tmp_path / "home"
    seen: dict[str, object] = {}

    def while_running() -> None:  # instead of waiting for Ctrl+C: use the book as the app would
        context = build_context(home)
        try:
            settings = context.services.providers.settings()
        finally:
            context.close()
        factory = DefaultProviderFactory()
        provider = factory.provider_for(Channel.SMS, settings, KeyringSecretStore())
        assert isinstance(provider, TwilioProvider)
        seen["outcome"] = provider.send(row(Channel.SMS, "+6591234567", {"body": "From the book"}))
        seen["email"] = factory.provider_for(Channel.EMAIL, settings, KeyringSecretStore()).check()
        factory.close()

    monkeypatch.setattr(sandbox_command, "wait_until_interrupted", while_running)
    with memory_keyring():
        code = main(["--home", str(home), "sandbox", "--port-base", "0", "--write-settings"])
    assert code == 0
    assert seen["outcome"].kind is OutcomeKind.ACCEPTED  # type: ignore[attr-defined]
    assert str(seen["email"]).startswith("Signed in to 127.0.0.1 as sandbox")
    out = capsys.readouterr().out
    assert "secrets in the system keychain" in out
    assert "twilio  SMS to +6591234567: From the book" in out
    assert out.endswith("Sandbox stopped.\n")


def test_without_a_keychain_the_settings_are_saved_but_not_the_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setattr(sandbox_command, "wait_until_interrupted", lambda: None)
    try:
        code = main(["--home", str(tmp_path), "sandbox", "--port-base", "0", "--write-settings"])
    finally:
        keyring.set_keyring(previous)
    assert code == 0
    out = capsys.readouterr().out
    assert "but not the secrets: No system keychain is available" in out
    assert "Auth token sandbox-twilio-auth-token" in out  # so they can be typed by hand


def test_a_port_in_use_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code = main(["--home", str(tmp_path), "sandbox", "--port-base", str(port)])
    assert code == 1
    assert "the sandbox cannot start on ports" in capsys.readouterr().err
