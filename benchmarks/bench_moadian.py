"""Prints what Moadian costs posapp: signing and encrypting one invoice, and sending 1,000
invoices in batches to the Moadian fake with added latency (figures, not tests).

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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
