"""A keyring backend for tests that start `posapp` subprocesses: secrets in a JSON file named by
POSAPP_TEST_KEYRING, so the test and its child processes see the same ones. Never for real use."""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring.backend


class SharedFileKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    @property
    def path(self) -> Path:
        return Path(os.environ["POSAPP_TEST_KEYRING"])

    def _load(self) -> dict[str, str]:
        return json.loads(self.path.read_text()) if self.path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        store = self._load()
        store[f"{service}\n{username}"] = password
        self.path.write_text(json.dumps(store))

    def delete_password(self, service: str, username: str) -> None:
        store = self._load()
        store.pop(f"{service}\n{username}", None)
        self.path.write_text(json.dumps(store))
