"""Closing the print queue ends its worker thread: a job being sent is finished and the thread
joined before `close` returns, and a printer stuck past the wait does not hold the till up."""

from __future__ import annotations

import threading
import time

from posapp.hardware.print_queue import JobKind, JobState, PrintQueue
from posapp.hardware.uri import parse_printer_uri

URI = parse_printer_uri("tcp://127.0.0.1:9100")
WAIT = 5.0


def _worker(queue: PrintQueue) -> threading.Thread:
    worker = queue._worker
    assert worker is not None
    assert worker.is_alive()
    return worker


def test_close_finishes_the_job_being_sent_and_joins_the_worker():
    sending = threading.Event()
    printed: list[bytes] = []

    def slow_printer(uri, data, timeout):
        sending.set()
        time.sleep(0.3)
        printed.append(data)

    queue = PrintQueue(sender=slow_printer)
    job = queue.submit(JobKind.RECEIPT, "1", URI, lambda: b"receipt", 1)
    assert sending.wait(WAIT)
    worker = _worker(queue)
    assert queue.close() is True
    assert not worker.is_alive()
    assert printed == [b"receipt"]
    assert [j.state for j in queue.jobs()] == [JobState.PRINTED]
    assert queue.jobs()[0].id == job.id


def test_close_without_any_job_has_no_worker_to_wait_for():
    queue = PrintQueue(sender=lambda *_: None)
    assert queue.close() is True
    assert queue._worker is None


def test_a_printer_stuck_past_the_wait_does_not_hold_close_up():
    release = threading.Event()
    sending = threading.Event()

    def stuck_printer(uri, data, timeout):
        sending.set()
        release.wait(WAIT)

    queue = PrintQueue(sender=stuck_printer)
    queue.submit(JobKind.RECEIPT, "1", URI, lambda: b"receipt", 1)
    assert sending.wait(WAIT)
    worker = _worker(queue)
    started = time.monotonic()
    try:
        assert queue.close(timeout=0.2) is False
        assert time.monotonic() - started < 1.0
        assert worker.is_alive()
    finally:
        release.set()
        worker.join(WAIT)
    assert not worker.is_alive()
