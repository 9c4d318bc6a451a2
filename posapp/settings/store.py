"""Typed, non-secret settings kept as JSON in the user data folder, written atomically.

A `Setting` declares a key, its type and default once; modules declare their own settings next
to the code that uses them (for example `posapp.settings.shop`). Secrets never come here: they
live in the OS keyring through `posapp.settings.secrets`.

Several processes may share the file (the running app and `posapp provider configure`): a
change re-reads the file under a file lock and writes back only its own key, so nobody's
change is lost, and readers pick up another process's change within a second.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from posapp.paths import user_data_dir

try:
    import fcntl
except ImportError:  # Windows: one process at a time changes settings
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

T = TypeVar("T")

RELOAD_CHECK_SECONDS = 1.0
"""How often a reader looks whether another process changed the file."""


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One setting: dotted `key`, default value and the Python type values must have."""

    key: str
    default: T
    kind: type
    description: str = ""

    def coerce(self, raw: Any) -> T:
        if isinstance(raw, self.kind) and not (self.kind is int and isinstance(raw, bool)):
            return cast(T, raw)
        if self.kind is bool and isinstance(raw, str):
            return cast(T, raw.strip().lower() in {"1", "true", "yes", "on"})
        return cast(T, self.kind(raw))


class SettingsStore:
    """Thread-safe settings file. Unknown keys are kept as they are (newer versions' settings);
    a damaged file is moved aside with a warning and defaults are used, never a crash."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or user_data_dir() / "settings.json"
        self._lock = threading.Lock()
        self._seen = self._stamp()
        self._values: dict[str, Any] = self._load()
        self._checked_at = time.monotonic()

    def _stamp(self) -> tuple[int, int] | None:
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def _reload_if_changed(self) -> None:
        """Pick up another process's change (checked at most every RELOAD_CHECK_SECONDS)."""
        now = time.monotonic()
        if now - self._checked_at < RELOAD_CHECK_SECONDS:
            return
        self._checked_at = now
        stamp = self._stamp()
        if stamp != self._seen:
            self._seen = stamp
            self._values = self._load()

    @contextmanager
    def _changing(self) -> Iterator[None]:
        """Hold the thread lock and the file lock, with the values fresh from the file."""
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path.with_name(self.path.name + ".lock"), "a") as lock_file:
                if fcntl is not None:
                    fcntl.flock(lock_file, fcntl.LOCK_EX)
                self._values = self._load()
                yield
                self._write()
                self._seen = self._stamp()

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
            self._reload_if_changed()
            raw = self._values.get(setting.key, setting.default)
        try:
            return setting.coerce(raw)
        except (TypeError, ValueError):
            log.warning("setting %s has an unusable value; using its default", setting.key)
            return setting.default

    def set(self, setting: Setting[T], value: T) -> None:
        coerced = setting.coerce(value)
        with self._changing():
            self._values[setting.key] = coerced

    def reset(self, setting: Setting[Any]) -> None:
        with self._changing():
            self._values.pop(setting.key, None)

    def _write(self) -> None:
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
