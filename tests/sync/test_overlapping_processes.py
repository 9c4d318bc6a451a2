"""Two real `posapp sync --once` processes over one database and one Hesabfa: the second starts
after the first's lease would have run out. Every receipt reaches Hesabfa exactly once, and
together the processes stay under Hesabfa's rate limit (issue 19, item 1)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from decimal import Decimal

import keyring
import pytest

from posapp.domain.invoice import InvoiceLine, Party, Payment, PaymentMethod
from posapp.domain.sync import OutboxState
from posapp.paths import project_root
from posapp.providers.hesabfa import HesabfaConfig
from posapp.settings import providers as provider_settings
from posapp.settings import secrets
from posapp.settings.store import SettingsStore
from posapp.storage import outbox
from tests.fakes.hesabfa import HesabfaFake, HesabfaRefusal
from tests.sync.conftest import Shop
from tests.sync.file_keyring import SharedFileKeyring

CLIENT_RATE = 30
"""Requests a minute each process allows itself (a burst of 5, then 25 a minute)."""
WINDOW = 20.0
LIMIT = 14
"""Hesabfa's limit in the fake: 14 requests in any 20 s, what one client at CLIENT_RATE can use
(5 + 25/60 × 20 = 13.3); two processes that did not share their budget would exceed it."""
LEASE = 4.0


class CountingHesabfa(HesabfaFake):
    """The Hesabfa fake, counting the requests it refused for the rate limit."""

    def __init__(self) -> None:
        super().__init__(rate_limit=LIMIT, rate_window=WINDOW)
        self.refused_for_rate = 0

    def _throttle(self) -> None:
        try:
            super()._throttle()
        except HesabfaRefusal:
            self.refused_for_rate += 1
            raise


def sync_once(shop: Shop, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "posapp", "--database-url", shop.database_url, "sync", "--once",
         "--provider", "hesabfa", "--lease-seconds", str(LEASE), "--no-pull"],
        cwd=project_root(), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_two_overlapping_sync_processes_send_each_receipt_once_within_the_rate_limit(tmp_path):
    keyring_file = tmp_path / "keyring.json"
    os.environ["POSAPP_TEST_KEYRING"] = str(keyring_file)
    previous = keyring.get_keyring()
    keyring.set_keyring(SharedFileKeyring())
    with CountingHesabfa() as fake:
        try:
            store = SettingsStore()  # the file the `posapp` processes read (POSAPP_DATA_DIR)
            provider_settings.save_config(store, "hesabfa", HesabfaConfig(
                base_url=f"{fake.base_url}/v1", client_rate_limit=CLIENT_RATE, cash_code="0001",
                bank_code="0001", timeout=5.0, max_retries=3))
            provider_settings.set_enabled(store, "hesabfa", True)
            secrets.set_secret("hesabfa", "api_key", fake.api_key)
            secrets.set_secret("hesabfa", "login_token", fake.login_token)
        finally:
            keyring.set_keyring(previous)
        shop = Shop(tmp_path / "shop", ("hesabfa",), {"hesabfa": fake})
        shop.root.mkdir()
        services = shop.open()
        try:
            sales = []
            for index in range(12):
                line = InvoiceLine(f"کالای {index}", Decimal(1), Decimal(100_000 + index * 10_000),
                                   tax_rate=Decimal("0.10"))
                sales.append(services.invoicing.issue(services.invoicing.new_draft().with_changes(
                    buyer=Party("مشتری", mobile="09121234567"), lines=(line,))))
            # the sales are at Hesabfa already; their card payments, taken later, are queued
            fake.rate_limit = 100_000
            assert shop.engine().run_once().delivered == len(sales)
            for sale in sales:
                services.invoicing.record_payment(sale.number, Payment(
                    PaymentMethod.CARD, sale.totals.payable, f"card-{sale.number}"))
            with fake.lock:
                fake.rate_limit = LIMIT
                fake._recent.clear()  # the window starts with the two processes
            env = dict(os.environ, PYTHONPATH=str(project_root()),
                       PYTHON_KEYRING_BACKEND="tests.sync.file_keyring.SharedFileKeyring")
            first = sync_once(shop, env)
            time.sleep(LEASE + 1.5)
            second = sync_once(shop, env)
            outputs = [process.communicate(timeout=200) for process in (first, second)]
            rows = outbox.items(services.database)
        finally:
            services.close()
        with fake.lock:
            # Hesabfa numbers its invoices; posapp's number is each one's reference
            sent = [dict(invoice) for (kind, _number), invoice in fake.invoices.items() if kind == 0]
            receipts = Counter(receipt["Description"] for receipt in fake.receipts)
    details = f"outputs: {outputs}"
    assert sorted(invoice["Reference"] for invoice in sent) == sorted(sale.number for sale in sales), details
    held = {invoice["Reference"]: invoice for invoice in sent}
    assert fake.refused_for_rate == 0, details
    for sale in sales:
        assert held[sale.number]["Paid"] == sale.totals.payable, details
    assert set(receipts.values()) == {1}, details
    assert len(receipts) == len(sales)
    assert {row.state for row in rows} == {OutboxState.DONE}, details
