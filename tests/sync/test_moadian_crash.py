"""kill -9 while delivering to Moadian, with answers lost after Moadian took a batch: every
document is accepted exactly once, none is lost, and no tax ID goes out under two packets.
POSAPP_CRASH_KILLS sets how many times the delivering process is killed (10 by default)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from posapp.domain.invoice import InvoiceLine
from posapp.providers.moadian import MoadianClient, MoadianConfig, Signer
from posapp.services.moadian_sync import MoadianPolicy, MoadianSync
from posapp.settings.moadian import MOADIAN_ENABLED
from posapp.settings.providers import config_setting
from posapp.settings.shop import SHOP_ECONOMIC_CODE
from posapp.storage.models import MoadianDocumentRow, OutboxRow
from tests.fakes.moadian import MoadianFake
from tests.providers.test_moadian import MEMORY_ID, SELLER_ECONOMIC_CODE, identity, public_key_of

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(900)
def test_kill_9_while_delivering_to_moadian_accepts_each_document_exactly_once(make_shop, tmp_path):
    kills = int(os.environ.get("POSAPP_CRASH_KILLS", "10"))
    key, certificate = identity("shop")
    (tmp_path / "key.pem").write_bytes(key)
    (tmp_path / "cert.pem").write_bytes(certificate)
    shop = make_shop()
    settings = shop.services.settings
    settings.set(config_setting("moadian"), {"memory_id": MEMORY_ID})
    settings.set(MOADIAN_ENABLED, True)
    settings.set(SHOP_ECONOMIC_CODE, SELLER_ECONOMIC_CODE)
    invoicing = shop.services.invoicing
    rng = random.Random(2026)

    def sell(count):
        return [invoicing.issue(invoicing.new_draft().with_changes(lines=(InvoiceLine(
            "چای", Decimal(rng.randint(1, 3)), Decimal(rng.randint(1, 50) * 10_000), tax_rate=Decimal("0.10"),
            goods_code="2710000138624", unit_code="1627"),))) for _ in range(count)]

    with MoadianFake(in_progress_inquiries=1) as fake:
        fake.register(MEMORY_ID, public_key_of(certificate), economic_code=SELLER_ECONOMIC_CODE)
        fake.faults.latency.sometimes(1.0)
        fake.faults.latency_seconds = 0.1
        fake.faults.drop_after_commit.sometimes(0.3, operations={"send-invoices"})  # accepted, answer lost
        sales = sell(8)
        command = [sys.executable, "-m", "tests.sync.moadian_crash_driver", shop.database_url,
                   str(settings.path), str(tmp_path / "key.pem"), str(tmp_path / "cert.pem"), fake.api_url]
        for _ in range(kills):
            sales += sell(2)
            child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE)
            assert child.stdout is not None
            assert child.stdout.readline().startswith(b"started")
            time.sleep(rng.uniform(0.3, 1.5))  # every call spends a nonce: a send is four requests
            child.send_signal(signal.SIGKILL)
            child.wait()
        posted_by_children = fake.count("send-invoices")
        fake.faults.latency.off()
        fake.faults.drop_after_commit.off()
        shop.clock.advance(5)  # every dead worker's lease is over
        key_and_certificate = Signer.from_pem(key, certificate)
        config = MoadianConfig(base_url=fake.api_url, memory_id=MEMORY_ID, timeout=5.0, max_retries=0)
        delivery = MoadianSync(shop.services, lambda: MoadianClient(config, key_and_certificate),
                               clock=shop.clock, policy=MoadianPolicy(poll_seconds=1))
        for _ in range(10):
            delivery.run_once()
            shop.clock.advance(2)
        with shop.services.database.read() as session:
            states = Counter(session.scalars(select(OutboxRow.state)))
            uids = list(session.scalars(select(MoadianDocumentRow.uid)))
            recovered = session.scalar(select(func.count()).where(OutboxRow.attempts > 2))
        assert states == {"done": len(sales)}
        assert {s.tax_id for s in sales} == set(fake.accepted)
        packets_per_tax_id = Counter(packet.tax_id for packet in fake.received)
        assert set(packets_per_tax_id) == set(fake.accepted)
        assert set(packets_per_tax_id.values()) == {1}, "a tax ID went out under two packets"
        assert set(uids) == set(fake.packets), "every packet Moadian holds is one the till stored first"
        assert posted_by_children > 0, "the killed processes sent nothing"
        assert recovered > 0, "no kill landed while a row was in flight; the test proved nothing"
