"""Settings of printed documents: the theme per document kind, paper, receipt printer, footer,
and whether the receipt prints by itself when a sale is issued.

The document service reads these to choose how an invoice is rendered; the GUI's settings
dialog edits them. Theme names are checked where they are used (an unknown stored name falls
back to the kind's default), so this module stays free of the renderer.
"""

from __future__ import annotations

from enum import StrEnum

from posapp.settings.store import Setting


class DocumentKind(StrEnum):
    """What the cashier asks to print; each kind has its own default theme."""

    INVOICE = "invoice"
    """The customer's A4/A5 invoice (sales, returns and reductions alike)."""
    RECEIPT = "receipt"
    """The till slip for the thermal receipt printer."""
    OFFICIAL = "official"
    """The official form صورتحساب فروش کالا و خدمات, for business customers."""


INVOICE_THEME: Setting[str] = Setting(
    "documents.invoice_theme", "modern", str,
    "قالب فاکتور (modern|formal|carbon) / theme of printed invoices",
)
RECEIPT_THEME: Setting[str] = Setting(
    "documents.receipt_theme", "receipt", str,
    "قالب رسید صندوق / theme of till receipts",
)
OFFICIAL_THEME: Setting[str] = Setting(
    "documents.official_theme", "formal", str,
    "قالب صورتحساب رسمی / theme of the official invoice form",
)
THEME_SETTINGS: dict[DocumentKind, Setting[str]] = {
    DocumentKind.INVOICE: INVOICE_THEME,
    DocumentKind.RECEIPT: RECEIPT_THEME,
    DocumentKind.OFFICIAL: OFFICIAL_THEME,
}

PAPER: Setting[str] = Setting(
    "documents.paper", "A4", str, "اندازه‌ی کاغذ فاکتور (A4|A5) / invoice paper size",
)
RECEIPT_WIDTH_MM: Setting[int] = Setting(
    "documents.receipt_width_mm", 80, int, "عرض کاغذ رسید (58|80) / receipt paper width in mm",
)
RECEIPT_PRINTER: Setting[str] = Setting(
    "documents.receipt_printer", "", str,
    "نام چاپگر رسید در سیستم / system name of the receipt printer (empty: ask)",
)
CARBON_COPIES: Setting[bool] = Setting(
    "documents.carbon_copies", True, bool,
    "چاپ نسخه‌ی فروشنده و خریدار در قالب کربن / print seller's and buyer's copies with Carbon",
)
FOOTER_TEXT: Setting[str] = Setting(
    "documents.footer_text", "", str,
    "متن پایین فاکتور و رسید / footer line printed on invoices and receipts",
)
AMOUNT_UNIT: Setting[str] = Setting(
    "documents.amount_unit", "rial", str,
    "واحد مبالغ در فاکتور (rial|toman)؛ صورتحساب رسمی همیشه ریال / unit on printed invoices",
)
PRINT_RECEIPT_ON_ISSUE: Setting[bool] = Setting(
    "documents.print_receipt_on_issue", False, bool,
    "چاپ خودکار رسید با صدور هر فاکتور، با چاپگر رسید / print the receipt on the receipt "
    "printer as each sale or return is issued",
)

DOCUMENT_SETTINGS = (
    INVOICE_THEME, RECEIPT_THEME, OFFICIAL_THEME, PAPER, RECEIPT_WIDTH_MM, RECEIPT_PRINTER,
    CARBON_COPIES, FOOTER_TEXT, AMOUNT_UNIT, PRINT_RECEIPT_ON_ISSUE,
)
"""Every document setting, in the order a settings dialog lists them."""
