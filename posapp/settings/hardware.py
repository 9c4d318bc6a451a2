"""Settings of the counter's hardware: the ESC/POS receipt printer, the cash drawer, scale labels, the customer display.

The receipt printer itself is `posapp.settings.documents.RECEIPT_PRINTER`: a system printer's
name, or an ESC/POS URI (tcp://, usb://, serial://, file://) that is printed to directly with
the settings here.
"""

from __future__ import annotations

from posapp.settings.store import Setting

ESCPOS_DOT_WIDTH: Setting[int] = Setting(
    "hardware.escpos_dot_width", 0, int,
    "نقطه‌های عرض چاپ (۰: از عرض کاغذ، ۳۸۴ برای ۵۸ و ۵۷۶ برای ۸۰ میلی‌متر) / printer dots across "
    "(0: from the paper width, 384 for 58 mm, 576 for 80 mm)",
)
ESCPOS_CUT: Setting[str] = Setting(
    "hardware.escpos_cut", "partial", str,
    "برش کاغذ پس از رسید (full|partial|none) / paper cut after a receipt",
)
ESCPOS_TIMEOUT_SECONDS: Setting[float] = Setting(
    "hardware.escpos_timeout_seconds", 5.0, float,
    "چند ثانیه منتظر چاپگر بماند / seconds to wait for the printer before giving up",
)
DRAWER_KICK_PIN: Setting[int] = Setting(
    "hardware.drawer_pin", 2, int, "پایهٔ کشوی پول (2|5) / drawer connector pin",
)
DRAWER_PULSE_ON_MS: Setting[int] = Setting(
    "hardware.drawer_on_ms", 100, int, "مدت روشن بودن پالس کشو (میلی‌ثانیه) / drawer pulse on time (ms)",
)
DRAWER_PULSE_OFF_MS: Setting[int] = Setting(
    "hardware.drawer_off_ms", 100, int, "مدت خاموشی پس از پالس (میلی‌ثانیه) / drawer pulse off time (ms)",
)
DRAWER_OPENS_ON_CASH: Setting[bool] = Setting(
    "hardware.drawer_opens_on_cash", True, bool,
    "باز شدن کشو با فروش، برگشت یا دریافت نقدی / open the drawer on a cash sale, return or payment",
)
SCALE_LABEL_LAYOUTS: Setting[list[str]] = Setting(
    "hardware.scale_label_layouts", [], list,
    "چیدمان برچسب‌های ترازو، مانند 20-29/5/weight / scale label layouts, e.g. 20-29/5/weight",
)
CUSTOMER_DISPLAY_SCREEN: Setting[int] = Setting(
    "hardware.customer_display_screen", -1, int,
    "شمارهٔ صفحهٔ نمایش مشتری (‎-1: خاموش) / screen number of the customer display (-1: off)",
)
