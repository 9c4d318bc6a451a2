"""The sync worker: the engine on a background thread, draining, polling payments and pulling
the catalogue on their own schedules."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, timedelta

from posapp.providers.errors import ProviderError
from posapp.services.sync.catalogue import pull_catalogue
from posapp.services.sync.clients import ProviderUnavailable
from posapp.services.sync.engine import SyncEngine, SyncServices, build_engine
from posapp.services.sync.payments import pull_payments
from posapp.services.sync.policy import SyncPolicy
from posapp.services.sync.results import SyncSummary

log = logging.getLogger(__name__)


def build_worker(services: SyncServices, *, on_summary: Callable[[SyncSummary], None] | None = None,
                 policy: SyncPolicy | None = None) -> SyncWorker:
    """The background worker the GUI starts: the engine above plus the shop's catalogue pull."""
    from posapp.services.moadian_sync import errors_of, run_if_enabled
    from posapp.services.sync_settings import catalogue_providers

    return SyncWorker(build_engine(services, policy=policy), on_summary=on_summary,
                      pull_catalogue_from=catalogue_providers(services.settings),
                      after_drain=lambda: errors_of(run_if_enabled(services)))


class SyncWorker:
    """Runs the engine on a background thread: drain, poll payments, sleep until the next row
    is due (at most `idle_poll_seconds`), repeat. `wake()` cuts the sleep short (a sale was just
    saved); `stop()` ends the loop and joins the thread. Never blocks the caller's thread.

    `on_summary` is called on the worker thread after each cycle; a GUI adapter re-emits it as a
    signal. All state lives in the database, so a new worker after a restart simply carries on.
    """

    def __init__(self, engine: SyncEngine, *, on_summary: Callable[[SyncSummary], None] | None = None,
                 pull_catalogue_from: Iterable[str] = (),
                 after_drain: Callable[[], Iterable[tuple[str, str]]] | None = None) -> None:
        self.engine = engine
        self.after_drain = after_drain
        """A delivery step of its own run after each drain (Moadian's, `posapp.services.moadian_sync`)."""
        self.on_summary = on_summary
        self.pull_catalogue_from = tuple(pull_catalogue_from)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_payment_poll: datetime | None = None
        self._last_catalogue_pull: datetime | None = None
        self.last_summary: SyncSummary | None = None
        self.last_error: str = ""

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="sync-worker", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float | None = 30.0) -> None:
        """Ask the loop to end and wait for it; a request in flight finishes first (bounded by
        the provider's timeout), then the engine's provider clients are closed. Safe to call
        twice."""
        self._stop.set()
        self._wake.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                return  # still finishing a request: its clients stay open until it ends
        self.engine.close()

    def run_cycle(self) -> SyncSummary:
        """One drain plus whatever pulls are due; the loop's body, callable directly."""
        engine = self.engine
        summary = engine.run_once()
        if self.after_drain is not None:
            try:
                unreached = tuple(self.after_drain())
            except Exception:  # its own failure must not stop the providers' payment polls
                log.exception("delivery step after the drain failed")
            else:
                if unreached:
                    summary = replace(summary, provider_errors=summary.provider_errors + unreached)
        now = engine.clock()
        if (self._last_payment_poll is None or now - self._last_payment_poll
                >= timedelta(seconds=engine.policy.payment_poll_seconds)):
            summary = pull_payments(engine, summary)
            self._last_payment_poll = now
        if self.pull_catalogue_from and (
                self._last_catalogue_pull is None or now - self._last_catalogue_pull
                >= timedelta(seconds=engine.policy.catalogue_poll_seconds)):
            for name in self.pull_catalogue_from:
                try:
                    pull_catalogue(engine, name)
                except (ProviderError, ProviderUnavailable) as exc:
                    log.warning("catalogue pull from %s failed: %s", name, exc)
            self._last_catalogue_pull = now
        return summary

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            summary: SyncSummary | None = None
            try:
                summary = self.run_cycle()
                self.last_summary = summary
                self.last_error = ""
                if self.on_summary is not None:
                    self.on_summary(summary)
            except Exception as exc:  # keep the worker alive; the next cycle tries again
                log.exception("sync cycle failed")
                self.last_error = f"{type(exc).__name__}: {exc}"
            self._wake.wait(self._sleep_seconds(summary))

    def _sleep_seconds(self, summary: SyncSummary | None) -> float:
        """Until the next row is due, at most `idle_poll_seconds`. A cycle that sent nothing
        (rows waiting behind a rejected one are due but cannot go) sleeps the full idle time
        rather than spinning; a new sale wakes the worker anyway."""
        idle = self.engine.policy.idle_poll_seconds
        due = self.engine.queue.next_due_at()
        if due is None:
            return idle
        wait = (due - self.engine.clock()).total_seconds()
        if wait <= 0 and (summary is None or not summary.outcomes):
            return idle
        return min(idle, max(0.05, wait))

