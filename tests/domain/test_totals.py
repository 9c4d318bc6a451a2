"""Invoice totals: the providers' worked examples and property tests of the invariants."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from posapp.domain.errors import ValidationError
from posapp.domain.invoice import (
    Charge,
    Discount,
    DiscountKind,
    InvoiceLine,
    Payment,
    PaymentMethod,
    compute_totals,
    spread_pro_rata,
)
from posapp.domain.money import ZERO
from tests.domain.strategies import invoice_parts
from tests.domain.support import domain_settings


def test_hesabfa_worked_example(hesabfa_invoice):
    totals = hesabfa_invoice.totals
    assert totals.gross == Decimal(100_000)
    assert totals.tax == Decimal(9_000)
    assert totals.payable == Decimal(109_000)
    assert totals.lines[0].total == Decimal(109_000)


def test_pod_worked_example(pod_invoice):
    totals = pod_invoice.totals
    assert [t.gross for t in totals.lines] == [Decimal(4_500), Decimal(40_000)]
    assert totals.net == Decimal(44_500)
    assert totals.tax == Decimal(4_005)
    assert totals.payable == Decimal(48_505)
    assert totals.balance_due == Decimal(48_505)
    assert totals.change == ZERO


def test_invoice_discount_is_spread_before_tax():
    lines = [
        InvoiceLine("الف", Decimal(1), Decimal(1000), tax_rate=Decimal("0.10")),
        InvoiceLine("ب", Decimal(2), Decimal(1000), tax_rate=Decimal("0.10")),
    ]
    totals = compute_totals(lines, Discount.amount(301))
    assert [t.invoice_discount for t in totals.lines] == [Decimal(100), Decimal(201)]
    assert [t.net for t in totals.lines] == [Decimal(900), Decimal(1799)]
    assert totals.tax == Decimal(90) + Decimal(180)
    assert totals.payable == Decimal(2699 + 270)


def test_cash_change_and_card():
    lines = [InvoiceLine("نان", Decimal(2), Decimal(45_000))]
    totals = compute_totals(
        lines, payments=[Payment(PaymentMethod.CARD, Decimal(50_000)),
                         Payment(PaymentMethod.CASH, Decimal(100_000))],
    )
    assert totals.payable == Decimal(90_000)
    assert totals.change == Decimal(60_000)
    assert totals.settled == Decimal(90_000)
    assert totals.balance_due == ZERO


def test_non_cash_cannot_exceed_the_amount():
    lines = [InvoiceLine("نان", Decimal(1), Decimal(45_000))]
    with pytest.raises(ValidationError) as caught:
        compute_totals(lines, payments=[Payment(PaymentMethod.CARD, Decimal(50_000))])
    assert caught.value.field == "payment"


def test_deductions_cannot_exceed_the_amount():
    lines = [InvoiceLine("نان", Decimal(1), Decimal(45_000))]
    with pytest.raises(ValidationError) as caught:
        compute_totals(lines, charges=[Charge("تخفیف", Decimal(50_000), is_deduction=True)])
    assert caught.value.field == "charges"


def test_spread_pro_rata_handles_fifteen_digit_amounts():
    # Ranking these remainders needs more than Decimal's 28 significant digits.
    amount = Decimal(999_999_999_999_999)
    weights = [Decimal(333_333_333_333_333), Decimal(333_333_333_333_333),
               Decimal(333_333_333_333_334)]
    shares = spread_pro_rata(amount, weights)
    assert sum(shares) == amount
    assert all(0 <= s <= w for s, w in zip(shares, weights, strict=True))


@domain_settings
@given(
    st.integers(min_value=0, max_value=10**14),
    st.lists(st.integers(min_value=0, max_value=10**14), min_size=1, max_size=12),
)
def test_spread_pro_rata_properties(amount, weights):
    weights = [Decimal(w) for w in weights]
    amount = min(Decimal(amount), sum(weights))
    shares = spread_pro_rata(amount, weights)
    total = sum(weights)
    if total == 0:
        assert shares == [ZERO] * len(weights)
        return
    assert sum(shares) == amount
    for share, weight in zip(shares, weights, strict=True):
        assert share == share.to_integral_value()
        assert 0 <= share <= weight
        assert abs(Fraction(share) - Fraction(amount) * Fraction(weight) / Fraction(total)) < 1


def exact_line_base(line: InvoiceLine) -> tuple[Fraction, Fraction]:
    """Exact gross and exact line discount of `line`, with no rounding at all."""
    gross = Fraction(line.quantity) * Fraction(line.unit_price)
    value = Fraction(line.discount.value)
    discount = gross * value / 100 if line.discount.kind is DiscountKind.PERCENT else value
    return gross, discount


def assert_amounts_add_up(charges, totals):
    """The payable amount is the lines' totals plus additions less deductions, and the invoice
    totals are the sums of the lines, the invoice discount shared out exactly."""
    additions = sum((c.amount for c in charges if not c.is_deduction), ZERO)
    deductions = sum((c.amount for c in charges if c.is_deduction), ZERO)
    assert totals.additions == additions
    assert totals.deductions == deductions
    assert totals.payable == sum(t.total for t in totals.lines) + additions - deductions
    assert totals.payable >= 0
    assert totals.gross == sum(t.gross for t in totals.lines)
    assert totals.line_discount == sum(t.line_discount for t in totals.lines)
    assert totals.invoice_discount == sum(t.invoice_discount for t in totals.lines)
    assert totals.net == sum(t.net for t in totals.lines)
    assert totals.tax == sum(t.tax for t in totals.lines)
    assert totals.discount == totals.line_discount + totals.invoice_discount
    assert totals.net == totals.gross - totals.discount


def assert_lines_near_exact(lines, totals):
    """Whole-Rial line figures that hold together, each within one Rial of exact arithmetic
    on the figures it is made from: the gross on quantity × price, the line discount on the
    exact gross, the net on the exact pro-rata share of the invoice discount over the lines'
    bases, and the tax and total on the line's net (tax is rounded per line, as the providers
    do)."""
    bases = [t.gross - t.line_discount for t in totals.lines]
    for line, line_totals, base in zip(lines, totals.lines, bases, strict=True):
        for amount in (line_totals.gross, line_totals.line_discount,
                       line_totals.invoice_discount, line_totals.net, line_totals.tax):
            assert amount == amount.to_integral_value()
            assert amount >= 0
        assert line_totals.net == base - line_totals.invoice_discount
        assert line_totals.total == line_totals.net + line_totals.tax
        assert line_totals.invoice_discount <= base

        exact_gross, exact_line_discount = exact_line_base(line)
        gross, line_discount = Fraction(line_totals.gross), Fraction(line_totals.line_discount)
        net, tax = Fraction(line_totals.net), Fraction(line_totals.tax)
        total = Fraction(line_totals.total)
        rate = Fraction(line.tax_rate)
        assert abs(gross - exact_gross) <= Fraction(1, 2)
        assert abs(line_discount - exact_line_discount) <= 1
        share = (Fraction(totals.invoice_discount) * Fraction(base) / Fraction(sum(bases))
                 if sum(bases) else Fraction(0))
        exact_net = Fraction(base) - share
        assert abs(net - exact_net) < 1
        assert abs(tax - exact_net * rate) < 1
        assert abs(tax - net * rate) <= Fraction(1, 2)
        assert abs(total - net * (1 + rate)) <= Fraction(1, 2)
        if totals.invoice_discount == 0:
            # With nothing to spread, the line's own rounding keeps the net within one Rial
            # of the entirely unrounded quantity × price less discount.
            assert abs(net - (exact_gross - exact_line_discount)) < 1


def assert_payments_agree(payments, totals):
    """Change and balance due never contradict the payments."""
    cash = sum((p.amount for p in payments if p.method is PaymentMethod.CASH), ZERO)
    credit = sum((p.amount for p in payments if p.method is PaymentMethod.CREDIT), ZERO)
    assert totals.paid == sum((p.amount for p in payments), ZERO)
    assert totals.change >= 0
    assert totals.balance_due >= 0
    assert not (totals.change > 0 and totals.balance_due > 0)
    assert totals.change <= cash
    assert totals.balance_due == max(ZERO, totals.payable - totals.paid)
    if totals.change > 0:
        assert totals.paid - totals.change == totals.payable
    else:
        assert totals.paid + totals.balance_due == totals.payable
    assert totals.settled == totals.paid - totals.change - credit
    assert 0 <= totals.settled <= totals.payable
    assert totals.settled + credit + totals.balance_due == totals.payable


@domain_settings
@given(invoice_parts())
def test_totals_invariants(parts):
    lines, invoice_discount, charges, payments = parts
    totals = compute_totals(lines, invoice_discount, charges, payments)
    assert_amounts_add_up(charges, totals)
    assert_lines_near_exact(lines, totals)
    assert_payments_agree(payments, totals)
    assert compute_totals(lines, invoice_discount, charges) == dataclasses.replace(
        totals, paid=ZERO, settled=ZERO, change=ZERO, balance_due=totals.payable,
    )
