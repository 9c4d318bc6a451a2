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
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from posapp.paths import project_root
from posapp.storage.models import InvoiceLineRow, InvoiceRow, OutboxRow
from tests.sync import providers_under_test as put


def spawn(*args: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.sync.crash_driver", *args], cwd=project_root(),
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=dict(os.environ))
    assert process.stdout is not None
    ready = process.stdout.readline().strip()
    assert ready == "ready", f"driver did not start: {ready!r}"
    return process


def kill(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGKILL)
    output, _ = process.communicate(timeout=10)
    assert process.returncode == -signal.SIGKILL
    return output


@pytest.mark.slow
def test_kill_9_while_syncing_loses_nothing_and_sends_nothing_twice(make_shop):
    kills = int(os.environ.get("POSAPP_CRASH_KILLS", "200"))
    shop = make_shop("hesabit", seed=11)
    fake = shop.fakes["hesabit"]
    fake.faults.latency.sometimes(1.0)
    fake.faults.latency_seconds = 0.01
    spec = json.dumps(put.fake_spec("hesabit", fake))
    rng = random.Random(2026)
    sales = shop.sell(10, lines=1)
    for round_ in range(kills):
        sales += shop.sell(2, lines=1, seed=round_)
        process = spawn("sync", shop.database_url, spec, "0.3")
        time.sleep(rng.uniform(0.0, 0.12))
        kill(process)
    shop.clock.now = datetime.now(UTC) + timedelta(seconds=5)  # every dead worker's lease is over
    engine = shop.engine()
    for _ in range(10):
        engine.run_once()
        [counts] = engine.status()
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
    assert recovered > 0, "no kill landed while a row was in flight; the test proved nothing"


def test_kill_9_while_saving_keeps_every_confirmed_sale_whole(make_shop):
    shop = make_shop("hesabit")
    rng = random.Random(5)
    confirmed: dict[str, tuple[Decimal, int]] = {}
    for _ in range(int(os.environ.get("POSAPP_SAVE_KILLS", "12"))):
        process = spawn("sell", shop.database_url, str(shop.root / "settings.json"))
        time.sleep(rng.uniform(0.02, 0.4))
        for line in kill(process).splitlines():
            number, payable, line_count = line.split()
            confirmed[number] = (Decimal(payable), int(line_count))
    assert len(confirmed) > 12
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
