"""KeyringSecretStore over keyring: an in-memory backend, and the refusal without a keychain."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.errors import PasswordDeleteError, PasswordSetError

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.providers import SecretName
from leadcartel_desktop.providers.keychain import NO_KEYCHAIN, KeyringSecretStore


class MemoryKeyring(KeyringBackend):
    """A keychain in a dict: this process only, gone at exit."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


class LockedKeyring(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError("the operator said no")


class LowPriorityKeyring(MemoryKeyring):
    priority = 0.5  # type: ignore[assignment]


@pytest.fixture
def use() -> Iterator[object]:
    previous = keyring.get_keyring()

    def install(backend: KeyringBackend) -> KeyringBackend:
        keyring.set_keyring(backend)
        return backend

    yield install
    keyring.set_keyring(previous)


def test_set_get_delete_round_trip(use):
    backend = use(MemoryKeyring())
    store = KeyringSecretStore("Lead Cartel Test")
    assert store.available()
    assert store.get(SecretName.TWILIO_AUTH_TOKEN) is None
    store.set(SecretName.TWILIO_AUTH_TOKEN, "s3cret")
    assert store.get(SecretName.TWILIO_AUTH_TOKEN) == "s3cret"
    assert backend.entries == {("Lead Cartel Test", "twilio_auth_token"): "s3cret"}
    store.delete(SecretName.TWILIO_AUTH_TOKEN)
    store.delete(SecretName.TWILIO_AUTH_TOKEN)  # deleting what is not there is fine
    assert store.get(SecretName.TWILIO_AUTH_TOKEN) is None


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring(), LowPriorityKeyring()],
                         ids=["fail", "null", "priority-below-1"])  # fmt: skip
def test_without_a_usable_keychain_nothing_is_kept_in_plain_text(use, backend):
    use(backend)
    store = KeyringSecretStore()
    assert not store.available()
    with pytest.raises(UserFacingError) as refused:
        store.set(SecretName.SMTP_PASSWORD, "hunter2")
    assert (
        refused.value.message
        == NO_KEYCHAIN
        == (
            "No system keychain is available, so the password cannot be saved. "
            "Lead Cartel Desktop never stores secrets in plain text."
        )
    )
    assert store.get(SecretName.SMTP_PASSWORD) is None
    store.delete(SecretName.SMTP_PASSWORD)


def test_a_keychain_that_refuses_says_so_without_the_secret(use):
    use(LockedKeyring())
    with pytest.raises(UserFacingError, match="did not save the password") as refused:
        KeyringSecretStore().set(SecretName.CLOUD_TOKEN, "pit-12345678")
    assert "pit-12345678" not in str(refused.value)
