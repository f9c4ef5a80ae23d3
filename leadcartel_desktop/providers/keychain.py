"""Provider secrets in the operating system's keychain (keyring); never anywhere in plain text."""

from __future__ import annotations

import logging

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.errors import KeyringError, PasswordDeleteError

from leadcartel_desktop.domain.errors import UserFacingError

log = logging.getLogger(__name__)
SERVICE_NAME = "Lead Cartel Desktop"
NO_KEYCHAIN = (
    "No system keychain is available, so the password cannot be saved. "
    "Lead Cartel Desktop never stores secrets in plain text."
)


def _usable(backend: KeyringBackend) -> bool:
    if isinstance(backend, fail.Keyring | null.Keyring):
        return False
    try:
        priority = float(backend.priority)
    except Exception:  # a backend's priority may raise when its service is missing
        return False
    return priority >= 1


class KeyringSecretStore:
    """SecretStore over `keyring`: one entry per SecretName under `service_name`."""

    def __init__(self, service_name: str = SERVICE_NAME) -> None:
        self.service_name = service_name

    def available(self) -> bool:
        return _usable(keyring.get_keyring())

    def get(self, name: str) -> str | None:
        if not self.available():
            return None
        try:
            return keyring.get_password(self.service_name, name)
        except KeyringError as error:
            log.warning("The keychain could not be read for %s: %s", name, type(error).__name__)
            return None

    def set(self, name: str, value: str) -> None:
        if not self.available():
            raise UserFacingError(NO_KEYCHAIN)
        try:
            keyring.set_password(self.service_name, name, value)
        except KeyringError as error:  # locked, or the operator said no
            raise UserFacingError(
                f"The system keychain did not save the password ({type(error).__name__}); "
                "unlock it and try again."
            ) from None

    def delete(self, name: str) -> None:
        if not self.available():
            return
        try:
            keyring.delete_password(self.service_name, name)
        except PasswordDeleteError:
            pass  # nothing saved: nothing to delete
        except KeyringError as error:
            raise UserFacingError(
                f"The system keychain did not delete the password ({type(error).__name__})."
            ) from None
