"""Prints what Moadian costs posapp: signing and encrypting one invoice, sending 1,000 invoices
in batches to the Moadian fake with added latency, and the whole outbox path (1,000 sales issued
with tax IDs, then delivered and polled by `MoadianSync` until accepted) (figures, not tests).

    .venv/bin/python benchmarks/bench_moadian.py [--count 1000] [--latency 0.05] [--batch 500]

The fake (tests/fakes/moadian.py) runs in this process on 127.0.0.1; each request waits
`--latency` seconds there, as a distant server would. Every invoice is then inquired until the
fake accepts it, so the figure covers a whole delivery, not just the POST.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from posapp.domain.invoice import Invoice, InvoiceLine, Party, issue
from posapp.domain.moadian import make_tax_id
from posapp.domain.moadian_invoice import GoodsCode, sale_document
from posapp.providers.moadian import MoadianClient, MoadianConfig, Signer, new_uid
from tests.fakes.moadian import MoadianFake
from tests.providers.test_moadian import MEMORY_ID, SELLER_ECONOMIC_CODE, identity, public_key_of

CODE = GoodsCode("2710000138624", "1627")


def invoice(index: int) -> Invoice:
    lines = tuple(InvoiceLine(f"کالای {i}", Decimal(1 + i % 3), Decimal(125_000 * (i + 1)),
                              tax_rate=Decimal("0.10")) for i in range(10))
    draft = Invoice(seller=Party("فروشگاه نمونه"), lines=lines)
    return issue(draft, f"1A-{index:06d}", at=datetime.now(UTC) - timedelta(minutes=5))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    key, certificate = identity("shop")
    with MoadianFake(in_progress_inquiries=0) as fake:
        fake.register(MEMORY_ID, public_key_of(certificate), economic_code=SELLER_ECONOMIC_CODE)
        config = MoadianConfig(base_url=fake.api_url, memory_id=MEMORY_ID, timeout=60.0)
        with MoadianClient(config, Signer.from_pem(key, certificate)) as client:
            documents = [(new_uid(), sale_document(
                invoice(i), tax_id=make_tax_id(MEMORY_ID, datetime.now(UTC) - timedelta(minutes=5), i + 1),
                seller_economic_code=SELLER_ECONOMIC_CODE, codes=[CODE] * 10))
                for i in range(args.count)]
            client.server_keys()
            timings = []
            for uid, document in documents[:50]:
                start = time.perf_counter()
                client.packet(uid, document)
                timings.append((time.perf_counter() - start) * 1000)
            print(f"sign + encrypt one 10-line invoice: median {statistics.median(timings):.2f} ms "
                  f"(p95 {sorted(timings)[int(len(timings) * 0.95)]:.2f} ms)")
            fake.faults.latency.sometimes(1.0)
            fake.faults.latency_seconds = args.latency
            start = time.perf_counter()
            for first in range(0, len(documents), args.batch):
                client.send(documents[first:first + args.batch])
            sent = time.perf_counter() - start
            results = client.inquire_by_uid([uid for uid, _ in documents])
            total = time.perf_counter() - start
            accepted = sum(1 for r in results if r.status.value == "SUCCESS")
            print(f"{args.count} invoices in batches of {args.batch}, {args.latency * 1000:.0f} ms per "
                  f"request: sent in {sent:.2f} s, accepted {accepted}/{args.count} after "
                  f"{total:.2f} s ({fake.count()} requests to the fake)")
    outbox_figure(args.count, args.latency, key, certificate)
    return 0


def outbox_figure(count: int, latency: float, key: bytes, certificate: bytes) -> None:
    """Issue `count` one-line sales with Moadian on, then deliver them through the outbox."""
    import tempfile

    from posapp.services.context import AppServices
    from posapp.services.moadian_sync import MoadianPolicy, MoadianSync
    from posapp.settings.moadian import MOADIAN_ENABLED
    from posapp.settings.providers import config_setting
    from posapp.settings.shop import SHOP_ECONOMIC_CODE, SHOP_NAME
    from posapp.settings.store import SettingsStore
    from posapp.storage import migrate
    from posapp.storage.engine import Database

    with tempfile.TemporaryDirectory() as folder, MoadianFake(in_progress_inquiries=0) as fake:
        fake.register(MEMORY_ID, public_key_of(certificate), economic_code=SELLER_ECONOMIC_CODE)
        url = f"sqlite:///{Path(folder) / 'posapp.sqlite3'}"
        database = Database(url)
        migrate.upgrade(database.engine)
        database.dispose()
        settings = SettingsStore(Path(folder) / "settings.json")
        settings.set(config_setting("moadian"), {"memory_id": MEMORY_ID})
        settings.set(MOADIAN_ENABLED, True)
        settings.set(SHOP_ECONOMIC_CODE, SELLER_ECONOMIC_CODE)
        settings.set(SHOP_NAME, "فروشگاه نمونه")  # no invoice is issued without the shop's name
        with AppServices.open(url, settings=settings) as services:
            line = InvoiceLine("چای", Decimal(2), Decimal(1_250_000), tax_rate=Decimal("0.10"),
                               goods_code=CODE.goods_id, unit_code=CODE.unit_code)
            draft = services.invoicing.new_draft().with_changes(lines=(line,))
            start = time.perf_counter()
            services.invoicing.issue_many([draft] * count)
            issued = time.perf_counter() - start
            config = MoadianConfig(base_url=fake.api_url, memory_id=MEMORY_ID, timeout=60.0)
            signer = Signer.from_pem(key, certificate)
            clock_offset = [0.0]
            delivery = MoadianSync(services, lambda: MoadianClient(config, signer),
                                   policy=MoadianPolicy(batch_size=500),
                                   clock=lambda: datetime.now(UTC) + timedelta(seconds=clock_offset[0]))
            fake.faults.latency.sometimes(1.0)
            fake.faults.latency_seconds = latency
            start = time.perf_counter()
            accepted = 0
            for _ in range(10):
                accepted += len(delivery.run_once().accepted)
                if accepted == count:
                    break
                clock_offset[0] += delivery.policy.poll_seconds + 1  # skip the wait between polls
            total = time.perf_counter() - start
        print(f"outbox path: {count} sales issued with tax IDs and queued in {issued:.2f} s; delivered "
              f"and polled until {accepted}/{count} accepted in {total:.2f} s, poll waits skipped "
              f"({fake.count()} requests)")


if __name__ == "__main__":
    raise SystemExit(main())
