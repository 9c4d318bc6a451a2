"""Property tests: a posapp invoice mapped to Pod's form and read back keeps every Rial."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from posapp.domain.invoice import issue, make_reduction
from posapp.providers.errors import ProviderValidationError
from posapp.providers.pod_mapping import (
    PodItem,
    invoice_items,
    item_fields,
    pod_totals,
    reduction_items,
)
from tests.providers.conftest import ISSUED_AT, invoices, line, make_pod, sale


def form_items(form):
    """The items read back out of a form, as Pod reads the seed's repeated `name[]` fields."""
    lists = {}
    for key, value in form:
        if key.endswith("[]"):
            lists.setdefault(key[:-2], []).append(value)
    discounts = lists.get("discount", ["0"] * len(lists["productId"]))
    return tuple(PodItem(description, Decimal(price), Decimal(quantity), Decimal(discount), int(product))
                 for product, price, quantity, description, discount in zip(
                     lists["productId"], lists["price"], lists["quantity"], lists["productDescription"],
                     discounts, strict=True))


def refusal_of(action):
    try:
        return action(), None
    except ProviderValidationError as refused:
        return None, refused


def assert_fair_refusal(invoice, refused):
    """An invoice without charges is refused only when a line is worth nothing (Pod takes no
    zero price): mixed rates and rounding never keep a sale from Pod."""
    assert set(refused.field_errors) == {"unit_price"}
    assert any(lt.net == 0 for lt in invoice.totals.lines)


@given(invoices())
@settings(max_examples=150, deadline=None)
def test_every_sale_reaches_pod_with_posapps_payable(invoice):
    """Issue 18 item 7: mixed VAT rates map too, and Pod's arithmetic gives the till's payable."""
    priced, refused = refusal_of(lambda: invoice_items(invoice))
    if refused is not None:
        assert_fair_refusal(invoice, refused)
        return
    parsed = form_items(item_fields(priced.items))
    assert parsed == priced.items
    assert all(item.discount == 0 for item in parsed)
    totals = invoice.totals
    pod = pod_totals(parsed, priced.tax_rate)
    assert pod.payable == totals.payable
    if not priced.vat_included:
        assert pod.total == totals.net
        assert pod.vat == totals.tax
    assert sum(amount for _rate, amount in priced.vat_by_rate) == totals.tax


@given(st.lists(st.tuples(st.integers(1, 20), st.integers(1, 500)), min_size=1, max_size=6))
@settings(max_examples=100, deadline=None)
def test_whole_thousand_prices_keep_pods_own_vat(rows):
    invoice = sale(*(line(f"کالا {i}", str(q), str(p * 1000)) for i, (q, p) in enumerate(rows)))
    priced = invoice_items(invoice)
    assert not priced.vat_included
    assert priced.tax_rate == Decimal("0.10")
    assert pod_totals(priced.items, priced.tax_rate).payable == invoice.totals.payable


@given(invoices())
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_pod_fake_totals_the_pushed_invoice_like_posapp(pod_fake, invoice):
    key = f"H-{len(pod_fake.invoices)}-{id(invoice)}"
    with make_pod(pod_fake) as pod:
        remote, refused = refusal_of(lambda: pod.push_invoice(invoice, key))
    if refused is not None:
        assert_fair_refusal(invoice, refused)
        return
    assert remote.payable == invoice.totals.payable
    assert isinstance(remote.payable, Decimal)


def test_a_reduction_must_carry_every_original_item():
    original = sale(line("شیر", "2", "4500"), line("نان", "5", "8000"))
    reduction = issue(make_reduction(original, {1: (Decimal(3), Decimal(8000))}, returned={}), "1A-000002", ISSUED_AT)
    items, rate = reduction_items(reduction, 2)
    assert [(index, item.quantity) for index, item in items] == [(0, Decimal(2)), (1, Decimal(3))]
    assert rate == Decimal("0.10")
    partial = dataclasses.replace(reduction, lines=reduction.lines[1:])
    refusal = refusal_of(lambda: reduction_items(partial, 2))[1]
    assert refusal is not None
    assert set(refusal.field_errors) == {"lines"}
