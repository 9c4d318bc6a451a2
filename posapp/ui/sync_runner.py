"""The GUI's handle on background sync: owns the sync worker and the counter's payment links.

One `SyncRunner` lives as long as the application (across main-window rebuilds). It builds the
engine and worker from the shop's provider settings, starts the worker off the GUI thread,
re-emits each cycle's summary as a Qt signal delivered on the GUI thread, and is restarted when
the provider settings change (the engine is built for the providers enabled at that moment).
Stopping waits for a request in flight, so it never runs on the GUI thread during use.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QObject, Signal

from posapp.domain.sync import OutboxState
from posapp.services.context import AppServices
from posapp.services.payment_links import PaymentLinkService, counter_link_provider
from posapp.services.sync.engine import SyncEngine
from posapp.services.sync.worker import SyncWorker, build_worker


class SyncRunner(QObject):
    """`sig_summary(SyncSummary)` after every worker cycle, on the GUI thread."""

    sig_summary = Signal(object)

    def __init__(self, services: AppServices, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.worker: SyncWorker = self._new_worker()
        self.links = PaymentLinkService(services, self._provider)

    @property
    def engine(self) -> SyncEngine:
        return self.worker.engine

    def states_for(self, invoice_ids: Iterable[int]) -> dict[int, dict[str, OutboxState]]:
        """Each invoice's latest outbox state per provider, through the current engine."""
        return self.engine.queue.states_for(invoice_ids)

    @property
    def link_provider(self) -> str | None:
        """The provider the counter's "pay by link" uses now, or None when it is off."""
        return counter_link_provider(self.services.settings)

    def _provider(self, name: str) -> Any:
        from posapp.settings.providers import build_provider

        return build_provider(name, self.services.settings)

    def _new_worker(self) -> SyncWorker:
        # The worker thread calls on_summary; emitting there queues the signal to this object's
        # (the GUI) thread.
        return build_worker(self.services, on_summary=self.sig_summary.emit)

    @property
    def active(self) -> bool:
        """Whether any provider is enabled (with none, no worker thread is started)."""
        return bool(self.engine.providers)

    def start(self) -> None:
        if self.active:
            self.worker.start()

    def wake(self) -> None:
        """A sale, cancellation or return was just saved: send it now rather than at the next
        scheduled cycle."""
        self.worker.wake()

    def restart(self) -> None:
        """Replace the worker after the provider settings changed. The new one starts at once;
        the old one finishes its request in flight on a thread of its own. Both may briefly run
        together: claiming an outbox row is a compare-and-set, so no row is sent twice."""
        old = self.worker
        self.worker = self._new_worker()
        self.start()
        threading.Thread(target=old.stop, name="sync-worker-stop", daemon=True).start()

    def stop(self) -> None:
        self.worker.stop()
