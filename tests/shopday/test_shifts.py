"""Shifts: one open per till, sales inside a shift, cash movements, the close and X/Z/day reports."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from posapp.domain.access import AccessDeniedError, Permission
from posapp.domain.invoice import InvoiceStatus, Payment, PaymentMethod, make_return
from posapp.domain.jalali import iran_today
from posapp.domain.shift_report import ShiftReport
from posapp.services.access import NoUserError
from posapp.services.shifts import NoOpenShiftError, ShiftAlreadyOpenError
from posapp.storage.models import InvoiceRow, PaymentRow
from tests.shop_data import sale_draft
from tests.shopday.conftest import OWNER_PIN


def _sale(services, products, user, cash=None, **changes):
    draft = sale_draft(services, products, cash=cash, **changes)
    return draft.with_changes(cashier=user.name, cashier_id=user.id)


def test_once_users_exist_a_sale_needs_a_signed_in_user_and_an_open_shift(services, products, cashier):
    with pytest.raises(NoUserError):
        services.invoicing.issue(sale_draft(services, products))
    with pytest.raises(NoOpenShiftError):
        services.invoicing.issue(_sale(services, products, cashier))
    services.shifts.open(Decimal(0), cashier.actor)
    issued = services.invoicing.issue(_sale(services, products, cashier, cash=Decimal(3_000_000)))
    with services.database.read() as session:
        row = session.get(InvoiceRow, issued.id)
        payment = session.query(PaymentRow).filter_by(invoice_id=issued.id).one()
    shift = services.shifts.current()
    assert (row.user_id, row.shift_id, row.cashier) == (cashier.id, shift.id, "سارا")
    assert (payment.user_id, payment.shift_id) == (cashier.id, shift.id)


def test_a_shop_without_users_sells_as_before(services, products):
    issued = services.invoicing.issue(sale_draft(services, products))
    assert issued.number


def test_one_open_shift_per_till_even_straight_in_sql(services, shift, cashier):
    with pytest.raises(ShiftAlreadyOpenError):
        services.shifts.open(Decimal(0), cashier.actor)
    with pytest.raises(IntegrityError), services.database.write() as session:
        session.execute(text("INSERT INTO shifts (till, number, opened_at, opening_float, counted_notes) "
                             "VALUES ('1', 99, '2026-01-01 08:00:00', 0, '')"))
    other = services.shifts.open(Decimal(0), cashier.actor, till="2")
    assert (other.till, other.number) == ("2", 1)


def test_close_counts_cash_by_notes_and_stores_a_z_report_read_back_identical(services, products, shift, owner, cashier):
    invoicing = services.invoicing
    sale = invoicing.issue(_sale(services, products, cashier, cash=Decimal(3_000_000)))
    card = invoicing.issue(_sale(services, products, cashier).with_changes(
        payments=(Payment(PaymentMethod.CARD, sale.totals.payable),)))
    invoicing.create_return(sale.number, {0: Decimal(1)}, [Payment(PaymentMethod.CASH, Decimal(490_500))],
                            actor=services.access.approve(cashier.actor, Permission.MAKE_RETURN, "مالک", OWNER_PIN))
    with pytest.raises(AccessDeniedError):
        invoicing.cancel(card.number, "اشتباه", cashier.actor)
    invoicing.cancel(card.number, "اشتباه", owner.actor)
    services.shifts.move_cash("in", Decimal(1_000_000), "پول خرد", owner.actor)
    services.shifts.move_cash("out", Decimal(200_000), "خرید نان", owner.actor)
    x = services.shifts.x_report()
    change = sale.totals.change
    expected = (Decimal(5_000_000) + Decimal(3_000_000) - change - Decimal(490_500)
                + Decimal(1_000_000) - Decimal(200_000))
    assert x.cash_expected == expected
    assert (x.sales_count, x.returns_count, x.cancellations_count) == (2, 1, 1)
    assert x.first_number == sale.number
    assert x.last_number == card.number
    assert {(p.kind, p.method): p.amount for p in x.payments}[("sale", "card")] == card.totals.payable
    assert x.cash_counted is None
    with pytest.raises(AccessDeniedError):
        services.shifts.close(Decimal(0), cashier.actor)
    notes = {Decimal(5_000_000): 1, Decimal(1_000_000): 3, Decimal(100_000): 2}
    z = services.shifts.close(actor=owner.actor, notes=notes)
    assert z.cash_counted == Decimal(8_200_000)
    assert z.difference == Decimal(8_200_000) - expected
    assert z.closed_by == "مالک"
    assert z.opened_by == "سارا"
    assert [(c.name, c.sales_count, c.returns_count) for c in z.cashiers] == [("سارا", 2, 1)]
    again = services.shifts.z_report(1)
    assert again == z
    assert again.to_json() == z.to_json()
    assert ShiftReport.from_dict(z.to_dict()) == z
    assert services.shifts.current() is None
    with pytest.raises(NoOpenShiftError):
        services.invoicing.issue(_sale(services, products, cashier))
    day = services.shifts.day_report(iran_today())
    assert day.sales_count == 2
    assert day.cash_counted == z.cash_counted


def test_json_figures_are_decimal_strings(services, products, shift, cashier):
    services.invoicing.issue(_sale(services, products, cashier, cash=Decimal(3_000_000)))
    data = services.shifts.x_report().to_dict()
    assert isinstance(data["sales_amount"], str)
    assert isinstance(data["cash_expected"], str)
    assert all(isinstance(row["amount"], str) for row in data["payments"])


def test_day_report_with_no_shifts_is_empty(services):
    day = services.shifts.day_report(date(2025, 1, 1))
    assert day.sales_count == 0
    assert day.shift_numbers == ()


def test_a_link_the_provider_confirms_after_the_close_is_still_recorded(services, products, shift, owner, cashier):
    sale = services.invoicing.issue(_sale(services, products, cashier))
    services.shifts.close(Decimal(5_000_000), owner.actor)
    with pytest.raises(NoOpenShiftError):
        services.invoicing.record_payment(sale.number, Payment(PaymentMethod.CARD, Decimal(1000)), cashier.actor)
    paid = services.invoicing.record_link_payment(sale.number, sale.totals.payable, "ref-1")
    assert paid.totals.balance_due == 0
    with services.database.read() as session:
        row = session.query(PaymentRow).filter_by(invoice_id=sale.id, reference="ref-1").one()
    assert (row.user_id, row.shift_id) == (None, None)
    assert services.audit.verify().ok


def test_a_reduction_after_a_cash_return_leaves_the_sales_cash_in_the_drawer(services, products, shift, owner):
    """Paid in cash, one milk refunded in cash, then the rest reduced: the reduction gives no
    money back, so the shift's cash keeps what the sale took and counts the refund once."""
    services.till_session.user = owner
    invoicing = services.invoicing
    sale = invoicing.issue(_sale(services, products, owner, cash=Decimal(10_000_000)))
    refund = make_return(sale, {0: Decimal(1)}, {}).totals.payable
    invoicing.create_return(sale.number, {0: Decimal(1)}, [Payment(PaymentMethod.CASH, refund)], actor=owner.actor)
    invoicing.issue(invoicing.draft_reduction(sale.number, {1: (Decimal("0.750"), sale.lines[1].unit_price - 5_000)}))
    report = services.shifts.x_report()
    received = Decimal(10_000_000) - sale.totals.change
    assert (report.cash_sales, report.cash_refunds) == (received, refund)
    assert report.cash_expected == Decimal(5_000_000) + received - refund
    assert (report.sales_count, report.returns_count, report.reductions_count) == (1, 1, 1)


def test_a_reduction_needs_the_right_to_cancel_in_the_service_too(services, products, shift, owner, cashier):
    """The reduction replaces (cancels) its sale: a cashier without CANCEL_INVOICE is refused by
    the service itself, and nothing is written; with a manager's approval it is issued."""
    invoicing = services.invoicing
    sale = invoicing.issue(_sale(services, products, cashier))
    services.till_session.user = cashier
    draft = invoicing.draft_reduction(sale.number, {0: (sale.lines[0].quantity, sale.lines[0].unit_price - 1000)})
    with pytest.raises(AccessDeniedError):
        invoicing.issue(draft)
    assert invoicing.get_by_number(sale.number).status is not InvoiceStatus.CANCELLED
    approved = services.access.approve(cashier.actor, Permission.CANCEL_INVOICE, "مالک", OWNER_PIN)
    with services.till_session.acting(approved):
        reduction = invoicing.issue(draft)
    assert invoicing.get_by_number(sale.number).status is InvoiceStatus.CANCELLED
    assert reduction.original_number == sale.number
