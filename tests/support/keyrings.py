"""Keyrings for tests: `MemoryKeyring` and its fixture, and the guard that fails a test that used
the desktop's real keyring.

The whole run starts on keyring's null backend. A test that needs secrets asks for
`memory_keyring`. Whatever a test does, calling a real backend (Secret Service, KWallet, a
keyrings.alt file, macOS or Windows) is refused and fails it, as `loopback_only` does for the
network; so is leaving a backend other than a test one installed when the test ends.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

import keyring
import keyring.backend
import pytest
from keyring.backends import null as null_keyring
from keyring.errors import KeyringError, PasswordDeleteError

SECRET_METHODS = ("get_password", "set_password", "delete_password", "get_credential")
HARMLESS_MODULES = ("keyring.backends.null", "keyring.backends.fail", "keyring.backends.chainer")
"""Backends that keep nothing: refusing everything, or (the chainer) only passing calls on to
backends that are guarded themselves."""


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that lives in a dict, so tests never touch the desktop's real one. Deleting a
    secret that is not there raises PasswordDeleteError, as real backends do."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.store[(service, username)]
        except KeyError:
            raise PasswordDeleteError("no such secret") from None


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """An empty in-memory keyring installed for the test, the previous one restored after it."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


def is_test_backend(kind: type) -> bool:
    module = kind.__module__
    return module.startswith("tests.") or module in HARMLESS_MODULES or module == "conftest" \
        or module.startswith("test_")


class RealKeyringUsed(KeyringError):
    """Raised inside a test that called a real keyring backend."""


REAL_KEYRING_CALLS: list[str] = []
"""Calls made to real backends since the current test began (the guard fails the test)."""


def _refusing(kind: type, name: str, real: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(real)
    def refuse(self: Any, *args: Any, **kwargs: Any) -> Any:
        if is_test_backend(type(self)):  # a test's own subclass of a real backend
            return real(self, *args, **kwargs)
        call = f"{type(self).__module__}.{type(self).__name__}.{name}"
        REAL_KEYRING_CALLS.append(call)
        raise RealKeyringUsed(f"tests never use a real keyring: {call}")
    return refuse


@pytest.fixture(autouse=True, scope="session")
def no_real_keyring() -> Iterator[None]:
    """The null backend for the run, and every real backend keyring knows of refusing calls."""
    keyring.backend._load_plugins()  # registers keyrings.alt and other installed backends
    patched: list[tuple[type, str, Any]] = []
    for kind in list(keyring.backend.KeyringBackend._classes):
        if is_test_backend(kind):
            continue
        for name in SECRET_METHODS:
            real = getattr(kind, name, None)
            if real is not None:
                patched.append((kind, name, kind.__dict__.get(name)))
                setattr(kind, name, _refusing(kind, name, real))
    previous = keyring.get_keyring()
    keyring.set_keyring(null_keyring.Keyring())
    yield
    keyring.set_keyring(previous)
    for kind, name, original in reversed(patched):
        if original is None:
            delattr(kind, name)
        else:
            setattr(kind, name, original)


@pytest.fixture(autouse=True)
def no_real_keyring_call() -> Iterator[list[str]]:
    """Fail the test that called a real keyring backend, even when the code under test
    swallowed the error, or that left a real backend installed. Yields the calls, so a test of
    the guard can clear the one it made on purpose."""
    REAL_KEYRING_CALLS.clear()
    yield REAL_KEYRING_CALLS
    installed = keyring.get_keyring()
    problems = list(REAL_KEYRING_CALLS)
    if not is_test_backend(type(installed)):
        problems.append(f"left {type(installed).__module__}.{type(installed).__name__} installed")
        keyring.set_keyring(null_keyring.Keyring())
    REAL_KEYRING_CALLS.clear()
    if problems:
        pytest.fail("the test used a real keyring: " + "; ".join(problems), pytrace=False)
