"""Every user action of the main window in one table: id, label, shortcut and menu.

Labels are Persian source strings marked for translation (context "Actions"); the English text
comes from resources/i18n/posapp_en.qm. Nothing else in the UI declares a shortcut: widgets look
actions up here by id, and the help overlay (F1) lists this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

CONTEXT = "Actions"


@dataclass(frozen=True)
class ActionSpec:
    id: str
    label: str
    """Persian source text; shown through `QCoreApplication.translate(CONTEXT, label)`."""
    shortcuts: tuple[str, ...]
    menu: str
    """Menu id the action appears in (see MENUS)."""


MENUS: tuple[tuple[str, str], ...] = (
    ("invoice", QT_TRANSLATE_NOOP("Actions", "فاکتور")),
    ("lists", QT_TRANSLATE_NOOP("Actions", "فهرست‌ها")),
    ("shift", QT_TRANSLATE_NOOP("Actions", "شیفت")),
    ("tools", QT_TRANSLATE_NOOP("Actions", "ابزار")),
    ("help", QT_TRANSLATE_NOOP("Actions", "راهنما")),
)

ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("new_invoice", QT_TRANSLATE_NOOP("Actions", "فاکتور جدید"), ("Ctrl+N",), "invoice"),
    ActionSpec("focus_code", QT_TRANSLATE_NOOP("Actions", "رفتن به کد کالا"), ("F2",), "invoice"),
    ActionSpec("search_product", QT_TRANSLATE_NOOP("Actions", "جستجوی کالا"), ("F3",), "invoice"),
    ActionSpec("pick_customer", QT_TRANSLATE_NOOP("Actions", "انتخاب مشتری"), ("F4",), "invoice"),
    ActionSpec("walk_in", QT_TRANSLATE_NOOP("Actions", "مشتری گذری"), ("Shift+F4",), "invoice"),
    ActionSpec("edit_quantity", QT_TRANSLATE_NOOP("Actions", "ویرایش تعداد ردیف"), ("F6",), "invoice"),
    ActionSpec("edit_price", QT_TRANSLATE_NOOP("Actions", "ویرایش قیمت ردیف"), ("Shift+F6",), "invoice"),
    ActionSpec("line_discount", QT_TRANSLATE_NOOP("Actions", "تخفیف ردیف"), ("F7",), "invoice"),
    ActionSpec("invoice_discount", QT_TRANSLATE_NOOP("Actions", "تخفیف فاکتور"), ("F8",), "invoice"),
    ActionSpec("delete_line", QT_TRANSLATE_NOOP("Actions", "حذف ردیف"), ("Ctrl+Del",), "invoice"),
    ActionSpec("hold", QT_TRANSLATE_NOOP("Actions", "نگه‌داشتن فاکتور"), ("F9",), "invoice"),
    ActionSpec("resume", QT_TRANSLATE_NOOP("Actions", "فاکتورهای نگه‌داشته"), ("Shift+F9",), "invoice"),
    ActionSpec("pay", QT_TRANSLATE_NOOP("Actions", "پرداخت و صدور"), ("F12",), "invoice"),
    ActionSpec("quick_cash", QT_TRANSLATE_NOOP("Actions", "صدور با پرداخت نقدی کامل"),
               ("Ctrl+Return", "Ctrl+Enter"), "invoice"),
    ActionSpec("return", QT_TRANSLATE_NOOP("Actions", "برگشت از فروش"), ("Ctrl+R",), "invoice"),
    ActionSpec("cancel_invoice", QT_TRANSLATE_NOOP("Actions", "ابطال فاکتور"), ("Ctrl+K",), "invoice"),
    ActionSpec("reprint", QT_TRANSLATE_NOOP("Actions", "چاپ دوباره آخرین فاکتور"), ("Ctrl+P",), "invoice"),
    ActionSpec("show_customers", QT_TRANSLATE_NOOP("Actions", "مشتریان"), ("Ctrl+1",), "lists"),
    ActionSpec("show_products", QT_TRANSLATE_NOOP("Actions", "کالاها"), ("Ctrl+2",), "lists"),
    ActionSpec("show_history", QT_TRANSLATE_NOOP("Actions", "سابقه فاکتورها"), ("Ctrl+3", "Ctrl+H"), "lists"),
    ActionSpec("new_customer", QT_TRANSLATE_NOOP("Actions", "مشتری جدید"), ("Ctrl+Shift+C",), "lists"),
    ActionSpec("new_product", QT_TRANSLATE_NOOP("Actions", "کالای جدید"), ("Ctrl+Shift+P",), "lists"),
    ActionSpec("show_sync", QT_TRANSLATE_NOOP("Actions", "همگام‌سازی با سامانه‌ها"), ("Ctrl+4",), "lists"),
    ActionSpec("show_reports", QT_TRANSLATE_NOOP("Actions", "گزارش‌ها"), ("Ctrl+5",), "lists"),
    ActionSpec("refresh", QT_TRANSLATE_NOOP("Actions", "بازخوانی فهرست‌ها"), ("F5",), "lists"),
    ActionSpec("lock", QT_TRANSLATE_NOOP("Actions", "قفل صندوق / تعویض صندوقدار"), ("Ctrl+L",), "shift"),
    ActionSpec("open_shift", QT_TRANSLATE_NOOP("Actions", "باز کردن شیفت"), ("Ctrl+Shift+O",), "shift"),
    ActionSpec("cash_move", QT_TRANSLATE_NOOP("Actions", "ورود و خروج وجه نقد"), ("Ctrl+Shift+M",), "shift"),
    ActionSpec("x_report", QT_TRANSLATE_NOOP("Actions", "گزارش X"), ("Ctrl+Shift+X",), "shift"),
    ActionSpec("close_shift", QT_TRANSLATE_NOOP("Actions", "بستن شیفت و گزارش Z"), ("Ctrl+Shift+Z",), "shift"),
    ActionSpec("z_report", QT_TRANSLATE_NOOP("Actions", "آخرین گزارش Z"), ("Ctrl+Shift+R",), "shift"),
    ActionSpec("day_report", QT_TRANSLATE_NOOP("Actions", "گزارش روز"), ("Ctrl+Shift+Y",), "shift"),
    ActionSpec("users", QT_TRANSLATE_NOOP("Actions", "کاربران و نقش‌ها"), ("Ctrl+Shift+U",), "shift"),
    ActionSpec("import_products", QT_TRANSLATE_NOOP("Actions", "ورود کالا از فایل"), ("Ctrl+I",), "tools"),
    ActionSpec("export_products", QT_TRANSLATE_NOOP("Actions", "خروجی کالاها"), ("Ctrl+E",), "tools"),
    ActionSpec("backup", QT_TRANSLATE_NOOP("Actions", "پشتیبان‌گیری"), ("Ctrl+B",), "tools"),
    ActionSpec("demo_data", QT_TRANSLATE_NOOP("Actions", "افزودن داده نمایشی"), ("Ctrl+Shift+D",), "tools"),
    ActionSpec("settings", QT_TRANSLATE_NOOP("Actions", "تنظیمات"), ("Ctrl+,",), "tools"),
    ActionSpec("provider_settings", QT_TRANSLATE_NOOP("Actions", "تنظیمات سامانه‌ها"),
               ("Ctrl+Shift+,",), "tools"),
    ActionSpec("open_drawer", QT_TRANSLATE_NOOP("Actions", "باز کردن کشوی پول"), ("Ctrl+Shift+K",), "tools"),
    ActionSpec("print_queue", QT_TRANSLATE_NOOP("Actions", "صف چاپ"), ("Ctrl+Shift+J",), "tools"),
    ActionSpec("quit", QT_TRANSLATE_NOOP("Actions", "خروج"), ("Ctrl+Q",), "tools"),
    ActionSpec("help", QT_TRANSLATE_NOOP("Actions", "راهنمای کلیدها"), ("F1",), "help"),
)

ACTIONS_BY_ID = {spec.id: spec for spec in ACTIONS}


def translated(label: str) -> str:
    return QCoreApplication.translate(CONTEXT, label)


def shortcut_text(spec: ActionSpec) -> str:
    """The shortcuts of `spec` as printed on the keys, e.g. "Ctrl+N", "Ctrl+Enter": never
    translated (Qt's Persian catalogue writes Ctrl+Return as «کنترل+بازگشت», which reads like
    the sales return of Ctrl+R)."""
    return "  ".join(
        QKeySequence(s).toString(QKeySequence.SequenceFormat.PortableText) for s in spec.shortcuts
    )


def build_actions(parent: QObject) -> dict[str, QAction]:
    """One QAction per table row, owned by `parent`, with translated text and shortcuts.

    Shortcuts work window-wide (Qt.WindowShortcut) so they fire whichever field has focus."""
    actions: dict[str, QAction] = {}
    for spec in ACTIONS:
        action = QAction(translated(spec.label), parent)
        action.setObjectName(f"action_{spec.id}")
        action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setToolTip(f"{translated(spec.label)} ({shortcut_text(spec)})")
        actions[spec.id] = action
    return actions
