"""Invoice lifecycle: issue, payments, cancellation, returns and reductions."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from posapp.domain.errors import LifecycleError, ValidationError
from posapp.domain.invoice import (
    Charge,
    Discount,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    Party,
    Payment,
    PaymentMethod,
    cancel,
    check_reducible,
    check_reduction,
    compute_totals,
    held_quantities,
    issue,
    kept_part,
    make_reduction,
    make_return,
    record_payment,
)
from posapp.domain.money import ZERO
from tests.domain.support import ISSUED_AT, assert_bilingual, domain_settings

CASH = PaymentMethod.CASH
CARD = PaymentMethod.CARD


def pay(method: PaymentMethod, amount: int) -> Payment:
    return Payment(method, Decimal(amount))


def test_issue_numbers_and_freezes(pod_invoice):
    issued = issue(pod_invoice, "1A-000001", ISSUED_AT)
    assert issued.number == "1A-000001"
    assert issued.issued_at == ISSUED_AT
    assert issued.status is InvoiceStatus.ISSUED
    assert not issued.is_editable
    assert pod_invoice.status is InvoiceStatus.DRAFT  # the draft value itself is untouched
    with pytest.raises(LifecycleError) as caught:
        issued.with_changes(notes="بعداً")
    assert caught.value.message_fa
    assert "cannot be edited" in caught.value.message_en
    with pytest.raises(LifecycleError):
        issue(issued, "1A-000002")
    with pytest.raises(dataclasses.FrozenInstanceError):
        issued.notes = "x"  # type: ignore[misc]


def test_drafts_can_be_edited(pod_invoice):
    edited = pod_invoice.with_changes(notes="تحویل فردا")
    assert edited.notes == "تحویل فردا"
    assert edited.totals.payable == pod_invoice.totals.payable


@pytest.mark.parametrize(
    "change", [{"status": InvoiceStatus.PAID}, {"number": "1A-000009"}, {"cancel_reason": "x"}],
)
def test_lifecycle_fields_are_not_edited_by_hand(pod_invoice, change):
    with pytest.raises(LifecycleError) as caught:
        pod_invoice.with_changes(**change)
    assert next(iter(change)) in caught.value.message_en


def test_issue_status_follows_payments(pod_invoice):
    paid = issue(pod_invoice.with_changes(payments=(pay(CASH, 50_000),)), "1A-000001")
    assert paid.status is InvoiceStatus.PAID
    assert paid.totals.change == Decimal(1_495)
    partly = issue(pod_invoice.with_changes(payments=(pay(CARD, 20_000),)), "1A-000002")
    assert partly.status is InvoiceStatus.PARTLY_PAID
    assert partly.totals.balance_due == Decimal(28_505)


def test_issue_refuses_empty_and_orphan_invoices(seller, pod_invoice):
    with pytest.raises(ValidationError) as caught:
        issue(Invoice(seller=seller), "1A-000001")
    assert_bilingual(caught.value, "lines")
    orphan_return = pod_invoice.with_changes(kind=InvoiceKind.RETURN)
    with pytest.raises(ValidationError) as caught:
        issue(orphan_return, "1A-000001")
    assert_bilingual(caught.value, "original_number")


def test_on_account_sale_needs_a_customer(pod_invoice):
    on_account = pod_invoice.with_changes(payments=(pay(PaymentMethod.CREDIT, 48_505),))
    with pytest.raises(ValidationError) as caught:
        issue(on_account, "1A-000001")
    assert_bilingual(caught.value, "payment")
    issued = issue(on_account.with_changes(customer_id=7), "1A-000001")
    assert issued.status is InvoiceStatus.PAID  # credit settles the sale
    assert issued.totals.settled == ZERO  # but no money came in
    assert issued.totals.balance_due == ZERO
    with pytest.raises(LifecycleError):
        record_payment(issued, pay(CASH, 48_505))


def test_later_payments(pod_invoice):
    issued = issue(pod_invoice, "1A-000001")
    partly = record_payment(issued, pay(PaymentMethod.LINK, 8_505))
    assert partly.status is InvoiceStatus.PARTLY_PAID
    assert partly.totals.balance_due == Decimal(40_000)
    with pytest.raises(ValidationError) as caught:
        record_payment(partly, pay(CARD, 40_001))
    assert_bilingual(caught.value, "payment")
    with pytest.raises(ValidationError) as caught:
        record_payment(partly, pay(PaymentMethod.CREDIT, 1_000))  # walk-in: no account
    assert_bilingual(caught.value, "payment")
    paid = record_payment(partly, pay(CASH, 50_000))
    assert paid.status is InvoiceStatus.PAID
    assert paid.totals.change == Decimal(10_000)
    assert paid.totals.balance_due == ZERO
    with pytest.raises(LifecycleError):
        record_payment(paid, pay(CASH, 1))
    with pytest.raises(LifecycleError):
        record_payment(pod_invoice, pay(CASH, 1))  # a draft takes payments by editing


def test_cancel(pod_invoice):
    issued = issue(pod_invoice, "1A-000001")
    with pytest.raises(ValidationError) as caught:
        cancel(issued, "   ")
    assert_bilingual(caught.value, "cancel_reason")
    at = datetime(2024, 5, 2, tzinfo=UTC)
    cancelled = cancel(issued, "  اشتباه در ثبت ", at)
    assert cancelled.status is InvoiceStatus.CANCELLED
    assert cancelled.cancel_reason == "اشتباه در ثبت"
    assert cancelled.cancelled_at == at
    with pytest.raises(LifecycleError):
        cancel(cancelled, "دوباره")
    with pytest.raises(LifecycleError):
        cancel(pod_invoice, "پیش‌نویس")
    with pytest.raises(LifecycleError):
        record_payment(cancelled, pay(CASH, 1))


def _discounted_sale(seller: Party) -> Invoice:
    lines = (
        InvoiceLine("برنج", Decimal("3"), Decimal(1_000), tax_rate=Decimal("0.10"),
                    discount=Discount.amount(10)),
        InvoiceLine("روغن", Decimal("2.5"), Decimal(3_333), tax_rate=Decimal("0.09"),
                    discount=Discount.percent(7)),
        InvoiceLine("نان", Decimal(7), Decimal(999)),
    )
    draft = Invoice(seller=seller, lines=lines, invoice_discount=Discount.amount(1_001),
                    charges=(Charge("کرایه", Decimal(5_000)),), customer_id=3)
    return issue(draft, "1A-000010", ISSUED_AT)


def test_full_return_refunds_exactly_what_was_charged(seller):
    sale = _discounted_sale(seller)
    returned = make_return(sale, {i: line.quantity for i, line in enumerate(sale.lines)})
    assert returned.kind is InvoiceKind.RETURN
    assert returned.status is InvoiceStatus.DRAFT
    assert returned.original_number == "1A-000010"
    assert returned.customer_id == sale.customer_id
    assert [line.origin_line for line in returned.lines] == [0, 1, 2]
    assert returned.charges == ()  # freight is not refunded by a goods return
    for sold, back in zip(sale.totals.lines, returned.totals.lines, strict=True):
        assert back.net == sold.net
        assert back.tax == sold.tax
        assert back.total == sold.total
    issued_return = issue(returned, "1A-000011")
    assert issued_return.status is InvoiceStatus.ISSUED


def test_returns_cannot_exceed_what_was_sold_across_several_returns(seller):
    sale = _discounted_sale(seller)
    first = make_return(sale, {0: Decimal(2)})
    assert first.lines[0].quantity == Decimal(2)
    second = make_return(sale, {0: Decimal(1)}, {0: Decimal(2)})
    assert second.lines[0].quantity == Decimal(1)
    with pytest.raises(ValidationError) as caught:
        make_return(sale, {0: Decimal("0.001")}, {0: Decimal(3)})
    assert_bilingual(caught.value, "quantity")
    assert "3" in caught.value.message_en
    with pytest.raises(ValidationError) as caught:
        make_return(sale, {1: Decimal("2.501")})
    assert_bilingual(caught.value, "quantity")


def test_return_refuses_bad_requests(seller, pod_invoice):
    sale = _discounted_sale(seller)
    with pytest.raises(ValidationError) as caught:
        make_return(sale, {})
    assert_bilingual(caught.value, "lines")
    with pytest.raises(ValidationError) as caught:
        make_return(sale, {3: Decimal(1)})
    assert_bilingual(caught.value, "lines")
    with pytest.raises(ValidationError) as caught:
        make_return(sale, {0: Decimal(-1)})
    assert_bilingual(caught.value, "quantity")
    with pytest.raises(LifecycleError):
        make_return(pod_invoice, {0: Decimal(1)})  # a draft has nothing to return
    with pytest.raises(LifecycleError):
        make_return(cancel(sale, "ابطال"), {0: Decimal(1)})
    a_return = issue(make_return(sale, {0: Decimal(1)}), "1A-000011")
    with pytest.raises(LifecycleError):
        make_return(a_return, {0: Decimal(1)})


@domain_settings
@given(st.data())
def test_returns_in_pieces_add_up_to_the_sale(data):
    quantity = Decimal(data.draw(st.integers(min_value=1, max_value=40)))
    line = InvoiceLine(
        "کالا", quantity, Decimal(data.draw(st.integers(min_value=1, max_value=10**7))),
        tax_rate=Decimal("0.10"),
        discount=Discount.percent(Decimal(data.draw(st.integers(min_value=0, max_value=90)))),
    )
    other = InvoiceLine("دیگر", Decimal(1), Decimal(data.draw(st.integers(1, 10**6))))
    subtotal = compute_totals((line, other)).net
    draft = Invoice(
        seller=Party("فروشگاه"), lines=(line, other),
        invoice_discount=Discount.amount(data.draw(st.integers(0, int(subtotal) // 2))),
    )
    sale = issue(draft, "1A-000001")
    returned: dict[int, Decimal] = {0: ZERO}
    discounts = ZERO
    while returned[0] < quantity:
        piece = Decimal(data.draw(st.integers(min_value=1, max_value=int(quantity - returned[0]))))
        back = make_return(sale, {0: piece}, returned)
        discounts += back.lines[0].discount.value
        returned[0] += piece
        with pytest.raises(ValidationError):
            make_return(sale, {0: quantity - returned[0] + 1}, returned)
    # Returned piece by piece, the line's discounts add up to exactly what it was sold with.
    assert discounts == sale.totals.lines[0].discount


def test_reduction_keeps_every_line_and_references_the_original(seller):
    sale = _discounted_sale(seller)
    reduced = make_reduction(sale, {1: (Decimal(2), Decimal(3_000))}, returned={})
    assert reduced.kind is InvoiceKind.REDUCTION
    assert reduced.original_number == sale.number
    assert len(reduced.lines) == len(sale.lines)
    assert reduced.lines[1].quantity == Decimal(2)
    assert reduced.lines[1].unit_price == Decimal(3_000)
    assert reduced.lines[0].quantity == sale.lines[0].quantity
    assert reduced.charges == sale.charges
    assert reduced.totals.payable < sale.totals.payable
    # Unchanged lines keep exactly what they were charged.
    for index in (0, 2):
        assert reduced.totals.lines[index].total == sale.totals.lines[index].total
    assert issue(reduced, "1A-000012").status is InvoiceStatus.ISSUED


def test_reduction_refuses_growth_and_unknown_lines(seller, pod_invoice):
    sale = _discounted_sale(seller)
    with pytest.raises(ValidationError) as caught:
        make_reduction(sale, {0: (Decimal(4), Decimal(1_000))}, returned={})
    assert_bilingual(caught.value, "quantity")
    with pytest.raises(ValidationError) as caught:
        make_reduction(sale, {0: (Decimal(3), Decimal(1_001))}, returned={})
    assert_bilingual(caught.value, "quantity")
    with pytest.raises(ValidationError) as caught:
        make_reduction(sale, {9: (Decimal(1), Decimal(1))}, returned={})
    assert_bilingual(caught.value, "lines")
    with pytest.raises(LifecycleError):
        make_reduction(pod_invoice, {}, returned={})
    with pytest.raises(LifecycleError):
        make_reduction(cancel(sale, "ابطال"), {}, returned={})


def _returns_of(sale: Invoice, *pieces: dict[int, Decimal]) -> tuple[list[Invoice], dict[int, Decimal]]:
    """Issue the returns `pieces` of `sale` one after another; the returns and what they add up to."""
    returns, returned = [], {}
    for number, piece in enumerate(pieces, start=11):
        returns.append(issue(make_return(sale, piece, returned), f"1A-0000{number}"))
        for index, quantity in piece.items():
            returned[index] = returned.get(index, ZERO) + quantity
    return returns, returned


def test_a_reduction_after_a_partial_return_carries_what_the_customer_kept(seller):
    """Sold 3 rice, 2.5 oil, 7 bread; 1 rice and 2 bread came back: the reduction restates
    2 rice, 2.5 oil and 5 bread, never the 3 and 7 sold (which would count the returned goods
    twice), and each line carries the discount the returns left on it."""
    sale = _discounted_sale(seller)
    returns, returned = _returns_of(sale, {0: Decimal(1)}, {2: Decimal(2)})
    reduced = make_reduction(sale, {0: (Decimal(2), Decimal(900))}, returned=returned)
    assert [(line.origin_line, line.quantity) for line in reduced.lines] == [
        (0, Decimal(2)), (1, Decimal("2.5")), (2, Decimal(5))]
    assert reduced.lines[0].unit_price == Decimal(900)
    assert held_quantities(sale, returned) == {0: Decimal(2), 1: Decimal("2.5"), 2: Decimal(5)}
    # at unchanged prices, what the returns took back and what the reduction keeps add up to the sale
    unchanged = make_reduction(sale, {}, returned=returned)
    for index, line_totals in enumerate(sale.totals.lines):
        back = sum((t.discount for r in returns for line, t in zip(r.lines, r.totals.lines, strict=True)
                    if line.origin_line == index), ZERO)
        kept = sum((t.discount for line, t in zip(unchanged.lines, unchanged.totals.lines, strict=True)
                    if line.origin_line == index), ZERO)
        assert back + kept == line_totals.discount
    returned_total = sum((r.totals.payable for r in returns), ZERO)
    assert unchanged.totals.payable + returned_total == sale.totals.payable
    assert kept_part(sale, returned).lines == unchanged.lines


def test_a_reduction_after_a_full_return_of_a_line_leaves_it_out_and_refuses_sensibly(seller):
    sale = _discounted_sale(seller)
    _returns, returned = _returns_of(sale, {1: Decimal("2.5")}, {0: Decimal(1)})
    reduced = make_reduction(sale, {2: (Decimal(7), Decimal(900))}, returned=returned)
    assert [line.origin_line for line in reduced.lines] == [0, 2]
    with pytest.raises(ValidationError) as caught:
        make_reduction(sale, {1: (Decimal(1), Decimal(3_000))}, returned=returned)
    assert_bilingual(caught.value, "quantity")
    assert "came back in full" in caught.value.message_en
    with pytest.raises(ValidationError) as caught:
        make_reduction(sale, {0: (Decimal(3), Decimal(900))}, returned=returned)
    assert_bilingual(caught.value, "quantity")
    assert "still holds" in caught.value.message_en
    everything = {index: line.quantity for index, line in enumerate(sale.lines)}
    with pytest.raises(LifecycleError, match="nothing left to reduce"):
        make_reduction(sale, {}, returned=everything)


def test_a_reduction_drafted_before_a_return_no_longer_passes_its_check(seller):
    """The issuing transaction checks the draft against the returns then standing: one drafted
    before another till's return restates goods that came back, and is refused."""
    sale = _discounted_sale(seller)
    early = make_reduction(sale, {0: (Decimal(3), Decimal(900))}, returned={})
    check_reduction(sale, early, {})
    _returns, returned = _returns_of(sale, {2: Decimal(7)})
    with pytest.raises(ValidationError) as caught:
        check_reduction(sale, early, returned)
    assert_bilingual(caught.value, "lines")
    tampered = dataclasses.replace(make_reduction(sale, {}, returned=returned), charges=())
    with pytest.raises(ValidationError):
        check_reduction(sale, tampered, returned)
    check_reduction(sale, make_reduction(sale, {0: (Decimal(1), Decimal(900))}, returned=returned), returned)


def test_only_an_open_sale_is_reducible(seller, pod_invoice):
    sale = _discounted_sale(seller)
    check_reducible(sale)
    check_reducible(record_payment(sale, pay(CASH, 1_000)))
    a_return = issue(make_return(sale, {0: Decimal(1)}), "1A-000011")
    reduction = issue(make_reduction(sale, {}, returned={}), "1A-000012")
    for refused in (pod_invoice, cancel(sale, "ابطال"), a_return, reduction):
        with pytest.raises(LifecycleError, match="only a valid sale invoice can be reduced"):
            check_reducible(refused)


@domain_settings
@given(
    st.integers(min_value=1, max_value=10**8),
    st.lists(st.tuples(st.sampled_from([CASH, CARD, PaymentMethod.LINK]),
                       st.integers(min_value=1, max_value=10**8)), max_size=6),
)
def test_later_payments_keep_status_and_balance_consistent(price, later):
    sale = issue(Invoice(seller=Party("فروشگاه"), lines=(InvoiceLine("کالا", Decimal(1), Decimal(price)),)),
                 "1A-000001")
    for method, amount in later:
        before = sale
        due = before.totals.balance_due
        try:
            sale = record_payment(before, pay(method, amount))
        except LifecycleError:
            assert before.status is InvoiceStatus.PAID
            continue
        except ValidationError:
            assert method is not CASH
            assert amount > due
            continue
        totals = sale.totals
        assert totals.paid == before.totals.paid + amount
        assert not (totals.change > 0 and totals.balance_due > 0)
        assert totals.change == max(ZERO, Decimal(amount) - due)
        assert totals.balance_due == max(ZERO, due - amount)
        expected = InvoiceStatus.PAID if totals.balance_due == 0 else InvoiceStatus.PARTLY_PAID
        assert sale.status is expected


@domain_settings
@given(st.data())
def test_reductions_never_raise_a_line(data):
    lines = tuple(
        InvoiceLine(f"کالا {i}", Decimal(data.draw(st.integers(1, 20))),
                    Decimal(data.draw(st.integers(1, 10**6))), tax_rate=Decimal("0.10"),
                    discount=Discount.percent(data.draw(st.integers(0, 50))))
        for i in range(data.draw(st.integers(1, 4)))
    )
    sale = issue(Invoice(seller=Party("فروشگاه"), lines=lines), "1A-000001")
    changes = {
        index: (Decimal(data.draw(st.integers(1, int(line.quantity)))),
                Decimal(data.draw(st.integers(0, int(line.unit_price)))))
        for index, line in enumerate(sale.lines) if data.draw(st.booleans())
    }
    reduced = make_reduction(sale, changes, returned={})
    assert len(reduced.lines) == len(sale.lines)
    for before, after in zip(sale.totals.lines, reduced.totals.lines, strict=True):
        assert after.total <= before.total
    assert reduced.totals.payable <= sale.totals.payable


def test_issue_and_cancel_reuse_the_computed_totals_and_they_stay_right():
    draft = Invoice(seller=Party("فروشگاه"), lines=(
        InvoiceLine("شیر", Decimal(2), Decimal(45_000), tax_rate=Decimal("0.10")),))
    expected = compute_totals(draft.lines)
    issued = issue(draft, "1A-000001")
    assert issued.totals == expected
    assert cancel(issued, "اشتباه صندوق").totals == expected


def test_an_invoice_without_a_seller_name_is_refused():
    """Issue 11 item 6: invoices were issued and printed with an empty seller."""
    from posapp.domain.invoice import check_seller_named

    draft = Invoice(seller=Party(" "), lines=(InvoiceLine("کالا", Decimal(1), Decimal(1000)),))
    with pytest.raises(ValidationError) as refused:
        check_seller_named(draft)
    assert refused.value.field == "seller"
    check_seller_named(dataclasses.replace(draft, seller=Party("فروشگاه")))
