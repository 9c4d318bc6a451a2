"""Payments reach the providers that keep receipts (Hesabfa, Sepidar) exactly once, after their
sale: cash at the counter, a payment recorded later, a receipt whose answer was lost after the
provider saved it; providers that learn payments through their own links get nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from posapp.cli.sync import format_status, format_summary
from posapp.domain.invoice import Invoice, InvoiceLine, Party, Payment, PaymentMethod
from posapp.domain.sync import OutboxOperation, OutboxState
from posapp.services.customers import CustomerInput
from posapp.services.sync.engine import SyncEngine
from posapp.services.sync.results import ItemResult
from tests.sync import providers_under_test as put
from tests.sync.conftest import FAST_POLICY

SEPIDAR_CODES = tuple(code for code, _title, _fee in put.SEPIDAR_ITEMS)


def _sale(shop, payments=(), *, customer_id=None) -> Invoice:
    """One sale of two lines (Sepidar's item codes, which Hesabfa creates when missing) paid
    with `payments`, each a (method, amount or None for the rest) pair."""
    invoicing = shop.services.invoicing
    draft = invoicing.new_draft(cashier="test").with_changes(
        buyer=Party("مشتری", mobile="09121234567"), customer_id=customer_id,
        lines=(InvoiceLine("چای", Decimal(2), Decimal(1_250_000), tax_rate=Decimal("0.10"),
                           product_code=SEPIDAR_CODES[0]),
               InvoiceLine("قند", Decimal(1), Decimal(400_000), tax_rate=Decimal("0.10"),
                           product_code=SEPIDAR_CODES[1])))
    paid = []
    for method, amount in payments:
        rest = draft.totals.payable - sum((p.amount for p in paid), Decimal(0))
        paid.append(Payment(method, rest if amount is None else Decimal(amount)))
    return invoicing.issue(draft.with_changes(payments=tuple(paid)))


def _hesabfa_invoice(shop, number: str) -> dict:
    fake = shop.fakes["hesabfa"]
    with fake.lock:
        return dict(fake.by_reference(number))


def _hesabfa_receipts(shop, number: str) -> list[dict]:
    fake = shop.fakes["hesabfa"]
    with fake.lock:
        return [r for r in fake.receipts if f"hesabfa:payment:{number}:" in r["Description"]]


def _operations(summary):
    return [(o.provider, o.operation, o.result) for o in summary.outcomes]


def test_a_cash_sale_reaches_hesabfa_paid_in_full_with_the_change_left_out(make_shop):
    shop = make_shop("hesabfa")
    sale = _sale(shop, [(PaymentMethod.CARD, 1_000_000), (PaymentMethod.CASH, 3_000_000)])
    assert sale.totals.change > 0
    summary = shop.engine().run_once()
    assert _operations(summary) == [
        ("hesabfa", OutboxOperation.ISSUE, ItemResult.DELIVERED),
        ("hesabfa", OutboxOperation.PAYMENT, ItemResult.DELIVERED),
        ("hesabfa", OutboxOperation.PAYMENT, ItemResult.DELIVERED)]
    held = _hesabfa_invoice(shop, sale.number)
    assert (held["Paid"], held["Rest"]) == (sale.totals.payable, 0)
    receipts = _hesabfa_receipts(shop, sale.number)
    assert [(r["Amount"], r["Transactions"][0]["Type"]) for r in receipts] == [
        (1_000_000, "3"), (sale.totals.payable - 1_000_000, "1")]


def test_only_money_payments_of_a_sale_are_queued_each_under_its_own_key(make_shop):
    shop = make_shop("hesabfa", "pod")
    customer = shop.services.customers.create(CustomerInput(name="مریم رضایی", mobile="09121112233"))
    sale = _sale(shop, [(PaymentMethod.CREDIT, 1_000_000), (PaymentMethod.CASH, None)],
                 customer_id=customer.id)
    engine = shop.engine()
    payment_rows = [(item.provider, item.idempotency_key) for item in engine.queue.problems()
                    if item.operation is OutboxOperation.PAYMENT]
    assert payment_rows == [("hesabfa", f"hesabfa:payment:{sale.number}:1"),
                            ("pod", f"pod:payment:{sale.number}:1")]


def test_a_sale_on_account_paid_later_reaches_hesabfa_and_sepidar_once(make_shop):
    shop = make_shop("hesabfa", "sepidar")
    sale = _sale(shop)
    engine = shop.engine()
    assert {o.result for o in engine.run_once().outcomes} == {ItemResult.DELIVERED}
    assert _hesabfa_invoice(shop, sale.number)["Rest"] == sale.totals.payable

    shop.services.invoicing.record_payment(sale.number, Payment(PaymentMethod.CARD, sale.totals.payable,
                                                                "trace-42"))
    summary = engine.run_once()
    assert sorted(_operations(summary)) == [
        ("hesabfa", OutboxOperation.PAYMENT, ItemResult.DELIVERED),
        ("sepidar", OutboxOperation.PAYMENT, ItemResult.DELIVERED)]
    assert engine.run_once().outcomes == ()
    held = _hesabfa_invoice(shop, sale.number)
    assert (held["Paid"], held["Rest"]) == (sale.totals.payable, 0)
    assert len(_hesabfa_receipts(shop, sale.number)) == 1
    sepidar = shop.fakes["sepidar"]
    with sepidar.lock:
        [remote] = [invoice for invoice in sepidar.invoices.values()]
        assert (Decimal(str(remote["TotalReceivedAmount"])), Decimal(str(remote["RemainingAmount"]))) == (
            sale.totals.payable, 0)
        assert len(sepidar.receipts) == 1
    assert sepidar.count("Receipts.basedOnInvoice") == 1


def test_a_receipt_saved_by_hesabfa_whose_answer_was_lost_is_not_recorded_twice(make_shop):
    shop = make_shop("hesabfa")
    fake = shop.fakes["hesabfa"]
    sale = _sale(shop, [(PaymentMethod.CASH, None)])
    fake.faults.drop_after_commit.next(1, operations={"invoice/savepayment"})
    engine = shop.engine()
    first = engine.run_once()
    assert _operations(first) == [("hesabfa", OutboxOperation.ISSUE, ItemResult.DELIVERED),
                                  ("hesabfa", OutboxOperation.PAYMENT, ItemResult.RETRYING)]
    assert _hesabfa_invoice(shop, sale.number)["Rest"] == 0  # Hesabfa did save it
    shop.clock.advance(120)
    second = engine.run_once()
    assert _operations(second) == [("hesabfa", OutboxOperation.PAYMENT, ItemResult.DELIVERED)]
    assert "already held" in second.outcomes[0].message
    assert fake.count("invoice/savepayment") == 1
    assert len(_hesabfa_receipts(shop, sale.number)) == 1
    held = _hesabfa_invoice(shop, sale.number)
    assert (held["Paid"], held["Rest"]) == (sale.totals.payable, 0)


@pytest.mark.parametrize(("version", "receipt_requests", "result"), [
    (101, 3, ItemResult.REJECTED), (111, 2, ItemResult.DELIVERED)])
def test_a_receipt_sepidar_saved_before_the_answer_was_lost_stays_one_receipt(make_shop, version,
                                                                              receipt_requests, result):
    """Both answers of the first attempt (the client's own resend included) are lost after the
    receipt was saved. From v109 the invoice shows what was received and nothing is sent again.
    Before v109 nothing shows receipts and what Sepidar answers to a repeated GUID is
    undocumented: the resend is refused, nothing is doubled, and the cashier is told to check."""
    shop = make_shop("sepidar")
    fake = shop.fakes["sepidar"]
    fake.generation_version = version
    sale = _sale(shop, [(PaymentMethod.CARD, None)])
    fake.faults.drop_after_commit.next(2, operations={"Receipts.basedOnInvoice"})
    engine = shop.engine()
    assert [o.result for o in engine.run_once().outcomes] == [ItemResult.DELIVERED, ItemResult.RETRYING]
    shop.clock.advance(120)
    [outcome] = engine.run_once().outcomes
    assert outcome.result is result
    if result is ItemResult.REJECTED:
        assert "skip this item" in outcome.message
    assert fake.count("Receipts.basedOnInvoice") == receipt_requests
    with fake.lock:
        assert len(fake.receipts) == 1
        [remote] = list(fake.invoices.values())
        assert Decimal(str(remote["TotalReceivedAmount"])) == sale.totals.payable


def test_providers_without_receipts_settle_payment_rows_without_a_request(make_shop):
    shop = make_shop("pod", "payping")
    sale = _sale(shop)
    engine = shop.engine()
    assert {o.result for o in engine.run_once().outcomes} == {ItemResult.DELIVERED}
    for fake in shop.fakes.values():
        fake.clear_log()
    shop.services.invoicing.record_payment(sale.number, Payment(PaymentMethod.CASH, sale.totals.payable))
    summary = engine.run_once()
    assert sorted(_operations(summary)) == [
        ("payping", OutboxOperation.PAYMENT, ItemResult.SKIPPED),
        ("pod", OutboxOperation.PAYMENT, ItemResult.SKIPPED)]
    assert [fake.count() for fake in shop.fakes.values()] == [0, 0]
    assert [(c.provider, c.done, c.pending, c.failed) for c in engine.queue.status()] == [
        ("payping", 2, 0, 0), ("pod", 2, 0, 0)]
    assert "pod: delivered 0, rejected 0, unsupported 0, retry later 0, nothing to send 1" in (
        format_summary(summary))


def test_a_payment_waits_for_its_sale_and_goes_once_the_sale_is_through(make_shop):
    shop = make_shop("hesabfa")
    fake = shop.fakes["hesabfa"]
    sale = _sale(shop, [(PaymentMethod.CASH, None)])
    fake.forced_errors["invoice/save"] = [190]
    engine = shop.engine()
    summary = engine.run_once()
    assert _operations(summary) == [("hesabfa", OutboxOperation.ISSUE, ItemResult.REJECTED)]
    [counts] = engine.queue.status()
    assert (counts.failed, counts.pending, counts.blocked) == (1, 1, 1)
    assert fake.count("invoice/savepayment") == 0
    shop.clock.advance(600)
    assert engine.run_once().outcomes == ()

    [issue_row] = [item for item in engine.queue.problems() if item.state is OutboxState.FAILED]
    engine.queue.retry(issue_row.id)
    summary = engine.run_once()
    assert _operations(summary) == [("hesabfa", OutboxOperation.ISSUE, ItemResult.DELIVERED),
                                    ("hesabfa", OutboxOperation.PAYMENT, ItemResult.DELIVERED)]
    writes = [r.operation for r in fake.requests if r.operation in ("invoice/save", "invoice/savepayment")]
    assert writes == ["invoice/save", "invoice/save", "invoice/savepayment"]
    assert _hesabfa_invoice(shop, sale.number)["Rest"] == 0


def test_a_payment_hesabfa_cannot_take_waits_for_the_cashier_named_by_its_position(make_shop):
    shop = make_shop("hesabfa")
    fake = shop.fakes["hesabfa"]
    sale = _sale(shop, [(PaymentMethod.CARD, 1_000_000), (PaymentMethod.CASH, None)])
    engine = SyncEngine(shop.services, lambda name: put.client_for(name, fake, cash_code=""),
                        clock=shop.clock, policy=FAST_POLICY)
    summary = engine.run_once()
    assert _operations(summary) == [
        ("hesabfa", OutboxOperation.ISSUE, ItemResult.DELIVERED),
        ("hesabfa", OutboxOperation.PAYMENT, ItemResult.DELIVERED),
        ("hesabfa", OutboxOperation.PAYMENT, ItemResult.REJECTED)]
    assert f"hesabfa payment#2 {sale.number}: rejected:" in format_summary(summary)
    status = format_status(engine.queue.status(), engine.queue.problems())
    assert f"hesabfa payment#2 {sale.number}: " in status
    assert "cash box code" in status
    assert _hesabfa_invoice(shop, sale.number)["Paid"] == 1_000_000


def test_a_sale_cancelled_before_it_was_sent_goes_without_its_payment(make_shop):
    """Hesabfa refuses to delete an invoice with a receipt, so a cancelled sale's cash is not
    sent ahead of its cancellation."""
    shop = make_shop("hesabfa")
    fake = shop.fakes["hesabfa"]
    sale = _sale(shop, [(PaymentMethod.CASH, None)])
    shop.services.invoicing.cancel(sale.number, "اشتباه صندوق‌دار")
    summary = shop.engine().run_once()
    assert _operations(summary) == [("hesabfa", OutboxOperation.ISSUE, ItemResult.DELIVERED),
                                    ("hesabfa", OutboxOperation.PAYMENT, ItemResult.SKIPPED),
                                    ("hesabfa", OutboxOperation.CANCEL, ItemResult.DELIVERED)]
    assert fake.count("invoice/savepayment") == 0
    with fake.lock:
        assert all(i["Reference"] != sale.number for i in fake.invoices.values())
