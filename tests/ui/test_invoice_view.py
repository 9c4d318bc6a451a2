"""The invoice lines view repaints only what a scan changed, and what is on screen is right."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QRect
from PySide6.QtGui import QImage, QRegion
from PySide6.QtWidgets import QApplication

from posapp.app import load_stylesheet
from posapp.services.catalog import ProductInput
from posapp.ui.invoice_model import COL_DESCRIPTION, COL_QUANTITY


def _on_screen(widget) -> QImage:
    """The pixels the window shows for `widget` (its backing store), not a fresh rendering."""
    QApplication.processEvents()
    corner = widget.mapTo(widget.window(), QPoint(0, 0))
    screen = widget.window().screen()
    return screen.grabWindow(widget.window().winId(), corner.x(), corner.y(),
                             widget.width(), widget.height()).toImage()


@pytest.mark.parametrize("styled", [False, True], ids=["palette", "stylesheet"])
def test_scanned_lines_on_screen_match_a_full_repaint(window, services, styled):
    editor = window.editor
    if styled:
        window.setStyleSheet(load_stylesheet())
    window.resize(1000, 700)
    QApplication.processEvents()
    products = [
        services.catalog.create(ProductInput(name=f"کالای آزمایشی {number}", code=f"70{number:02d}",
                                             price=Decimal(10000 + number)))
        for number in range(30)
    ]
    viewport = editor.table.viewport()
    for step, product in enumerate(products):
        editor.scan(product.code)
        if step % 7 == 6:
            editor.scan(products[step - 5].code)  # adds to a line scrolled out of view
        shown = _on_screen(viewport)
        viewport.repaint()
        assert shown == _on_screen(viewport), f"stale pixels after scan {step + 1}"
    assert editor.model.rowCount() * editor.table.rowHeight(0) > viewport.height()
    assert editor.model.index(1, COL_QUANTITY).data() == "۲"
    assert editor.model.index(29, COL_DESCRIPTION).data() == "کالای آزمایشی 29"


class _PaintedRegion(QObject):
    """Collects the regions a widget repaints."""

    def __init__(self, widget) -> None:
        super().__init__()
        self.region = QRegion()
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.region += event.region()
        return False


def test_a_new_line_repaints_that_line_and_not_the_rows_above(window, services, qtbot):
    editor = window.editor
    qtbot.wait(50)  # the maximised window's first full paint is done
    for number in range(3):
        product = services.catalog.create(ProductInput(name=f"کالا {number}", code=f"80{number}",
                                                       price=Decimal(1000)))
        editor.scan(product.code)
    product = services.catalog.create(ProductInput(name="کالا ۴", code="804", price=Decimal(1000)))
    QApplication.processEvents()
    table = editor.table
    painted = _PaintedRegion(table.viewport())
    editor.scan(product.code)
    QApplication.processEvents()
    width = table.viewport().width()
    row_rect = [QRect(0, table.rowViewportPosition(row) + 1, width, table.rowHeight(row) - 2) for row in range(4)]
    assert editor.model.rowCount() == 4
    for row in (2, 3):
        assert painted.region.intersects(row_rect[row]), "the new line and the line that lost the selection"
    for row in (0, 1):
        assert not painted.region.intersects(row_rect[row]), "rows that did not change are not repainted"
