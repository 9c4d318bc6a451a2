"""A built-in sample invoice for previews, `posapp render --sample`, tests and benchmarks.

It exercises what real shops print: long Persian names that wrap, Latin model names with
brackets, a weighed quantity, a line discount, an invoice discount, a freight charge and a
deduction, split payments with change, a Moadian tax ID and a payment link. Everything is fixed
(dates included), so the same call always renders the same pages.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from decimal import Decimal
from itertools import cycle, islice

from posapp.domain.invoice import (
    Charge,
    ChargeKind,
    Discount,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    Party,
    PartyKind,
    Payment,
    PaymentMethod,
    cancel,
    issue,
)
from posapp.paths import resources_dir
from posapp.render.document import Branding

SAMPLE_NUMBER = "1A-000042"
SAMPLE_ISSUED_AT = datetime(2026, 11, 23, 11, 5, tzinfo=UTC)  # ۱۴۰۵/۰۹/۰۲ ۱۴:۳۵ in Tehran
SAMPLE_PAYMENT_LINK = "https://pay.pod.ir/v1/pbc/preinvoice/7f3c9a1b2e4d"
"""Pod's pay-by-link form, on a host `posapp.domain.payment_links` knows: the QR prints only
links on a provider's host."""
SAMPLE_TAX_ID = "A1B2C304D5A00000000015"

SAMPLE_SELLER = Party(
    name="فروشگاه لوازم خانگی و دیجیتال آفتاب",
    kind=PartyKind.LEGAL,
    national_id="10320874561",
    economic_code="411134567891",
    registration_number="45872",
    postal_code="1593835111",
    phone="021-88776655",
    address="تهران، خیابان ولیعصر، بالاتر از میدان ونک، کوچه‌ی نیلوفر، پلاک ۱۲",
)

SAMPLE_BUYER = Party(
    name="شرکت بازرگانی نوین‌پردازان پارس (سهامی خاص)",
    kind=PartyKind.LEGAL,
    national_id="14003456782",
    economic_code="411987654321",
    registration_number="512334",
    postal_code="1466683713",
    phone="021-44556677",
    mobile="09121234567",
    address="تهران، شهرک غرب، بلوار فرحزادی، خیابان سپهر، ساختمان آرین، طبقه ۳، واحد ۹",
)

SAMPLE_BRANDING = Branding(
    shop_name="فروشگاه آفتاب",
    footer_text="ضمانت بازگشت کالا تا ۷ روز با ارائه‌ی فاکتور — www.aftab-shop.example",
)

_TAX = Decimal("0.10")

SAMPLE_LINES: tuple[InvoiceLine, ...] = (
    InvoiceLine("یخچال فریزر ساید بای ساید اسنوا مدل SN8-3550 (نقره‌ای) با گارانتی ۱۸ ماهه",
                Decimal(1), Decimal(689_000_000), tax_rate=_TAX, product_code="1001",
                discount=Discount.amount(9_000_000)),
    InvoiceLine("گوشی موبایل Samsung Galaxy A55 [256GB] (مشکی)", Decimal(2),
                Decimal(214_500_000), tax_rate=_TAX, product_code="2040"),
    InvoiceLine("چای ایرانی قلم لاهیجان، بسته‌بندی نیم‌کیلویی", Decimal("2.5"),
                Decimal(1_850_000), unit="کیلوگرم", tax_rate=Decimal(0), product_code="3107"),
    InvoiceLine("کابل شارژ USB-C به لایتنینگ ۱ متری", Decimal(3), Decimal(3_450_000),
                tax_rate=_TAX, product_code="2211", discount=Discount.percent(10)),
    InvoiceLine("خدمات نصب و راه‌اندازی در محل (شامل حمل داخل ساختمان تا طبقه‌ی سوم)",
                Decimal(1), Decimal(15_000_000), unit="خدمت", tax_rate=_TAX, product_code="9001"),
    InvoiceLine("لامپ ال‌ای‌دی ۱۲ وات مهتابی پارس‌شهاب", Decimal(12), Decimal(1_290_000),
                unit="عدد", tax_rate=_TAX, product_code="4410"),
)

# A catalogue to cycle through for long invoices (pagination tests, benchmarks).
_FILLER_LINES: tuple[InvoiceLine, ...] = (
    *SAMPLE_LINES,
    InvoiceLine("ماشین لباسشویی ال‌جی ۹ کیلویی مدل F4V5 (سفید)", Decimal(1), Decimal(412_000_000),
                tax_rate=_TAX, product_code="1090"),
    InvoiceLine("روغن زیتون فرابکر ۱ لیتری", Decimal(4), Decimal(7_900_000), tax_rate=_TAX,
                product_code="3300"),
    InvoiceLine("هدفون بی‌سیم Sony WH-1000XM5 (نقره‌ای)", Decimal(1), Decimal(189_000_000),
                tax_rate=_TAX, product_code="2301", discount=Discount.amount(4_000_000)),
    InvoiceLine("برنج طارم هاشمی درجه‌یک", Decimal("10"), Decimal(1_650_000), unit="کیلوگرم",
                product_code="3001"),
)


def sample_lines(count: int) -> tuple[InvoiceLine, ...]:
    """`count` lines cycling through a realistic catalogue."""
    return tuple(islice(cycle(_FILLER_LINES), count))


def sample_invoice(
    line_count: int | None = None,
    *,
    lines: tuple[InvoiceLine, ...] | None = None,
    kind: InvoiceKind = InvoiceKind.SALE,
    cancelled: bool = False,
    payment_link: str | None = SAMPLE_PAYMENT_LINK,
    buyer: Party | None = SAMPLE_BUYER,
    paid_in_full: bool = False,
    notes: str = "تحویل کالا درب منزل؛ هزینه‌ی ارسال با مشتری است. لطفاً فاکتور را تا پایان دوره‌ی ضمانت نگه دارید.",
) -> Invoice:
    """An issued sample invoice: the six sample lines, `line_count` lines from the catalogue,
    or the given `lines`; paid partly by card, the rest due by the payment link (its QR is
    printed), or with `paid_in_full` the rest in cash (a sale with change given back; a
    return's refund has none)."""
    if lines is None:
        lines = SAMPLE_LINES if line_count is None else sample_lines(line_count)
    draft = Invoice(
        seller=SAMPLE_SELLER,
        buyer=buyer,
        customer_id=7 if buyer else None,
        lines=lines,
        kind=kind,
        original_number="1A-000031" if kind is not InvoiceKind.SALE else None,
        created_at=SAMPLE_ISSUED_AT,
        invoice_discount=Discount.amount(2_500_000),
        charges=(
            Charge("هزینه‌ی ارسال", Decimal(3_500_000), kind=ChargeKind.FREIGHT),
            Charge("کسر بابت کارت هدیه", Decimal(1_000_000), is_deduction=True),
        ),
        notes=notes,
        cashier="مریم احمدی",
        tax_id=SAMPLE_TAX_ID,
        payment_link=payment_link,
    )
    payable = draft.totals.payable
    card = payable * 6 // 10
    change = Decimal(500_000) if kind is InvoiceKind.SALE else Decimal(0)
    cash = payable - card + change
    card_payment = Payment(PaymentMethod.CARD, card, reference="پایانه ۳۳۱۲ — پیگیری 874512")
    payments = (card_payment, Payment(PaymentMethod.CASH, cash)) if paid_in_full else (card_payment,)
    draft = dataclasses.replace(draft, payments=payments)
    invoice = issue(draft, SAMPLE_NUMBER, SAMPLE_ISSUED_AT)
    if cancelled:
        invoice = cancel(invoice, "درخواست مشتری؛ کالا تحویل نشد", SAMPLE_ISSUED_AT)
    return invoice


TORTURE_LOGOS = ("wide", "tall")


def torture_branding(logo: str = "wide") -> Branding:
    """A long shop name and footer, and a very wide (6:1) or very tall (2:9) logo."""
    if logo not in TORTURE_LOGOS:
        raise ValueError(f"the torture logo is one of {TORTURE_LOGOS}, not {logo!r}")
    return Branding(
        shop_name="فروشگاه بزرگ لوازم خانگی، صوتی، تصویری و دیجیتال برادران آفتاب‌نژاد و شرکای تهران",
        logo_path=resources_dir() / "samples" / f"logo-{logo}.png",
        footer_text=("ضمانت بازگشت کالا تا ۷ روز با ارائه‌ی فاکتور؛ شمارۀ پشتیبانی ۰۲۱-۸۸۷۷۶۶۵۵ و "
                     "۰۹۱۲-۱۲۳-۴۵۶۷؛ خانهٔ ما خانهٔ شماست — لطفاً پیش از نصب، دفترچه را بخوانید ✓ "
                     "www.aftab-shop.example"),
    )


TORTURE_BRANDING = torture_branding()

_TORTURE_LINES: tuple[InvoiceLine, ...] = (
    InvoiceLine("گوشی موبایل Samsung Galaxy A55 [256GB] (مشکی)", Decimal(1), Decimal(214_500_000),
                tax_rate=_TAX, product_code="2040"),
    InvoiceLine("iPhone 15 Pro Max (256GB)", Decimal(1), Decimal(689_000_000), tax_rate=_TAX,
                product_code="2041", discount=Discount.amount(9_000_000)),
    InvoiceLine("شمارۀ سریال پروژۀ نصب درۀ شمالی؛ خانهٔ نمونه", Decimal(1), Decimal(15_000_000),
                unit="خدمت", tax_rate=_TAX, product_code="9002"),
    InvoiceLine("لطفاً دقیقاً مطابق سفارش؛ می‌شود، نمی‌شود، بی‌نظیر ✓ 😀", Decimal(2),
                Decimal(1_290_000), tax_rate=_TAX, product_code="4411"),
    InvoiceLine("ماشین ظرفشویی توکار " + "بسیار کم‌مصرف و بی‌صدا با گارانتی طلایی " * 2 + "مدل DW-60 (سفید)",
                Decimal(1), Decimal(412_000_000), tax_rate=_TAX, product_code="1095"),
)

TORTURE_BUYER = Party(
    name="شرکت تولیدی و بازرگانی نوین‌پردازان پارس خاورمیانه (سهامی خاص) — نمایندگی رسمی منطقهٔ ۲ تهران",
    kind=PartyKind.LEGAL, national_id="14003456782", economic_code="411987654321",
    registration_number="512334", postal_code="1466683713", phone="021-44556677",
    mobile="09121234567",
    address=("استان تهران، شهرستان تهران، بخش مرکزی، شهر تهران، محله شهرک غرب، بلوار فرحزادی، "
             "خیابان سپهر، کوچه 12، پلاک 279، ساختمان آرین، طبقه 3، واحد 9، کد پستی 1466683713"),
)


def torture_invoice(variant: str = "sale") -> Invoice:
    """Every hard case of issue 11 in one invoice: mixed Latin and Persian with brackets, ۀ,
    hamza, tanwin, ZWNJ, emoji and ✓ (reported as missing), a 120-character name, a full
    address, 45 lines over several pages; `variant` "return" or "cancelled" for those. Print
    it with `torture_branding()` for the long shop name, footer and logos."""
    lines = tuple(islice(cycle(_TORTURE_LINES + _FILLER_LINES), 45))
    kind = InvoiceKind.RETURN if variant == "return" else InvoiceKind.SALE
    invoice = sample_invoice(lines=lines, kind=kind, cancelled=variant == "cancelled",
                             buyer=TORTURE_BUYER,
                             notes="تحویل درب منزل؛ لطفاً خانهٔ خود را آماده کنید. پیگیری 874512")
    return invoice
