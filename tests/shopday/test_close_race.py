"""The close against a sale in the same second, on SQLite with two processes: a sale whose
transaction is under way when the close starts belongs to the closed shift and its Z report;
a sale after the close is refused. Nothing is lost between them."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from decimal import Decimal

import pytest
from sqlalchemy import select

from posapp.services.shifts import NoOpenShiftError
from posapp.storage.models import InvoiceRow
from tests.shop_data import sale_draft

CHILD = r"""
import sys
from decimal import Decimal
from posapp.services.context import AppServices
from posapp.settings.shop import SHOP_NAME
from posapp.settings.store import SettingsStore
from tests.shop_data import sale_draft

store = SettingsStore(None)
store.set(SHOP_NAME, "فروشگاه نمونه")
with AppServices.open(sys.argv[1], settings=store) as services:
    user = services.access.user(sys.argv[2])
    view = services.catalog.get(int(sys.argv[3]))
    draft = services.invoicing.new_draft(user.name, user.id).with_changes(
        lines=(services.invoicing.line_for_product(view, Decimal(1)),))
    with services.database.write() as session:
        services.invoicing._issue_all(session, [draft], None)
        print("holding", flush=True)
        sys.stdin.readline()
print("committed", flush=True)
"""


def test_a_sale_in_another_process_under_way_at_the_close_lands_in_its_z(services, products, database_url, owner,
                                                                         shift):
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    child = subprocess.Popen([sys.executable, "-c", CHILD, database_url, owner.name, str(products["milk"].id)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert child.stdout.readline().strip() == "holding"
        reports = []
        closer = threading.Thread(target=lambda: reports.append(services.shifts.close(Decimal(0), owner.actor)))
        closer.start()
        time.sleep(0.7)
        assert closer.is_alive(), "the close must wait for the other process's sale"
        child.stdin.write("\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "committed"
        closer.join(20)
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(10)
    [z] = reports
    assert z.sales_count == 1
    with services.database.read() as session:
        assert session.execute(select(InvoiceRow.shift_id)).scalars().all() == [shift.id]
    with pytest.raises(NoOpenShiftError):
        services.invoicing.issue(sale_draft(services, products).with_changes(cashier=owner.name,
                                                                             cashier_id=owner.id))
    assert services.audit.verify().ok
