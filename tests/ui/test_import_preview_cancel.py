"""The import preview runs behind a progress dialog whose Cancel button stops the reading."""

from __future__ import annotations

from openpyxl import Workbook
from PySide6.QtWidgets import QDialog, QProgressDialog, QPushButton

from posapp.ui import products as products_module


def test_cancelling_the_progress_dialog_stops_the_preview(window, services, qtbot, tmp_path, monkeypatch):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["code", "name", "price"])
    for n in range(5000):
        sheet.append([f"C{n}", f"کالا {n}", 1000 + n])
    path = tmp_path / "big.xlsx"
    workbook.save(path)
    previews = []
    monkeypatch.setattr(products_module.ImportPreviewDialog, "exec",
                        lambda dialog: previews.append(dialog) or QDialog.DialogCode.Rejected)
    before = services.catalog.count()
    with qtbot.waitSignal(window.products.sig_message, timeout=20_000) as message:
        window.products.import_products(str(path))
        progress = window.products.findChildren(QProgressDialog)[-1]
        progress.findChild(QPushButton).click()
    assert "لغو" in message.args[0]
    assert len(previews) == 0, "a cancelled preview shows no preview dialog"
    assert services.catalog.count() == before
