"""Provider secrets (tokens, API keys, passwords) kept only in the OS keyring through `keyring`.

Each secret lives under the service `posapp/<provider>` with the secret's name as user name
(`posapp/pod` · `token`). keyring's own `PYTHON_KEYRING_BACKEND` variable chooses the backend.
When no usable backend exists (keyring's fail or null backends, an empty chain) or only a
plain-text file one, `KeyringUnavailableError` explains what to install; secrets are never
written anywhere else, and never logged.
"""

from __future__ import annotations

import logging

import keyring
import keyring.backend
from keyring.errors import KeyringError, PasswordDeleteError

from posapp.domain.errors import DomainError

log = logging.getLogger(__name__)

SERVICE_PREFIX = "posapp"

_HOW_TO_FIX_FA = (
    "سرویس کلیدساز سیستم در دسترس نیست. روی لینوکس gnome-keyring یا KWallet را نصب و باز کنید؛ "
    "یا برای کلیدساز رمزگذاری‌شده در فایل «pip install keyrings.alt pycryptodomex» را اجرا کنید و "
    "PYTHON_KEYRING_BACKEND=keyrings.alt.file.EncryptedKeyring را تنظیم کنید."
)
_HOW_TO_FIX_EN = (
    "no usable OS keyring was found. On Linux install and unlock gnome-keyring or KWallet "
    "(Secret Service); or, for an encrypted file keyring, run `pip install keyrings.alt "
    "pycryptodomex` and set PYTHON_KEYRING_BACKEND=keyrings.alt.file.EncryptedKeyring. "
    "posapp never stores secrets in plain text."
)


class KeyringUnavailableError(DomainError):
    """The OS keyring cannot be used; the message says what to install or unlock."""


def service_name(provider: str) -> str:
    return f"{SERVICE_PREFIX}/{provider.strip().lower()}"


def _is_plain_text(backend: keyring.backend.KeyringBackend) -> bool:
    return type(backend).__name__ == "PlaintextKeyring"


def usable_backend() -> keyring.backend.KeyringBackend:
    """The keyring backend in use, or KeyringUnavailableError when it cannot keep secrets."""
    backend = keyring.get_keyring()
    kind = type(backend)
    if kind.__module__ in ("keyring.backends.fail", "keyring.backends.null"):
        raise KeyringUnavailableError(_HOW_TO_FIX_FA, f"{_HOW_TO_FIX_EN} (backend: {kind.__name__})")
    chained = getattr(backend, "backends", None)
    if kind.__name__ == "ChainerBackend" and not chained:
        raise KeyringUnavailableError(_HOW_TO_FIX_FA, _HOW_TO_FIX_EN)
    if _is_plain_text(backend) or (chained and all(_is_plain_text(b) for b in chained)):
        raise KeyringUnavailableError(
            "کلیدساز انتخاب‌شده رمزها را بدون رمزگذاری در فایل می‌نویسد و پذیرفته نیست. " + _HOW_TO_FIX_FA,
            "the selected keyring writes secrets to a plain-text file, which posapp refuses. " + _HOW_TO_FIX_EN,
        )
    return backend


def _failed(action: str, error: KeyringError) -> KeyringUnavailableError:
    log.warning("keyring %s failed: %s", action, type(error).__name__)
    return KeyringUnavailableError(
        f"کلیدساز سیستم خطا داد ({type(error).__name__})؛ شاید قفل است. " + _HOW_TO_FIX_FA,
        f"the keyring failed to {action} ({type(error).__name__}); it may be locked. " + _HOW_TO_FIX_EN,
    )


def set_secret(provider: str, name: str, value: str) -> None:
    """Store `value` in the keyring; an empty value is refused (use `delete_secret`)."""
    if not value:
        raise ValueError("an empty secret is not stored; delete it instead")
    backend = usable_backend()
    try:
        backend.set_password(service_name(provider), name, value)
    except KeyringError as error:
        raise _failed("store a secret", error) from None
    log.info("stored secret %s for %s in %s", name, provider, type(backend).__name__)


def get_secret(provider: str, name: str) -> str | None:
    backend = usable_backend()
    try:
        return backend.get_password(service_name(provider), name)
    except KeyringError as error:
        raise _failed("read a secret", error) from None


def delete_secret(provider: str, name: str) -> bool:
    """Remove a secret; False when there was none."""
    backend = usable_backend()
    try:
        backend.delete_password(service_name(provider), name)
    except PasswordDeleteError:
        return False
    except KeyringError as error:
        raise _failed("delete a secret", error) from None
    return True


def secrets_for(provider: str, names: tuple[str, ...] | list[str]) -> dict[str, str]:
    """The stored secrets among `names` (missing ones left out)."""
    found = {}
    for name in names:
        value = get_secret(provider, name)
        if value:
            found[name] = value
    return found
