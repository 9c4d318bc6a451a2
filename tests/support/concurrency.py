"""Run several workers on their own threads, all released at once, and collect what each
returned or raised (for tests of two tills writing at the same moment)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def run_together(workers: list[Callable[[], T]], *, timeout: float = 120) -> tuple[list[T], list[BaseException]]:
    """Each worker on its own thread, started together at a barrier; their results and errors."""
    start = threading.Barrier(len(workers))
    results: list[T] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(worker: Callable[[], T]) -> None:
        start.wait()
        try:
            result = worker()
        except BaseException as exc:  # collected for the test to judge
            with lock:
                errors.append(exc)
        else:
            with lock:
                results.append(result)

    threads = [threading.Thread(target=run, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results, errors
