"""`posapp sync --once` and `posapp sync status` with Moadian switched on, end to end: the
settings file and in-memory keyring `posapp provider configure moadian` writes, a real database
and the Moadian fake; and the app's sync worker running Moadian's step after its drain."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import update

from posapp.cli import main
from posapp.domain.invoice import InvoiceLine
from posapp.services.sync.worker import build_worker
from posapp.settings.moadian import MOADIAN_ENABLED
from posapp.settings.providers import config_setting
from posapp.settings.shop import SHOP_ECONOMIC_CODE
from posapp.settings.store import SettingsStore
from posapp.storage.models import OutboxRow
from tests.fakes.moadian import MoadianFake
from tests.providers.test_moadian import MEMORY_ID, SELLER_ECONOMIC_CODE, identity, public_key_of


@pytest.fixture
def fake():
    with MoadianFake(in_progress_inquiries=0) as server:
        server.register(MEMORY_ID, public_key_of(identity("shop")[1]), economic_code=SELLER_ECONOMIC_CODE)
        yield server


@pytest.fixture
def moadian_shop(make_shop, memory_keyring, fake, tmp_path):
    key, certificate = identity("shop")
    (tmp_path / "key.pem").write_bytes(key)
    (tmp_path / "cert.pem").write_bytes(certificate)
    SettingsStore().set(SHOP_ECONOMIC_CODE, SELLER_ECONOMIC_CODE)
    assert main(["provider", "configure", "moadian", "--memory-id", MEMORY_ID, "--enable",
                 "--private-key-file", str(tmp_path / "key.pem"), "--certificate-file", str(tmp_path / "cert.pem"),
                 "--base-url", fake.api_url]) == 0
    shop = make_shop()  # the till's own settings file: numbered and sent under the same memory
    shop.services.settings.set(config_setting("moadian"), {"memory_id": MEMORY_ID, "base_url": fake.api_url})
    shop.services.settings.set(MOADIAN_ENABLED, True)
    shop.services.settings.set(SHOP_ECONOMIC_CODE, SELLER_ECONOMIC_CODE)
    return shop


def sell(shop, count):
    invoicing = shop.services.invoicing
    line = InvoiceLine("چای", Decimal(2), Decimal(1_250_000), tax_rate=Decimal("0.10"),
                       goods_code="2710000138624", unit_code="1627")
    return [invoicing.issue(invoicing.new_draft().with_changes(lines=(line,))) for _ in range(count)]


def test_sync_once_sends_and_a_second_run_collects_the_verdicts(moadian_shop, fake, capsys):
    sales = sell(moadian_shop, 3)
    url = moadian_shop.database_url
    capsys.readouterr()
    assert main(["--database-url", url, "sync", "--once"]) == 0
    assert "moadian: accepted 0, rejected 0, sent 3" in capsys.readouterr().out
    assert main(["--database-url", url, "sync", "status"]) == 0
    assert "moadian: pending 3" in capsys.readouterr().out
    with moadian_shop.services.database.write() as session:  # the poll interval has passed
        session.execute(update(OutboxRow).values(next_attempt_at=OutboxRow.created_at))
    assert main(["--database-url", url, "sync", "--once"]) == 0
    assert "moadian: accepted 3, rejected 0" in capsys.readouterr().out
    assert {s.tax_id for s in sales} <= set(fake.accepted)
    assert main(["--database-url", url, "sync", "status"]) == 0
    assert "moadian: pending 0 (blocked 0), in flight 0, failed 0, done 3" in capsys.readouterr().out


def test_the_apps_sync_worker_runs_moadians_step_after_its_drain(moadian_shop, fake):
    sell(moadian_shop, 1)
    build_worker(moadian_shop.services).run_cycle()
    assert fake.count("send-invoices") == 1
    assert len(fake.packets) == 1


def test_a_failing_step_after_the_drain_does_not_stop_the_worker_cycle(make_shop):
    from posapp.services.sync.worker import SyncWorker

    shop = make_shop()

    def broken():
        raise RuntimeError("boom")

    worker = SyncWorker(shop.engine(), after_drain=broken)
    assert worker.run_cycle() is not None
    assert worker._last_payment_poll is not None, "the payment poll still ran"


def test_moadian_out_of_reach_shows_on_the_cycles_unreachable_line(moadian_shop, fake):
    import socket

    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    moadian_shop.services.settings.set(config_setting("moadian"), {
        "memory_id": MEMORY_ID, "base_url": fake.api_url.replace(fake.base_url, f"http://127.0.0.1:{closed_port}")})
    sell(moadian_shop, 1)
    summary = build_worker(moadian_shop.services).run_cycle()
    [(provider, message)] = summary.provider_errors
    assert provider == "moadian"
    assert " / " in message, "Persian and English"
    assert fake.count("send-invoices") == 0
