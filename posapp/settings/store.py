"""Typed, non-secret settings kept as JSON in the user data folder, written atomically.

A `Setting` declares a key, its type and default once; modules declare their own settings next
to the code that uses them (for example `posapp.settings.shop`). Secrets never come here: they
live in the OS keyring through `posapp.settings.secrets`.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from posapp.paths import user_data_dir

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One setting: dotted `key`, default value and the Python type values must have."""

    key: str
    default: T
    kind: type
    description: str = ""

    def coerce(self, raw: Any) -> T:
        if isinstance(raw, self.kind) and not (self.kind is int and isinstance(raw, bool)):
            return raw  # type: ignore[no-any-return]
        if self.kind is bool and isinstance(raw, str):
            return raw.strip().lower() in {"1", "true", "yes", "on"}  # type: ignore[return-value]
        return self.kind(raw)  # type: ignore[no-any-return]


class SettingsStore:
    """Thread-safe settings file. Unknown keys are kept as they are (newer versions' settings);
    a damaged file is moved aside with a warning and defaults are used, never a crash."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or user_data_dir() / "settings.json"
        self._lock = threading.Lock()
        self._values: dict[str, Any] = self._load()

    def _load(self) -> dict[str, Any]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        try:
            values = json.loads(text)
            if not isinstance(values, dict):
                raise ValueError("settings file does not hold an object")
        except ValueError as exc:
            damaged = self.path.with_suffix(".damaged.json")
            os.replace(self.path, damaged)
            log.warning("settings file %s was damaged (%s); kept as %s, using defaults",
                        self.path, exc, damaged)
            return {}
        return values

    def get(self, setting: Setting[T]) -> T:
        with self._lock:
            raw = self._values.get(setting.key, setting.default)
        try:
            return setting.coerce(raw)
        except (TypeError, ValueError):
            log.warning("setting %s has an unusable value; using its default", setting.key)
            return setting.default

    def set(self, setting: Setting[T], value: T) -> None:
        coerced = setting.coerce(value)
        with self._lock:
            self._values[setting.key] = coerced
            self._write()

    def reset(self, setting: Setting[Any]) -> None:
        with self._lock:
            self._values.pop(setting.key, None)
            self._write()

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".settings-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(self._values, handle, ensure_ascii=False, indent=2, sort_keys=True)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
