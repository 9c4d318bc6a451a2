"""Crash tests: SIGKILL the syncing process, or the process saving sales, at random moments.

The sync test kills a real subprocess 200 times in a row (POSAPP_CRASH_KILLS overrides the count)
while sales keep arriving; afterwards every sale is on the provider exactly once with its amount.
The saving test kills a process issuing sales; every sale it printed as confirmed must be in the
database afterwards, complete with its outbox row, and no half-saved sale or number gap may exist.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from posapp.paths import project_root
from posapp.storage.models import InvoiceLineRow, InvoiceRow, OutboxRow
from tests.sync import providers_under_test as put


class Driver:
    """The warm parent process of `tests.sync.crash_driver`; forks children to be killed."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.sync.crash_driver", *args], cwd=project_root(),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            env=dict(os.environ))
        self.output: list[str] = []
        assert self._line() == "ready"

    def _line(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise AssertionError("the crash driver died")
        return line.strip()

    def _send(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def _until(self, wanted: str) -> None:
        while (line := self._line()) != wanted:
            if line.startswith("failed "):
                raise AssertionError(f"a driver child failed: {line}")
            self.output.append(line)

    def spawn(self) -> int:
        """Fork a child and return once it has opened the database."""
        self._send("spawn")
        while not (line := self._line()).startswith("pid "):
            self.output.append(line)
        pid = int(line.split()[1])
        self._until(f"started {pid}")
        return pid

    def kill(self, pid: int) -> None:
        os.kill(pid, signal.SIGKILL)
        self._send(f"reap {pid}")
        self._until(f"reaped {pid}")

    def close(self) -> None:
        self._send("quit")
        self.process.communicate(timeout=10)


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_kill_9_while_syncing_loses_nothing_and_sends_nothing_twice(make_shop):
    kills = int(os.environ.get("POSAPP_CRASH_KILLS", "200"))
    shop = make_shop("hesabit", seed=11)
    fake = shop.fakes["hesabit"]
    # Every request takes a while, so a child killed 0.1-0.7 s after it started is usually in
    # the middle of sending (with quick requests it has often finished, and the test would
    # prove nothing about rows whose outcome is unknown).
    fake.faults.latency.sometimes(1.0)
    fake.faults.latency_seconds = 0.2
    spec = json.dumps(put.fake_spec("hesabit", fake))
    rng = random.Random(2026)
    sales = shop.sell(10, lines=1)
    driver = Driver("sync", shop.database_url, spec, "0.3")
    try:
        for round_ in range(kills):
            sales += shop.sell(2, lines=1, seed=round_)
            pid = driver.spawn()
            time.sleep(rng.uniform(0.1, 0.7))
            driver.kill(pid)
            print(f"kill {round_ + 1}/{kills} at {time.monotonic():.1f}", file=sys.stderr)
    finally:
        driver.close()
    sent_by_children = fake.count("invoices.create")
    shop.clock.advance(5)  # every dead worker's lease (0.3 s) is over
    engine = shop.engine()
    for _ in range(10):
        engine.run_once()
        [counts] = engine.queue.status()
        if counts.pending == counts.in_flight == 0:
            break
        shop.clock.advance(60)
    assert (counts.done, counts.failed, counts.pending, counts.in_flight) == (len(sales), 0, 0, 0)
    records = put.remote_invoices("hesabit", fake)
    on_provider = Counter(r.number for r in records)
    assert sorted(on_provider) == sorted(s.number for s in sales)
    assert set(on_provider.values()) == {1}
    amounts = {r.number: r.payable for r in records}
    assert all(amounts[s.number] == s.totals.payable for s in sales)
    with shop.services.database.read() as session:
        recovered = session.scalar(select(func.count()).where(OutboxRow.attempts > 1))
    assert sent_by_children > 0, "the killed processes sent nothing"
    assert recovered > 0, "no kill landed while a row was in flight; the test proved nothing"


def test_kill_9_while_saving_keeps_every_confirmed_sale_whole(make_shop):
    shop = make_shop("hesabit")
    rng = random.Random(5)
    confirmed: dict[str, tuple[Decimal, int]] = {}
    kills = int(os.environ.get("POSAPP_SAVE_KILLS", "15"))
    driver = Driver("sell", shop.database_url, str(shop.root / "settings.json"))

    def confirmed_so_far() -> int:
        return sum(1 for line in driver.output if line.startswith("confirmed "))

    # Kill at random moments as often as asked, and on a slow machine (where a child may be
    # killed before it confirms anything) go on until a few sales were confirmed, so the test
    # always checks something; how many a machine manages is not what it asserts.
    try:
        rounds = 0
        while rounds < kills or (confirmed_so_far() < 5 and rounds < 4 * kills):
            pid = driver.spawn()
            time.sleep(rng.uniform(0.0, 0.3))
            driver.kill(pid)
            rounds += 1
    finally:
        driver.close()
    for line in driver.output:
        _, number, payable, line_count = line.split()
        confirmed[number] = (Decimal(payable), int(line_count))
    assert confirmed, "no sale was confirmed between the kills; the test proved nothing"
    invoicing = shop.services.invoicing
    for number, (payable, line_count) in confirmed.items():
        invoice = invoicing.get_by_number(number)
        assert invoice.totals.payable == payable
        assert len(invoice.lines) == line_count
    with shop.services.database.read() as session:
        invoices = session.execute(select(InvoiceRow.id, InvoiceRow.sequence)).all()
        with_lines = set(session.scalars(select(InvoiceLineRow.invoice_id).distinct()))
        with_outbox = set(session.scalars(select(OutboxRow.invoice_id).distinct()))
    ids = {invoice_id for invoice_id, _ in invoices}
    assert ids == with_lines == with_outbox, "a sale was saved without its lines or its sync job"
    sequences = sorted(sequence for _, sequence in invoices)
    assert sequences == list(range(1, len(sequences) + 1)), "a number was lost or reused"
