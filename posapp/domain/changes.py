"""What a write changed, and the feed that tells whoever shows it (Anki's OpChanges, in small).

A `Changes` value names the kinds of records one committed write touched: invoices (and their
payments), products (the catalogue or its stock), customers, the sync outbox, the till's shift,
the held or open sales, and the users with their roles. It is immutable and merges with `|`.
Each service write declares the `Changes` it makes (`posapp.services.changes.writes`); after the commit the value is
published on its database's `ChangeFeed`, and the UI refreshes every pane that shows one of
those kinds in one place. Writes made by the sync worker (its outbox settlements, the payments
and catalogue it pulls) reach the same feed from its thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, fields

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Changes:
    """Which kinds of records a committed write changed; falsy when it changed none."""

    invoices: bool = False
    """Invoices and their payments (and so the balances of their buyers)."""
    products: bool = False
    """Catalogue rows or their stock."""
    customers: bool = False
    """Customer records (names, codes, contact details)."""
    outbox: bool = False
    """Sync outbox rows (queued, claimed, delivered, failed, retried or skipped) and what each
    provider holds of an invoice (its remote id, state and payment link)."""
    shift: bool = False
    """The till's shift: opened, closed, cash paid in or out."""
    held_sales: bool = False
    """Held sales and the sale open at a till."""
    users: bool = False
    """Users and roles: a user added, disabled or enabled, a PIN changed or a lockout
    set or lifted, what a role may do."""

    def __or__(self, other: Changes) -> Changes:
        return Changes(**{f.name: getattr(self, f.name) or getattr(other, f.name) for f in fields(self)})

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    @property
    def kinds(self) -> frozenset[str]:
        """The names of the kinds changed (for logs and tests)."""
        return frozenset(f.name for f in fields(self) if getattr(self, f.name))


NOTHING = Changes()

Listener = Callable[[Changes], None]


class ChangeFeed:
    """Where committed writes announce their `Changes`. Thread-safe: `publish` may run on any
    thread and calls every listener on that thread, in subscription order; a listener that
    must act on another thread (a window) hands the value over itself. The write has been
    committed when it publishes, so a listener's failure is logged, never raised to the writer."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: tuple[Listener, ...] = ()

    def subscribe(self, listener: Listener) -> None:
        with self._lock:
            self._listeners = (*self._listeners, listener)

    def unsubscribe(self, listener: Listener) -> None:
        """Stop calling `listener`; unknown listeners are ignored."""
        with self._lock:
            self._listeners = tuple(known for known in self._listeners if known != listener)

    def publish(self, changes: Changes) -> None:
        if not changes:
            return
        with self._lock:
            listeners = self._listeners
        for listener in listeners:
            try:
                listener(changes)
            except Exception:
                log.exception("a change listener failed on %s", sorted(changes.kinds))
