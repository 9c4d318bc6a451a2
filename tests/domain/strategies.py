"""Hypothesis strategies for invoice lines, discounts, charges and payments (Decimal Rial).

Amounts that must fit something drawn earlier (a discount within its line, non-cash payments
within the amount due) are drawn as a fraction of their room from fixed strategies, which keeps
generation fast and shrinking simple.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from hypothesis import strategies as st

from posapp.domain.invoice import (
    NO_DISCOUNT,
    Charge,
    Discount,
    InvoiceLine,
    Payment,
    PaymentMethod,
    compute_totals,
)
from posapp.domain.money import round_rial

quantities = st.integers(min_value=0, max_value=3).flatmap(
    lambda places: st.integers(min_value=1, max_value=10_000 * 10**places - 1).map(
        lambda units: Decimal(units).scaleb(-places)
    )
)
"""Positive, at most three decimal places (weighed goods), below 10,000 units."""

unit_prices = st.one_of(
    st.integers(min_value=0, max_value=2_000_000),
    st.integers(min_value=0, max_value=10**9),
).map(Decimal)

tax_rates = st.one_of(
    st.sampled_from([Decimal(0), Decimal("0.09"), Decimal("0.10")]),
    st.integers(min_value=0, max_value=30).map(lambda pct: Decimal(pct) / 100),
)

percents = st.integers(min_value=0, max_value=10_000).map(lambda basis: Decimal(basis) / 100)

portions = st.one_of(
    st.sampled_from([Decimal(0), Decimal(1)]),
    st.integers(min_value=0, max_value=1_000).map(lambda permille: Decimal(permille) / 1000),
)
"""A share of some room, 0 to 1, with the edges drawn often."""


def _part_of(room: Decimal, portion: Decimal) -> Decimal:
    return (room * portion).to_integral_value(rounding=ROUND_FLOOR)


discount_choices = st.tuples(st.sampled_from(["none", "percent", "amount"]), percents, portions)


def _discount(choice: tuple[str, Decimal, Decimal], base: Decimal) -> Discount:
    """No discount, a percentage, or a Rial amount no larger than `base`."""
    kind, percent, portion = choice
    if kind == "percent":
        return Discount.percent(percent)
    if kind == "amount":
        return Discount.amount(_part_of(base, portion))
    return NO_DISCOUNT


line_descriptions = st.sampled_from(["نان", "شیر ۱ لیتری", "Coca-Cola", "برنج (کیلو)"])


@st.composite
def lines(draw: st.DrawFn) -> InvoiceLine:
    quantity = draw(quantities)
    unit_price = draw(unit_prices)
    return InvoiceLine(
        description=draw(line_descriptions),
        quantity=quantity,
        unit_price=unit_price,
        tax_rate=draw(tax_rates),
        discount=_discount(draw(discount_choices), round_rial(quantity * unit_price)),
    )


money_up_to_a_million = st.integers(min_value=0, max_value=1_000_000).map(Decimal)
payment_plans = st.lists(st.tuples(st.sampled_from(list(PaymentMethod)), portions), max_size=4)


@st.composite
def invoice_parts(
    draw: st.DrawFn,
) -> tuple[tuple[InvoiceLine, ...], Discount, tuple[Charge, ...], tuple[Payment, ...]]:
    """Lines, an invoice discount, charges and payments that make a valid invoice: the invoice
    discount fits the subtotal, deductions fit the amount, non-cash payments fit what is due,
    and cash runs from nothing to about twice the amount (so there is change to give)."""
    drawn_lines = tuple(draw(st.lists(lines(), min_size=1, max_size=8)))
    invoice_discount = _discount(draw(discount_choices), compute_totals(drawn_lines).net)
    lines_total = compute_totals(drawn_lines, invoice_discount).payable
    additions = draw(st.lists(money_up_to_a_million, max_size=2))
    room = lines_total + sum(additions)
    deductions = [_part_of(room, p / 2) for p in draw(st.lists(portions, max_size=2))]
    charges = tuple(
        [Charge("کرایه حمل", a) for a in additions]
        + [Charge("تخفیف نقدی", d, is_deduction=True) for d in deductions]
    )
    payable = compute_totals(drawn_lines, invoice_discount, charges).payable
    payments: list[Payment] = []
    left_for_non_cash = payable
    for method, portion in draw(payment_plans):
        if method is PaymentMethod.CASH:
            amount = _part_of(payable * 2 + 100_000, portion)
        else:
            amount = _part_of(left_for_non_cash, portion)
            left_for_non_cash -= amount
        if amount > 0:
            payments.append(Payment(method, amount))
    return drawn_lines, invoice_discount, charges, tuple(payments)
