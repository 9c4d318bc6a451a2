"""A till killed mid-sale (power cut) loses nothing it confirmed and leaves nothing half-saved."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from decimal import Decimal

from sqlalchemy import func, select

from posapp.services.context import AppServices
from posapp.storage.models import AuditRow, InvoiceLineRow, InvoiceRow, NumberCounterRow

TILL = textwrap.dedent("""
    import sys
    from decimal import Decimal
    from posapp.services.context import AppServices
    from posapp.domain.invoice import Payment, PaymentMethod
    from posapp.settings.shop import SHOP_NAME
    from posapp.settings.store import SettingsStore

    store = SettingsStore(None)
    store.set(SHOP_NAME, "فروشگاه نمونه")  # no invoice is issued without the shop's name
    with AppServices.open(sys.argv[1], settings=store) as services:
        product = services.catalog.find_by_code("1001")
        while True:
            line = services.invoicing.line_for_product(product, Decimal(1))
            draft = services.invoicing.new_draft().with_changes(
                lines=(line,), payments=(Payment(PaymentMethod.CASH, Decimal(10**7)),))
            print(services.invoicing.issue(draft).number, flush=True)
""")


def test_killed_till_keeps_every_confirmed_sale_and_no_partial_one(database_url, settings, products, tmp_path):
    env = {**os.environ, "POSAPP_DATA_DIR": str(tmp_path / "till-data")}
    till = subprocess.Popen([sys.executable, "-c", TILL, database_url], stdout=subprocess.PIPE, text=True, env=env)
    confirmed = []
    deadline = time.monotonic() + 120
    assert till.stdout is not None
    while len(confirmed) < 25 and time.monotonic() < deadline:
        line = till.stdout.readline()
        if not line:
            break
        confirmed.append(line.strip())
    till.send_signal(signal.SIGKILL)
    till.wait()
    assert len(confirmed) == 25, "the till process issued invoices before it was killed"

    with AppServices.open(database_url, settings=settings) as services:
        with services.database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        with services.database.read() as session:
            numbers = session.execute(select(InvoiceRow.number).order_by(InvoiceRow.sequence)).scalars().all()
            sequences = session.execute(select(InvoiceRow.sequence).order_by(InvoiceRow.sequence)).scalars().all()
            counter = session.execute(select(NumberCounterRow.last_sequence)).scalar_one()
            invoices_without_lines = session.execute(
                select(func.count()).select_from(InvoiceRow)
                .where(~InvoiceRow.id.in_(select(InvoiceLineRow.invoice_id)))).scalar_one()
            audits = session.execute(select(func.count()).select_from(AuditRow)).scalar_one()
        assert set(confirmed) <= set(numbers), "every confirmed sale survived"
        assert sequences == list(range(1, len(sequences) + 1)), "no gaps"
        assert counter == len(sequences), "the counter never ran ahead of stored invoices"
        assert invoices_without_lines == 0
        assert audits == len(numbers)
        stock = services.catalog.find_by_code("1001").stock
        assert stock == Decimal(50) - len(numbers), "stock moved exactly once per stored sale"
        next_sale = services.invoicing.issue(services.invoicing.new_draft().with_changes(
            lines=(services.invoicing.line_for_product(products["bread"]),)))
        assert next_sale.number == f"1A-{len(numbers) + 1:06d}"
