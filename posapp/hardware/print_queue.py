"""A small in-memory print queue: jobs go out on a worker thread, failed ones wait for a retry.

The sale is stored before its receipt is queued, so nothing here can lose or hold up a sale:
`submit` returns at once, the worker builds the job's bytes (rendering and rasterising happen
off the till's thread too) and sends them with the transport's timeouts. A job that fails keeps
its bytes and its error and waits; the cashier retries it (the same bytes, reprinted) or
discards it. Listeners hear about every change, on the worker thread.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum

from posapp.domain.errors import DomainError
from posapp.hardware.transport import send as send_to_printer
from posapp.hardware.uri import PrinterUri

log = logging.getLogger(__name__)

KEEP_FINISHED = 20
"""Printed jobs kept for "reprint"; waiting and failed jobs are never dropped."""

CLOSE_WAIT_SECONDS = 2.0
"""How long `close` waits for a job being sent to finish before leaving the worker behind."""


class JobKind(StrEnum):
    RECEIPT = "receipt"
    DRAWER = "drawer"
    CALIBRATION = "calibration"


class JobState(StrEnum):
    WAITING = "waiting"
    SENDING = "sending"
    PRINTED = "printed"
    FAILED = "failed"


@dataclass(frozen=True)
class PrintJob:
    """A snapshot of one job. `reference` is the invoice number of a receipt."""

    id: int
    kind: JobKind
    reference: str
    uri: PrinterUri
    state: JobState = JobState.WAITING
    attempts: int = 0
    error: DomainError | None = None
    queued_at: datetime = field(default_factory=lambda: datetime.now(UTC))


Sender = Callable[[PrinterUri, bytes, float], None]


class PrintQueue:
    """Jobs in the order submitted, one printing at a time. Thread-safe."""

    def __init__(self, sender: Sender = send_to_printer) -> None:
        self._send = sender
        self._lock = threading.Condition()
        self._jobs: dict[int, PrintJob] = {}
        self._builders: dict[int, Callable[[], bytes]] = {}
        self._data: dict[int, bytes] = {}
        self._timeouts: dict[int, float] = {}
        self._due: list[int] = []
        self._ids = itertools.count(1)
        self._listeners: list[Callable[[PrintJob], None]] = []
        self._closed = False
        self._worker: threading.Thread | None = None
        """Started with the first job, so an app that never prints never runs it."""

    # -- the till's side -----------------------------------------------------------------------

    def subscribe(self, listener: Callable[[PrintJob], None]) -> None:
        """`listener(job)` after each change of a job, called on the queue's worker thread."""
        with self._lock:
            self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[PrintJob], None]) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def _wake(self) -> None:
        """Hand the worker a new due job (starting it the first time); holds the lock."""
        if self._worker is None and not self._closed:
            self._worker = threading.Thread(target=self._run, name="print-queue", daemon=True)
            self._worker.start()
        self._lock.notify_all()

    def submit(self, kind: JobKind, reference: str, uri: PrinterUri, build: Callable[[], bytes],
               timeout: float) -> PrintJob:
        """Queue a job whose bytes `build()` makes on the worker; returns at once."""
        with self._lock:
            job = PrintJob(next(self._ids), kind, reference, uri)
            self._jobs[job.id] = job
            self._builders[job.id] = build
            self._timeouts[job.id] = timeout
            self._due.append(job.id)
            self._wake()
        self._tell(job)
        return job

    def retry(self, job_id: int) -> PrintJob | None:
        """Send a failed job again, or reprint a printed one, with the same bytes; None when the
        job is unknown or already on its way."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.state in (JobState.WAITING, JobState.SENDING):
                return None
            job = self._jobs[job_id] = replace(job, state=JobState.WAITING)
            self._due.append(job_id)
            self._wake()
        self._tell(job)
        return job

    def retry_failed(self) -> list[PrintJob]:
        return [job for job in (self.retry(j.id) for j in self.jobs(JobState.FAILED)) if job]

    def discard(self, job_id: int) -> bool:
        """Forget a job that is not being sent."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.state is JobState.SENDING:
                return False
            self._forget(job_id)
            return True

    def jobs(self, state: JobState | None = None) -> list[PrintJob]:
        with self._lock:
            return [job for job in self._jobs.values() if state is None or job.state is state]

    def wait_idle(self, timeout: float) -> bool:
        """Wait until nothing is waiting or being sent (for the CLI and tests)."""
        with self._lock:
            return self._lock.wait_for(lambda: not self._due and not any(
                job.state is JobState.SENDING for job in self._jobs.values()), timeout)

    def close(self, timeout: float = CLOSE_WAIT_SECONDS) -> bool:
        """Stop the worker and wait up to `timeout` seconds for it to end (a job being sent is
        finished first; waiting jobs are dropped). True when no worker is left running; a worker
        stuck in a send longer than that is left behind (it is a daemon thread) and logged."""
        with self._lock:
            self._closed = True
            self._lock.notify_all()
            worker = self._worker
        if worker is None or worker is threading.current_thread():
            return worker is None
        worker.join(timeout)
        if worker.is_alive():
            log.warning("the print queue's worker is still sending after %.1f s; left behind", timeout)
            return False
        return True

    # -- the worker ------------------------------------------------------------------------------

    def _forget(self, job_id: int) -> None:
        self._jobs.pop(job_id, None)
        self._builders.pop(job_id, None)
        self._data.pop(job_id, None)
        self._timeouts.pop(job_id, None)
        if job_id in self._due:
            self._due.remove(job_id)

    def _tell(self, job: PrintJob) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(job)
            except Exception:
                log.exception("a print queue listener failed")

    def _run(self) -> None:
        while True:
            with self._lock:
                self._lock.wait_for(lambda: self._closed or bool(self._due))
                if self._closed:
                    return
                job_id = self._due.pop(0)
                job = self._jobs[job_id] = replace(self._jobs[job_id], state=JobState.SENDING,
                                                   attempts=self._jobs[job_id].attempts + 1)
                build = self._builders[job_id]
                data = self._data.get(job_id)
                timeout = self._timeouts[job_id]
            self._tell(job)
            error: DomainError | None = None
            try:
                if data is None:
                    data = build()
                    with self._lock:
                        self._data[job_id] = data
                self._send(job.uri, data, timeout)
            except DomainError as problem:
                error = problem
            except Exception as problem:
                log.exception("print job %s (%s %s) failed", job_id, job.kind, job.reference)
                error = DomainError("چاپ انجام نشد؛ جزئیات در گزارش برنامه است",
                                    f"printing failed: {problem}")
            with self._lock:
                job = replace(job, state=JobState.FAILED if error else JobState.PRINTED, error=error)
                if job_id in self._jobs:
                    self._jobs[job_id] = job
                self._trim()
                self._lock.notify_all()
            if error is not None:
                log.warning("print job %s (%s %s) failed: %s", job_id, job.kind, job.reference,
                            error.message_en)
            self._tell(job)

    def _trim(self) -> None:
        printed = [job_id for job_id, job in self._jobs.items() if job.state is JobState.PRINTED]
        for job_id in printed[:-KEEP_FINISHED]:
            self._forget(job_id)
