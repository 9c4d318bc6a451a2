"""Invoices as immutable values: lines, discounts, charges, payments, totals and lifecycle.

Everything here is pure Python and Decimal Rial. An `Invoice` is a frozen snapshot; lifecycle
functions (`issue`, `cancel`, `record_payment`, `make_return`, `make_reduction`) return new
snapshots and never mutate; `check_reducible` refuses a reduction of anything but an open
sale. Totals are derived, never stored on the value itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction
from functools import cached_property
from typing import Any, Self

from posapp.domain.errors import LifecycleError, ValidationError
from posapp.domain.formatting import format_amount, format_quantity
from posapp.domain.money import ZERO, check_amount, refuse_float, round_rial
from posapp.domain.tax import check_tax_rate

QUANTITY_PLACES = 3
HUNDRED = Decimal(100)


def _exact_decimal(value: Decimal | int | str) -> Decimal:
    refuse_float(value)
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValidationError(
            "discount", f"«{value}» تخفیف معتبری نیست", f"'{value}' is not a valid discount",
        ) from None


class DiscountKind(StrEnum):
    AMOUNT = "amount"
    PERCENT = "percent"


@dataclass(frozen=True)
class Discount:
    """A discount given as a Rial amount or as a percentage of what it applies to."""

    kind: DiscountKind = DiscountKind.AMOUNT
    value: Decimal = ZERO

    def __post_init__(self) -> None:
        refuse_float(self.value)
        if self.kind is DiscountKind.PERCENT:
            if not self.value.is_finite() or not ZERO <= self.value <= HUNDRED:
                raise ValidationError(
                    "discount", "درصد تخفیف باید بین ۰ و ۱۰۰ باشد",
                    "a discount percentage must be between 0 and 100",
                )
        else:
            check_amount(self.value, field="discount")

    @classmethod
    def amount(cls, value: Decimal | int | str) -> Discount:
        return cls(DiscountKind.AMOUNT, _exact_decimal(value))

    @classmethod
    def percent(cls, value: Decimal | int | str) -> Discount:
        return cls(DiscountKind.PERCENT, _exact_decimal(value))

    def applied_to(self, base: Decimal) -> Decimal:
        """The discount in whole Rial on `base`; never more than the base itself."""
        if self.kind is DiscountKind.PERCENT:
            return round_rial(base * self.value / HUNDRED)
        if self.value > base:
            raise ValidationError(
                "discount", "تخفیف از مبلغ بیشتر است", "the discount is larger than the amount",
            )
        return round_rial(self.value)


NO_DISCOUNT = Discount()


class PaymentMethod(StrEnum):
    CASH = "cash"
    CARD = "card"
    LINK = "link"
    CREDIT = "credit"
    """On account: the customer owes it; it settles the sale but not the customer's balance."""


@dataclass(frozen=True)
class Payment:
    method: PaymentMethod
    amount: Decimal
    reference: str = ""
    """Card terminal trace, link provider reference or similar; free text."""
    recorded_at: datetime | None = field(default=None, compare=False)
    """When the till took the money (set once the payment is stored); a provider's receipt is
    dated with it, not with the moment it is sent."""

    def __post_init__(self) -> None:
        check_amount(self.amount, field="payment")
        if self.amount == ZERO:
            raise ValidationError("payment", "مبلغ پرداخت صفر است", "the payment amount is zero")


class ChargeKind(StrEnum):
    FREIGHT = "freight"
    OTHER = "other"


@dataclass(frozen=True)
class Charge:
    """An addition (freight, packing) or deduction added after tax, like Hesabfa's `others`."""

    label: str
    amount: Decimal
    is_deduction: bool = False
    kind: ChargeKind = ChargeKind.OTHER

    def __post_init__(self) -> None:
        check_amount(self.amount, field="charge")
        if not self.label.strip():
            raise ValidationError("charge", "عنوان هزینه خالی است", "the charge needs a label")

    @property
    def signed_amount(self) -> Decimal:
        return -self.amount if self.is_deduction else self.amount


def check_quantity(quantity: Decimal, *, field: str = "quantity") -> Decimal:
    """A quantity is positive with at most three decimal places (weighed goods)."""
    refuse_float(quantity)
    if not quantity.is_finite():
        raise ValidationError(field, "مقدار باید عدد باشد", "the quantity must be a number")
    if quantity < 0:
        raise ValidationError(
            field,
            "مقدار منفی فقط با فاکتور برگشت از فروش ممکن است",
            "a negative quantity is only possible through a return invoice",
        )
    if quantity == 0:
        raise ValidationError(field, "مقدار نمی‌تواند صفر باشد", "the quantity cannot be zero")
    exponent = quantity.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -QUANTITY_PLACES:
        raise ValidationError(
            field,
            "مقدار حداکثر سه رقم اعشار می‌پذیرد",
            "a quantity takes at most three decimal places",
        )
    if quantity >= Decimal(10) ** 9:
        raise ValidationError(field, "مقدار بیش از حد بزرگ است", "the quantity is too large")
    return quantity


@dataclass(frozen=True)
class InvoiceLine:
    """One sold line. It copies price, discount and tax rate, so catalogue changes never
    rewrite history. `tax_rate` is a fraction (0.10 for 10%)."""

    description: str
    quantity: Decimal
    unit_price: Decimal
    unit: str = "عدد"
    tax_rate: Decimal = ZERO
    discount: Discount = NO_DISCOUNT
    product_id: int | None = None
    product_code: str = ""
    origin_line: int | None = None
    """For a return or reduction: the index of the original invoice's line it corrects."""
    goods_code: str = ""
    """The product's 13-digit Moadian goods/service code (sstid) when the line was made."""
    unit_code: str = ""
    """The Moadian unit code (mu) of the line's unit when the line was made."""

    def __post_init__(self) -> None:
        if not self.description.strip():
            raise ValidationError("description", "شرح ردیف خالی است", "the line needs a description")
        check_quantity(self.quantity)
        check_amount(self.unit_price, field="unit_price")
        check_tax_rate(self.tax_rate)

    @property
    def gross(self) -> Decimal:
        return round_rial(self.quantity * self.unit_price)


@dataclass(frozen=True)
class LineTotals:
    gross: Decimal
    line_discount: Decimal
    invoice_discount: Decimal
    """This line's pro-rata share of the invoice-level discount."""
    net: Decimal
    tax: Decimal
    total: Decimal

    @property
    def discount(self) -> Decimal:
        return self.line_discount + self.invoice_discount


@dataclass(frozen=True)
class Totals:
    lines: tuple[LineTotals, ...]
    gross: Decimal
    line_discount: Decimal
    invoice_discount: Decimal
    net: Decimal
    tax: Decimal
    additions: Decimal
    deductions: Decimal
    payable: Decimal
    paid: Decimal
    """Everything tendered, on-account credit included."""
    settled: Decimal
    """What was really received (cash kept, card, link): paid less change and credit."""
    change: Decimal
    """Cash to hand back to the customer."""
    balance_due: Decimal

    @property
    def discount(self) -> Decimal:
        return self.line_discount + self.invoice_discount


def spread_pro_rata(amount: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split whole-Rial `amount` over non-negative `weights` so shares are whole Rial and sum
    exactly to it (largest remainder, ties to the earlier line). Each share is within one Rial
    of its exact pro-rata value and never above its weight when the weights are whole Rial and
    `amount` is at most their sum.

    The exact shares are computed with fractions: Decimal's 28 significant digits cannot hold
    a 15-digit amount's share to the 16 decimal places needed to rank the remainders."""
    total_weight = sum(weights, ZERO)
    if amount == ZERO or total_weight == ZERO:
        return [ZERO for _ in weights]
    exact = [Fraction(amount) * Fraction(w) / Fraction(total_weight) for w in weights]
    floors = [e.numerator // e.denominator for e in exact]
    remainder = int(amount) - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:remainder]:
        floors[i] += 1
    return [Decimal(share) for share in floors]


def compute_totals(
    lines: Iterable[InvoiceLine],
    invoice_discount: Discount = NO_DISCOUNT,
    charges: Iterable[Charge] = (),
    payments: Iterable[Payment] = (),
) -> Totals:
    """Totals of an invoice. Line amounts round half-up to whole Rial; the invoice discount is
    spread pro rata over lines before tax; charges come after tax."""
    lines = tuple(lines)
    charges = tuple(charges)
    payments = tuple(payments)
    gross = [line.gross for line in lines]
    line_discounts = [line.discount.applied_to(g) for line, g in zip(lines, gross, strict=True)]
    after_line = [g - d for g, d in zip(gross, line_discounts, strict=True)]
    subtotal = sum(after_line, ZERO)
    invoice_discount_amount = invoice_discount.applied_to(subtotal)
    shares = spread_pro_rata(invoice_discount_amount, after_line)
    line_totals = []
    for line, g, ld, share, base in zip(lines, gross, line_discounts, shares, after_line, strict=True):
        net = base - share
        tax = round_rial(net * line.tax_rate)
        line_totals.append(LineTotals(g, ld, share, net, tax, net + tax))
    additions = sum((c.amount for c in charges if not c.is_deduction), ZERO)
    deductions = sum((c.amount for c in charges if c.is_deduction), ZERO)
    lines_total = sum((t.total for t in line_totals), ZERO)
    for amount, amount_field in ((sum(gross, ZERO), "total"), (lines_total, "total"),
                                 (additions, "charges"), (deductions, "charges")):
        check_amount(amount, field=amount_field)
    payable = lines_total + additions - deductions
    if payable < 0:
        raise ValidationError(
            "charges", "کسورات از مبلغ فاکتور بیشتر است",
            "the deductions are larger than the invoice amount",
        )
    check_amount(payable, field="total")
    paid = check_amount(sum((p.amount for p in payments), ZERO), field="payment")
    non_cash = sum((p.amount for p in payments if p.method is not PaymentMethod.CASH), ZERO)
    if non_cash > payable:
        raise ValidationError(
            "payment", "پرداخت غیرنقدی از مبلغ فاکتور بیشتر است؛ فقط نقد باقی‌مانده برمی‌گرداند",
            "non-cash payments exceed the amount due; only cash can be given change",
        )
    change = max(ZERO, paid - payable)
    credit = sum((p.amount for p in payments if p.method is PaymentMethod.CREDIT), ZERO)
    return Totals(
        lines=tuple(line_totals),
        gross=sum(gross, ZERO),
        line_discount=sum(line_discounts, ZERO),
        invoice_discount=invoice_discount_amount,
        net=sum((t.net for t in line_totals), ZERO),
        tax=sum((t.tax for t in line_totals), ZERO),
        additions=additions,
        deductions=deductions,
        payable=payable,
        paid=paid,
        settled=paid - change - credit,
        change=change,
        balance_due=max(ZERO, payable - paid),
    )


class PartyKind(StrEnum):
    NATURAL = "natural"
    LEGAL = "legal"


@dataclass(frozen=True)
class Party:
    """A seller or buyer as printed on the invoice (a copy, not a live customer record)."""

    name: str
    kind: PartyKind = PartyKind.NATURAL
    national_id: str = ""
    """کد ملی for a natural person, شناسه ملی for a legal one."""
    economic_code: str = ""
    registration_number: str = ""
    postal_code: str = ""
    phone: str = ""
    mobile: str = ""
    address: str = ""

    @classmethod
    def of(cls, party: Party) -> Self:
        """`party`'s fields alone, as this class: the one mapping between a customer record, a
        form's input, a provider's contact and the copy printed on an invoice (all Parties)."""
        return cls(
            name=party.name, kind=party.kind, national_id=party.national_id,
            economic_code=party.economic_code, registration_number=party.registration_number,
            postal_code=party.postal_code, phone=party.phone, mobile=party.mobile, address=party.address,
        )

    def filled_from(self, newer: Party) -> Party:
        """This party with `newer`'s non-empty fields in place of its own; the kind stays, since
        a source that does not know it says "natural" by default."""
        return Party(
            name=newer.name or self.name, kind=self.kind,
            national_id=newer.national_id or self.national_id,
            economic_code=newer.economic_code or self.economic_code,
            registration_number=newer.registration_number or self.registration_number,
            postal_code=newer.postal_code or self.postal_code, phone=newer.phone or self.phone,
            mobile=newer.mobile or self.mobile, address=newer.address or self.address,
        )


class InvoiceKind(StrEnum):
    SALE = "sale"
    RETURN = "return"
    """Goods come back; references the original sale."""
    REDUCTION = "reduction"
    """Replaces the original with lower amounts (Pod's reduceInvoice); the original is cancelled."""


class InvoiceStatus(StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    CANCELLED = "cancelled"


OPEN_STATUSES = frozenset({InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_PAID, InvoiceStatus.PAID})
_LIFECYCLE_FIELDS = frozenset({"status", "number", "cancel_reason", "cancelled_at"})


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Invoice:
    """An immutable invoice snapshot: what the editor builds, the store keeps, the renderer
    prints and providers receive. Amounts are Decimal Rial."""

    seller: Party
    lines: tuple[InvoiceLine, ...] = ()
    buyer: Party | None = None
    """None for a walk-in customer."""
    customer_id: int | None = None
    kind: InvoiceKind = InvoiceKind.SALE
    status: InvoiceStatus = InvoiceStatus.DRAFT
    id: int | None = None
    number: str | None = None
    till: str = "1"
    series: str = "A"
    created_at: datetime = field(default_factory=utc_now)
    issued_at: datetime | None = None
    invoice_discount: Discount = NO_DISCOUNT
    charges: tuple[Charge, ...] = ()
    payments: tuple[Payment, ...] = ()
    notes: str = ""
    cashier: str = ""
    cashier_id: int | None = None
    """The signed-in user who started the sale (None before a shop has users)."""
    original_number: str | None = None
    """For returns and reductions: the number of the invoice they correct."""
    cancel_reason: str = ""
    cancelled_at: datetime | None = None
    tax_id: str | None = None
    """Moadian 22-character tax ID, when the invoice was registered."""
    payment_link: str | None = None

    @cached_property
    def totals(self) -> Totals:
        return compute_totals(self.lines, self.invoice_discount, self.charges, self.payments)

    @property
    def is_editable(self) -> bool:
        return self.status is InvoiceStatus.DRAFT

    def with_changes(self, **changes: object) -> Invoice:
        """A draft with some fields replaced; issued invoices refuse (they are immutable), and
        the number and status change only through `issue`, `record_payment` and `cancel`."""
        if not self.is_editable:
            raise LifecycleError(
                "فاکتور صادرشده قابل ویرایش نیست؛ برگشت یا ابطال صادر کنید",
                "an issued invoice cannot be edited; issue a return or cancel it",
            )
        lifecycle_fields = _LIFECYCLE_FIELDS.intersection(changes)
        if lifecycle_fields:
            raise LifecycleError(
                "شماره و وضعیت فاکتور فقط با صدور، پرداخت یا ابطال تغییر می‌کند",
                f"{', '.join(sorted(lifecycle_fields))} change only by issuing, paying or cancelling",
            )
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


_AMOUNT_FIELDS = frozenset({"lines", "invoice_discount", "charges", "payments"})


def with_same_amounts(invoice: Invoice, **changes: Any) -> Invoice:
    """`dataclasses.replace` for changes that leave every amount alone: the new snapshot reuses
    the totals already computed instead of computing them again (issuing is a hot path)."""
    if _AMOUNT_FIELDS & changes.keys():
        raise ValueError("amount fields changed; use dataclasses.replace")
    changed = dataclasses.replace(invoice, **changes)
    if "totals" in invoice.__dict__:
        changed.__dict__["totals"] = invoice.__dict__["totals"]
    return changed


def _status_for(invoice: Invoice) -> InvoiceStatus:
    """Paid once nothing is left to pay; on-account credit settles the sale (the customer's
    debt is their account's business, not the invoice's)."""
    totals = invoice.totals
    if totals.balance_due == ZERO:
        return InvoiceStatus.PAID
    if totals.paid > ZERO:
        return InvoiceStatus.PARTLY_PAID
    return InvoiceStatus.ISSUED


def _check_refund(invoice: Invoice) -> None:
    """A return's payments are refunds: together they never exceed what was returned (a refund
    has no change to give back)."""
    if invoice.kind is InvoiceKind.RETURN and invoice.totals.paid > invoice.totals.payable:
        payable = invoice.totals.payable
        raise ValidationError(
            "payment",
            f"بازپرداخت بیش از مبلغ کالای برگشتی ({format_amount(payable)}) است",
            f"the refund is more than the returned goods are worth ({format_amount(payable, persian_digits=False, with_unit=False)} Rial)",
        )


def _check_credit_customer(invoice: Invoice) -> None:
    has_credit = any(p.method is PaymentMethod.CREDIT for p in invoice.payments)
    if has_credit and invoice.customer_id is None:
        raise ValidationError(
            "payment", "فروش نسیه فقط برای مشتری ثبت‌شده ممکن است",
            "an on-account sale needs a named customer",
        )


def issue(draft: Invoice, number: str, at: datetime | None = None, tax_id: str | None = None) -> Invoice:
    """Issue a draft under `number` (and, when the shop reports to Moadian, its tax ID): from
    here on the invoice is immutable."""
    if draft.status is not InvoiceStatus.DRAFT:
        raise LifecycleError("این فاکتور قبلاً صادر شده است", "this invoice was already issued")
    if not draft.lines:
        raise ValidationError("lines", "فاکتور بدون ردیف صادر نمی‌شود", "an invoice needs at least one line")
    _check_credit_customer(draft)
    if draft.kind is not InvoiceKind.SALE and not draft.original_number:
        raise ValidationError(
            "original_number", "برگشت یا کاهش باید به فاکتور اصلی اشاره کند",
            "a return or reduction must reference the original invoice",
        )
    _check_refund(draft)
    return with_same_amounts(draft, number=number, issued_at=at or utc_now(), status=_status_for(draft),
                              tax_id=tax_id if tax_id is not None else draft.tax_id)


def record_payment(invoice: Invoice, payment: Payment) -> Invoice:
    """Record a payment received after issue (a paid link, a later card payment). Only cash may
    exceed the balance due (the difference is change); card, link and credit may not."""
    if invoice.status not in (InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_PAID):
        raise LifecycleError(
            "برای این فاکتور پرداختی ثبت نمی‌شود", "this invoice takes no further payments",
        )
    due = invoice.totals.balance_due
    if payment.method is not PaymentMethod.CASH and payment.amount > due:
        raise ValidationError(
            "payment",
            "پرداخت غیرنقدی از مانده فاکتور بیشتر است",
            "a non-cash payment cannot exceed the balance due",
        )
    paid = dataclasses.replace(invoice, payments=(*invoice.payments, payment))
    _check_credit_customer(paid)
    _check_refund(paid)
    return with_same_amounts(paid, status=_status_for(paid))


def check_cancellable(invoice: Invoice) -> None:
    """Raise LifecycleError unless `invoice` is issued and not cancelled yet."""
    if invoice.status not in OPEN_STATUSES:
        raise LifecycleError("فقط فاکتور صادرشده ابطال می‌شود", "only an issued invoice can be cancelled")


def cancel(invoice: Invoice, reason: str, at: datetime | None = None) -> Invoice:
    """Cancel an issued invoice; the reason is required and kept."""
    check_cancellable(invoice)
    if not reason.strip():
        raise ValidationError("cancel_reason", "دلیل ابطال را بنویسید", "give a reason for the cancellation")
    return with_same_amounts(
        invoice, status=InvoiceStatus.CANCELLED, cancel_reason=reason.strip(),
        cancelled_at=at or utc_now(),
    )


def _corrected_line(
    original: Invoice, index: int, quantity: Decimal, unit_price: Decimal,
    earlier: Decimal = ZERO,
) -> InvoiceLine:
    """A line that carries `quantity` of original line `index` with its share of every discount
    (line and invoice level), given that `earlier` of it was already corrected. Shares are
    taken as differences of the rounded cumulative share, so successive partial returns of a
    line add up to exactly the discount it was sold with, never a Rial more or less."""
    line = original.lines[index]
    line_discount = original.totals.lines[index].discount

    def cumulative(corrected: Decimal) -> Decimal:
        return round_rial(line_discount * corrected / line.quantity)

    discount = cumulative(earlier + quantity) - cumulative(earlier)
    discount = min(discount, round_rial(quantity * unit_price))
    return dataclasses.replace(
        line, quantity=quantity, unit_price=unit_price,
        discount=Discount.amount(discount), origin_line=index,
    )


def make_return(
    original: Invoice,
    quantities: Mapping[int, Decimal],
    already_returned: Mapping[int, Decimal] | None = None,
) -> Invoice:
    """A draft return invoice for `quantities` (original line index -> quantity). Refuses to
    return more than was sold, counting earlier returns in `already_returned`."""
    if original.kind is not InvoiceKind.SALE or original.status not in OPEN_STATUSES:
        raise LifecycleError(
            "برگشت فقط از فاکتور فروش معتبر ممکن است", "returns are made from a valid sale invoice only",
        )
    already = already_returned or {}
    lines = []
    for index, quantity in sorted(quantities.items()):
        if not 0 <= index < len(original.lines):
            raise ValidationError("lines", "ردیف انتخابی در فاکتور نیست", "that line is not on the invoice")
        check_quantity(quantity)
        sold = original.lines[index].quantity
        earlier = already.get(index, ZERO)
        if quantity + earlier > sold:
            raise ValidationError(
                "quantity",
                f"بیش از مقدار فروخته‌شده برگشت داده نمی‌شود (فروش {format_quantity(sold)}، "
                f"برگشت قبلی {format_quantity(earlier)})",
                f"cannot return more than was sold ({format_quantity(sold, False)} sold, "
                f"{format_quantity(earlier, False)} already returned)",
            )
        lines.append(
            _corrected_line(original, index, quantity, original.lines[index].unit_price, earlier)
        )
    if not lines:
        raise ValidationError("lines", "هیچ ردیفی برای برگشت انتخاب نشده", "no line was picked to return")
    return Invoice(
        seller=original.seller, buyer=original.buyer, customer_id=original.customer_id,
        kind=InvoiceKind.RETURN, till=original.till, series=original.series,
        lines=tuple(lines), original_number=original.number,
    )


def check_reducible(original: Invoice) -> None:
    """Raise LifecycleError unless `original` is a sale that is issued and not cancelled, the
    only kind of invoice a reduction may replace."""
    if original.kind is not InvoiceKind.SALE or original.status not in OPEN_STATUSES:
        raise LifecycleError(
            "کاهش فقط روی فاکتور فروش معتبر ممکن است", "only a valid sale invoice can be reduced",
        )


def held_quantities(original: Invoice, returned: Mapping[int, Decimal]) -> dict[int, Decimal]:
    """What the customer still holds of each line of `original` (line index -> quantity): what
    was sold less every return that stands (`returned`); lines returned in full are left out."""
    held = {index: line.quantity - returned.get(index, ZERO) for index, line in enumerate(original.lines)}
    return {index: quantity for index, quantity in held.items() if quantity > 0}


def make_reduction(
    original: Invoice,
    changes: Mapping[int, tuple[Decimal, Decimal]],
    *,
    returned: Mapping[int, Decimal],
) -> Invoice:
    """A draft reduction replacing `original` as it stands after its returns (`returned`:
    original line index -> quantity already returned, every return that stands): each line
    with what the customer still holds of it, its (quantity, unit price) lowered where
    `changes` says (keyed by the original's line index), and its share of every discount that
    was not returned with the goods. A line returned in full is left out; nothing may grow,
    and a sale returned in full cannot be reduced. The returns keep referencing the original;
    the reduction states what stands after them, so nothing is counted twice."""
    check_reducible(original)
    unknown = [index for index in changes if not 0 <= index < len(original.lines)]
    if unknown:
        raise ValidationError("lines", "ردیف انتخابی در فاکتور نیست", "that line is not on the invoice")
    held = held_quantities(original, returned)
    if not held:
        raise LifecycleError(
            "همه کالاهای این فاکتور برگشت خورده است؛ چیزی برای کاهش نمانده",
            "every item of this invoice came back; there is nothing left to reduce",
        )
    lines = []
    for index, line in enumerate(original.lines):
        kept = held.get(index)
        if kept is None:
            if index in changes:
                raise ValidationError(
                    "quantity",
                    f"ردیف «{line.description}» کامل برگشت خورده است و کاهش نمی‌پذیرد",
                    f"line '{line.description}' came back in full and cannot be reduced",
                )
            continue
        quantity, unit_price = changes.get(index, (kept, line.unit_price))
        if unit_price > line.unit_price:
            raise ValidationError(
                "quantity", "در کاهش، مقدار و مبلغ نباید بیشتر شود",
                "a reduction cannot raise a quantity or price",
            )
        if quantity > kept:
            raise ValidationError(
                "quantity",
                f"در کاهش، مقدار «{line.description}» بیش از آنچه نزد مشتری مانده نمی‌شود "
                f"(فروش {format_quantity(line.quantity)}، برگشت {format_quantity(line.quantity - kept)})",
                f"a reduction cannot give '{line.description}' more than the customer still holds "
                f"({format_quantity(line.quantity, False)} sold, "
                f"{format_quantity(line.quantity - kept, False)} returned)",
            )
        check_quantity(quantity)
        lines.append(_corrected_line(original, index, quantity, unit_price, line.quantity - kept))
    return Invoice(
        seller=original.seller, buyer=original.buyer, customer_id=original.customer_id,
        kind=InvoiceKind.REDUCTION, till=original.till, series=original.series,
        lines=tuple(lines), charges=original.charges, original_number=original.number,
    )


def check_reduction(original: Invoice, reduction: Invoice, returned: Mapping[int, Decimal]) -> None:
    """Refuse a reduction draft that is not what `make_reduction` makes of `original` as it
    stands after its returns (`returned`) with the draft's own quantities and prices: every
    line the customer still holds exactly once with its discount share, none that came back in
    full, nothing above what is held (a return made at another till after the reduction was
    drafted). The issuing transaction calls this with the returns it reads under lock."""
    check_reducible(original)
    origins = [line.origin_line for line in reduction.lines]
    stale = ValidationError(
        "lines",
        "فاکتور کاهشی با آنچه از فروش نزد مشتری مانده نمی‌خواند (شاید در این میان برگشتی صادر شده)؛ "
        "کاهش را دوباره بسازید",
        "the reduction does not match what the customer still holds of the sale (a return may "
        "have been issued meanwhile); draft the reduction again",
    )
    if sorted(o if o is not None else -1 for o in origins) != sorted(held_quantities(original, returned)):
        raise stale
    expected = make_reduction(original, {line.origin_line: (line.quantity, line.unit_price)
                                         for line in reduction.lines if line.origin_line is not None},
                              returned=returned)
    if expected.lines != reduction.lines or expected.charges != reduction.charges:
        raise stale


def kept_part(original: Invoice, returned: Mapping[int, Decimal]) -> Invoice:
    """A draft reduction of `original` holding only what the customer still holds after the
    returns in `returned`, at the sale's prices (`make_reduction` with nothing lowered). For a
    provider whose copy of the sale must follow its returns (Pod)."""
    return make_reduction(original, {}, returned=returned)


def check_seller_named(draft: Invoice) -> None:
    """Refuse an invoice whose seller has no name (the shop profile is empty): the issuing
    service calls this before numbering anything."""
    if not draft.seller.name.strip():
        raise ValidationError(
            "seller",
            "نام فروشگاه خالی است؛ پیش از صدور فاکتور، مشخصات فروشگاه را در تنظیمات (برگه فروشگاه) وارد کنید",
            "the shop's name is empty: fill in the shop profile (Settings, Shop tab) before issuing invoices",
        )


OFFICIAL_SELLER_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("economic_code", "شماره اقتصادی", "economic code"),
    ("national_id", "شناسه یا کد ملی", "national ID"),
    ("postal_code", "کد پستی", "postal code"),
    ("address", "نشانی", "address"),
)
"""What the official sales-invoice form (صورتحساب فروش کالا و خدمات) needs of the seller."""


def is_business_buyer(invoice: Invoice) -> bool:
    """A buyer that is a legal entity or gives an economic code: the official form applies."""
    buyer = invoice.buyer
    return buyer is not None and (buyer.kind is PartyKind.LEGAL or bool(buyer.economic_code.strip()))


def check_official_form(invoice: Invoice) -> None:
    """Refuse to print the official form for a business buyer while the seller's profile lacks
    a field the form requires; the message names every missing field."""
    if not is_business_buyer(invoice):
        return
    missing = [(fa, en) for key, fa, en in OFFICIAL_SELLER_FIELDS
               if not str(getattr(invoice.seller, key)).strip()]
    if not invoice.seller.name.strip():
        missing.insert(0, ("نام فروشنده", "seller name"))
    if missing:
        raise ValidationError(
            "seller",
            "صورتحساب رسمی برای خریدار حقوقی بدون این مشخصات فروشنده چاپ نمی‌شود: "
            + "، ".join(fa for fa, _ in missing) + " (تنظیمات، برگه فروشگاه)",
            "the official invoice form for a business buyer needs the seller's "
            + ", ".join(en for _, en in missing) + " (Settings, Shop tab)",
        )
