"""Property tests: a posapp invoice mapped to Pod's form and read back keeps every Rial."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from posapp.domain.invoice import issue, make_reduction
from posapp.providers.errors import ValidationError
from posapp.providers.pod_mapping import (
    form_items,
    invoice_items,
    item_fields,
    pod_totals,
    reduction_items,
)
from tests.providers.conftest import ISSUED_AT, invoices, line, make_pod, sale


def refusal_of(action):
    try:
        return action(), None
    except ValidationError as refused:
        return None, refused


def assert_fair_refusal(invoice, refused):
    """A one-rate invoice is refused only when Pod's total-level VAT rounding would differ, or
    when a line is worth nothing (Pod takes no zero price)."""
    if set(refused.field_errors) == {"unit_price"}:
        assert any(lt.gross == 0 for lt in invoice.totals.lines)
    else:
        assert set(refused.field_errors) == {"tax"}


@given(invoices(one_rate=True))
@settings(max_examples=100, deadline=None)
def test_pod_form_round_trip_keeps_every_amount(invoice):
    mapped, refused = refusal_of(lambda: invoice_items(invoice))
    if refused is not None:
        assert_fair_refusal(invoice, refused)
        return
    items, rate = mapped
    parsed = form_items(item_fields(items))
    assert parsed == items
    totals = invoice.totals
    for item, line_totals in zip(parsed, totals.lines, strict=True):
        assert item.price * item.quantity == line_totals.gross
        assert item.discount == line_totals.discount
        assert item.amount == line_totals.net
    pod = pod_totals(parsed, rate)
    assert pod.total == totals.net
    assert pod.payable == totals.payable


@given(st.lists(st.tuples(st.integers(1, 20), st.integers(1, 500)), min_size=1, max_size=6))
@settings(max_examples=100, deadline=None)
def test_whole_thousand_prices_are_never_refused(rows):
    invoice = sale(*(line(f"کالا {i}", str(q), str(p * 1000)) for i, (q, p) in enumerate(rows)))
    items, rate = invoice_items(invoice)
    assert pod_totals(items, rate).payable == invoice.totals.payable


@given(invoices(one_rate=True))
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_pod_fake_totals_the_pushed_invoice_like_posapp(pod_fake, invoice):
    key = f"H-{len(pod_fake.invoices)}-{id(invoice)}"
    with make_pod(pod_fake) as pod:
        remote, refused = refusal_of(lambda: pod.push_invoice(invoice, key))
    if refused is not None:
        assert_fair_refusal(invoice, refused)
        return
    assert remote.payable == invoice.totals.payable
    assert pod_fake.invoices[int(remote.remote_id)]["totalAmount"] == invoice.totals.net
    assert isinstance(remote.payable, Decimal)


def test_a_reduction_must_carry_every_original_item():
    original = sale(line("شیر", "2", "4500"), line("نان", "5", "8000"))
    reduction = issue(make_reduction(original, {1: (Decimal(3), Decimal(8000))}), "1A-000002", ISSUED_AT)
    items, rate = reduction_items(reduction, 2)
    assert [(index, item.quantity) for index, item in items] == [(0, Decimal(2)), (1, Decimal(3))]
    assert rate == Decimal("0.10")
    partial = dataclasses.replace(reduction, lines=reduction.lines[1:])
    refusal = refusal_of(lambda: reduction_items(partial, 2))[1]
    assert refusal is not None
    assert set(refusal.field_errors) == {"lines"}
