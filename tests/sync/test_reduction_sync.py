"""A reduction after a return, at the providers without a reduction form (Hesabfa, Hesabit,
PayPing, Sepidar): its row waits for the return's (delivered, or marked for the cashier and
skipped), then is marked for the cashier with the amount the reduction brings the sale to after
its returns, and the provider is sent nothing that would count the returned goods again (it
keeps the sale, and the return where it takes returns). Pod: test_exactly_once_paths."""

from __future__ import annotations

import pytest

from posapp.domain.sync import OutboxOperation, OutboxState
from posapp.services.sync.results import ItemResult
from posapp.storage import outbox
from tests.sync import providers_under_test as put

CODES = tuple(code for code, _title, _fee in put.SEPIDAR_ITEMS)


@pytest.mark.parametrize("name", ["hesabfa", "hesabit", "payping", "sepidar"])
def test_a_reduction_after_a_return_goes_to_the_cashier_with_the_kept_amount(make_shop, name):
    shop = make_shop(name)
    [sale] = shop.sell(1, lines=2, product_codes=CODES if name == "sepidar" else ())
    engine = shop.engine()
    engine.run_once()
    invoicing = shop.services.invoicing
    returned = invoicing.create_return(sale.number, {1: sale.lines[1].quantity})
    first = sale.lines[0]
    reduction = invoicing.issue(invoicing.draft_reduction(sale.number, {0: (first.quantity, first.unit_price - 1000)}))
    assert [line.origin_line for line in reduction.lines] == [0], "the line returned in full is left out"
    outcomes = engine.run_once().outcomes
    [returned_outcome] = [o for o in outcomes if o.invoice_number == returned.number]
    if returned_outcome.result is ItemResult.UNSUPPORTED:  # entered by hand, then skipped
        assert [o for o in outcomes if o.invoice_number == reduction.number] == [], "it waits for the return"
        engine.queue.skip(returned_outcome.item_id, "test", "ثبت دستی")
        outcomes = engine.run_once().outcomes
    outcomes = [o for o in outcomes if o.invoice_number == reduction.number]
    assert [(o.operation, o.result) for o in outcomes] == [(OutboxOperation.REDUCE, ItemResult.UNSUPPORTED)]
    [row] = [r for r in outbox.items(shop.services.database, provider=name, invoice_id=reduction.id)]
    assert row.state is OutboxState.FAILED
    assert f"to {reduction.totals.payable} Rial" in row.last_error
    held = sorted(record.number for record in put.remote_invoices(name, shop.fakes[name]))
    expected = [sale.number, *([returned.number] if returned_outcome.result is ItemResult.DELIVERED else [])]
    assert held == sorted(put.remote_key(name, number) for number in expected)
