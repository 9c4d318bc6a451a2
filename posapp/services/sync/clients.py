"""Provider clients for the sync engine: built by a factory, one per lane, kept for the engine's
life so a cycle neither logs in nor fetches a token again."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

from posapp.domain.errors import DomainError
from posapp.providers.base import Provider
from posapp.providers.errors import ProviderError
from posapp.providers.ratelimit import RateLimit

log = logging.getLogger(__name__)


class ProviderFactory(Protocol):
    """Builds a ready provider client by name (see `posapp.settings.providers.build_provider`)."""

    def __call__(self, name: str) -> Provider: ...


class ProviderUnavailable(Exception):
    """The provider cannot be used at all right now (credentials, configuration); the row goes
    back to the queue untouched and this provider's drain stops for this run."""


class ClientPool:
    """One provider's clients, one per lane, created lazily and kept until `close()`: the
    engine holds a pool per provider for its whole life, so a client that logged in (Sepidar's
    JWT, Pod's one-time token from its last answer) serves every later cycle too. Thread-safe:
    each lane leases a client of its own."""

    def __init__(self, factory: ProviderFactory, name: str, size: int,
                 buckets: Callable[[], AbstractContextManager[None]] | None = None) -> None:
        self.factory = factory
        self.name = name
        self.size = size
        self.buckets = buckets
        self.lanes = size
        """Lanes to run: `size`, or fewer when the provider says it takes fewer at once."""
        self._free: list[Provider] = []
        self._all: list[Provider] = []
        self._lock = threading.Lock()

    def open(self) -> ClientPool:
        """Build the first client (raising `ProviderUnavailable` when it cannot be built) and
        learn from it how many lanes the provider takes."""
        first = self._create()
        with self._lock:
            self._free.append(first)
        limit = first.max_lanes
        self.lanes = max(1, min(self.size, limit)) if limit else self.size
        return self

    def rate_limit(self) -> RateLimit | None:
        """The rate limit the provider's clients keep to, when they have one."""
        with self._lock:
            first = self._all[0] if self._all else None
        return first.rate_limit if first is not None else None

    def close(self) -> None:
        """Close every client (each request in flight has finished: the caller's lanes are done)."""
        with self._lock:
            clients, self._all, self._free = self._all, [], []
        for client in clients:
            try:
                client.close()
            except Exception:
                log.warning("closing the %s client failed", self.name, exc_info=True)

    def _create(self) -> Provider:
        try:
            if self.buckets is None:
                client = self.factory(self.name)
            else:
                with self.buckets():
                    client = self.factory(self.name)
        except (DomainError, ProviderError) as exc:
            raise ProviderUnavailable(f"{exc.message_fa} / {exc.message_en}") from exc
        except (ValueError, LookupError) as exc:
            raise ProviderUnavailable(f"سامانه «{self.name}» پیکربندی نشده است / "
                                      f"provider {self.name!r} is not configured: {exc}") from exc
        with self._lock:
            self._all.append(client)
        return client

    @contextmanager
    def lease(self) -> Iterator[Provider]:
        """A client for this lane alone while the block runs (a new one when all are taken)."""
        with self._lock:
            client = self._free.pop() if self._free else None
        if client is None:
            client = self._create()
        try:
            yield client
        finally:
            with self._lock:
                if any(held is client for held in self._all):
                    self._free.append(client)


class ClientPools:
    """The engine's pools, one per provider, kept across cycles until `close()`. A provider that
    refused our credentials has its pool dropped (`discard`), so the next cycle builds clients
    from what the keyring holds then."""

    def __init__(self, factory: ProviderFactory,
                 buckets: Callable[[], AbstractContextManager[None]] | None = None) -> None:
        self.factory = factory
        self.buckets = buckets
        self._pools: dict[str, ClientPool] = {}
        self._lock = threading.Lock()

    def get(self, name: str, size: int) -> ClientPool:
        """The pool of `name` (opened with `size` lanes on first use); raises
        `ProviderUnavailable` when no client can be built now."""
        with self._lock:
            pool = self._pools.get(name)
        if pool is not None:
            return pool
        pool = ClientPool(self.factory, name, size, self.buckets).open()
        with self._lock:
            kept = self._pools.setdefault(name, pool)
        if kept is not pool:
            pool.close()
        return kept

    def discard(self, name: str) -> None:
        with self._lock:
            pool = self._pools.pop(name, None)
        if pool is not None:
            pool.close()

    def close(self) -> None:
        with self._lock:
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.close()
