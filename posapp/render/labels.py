"""The document's own catalogue of Persian strings; a theme's [labels] table overrides any of them.

Printed invoices stay Persian whatever language the cashier's UI uses (ARCHITECTURE.md
principle 10), so these strings live here and not in Qt translations.
"""

from __future__ import annotations

from types import MappingProxyType

DEFAULT_LABELS = MappingProxyType({
    # titles and marks
    "title.sale": "فاکتور فروش",
    "title.return": "فاکتور برگشت از فروش",
    "title.reduction": "فاکتور اصلاحی (کاهش مبلغ)",
    "mark.draft": "پیش‌نویس — فاقد اعتبار",
    "mark.cancelled": "باطل شده",
    "mark.return": "برگشت از فروش",
    "mark.reduction": "اصلاحیه",
    "copy.seller": "نسخه فروشنده",
    "copy.buyer": "نسخه خریدار",
    # header fields
    "field.number": "شماره",
    "field.serial": "شماره سریال",
    "field.date": "تاریخ",
    "field.time": "ساعت",
    "field.cashier": "صندوقدار",
    "field.till": "صندوق",
    "field.original": "عطف به فاکتور",
    "field.tax_id": "شماره منحصربه‌فرد مالیاتی",
    "field.cancel_reason": "دلیل ابطال",
    "field.cancelled_at": "تاریخ ابطال",
    "page": "صفحه {page} از {pages}",
    # parties
    "party.seller": "مشخصات فروشنده",
    "party.buyer": "مشخصات خریدار",
    "party.walk_in": "مشتری گذری",
    "party.name": "نام شخص حقیقی / حقوقی",
    "party.economic_code": "شماره اقتصادی",
    "party.national_id": "کد ملی",
    "party.legal_national_id": "شناسه ملی",
    "party.registration_number": "شماره ثبت",
    "party.postal_code": "کد پستی",
    "party.phone": "تلفن",
    "party.mobile": "تلفن همراه",
    "party.address": "نشانی",
    # line columns
    "column.row": "ردیف",
    "column.code": "کد کالا",
    "column.description": "شرح کالا یا خدمات",
    "column.quantity": "مقدار",
    "column.unit": "واحد",
    "column.unit_price": "مبلغ واحد",
    "column.gross": "مبلغ کل",
    "column.discount": "تخفیف",
    "column.net": "مبلغ پس از تخفیف",
    "column.tax": "مالیات و عوارض",
    "column.total": "جمع کل",
    "column.lines": "مشخصات کالا یا خدمات مورد معامله",
    # totals and payments
    "totals.sum": "جمع کل",
    "totals.gross": "جمع مبلغ",
    "totals.discount": "تخفیف",
    "totals.tax": "مالیات بر ارزش افزوده",
    "totals.payable": "مبلغ قابل پرداخت",
    "totals.paid": "پرداخت‌شده",
    "totals.change": "بقیه پول",
    "totals.balance_due": "مانده حساب",
    "totals.in_words": "مبلغ به حروف",
    "charge.addition": "افزوده",
    "charge.deduction": "کسر",
    "payment.title": "پرداخت‌ها",
    "payment.cash": "نقد",
    "payment.card": "کارت بانکی",
    "payment.link": "پرداخت اینترنتی",
    "payment.credit": "نسیه",
    "terms.title": "شرایط و نحوه فروش",
    "terms.cash": "نقدی",
    "terms.credit": "غیرنقدی",
    "notes": "توضیحات",
    "qr.caption": "پرداخت آنلاین: کد را اسکن کنید",
    "signature.seller": "مهر و امضای فروشنده",
    "signature.buyer": "مهر و امضای خریدار",
    "unit.rial": "ریال",
    "unit.toman": "تومان",
    "receipt.thanks": "از خرید شما سپاسگزاریم",
    "receipt.buyer": "خریدار",
})
