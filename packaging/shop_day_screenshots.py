"""Render the shop-day pictures of docs/shop-day.md (headless): the close dialog with the
drawer counted by notes, and the printed Z report on 80 mm paper.

    .venv/bin/python packaging/shop_day_screenshots.py [--out docs/screenshots]

A throw-away database gets the deterministic demo data (which brings demo users and a year of
daily shifts), then today's shift with a few sales; nothing outside the temporary folder changes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="posapp-shopday-shots-"))
    os.environ["POSAPP_DATA_DIR"] = str(workdir)

    import pypdfium2
    from PySide6.QtCore import QTimer

    from posapp.app import PosApplication, create_qt_application
    from posapp.domain.invoice import Payment, PaymentMethod
    from posapp.services.context import AppServices
    from posapp.services.demo_data import DemoDataGenerator, sign_in_demo_cashier
    from posapp.services.shifts import report_pdf
    from posapp.settings.shop import SHOP_NAME
    from posapp.settings.store import SettingsStore
    from posapp.ui.shop_day_dialogs import CloseShiftDialog

    store = SettingsStore(workdir / "settings.json")
    store.set(SHOP_NAME, "فروشگاه نمونه")
    services = AppServices.open(f"sqlite:///{workdir / 'posapp.sqlite3'}", settings=store)
    generator = DemoDataGenerator(services)
    generator.run(300, 40, 400)
    sign_in_demo_cashier(services)
    invoicing = services.invoicing
    products = generator.existing_products()
    for index in range(12):
        lines = tuple(invoicing.line_for_product(services.catalog.get(p.id), Decimal(1 + index % 3))
                      for p in products[index * 3:index * 3 + 1 + index % 3])
        draft = invoicing.new_draft().with_changes(lines=lines)
        method = PaymentMethod.CARD if index % 3 == 0 else PaymentMethod.CASH
        tendered = draft.totals.payable if method is PaymentMethod.CARD else \
            (draft.totals.payable // 100_000 + 1) * 100_000
        invoicing.issue(draft.with_changes(payments=(Payment(method, tendered),)))
    services.shifts.move_cash("out", Decimal(350_000), "خرید نان و شیر برای آبدارخانه",
                              services.access.user("مدیر فروشگاه").actor)
    qt_app = create_qt_application()
    pos = PosApplication(qt_app, store, services, "posapp.sqlite3")
    window = pos.build_window()
    window.resize(1440, 900)
    window.show()
    args.out.mkdir(parents=True, exist_ok=True)

    def settle(ms: int = 200) -> None:
        QTimer.singleShot(ms, qt_app.quit)
        qt_app.exec()

    settle()
    services.till_session.user = services.access.user("مدیر فروشگاه")
    notes = tuple(Decimal(n) for n in (10_000_000, 5_000_000, 2_000_000, 1_000_000, 500_000, 200_000,
                                       100_000, 50_000))
    dialog = CloseShiftDialog(services, window.display, notes, window)
    left = services.shifts.x_report().cash_expected - 150_000  # a note and a half short
    for note in notes:
        dialog.counts[note].setValue(int(left // note))
        left -= note * (left // note)
    dialog.show()
    settle()
    dialog.grab().save(str(args.out / "shift-close.png"))
    print(f"wrote {args.out / 'shift-close.png'}")
    dialog.accept()
    report = dialog.report
    assert report is not None
    pdf = pypdfium2.PdfDocument(report_pdf(report, "80", store.get(SHOP_NAME)))
    pdf[0].render(scale=2).to_pil().save(args.out / "z-report-80mm.png")
    print(f"wrote {args.out / 'z-report-80mm.png'}")
    window.close()
    pos.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
