"""Secrets go to the keyring only, and an unusable keyring is a clear error, never plain text."""

from __future__ import annotations

import keyring
import keyring.core
import pytest
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringError
from keyrings.alt.file import PlaintextKeyring

from posapp.settings import secrets
from tests.support.keyrings import MemoryKeyring


def test_set_get_delete(memory_keyring):
    secrets.set_secret("Pod", "token", "abc")
    assert memory_keyring.store == {("posapp/pod", "token"): "abc"}
    assert secrets.get_secret("pod", "token") == "abc"
    assert secrets.secrets_for("pod", ["token", "sc_api_key"]) == {"token": "abc"}
    assert secrets.delete_secret("pod", "token") is True
    assert secrets.delete_secret("pod", "token") is False
    assert secrets.get_secret("pod", "token") is None
    with pytest.raises(ValueError):
        secrets.set_secret("pod", "token", "")


@pytest.fixture
def restore_keyring():
    previous = keyring.get_keyring()
    yield
    keyring.set_keyring(previous)


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring(), chainer.ChainerBackend()])
def test_unusable_backends_are_refused(restore_keyring, backend, monkeypatch):
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [], raising=False)
    keyring.set_keyring(backend)
    with pytest.raises(secrets.KeyringUnavailableError) as caught:
        secrets.set_secret("pod", "token", "abc")
    assert "keyrings.alt" in caught.value.message_en
    assert "gnome-keyring" in caught.value.message_fa


def test_plain_text_file_keyring_is_refused(restore_keyring, tmp_path):
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring.cfg")
    keyring.set_keyring(backend)
    with pytest.raises(secrets.KeyringUnavailableError) as caught:
        secrets.set_secret("pod", "token", "abc")
    assert "plain-text" in caught.value.message_en
    assert not (tmp_path / "keyring.cfg").exists()


def test_python_keyring_backend_variable_is_honoured(restore_keyring, monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    keyring.core.init_backend()
    assert type(keyring.get_keyring()) is fail.Keyring
    with pytest.raises(secrets.KeyringUnavailableError):
        secrets.get_secret("pod", "token")


def test_keyring_failures_become_clear_errors(restore_keyring):
    class LockedKeyring(MemoryKeyring):
        def set_password(self, service, username, password):
            raise KeyringError("locked")

    keyring.set_keyring(LockedKeyring())
    with pytest.raises(secrets.KeyringUnavailableError) as caught:
        secrets.set_secret("pod", "token", "abc")
    assert "locked" in caught.value.message_en
