"""The sale open at a till is kept in held_sales as it changes, one per till, out of the held
list; issuing, holding or emptying it removes it in the same transaction."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError

from posapp.domain.errors import LifecycleError, NotFoundError
from posapp.domain.invoice import Payment, PaymentMethod
from posapp.services.context import AppServices
from posapp.services.invoicing import UnsavedInvoiceError
from posapp.storage.models import HeldSaleRow
from tests.shop_data import count_rows, sale_draft


def test_the_open_sale_is_rewritten_as_it_changes_and_read_back(services, products):
    invoicing = services.invoicing
    draft = sale_draft(services, products)
    assert invoicing.open_sale(draft.till) is None
    invoicing.keep_open_sale(draft.with_changes(lines=draft.lines[:1]))
    invoicing.keep_open_sale(draft)
    assert invoicing.open_sale(draft.till) == draft
    assert count_rows(services, HeldSaleRow) == 1
    assert invoicing.held() == []
    invoicing.keep_open_sale(draft.with_changes(lines=()))
    assert invoicing.open_sale(draft.till) is None
    assert count_rows(services, HeldSaleRow) == 0


def test_each_till_has_its_own_open_sale(services, products):
    invoicing = services.invoicing
    first = sale_draft(services, products)
    second = first.with_changes(till="2", lines=first.lines[:1])
    invoicing.keep_open_sale(first)
    invoicing.keep_open_sale(second)
    assert invoicing.open_sale(first.till) == first
    assert invoicing.open_sale("2") == second


def test_issuing_removes_the_open_sale_in_its_transaction(services, products):
    invoicing = services.invoicing
    draft = sale_draft(services, products)
    invoicing.keep_open_sale(draft)
    invoicing.issue(draft.with_changes(payments=(Payment(PaymentMethod.CASH, draft.totals.payable),)))
    assert invoicing.open_sale(draft.till) is None


def test_a_refused_issue_keeps_the_open_sale(services, products):
    invoicing = services.invoicing
    draft = sale_draft(services, products)
    invoicing.keep_open_sale(draft)
    with pytest.raises(UnsavedInvoiceError, match="customer on it no longer exists"):
        invoicing.issue(draft.with_changes(customer_id=999_999))
    assert invoicing.open_sale(draft.till) == draft


def test_holding_parks_the_open_sale_and_resuming_reopens_it_on_this_till(services, products):
    invoicing = services.invoicing
    draft = sale_draft(services, products)
    invoicing.keep_open_sale(draft)
    held_id = invoicing.hold(draft, "آقای رضایی")
    assert invoicing.open_sale(draft.till) is None
    assert [h.label for h in invoicing.held()] == ["آقای رضایی"]
    assert invoicing.resume(held_id, till="2") == draft
    assert invoicing.held() == []
    assert invoicing.open_sale("2") == draft
    with pytest.raises(NotFoundError):  # an open sale is not a held sale: no other till takes it
        invoicing.resume(held_id)


def test_only_a_draft_is_kept_open(services, products):
    draft = sale_draft(services, products, cash=Decimal(10**8))
    issued = services.invoicing.issue(draft)
    with pytest.raises(LifecycleError):
        services.invoicing.keep_open_sale(issued)


def test_one_open_sale_per_till_is_enforced_by_the_database(services, products):
    draft = sale_draft(services, products)
    services.invoicing.keep_open_sale(draft)
    with pytest.raises(IntegrityError), services.database.write() as session:
        session.add(HeldSaleRow(open_on_till=draft.till, label="", created_at=draft.created_at,
                                line_count=1, payable=Decimal(1), snapshot="{}"))


KILLED_TILL = textwrap.dedent("""
    import os, sys
    from decimal import Decimal
    from posapp.services.context import AppServices
    from posapp.settings.store import SettingsStore

    with AppServices.open(sys.argv[1], settings=SettingsStore(None)) as services:
        product = services.catalog.find_by_code(sys.argv[2])
        draft = services.invoicing.new_draft("سارا")
        for quantity in (1, 2, 3):
            line = services.invoicing.line_for_product(product, Decimal(quantity))
            draft = draft.with_changes(lines=(line,))
            services.invoicing.keep_open_sale(draft)
        print("kept", flush=True)
        os.kill(os.getpid(), 9)
""")


def test_a_till_killed_mid_sale_finds_it_again(database_url, settings, products):
    if not database_url.startswith("sqlite"):
        pytest.skip("the killed till runs on the SQLite file")
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    child = subprocess.run([sys.executable, "-c", KILLED_TILL, database_url, products["milk"].code],
                           capture_output=True, text=True, env=environment, timeout=60)
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert child.stdout.strip() == "kept"
    with AppServices.open(database_url, settings=settings) as restarted:
        draft = restarted.invoicing.open_sale(restarted.invoicing.new_draft().till)
        assert draft is not None
        assert [(line.product_id, line.quantity) for line in draft.lines] == [(products["milk"].id, Decimal(3))]


def test_a_sale_started_before_the_shop_profile_is_issued_with_the_profile(services, products):
    from posapp.settings.shop import SHOP_NAME

    services.settings.set(SHOP_NAME, "")
    invoicing = services.invoicing
    draft = invoicing.new_draft("مریم").with_changes(
        lines=(invoicing.line_for_product(products["milk"], Decimal(1)),))
    assert draft.seller.name == ""
    services.settings.set(SHOP_NAME, "فروشگاه آفتاب")  # the owner fills the profile meanwhile
    issued = invoicing.issue(draft)
    assert issued.seller.name == "فروشگاه آفتاب"
