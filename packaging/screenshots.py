"""Render the main window with Persian demo data into docs/screenshots/*.png (headless).

    .venv/bin/python packaging/screenshots.py [--database-url URL] [--out docs/screenshots]
    .venv/bin/python packaging/screenshots.py --size 1366x768     # a counter monitor: *-1366x768.png

Without --database-url a throw-away database in a temporary folder is filled with the
deterministic demo data (`posapp demo-data`'s generator). Qt runs on the offscreen platform, so
no display is needed; the images are what the app draws, at 1440x900 or the --size given
(any other size than 1440x900 adds "-WIDTHxHEIGHT" to each file name, so the sets sit side by side,
and the window is laid out as on a screen of that size: maximised, dialogs fitted to it). Pod is enabled without
credentials (and with no keyring), so the demo sales wait in its queue and the sync pane shows
what a till that cannot reach its provider shows; nothing is sent anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_SIZE = (1440, 900)
SCANNED_CODES = 5


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="use this database instead of fresh demo data")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--products", type=int, default=3000)
    parser.add_argument("--customers", type=int, default=600)
    parser.add_argument("--invoices", type=int, default=1500)
    parser.add_argument("--size", type=parse_size, default=DEFAULT_SIZE,
                        help="screen size WIDTHxHEIGHT (default 1440x900)")
    return parser.parse_args()


def parse_size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    if not (width.isdigit() and height.isdigit()):
        raise argparse.ArgumentTypeError(f"size must be WIDTHxHEIGHT, not {text!r}")
    return int(width), int(height)


def main() -> int:
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="posapp-shots-"))
    os.environ["POSAPP_DATA_DIR"] = str(workdir)
    width, height = args.size
    screen = workdir / "screen.json"
    screen.write_text(json.dumps({"screens": [{
        "name": "counter", "x": 0, "y": 0, "width": width, "height": height,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"
    suffix = "" if args.size == DEFAULT_SIZE else f"-{width}x{height}"

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QTabWidget

    from posapp.app import PosApplication, create_qt_application, database_display_name
    from posapp.services.context import AppServices
    from posapp.services.demo_data import DemoDataGenerator, sign_in_demo_cashier
    from posapp.settings.shop import ENABLED_SYNC_PROVIDERS, PAYMENT_LINK_PROVIDER, SHOP_NAME
    from posapp.settings.store import SettingsStore
    from posapp.settings.ui import CASHIER_NAME, UI_LANGUAGE
    from posapp.ui.payment import PaymentDialog
    from posapp.ui.settings_dialog import SettingsDialog

    url = args.database_url or f"sqlite:///{workdir / 'posapp.sqlite3'}"
    store = SettingsStore(workdir / "settings.json")
    store.set(SHOP_NAME, "فروشگاه نمونه")
    store.set(CASHIER_NAME, "مریم احمدی")
    store.set(ENABLED_SYNC_PROVIDERS, ["pod"])
    store.set(PAYMENT_LINK_PROVIDER, "pod")
    services = AppServices.open(url, settings=store)
    if not args.database_url:
        DemoDataGenerator(services).run(args.products, args.customers, args.invoices)
    sign_in_demo_cashier(services)
    qt_app = create_qt_application()
    pos = PosApplication(qt_app, store, services, database_display_name(url))
    args.out.mkdir(parents=True, exist_ok=True)

    def settle(ms: int = 150) -> None:
        """Run events for `ms` (a local loop: quitting the application would close its windows)."""
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def save(widget, name: str) -> None:
        settle()
        path = args.out / name.replace(".png", f"{suffix}.png")
        widget.grab().save(str(path))
        print(f"wrote {path}")

    def fill_sale(window) -> None:
        window.editor.new_invoice()
        step = max(1, services.catalog.count("") // (SCANNED_CODES + 1))
        codes = [services.catalog.page("", step * (i + 1), 1)[0].code for i in range(SCANNED_CODES)]
        for code in (*codes, codes[0]):
            window.editor.scan(code)
        customer = services.customers.page("", 7, 1)[0]
        window.editor.set_customer(customer)
        window.editor.set_invoice_discount_text("5%")

    try:
        window = pos.build_window()
        window.setGeometry(window.screen().availableGeometry())
        window.show()
        settle(300)  # sync joins the window just after it is first shown
        window.customers.refresh()
        window.products.refresh()
        window.history.refresh()
        fill_sale(window)
        save(window, "main-window.png")

        dialog = PaymentDialog(window.editor.draft, window.display, window,
                               link_provider=window.editor.link_provider())
        dialog.card_edit.set_amount(window.editor.draft.totals.payable // 2)
        dialog.cash_edit.set_amount(
            window.editor.draft.totals.payable - window.editor.draft.totals.payable // 2 + 50000)
        dialog.cash_edit.textEdited.emit(dialog.cash_edit.text())
        dialog.show()
        save(dialog, "payment.png")
        dialog.close()

        settle(1500)  # the sync worker's first cycle
        window.action("show_sync").trigger()  # the sync and history panes start hidden
        window.sync_pane.refresh()
        save(window, "sync-pane.png")

        settings = SettingsDialog(store, window)
        settings.findChild(QTabWidget).setCurrentIndex(2)
        settings.show()
        save(settings, "settings-printing.png")
        settings.close()

        window.action("show_history").trigger()
        window.history.table.selectRow(0)
        window.action("show_customers").trigger()
        window.customers.table.setCurrentIndex(window.customers.model.index(3, 0))
        save(window, "customers-and-history.png")

        window.help_overlay.toggle()
        save(window, "shortcuts-help.png")
        window.help_overlay.toggle()

        store.set(UI_LANGUAGE, "en")
        pos.rebuild_window()
        english = pos.window
        english.setGeometry(english.screen().availableGeometry())
        english.customers.refresh()
        english.history.refresh()
        fill_sale(english)
        save(english, "main-window-english.png")
    finally:
        pos.shutdown()
        QApplication.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
