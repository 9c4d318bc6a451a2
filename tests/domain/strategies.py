"""Hypothesis strategies for invoice lines, discounts, charges and payments (Decimal Rial)."""

from __future__ import annotations

from decimal import Decimal

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

quantities = st.builds(
    lambda whole, places: Decimal(whole).scaleb(-places),
    st.integers(min_value=1, max_value=5_000_000),
    st.integers(min_value=0, max_value=3),
).filter(lambda q: q < 10_000)
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


@st.composite
def discount_for(draw: st.DrawFn, base: Decimal) -> Discount:
    """No discount, a percentage, or a Rial amount no larger than `base`."""
    kind = draw(st.sampled_from(["none", "percent", "amount"]))
    if kind == "percent":
        return Discount.percent(draw(percents))
    if kind == "amount":
        return Discount.amount(draw(st.integers(min_value=0, max_value=int(base))))
    return NO_DISCOUNT


@st.composite
def lines(draw: st.DrawFn) -> InvoiceLine:
    quantity = draw(quantities)
    unit_price = draw(unit_prices)
    gross = round_rial(quantity * unit_price)
    return InvoiceLine(
        description=draw(st.sampled_from(["نان", "شیر ۱ لیتری", "Coca-Cola", "برنج (کیلو)"])),
        quantity=quantity,
        unit_price=unit_price,
        tax_rate=draw(tax_rates),
        discount=draw(discount_for(gross)),
    )


@st.composite
def invoice_parts(
    draw: st.DrawFn, with_payments: bool = True,
) -> tuple[tuple[InvoiceLine, ...], Discount, tuple[Charge, ...], tuple[Payment, ...]]:
    """Lines, an invoice discount, charges and payments that make a valid invoice: the invoice
    discount fits the subtotal, deductions fit the amount, non-cash payments fit what is due."""
    drawn_lines = tuple(draw(st.lists(lines(), min_size=1, max_size=8)))
    subtotal = compute_totals(drawn_lines).net
    invoice_discount = draw(discount_for(subtotal))
    lines_total = compute_totals(drawn_lines, invoice_discount).payable
    additions = draw(st.lists(st.integers(min_value=0, max_value=500_000), max_size=2))
    room = lines_total + sum(additions)
    deductions = draw(
        st.lists(st.integers(min_value=0, max_value=int(room) // 3), max_size=2)
    )
    charges = tuple(
        [Charge("کرایه حمل", Decimal(a)) for a in additions]
        + [Charge("تخفیف نقدی", Decimal(d), is_deduction=True) for d in deductions]
    )
    payable = compute_totals(drawn_lines, invoice_discount, charges).payable
    payments: list[Payment] = []
    if with_payments:
        left_for_non_cash = payable
        for method in draw(st.lists(st.sampled_from(list(PaymentMethod)), max_size=4)):
            if method is PaymentMethod.CASH:
                amount = draw(st.integers(min_value=1, max_value=int(payable) * 2 + 1_000_000))
            elif left_for_non_cash >= 1:
                amount = draw(st.integers(min_value=1, max_value=int(left_for_non_cash)))
                left_for_non_cash -= amount
            else:
                continue
            payments.append(Payment(method, Decimal(amount)))
    return drawn_lines, invoice_discount, charges, tuple(payments)
